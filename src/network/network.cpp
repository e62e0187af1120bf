// The network's time loop: couple, advance every population, decay the receptors, deliver the
// events due (network.hpp has the order of one step; docs/networks.md the semantics).
#include "ionode/network/network.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <utility>

#include "ionode/detail/thread_pool.hpp"
#include "ionode/error.hpp"
#include "ionode/suggest.hpp"
#include "whole_system.hpp"

namespace ionode::network {

network::network(network_options options) : options_(options), context_(options_.context) {
  if (!context_) context_ = distributed::local();
  if (!(options_.dt > 0) || !std::isfinite(options_.dt)) {
    throw error(fmt::format("dt = {} ms is not allowed; it must be a finite number > 0", options_.dt));
  }
  const std::size_t threads = options_.threads == 0 ? detail::default_threads() : options_.threads;
  if (threads > 1024) {
    throw error(fmt::format("threads = {} is not allowed; it must be between 1 and 1024 (0: the machine's cores)",
                            options_.threads));
  }
  if (threads > 1) pool_ = std::make_shared<detail::thread_pool>(threads);
}

void network::check_name(const std::string& name) const {
  if (name.empty()) throw error("a population needs a name");
  for (const auto& m : members_) {
    if (m.name == name) throw error(fmt::format("population '{}' is defined twice; names must be unique", name));
  }
  if (steps_done_ > 0) throw error(fmt::format("population '{}': populations are added before the first run", name));
}

std::size_t network::size_of(std::size_t k) const { return members_[k].neurons; }

distributed::part network::part_of(std::size_t neurons) const {
  return distributed::part_of(neurons, context_->rank(), context_->size());
}

void network::add_source(std::string name, std::unique_ptr<spike_source> source) {
  check_name(name);
  if (source == nullptr || source->size() == 0) throw error(fmt::format("source '{}' has no neurons", name));
  if (const auto* poisson = dynamic_cast<const poisson_source*>(source.get())) {
    poisson->check(options_.dt, fmt::format("source {}", name));
  }
  member m;
  m.name = std::move(name);
  m.neurons = source->size();
  const distributed::part part = part_of(m.neurons);
  m.first = part.first;
  m.local = part.count;
  m.source = std::move(source);
  members_.push_back(std::move(m));
}

void network::stream_source_to(std::size_t k, recording_sink* sink, std::size_t block_bytes) {
  member& m = members_[k];
  hand_over(m);
  m.sink = sink;
  m.block_spikes = std::max<std::size_t>(1, block_bytes / sizeof(double));
}

void network::hand_over(member& m) {
  if (m.sink == nullptr || m.fired.spike_times.empty()) return;
  try {
    m.sink->write(m.fired);
  } catch (...) {
    m.sink = nullptr;
    throw;
  }
  m.fired.first_spike += m.fired.spike_times.size();
  m.fired.spike_times.clear();
  m.fired.spike_indices.clear();
  m.fired.spike_batch.clear();
  m.fired.spike_steps.clear();
}

runner& network::add_population(std::string name, population pop, runner_options options) {
  if (context_->size() > 1) {
    throw error(fmt::format("population '{}': a network over {} is given each rank's part (add_population_part)",
                            name, context_->describe()));
  }
  const std::size_t neurons = pop.size();
  const model_info model = pop.model();
  return *add_population_part(std::move(name), neurons, model, std::move(pop), std::move(options));
}

runner* network::add_population_part(std::string name, std::size_t neurons, const model_info& model,
                                     std::optional<population> part, runner_options options) {
  check_name(name);
  const distributed::part expected = part_of(neurons);
  const std::size_t got = part ? part->size() : 0, first = part ? part->options().first : expected.first;
  if (got != expected.count || first != expected.first || (part && part->copies() != 1 && context_->size() > 1)) {
    throw internal_error(fmt::format("population '{}': rank {} was given neurons [{}, {}) of {}; its part is [{}, {})",
                                     name, context_->rank(), first, first + got, neurons, expected.first,
                                     expected.first + expected.count));
  }
  options.dt = options_.dt;
  options.pool = pool_;
  options.threads = pool_ ? pool_->size() : 1;
  member m;
  m.name = std::move(name);
  m.neurons = neurons;
  m.first = expected.first;
  m.local = expected.count;
  m.model = model;
  if (part) {
    m.pop = std::make_unique<population>(std::move(*part));
    m.run = std::make_unique<runner>(*m.pop, std::move(options));
  }
  members_.push_back(std::move(m));
  return members_.back().run.get();
}

std::size_t network::population_index(std::string_view name) const {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < members_.size(); ++k) {
    if (members_[k].name == name) return k;
    names.push_back(members_[k].name);
  }
  throw error(fmt::format("unknown population '{}'{}; the network has: {}", name, did_you_mean(name, names),
                          names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "))));
}

std::size_t network::projection_index(std::string_view name) const {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < projections_.size(); ++k) {
    if (projections_[k].spec.name == name) return k;
    names.push_back(projections_[k].spec.name);
  }
  throw error(fmt::format("unknown projection '{}'{}; the network has: {}", name, did_you_mean(name, names),
                          names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "))));
}

void network::connect(projection_spec spec) {
  if (spec.name.empty()) spec.name = spec.pre + "->" + spec.post;
  const std::string context = fmt::format("projection {}", spec.name);
  for (const auto& p : projections_) {
    if (p.spec.name == spec.name) {
      throw error(fmt::format("{} is defined twice; give each projection its own name", context));
    }
  }
  if (steps_done_ > 0) throw error(fmt::format("{}: projections are added before the first run", context));
  const auto index_of = [&](const std::string& name, std::string_view key) {
    try {
      return population_index(name);
    } catch (const error& e) {
      throw error(fmt::format("{}: {} = {}", context, key, e.what()));
    }
  };
  const std::size_t pre = index_of(spec.pre, "pre"), post = index_of(spec.post, "post");
  validate(spec.synapse, context);
  if (members_[post].source) {
    throw error(fmt::format("{}: post = '{}' is a spike source; a source cannot receive synapses", context, spec.post));
  }
  for (std::size_t k : {pre, post}) {
    if (members_[k].source || !members_[k].pop) continue;
    if (members_[k].pop->copies() != 1) {
      throw error(fmt::format("{}: population '{}' has batch = {}; a population in a projection has no batch axis",
                              context, members_[k].name, members_[k].pop->batch()));
    }
  }
  const model_info& model = members_[post].model;
  if (model.membranes.empty()) {
    throw error(fmt::format("{}: model {} of population '{}' declares no membrane port (model.hpp), so synapses "
                            "cannot attach to it",
                            context, model.name, spec.post));
  }
  std::size_t port = 0;
  if (!spec.target.empty()) {
    std::vector<std::string> names;
    for (const auto& m : model.membranes) names.emplace_back(m.name);
    const auto found = std::find(names.begin(), names.end(), spec.target);
    if (found == names.end()) {
      throw error(fmt::format("{}: target = '{}' is not a compartment of model {}; it has: {}", context, spec.target,
                              model.name, fmt::join(names, ", ")));
    }
    port = static_cast<std::size_t>(found - names.begin());
  }
  build_request request;
  request.name = spec.name;
  request.pre_size = size_of(pre);
  request.post_size = members_[post].neurons;
  request.first_target = members_[post].first;
  request.last_target = members_[post].first + members_[post].local;
  request.same_population = pre == post;
  request.rule = spec.rule;
  request.weight = spec.weight;
  request.delay = spec.delay;
  request.dt = options_.dt;
  request.seed = spec.seed;
  request.pool = pool_.get();  // the table is the same for any thread count
  request.allow_negative_weights = spec.synapse.output == synapse_output::current;
  const bool graded = spec.synapse.kind == synapse_kind::graded;
  if (graded) {
    if (members_[pre].source) {
      throw error(fmt::format("{}: a graded synapse follows the presynaptic voltage; pre = '{}' is a spike source",
                              context, spec.pre));
    }
    if (spec.delay.type != synapse_values::kind::constant || spec.delay.a != 0.0) {
      throw error(fmt::format("{}: a graded synapse has no delay (it follows the presynaptic voltage continuously); "
                              "remove delay",
                              context));
    }
  }
  // Each rank builds the synapses onto its part; a bad drawn value may be on one rank only, so the
  // ranks agree on the first error before going on.
  synapse_table table;
  std::exception_ptr failure;
  try {
    table = build_synapses(request);
  } catch (...) {
    failure = std::current_exception();
  }
  distributed::agree(*context_, failure);
  receptor state(spec.synapse, members_[post].local, options_.dt, graded ? request.pre_size : 0);
  projections_.push_back({std::move(spec), pre, post, port, std::move(table), std::move(state)});
  const std::size_t k = projections_.size() - 1;
  members_[pre].outgoing.push_back(k);
  member& target = members_[post];
  target.incoming.push_back(k);
  if (target.conductance.empty() && target.pop) {
    // The hidden inputs of every port (membrane_current.hpp), read by the kernels at every step.
    const std::size_t ports = model.membranes.size(), inputs = model.inputs.size();
    const std::size_t instances = target.pop->instances();
    target.conductance.assign(ports, std::vector<double>(instances, 0.0));
    target.drive.assign(ports, std::vector<double>(instances, 0.0));
    std::vector<detail::input_term> terms;
    for (std::size_t q = 0; q < ports; ++q) {
      detail::input_term b, a;
      b.target = inputs + 2 * q;
      a.target = inputs + 2 * q + 1;
      b.kind = a.kind = detail::input_term::source::per_instance;
      b.values = target.conductance[q].data();
      a.values = target.drive[q].data();
      terms.push_back(b);
      terms.push_back(a);
    }
    target.run->set_coupling(std::move(terms));
  }
}

void network::set_receptor_state(std::size_t k, std::string_view variable, const value_spec& spec) {
  const projection_state& p = projections_.at(k);
  const std::string& name = p.spec.name;
  if (steps_done_ > 0) throw error(fmt::format("projection {}: its state is set before the first run", name));
  receptor& state = projections_[k].state;
  const auto names = state.variable_names();
  const auto found = std::find(names.begin(), names.end(), variable);
  if (found == names.end()) {
    throw error(fmt::format("projection {}: initial.{} is not a variable of its {} synapse; it has: {}", name, variable,
                            kind_name(p.spec.synapse.kind), fmt::join(names, ", ")));
  }
  auto& column = state.variable(static_cast<std::size_t>(found - names.begin()));
  const member& post = members_[p.post];
  value_spec part = spec;  // this rank's part of the values: neurons [first, first + local)
  if (const auto* list = std::get_if<std::vector<double>>(&spec)) {
    if (list->size() != post.neurons) {
      throw error(fmt::format("projection {}: initial.{} has {} values; population {} has {} neurons (give one value, "
                              "or one per neuron)",
                              name, variable, list->size(), p.spec.post, post.neurons));
    }
    const auto begin = list->begin() + static_cast<std::ptrdiff_t>(post.first);
    part = std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(post.local));
  }
  column = evaluate_spec(part, column.size(), column.size(), p.spec.seed, fmt::format("initial:{}.{}", name, variable),
                         post.first);
  const bool drawn = std::holds_alternative<init::normal>(spec) || std::holds_alternative<init::uniform>(spec);
  for (double& g : column) {
    if (drawn) g = std::max(g, 0.0);
  }
}

std::size_t network::threads() const { return pool_ ? pool_->size() : 1; }

double network::time() const { return static_cast<double>(steps_done_) * options_.dt; }

std::size_t network::history_length() const {
  // The tables hold this rank's synapses only: the longest delay is every rank's.
  std::int64_t longest = 0;
  for (const auto& p : projections_) longest = std::max<std::int64_t>(longest, p.table.max_delay);
  return static_cast<std::size_t>(context_->max(longest)) + 1;
}

void network::couple(member& m, double tau) {
  for (std::size_t q = 0; q < m.conductance.size(); ++q) {
    std::fill(m.conductance[q].begin(), m.conductance[q].end(), 0.0);
    std::fill(m.drive[q].begin(), m.drive[q].end(), 0.0);
  }
  for (std::size_t k : m.incoming) {
    projection_state& p = projections_[k];
    if (p.spec.synapse.kind == synapse_kind::graded) {
      // g of each target: sum over its sources of w s_source, in the canonical order (source, synapse).
      std::vector<double>& g = p.state.variable(0);
      const std::vector<double>& gate = p.state.variable(1);
      std::fill(g.begin(), g.end(), 0.0);
      const synapse_table& t = p.table;
      for (std::size_t i = 0; i < t.pre_size; ++i) {
        if (gate[i] == 0.0) continue;
        for (std::uint64_t s = t.offsets[i]; s < t.offsets[i + 1]; ++s) g[t.post[s]] += t.weight_of(s) * gate[i];
      }
    }
    p.state.add_current_at(tau, m.conductance[p.port].data(), m.drive[p.port].data());
  }
  scale_ports(m, 0, m.pop->instances());
}

void network::scale_ports(member& m, std::size_t begin, std::size_t end) {
  // Per unit area of the whole cell -> dV/dt of the compartment: times 1 / (C share), set at run().
  for (std::size_t q = 0; q < m.conductance.size(); ++q) {
    const double* scale = m.scale[q].data();
    double* b = m.conductance[q].data();
    double* a = m.drive[q].data();
    for (std::size_t j = begin; j < end; ++j) {
      b[j] *= scale[j];
      a[j] *= scale[j];
    }
  }
}

void network::couple_and_decay(member& m, std::size_t begin, std::size_t end) {
  // Each instance's arithmetic is couple's, in the same order, so the result does not depend on which
  // thread computed it. Decaying before the population moves gives decay()'s result: during the step
  // only the ports' sums read the receptors, and they have been taken.
  const auto first = static_cast<std::ptrdiff_t>(begin), last = static_cast<std::ptrdiff_t>(end);
  for (std::size_t q = 0; q < m.conductance.size(); ++q) {
    std::fill(m.conductance[q].begin() + first, m.conductance[q].begin() + last, 0.0);
    std::fill(m.drive[q].begin() + first, m.drive[q].begin() + last, 0.0);
  }
  for (std::size_t k : m.incoming) {
    projection_state& p = projections_[k];
    p.state.add_current(m.conductance[p.port].data(), m.drive[p.port].data(), begin, end);
  }
  scale_ports(m, begin, end);
  for (std::size_t k : m.incoming) projections_[k].state.decay(begin, end);
}

void network::set_scales(member& m) {
  // 1 / (C share) of each port, from the parameters as they are when a run starts.
  const auto& impl = m.pop->impl();
  const model_info& model = m.pop->model();
  const std::size_t n = m.pop->instances();
  m.scale.assign(m.conductance.size(), std::vector<double>(n));
  for (std::size_t q = 0; q < m.conductance.size(); ++q) {
    const membrane_port& port = model.membranes[q];
    const auto& capacitance = impl.parameter(port.capacitance);
    for (std::size_t j = 0; j < n; ++j) {
      double area = 1.0;
      if (port.area_fraction != no_parameter) {
        const double share = impl.parameter(port.area_fraction).at(j);
        area = port.complement ? 1.0 - share : share;
      }
      m.scale[q][j] = 1.0 / (capacitance.at(j) * area);
    }
  }
}

void network::gather_voltages(const member& pre, std::size_t variable) {
  voltages_.resize(pre.local);
  if (pre.pop) {
    const auto& impl = pre.pop->impl();
    for (std::size_t j = 0; j < pre.local; ++j) voltages_[j] = impl.read(variable, j);
  }
  if (context_->size() == 1) return;
  const auto start = std::chrono::steady_clock::now();
  if (context_->emulated()) {
    // A dry run: every other part takes this part's voltages, as far as its size allows.
    std::vector<double> all(pre.neurons);
    for (int r = 0; r < context_->size(); ++r) {
      const distributed::part part = distributed::part_of(pre.neurons, r, context_->size());
      for (std::size_t j = 0; j < part.count; ++j) all[part.first + j] = voltages_[std::min(j, pre.local - 1)];
    }
    voltages_ = std::move(all);
  } else {
    // The parts are contiguous and in rank order: the concatenation is the population in order.
    std::vector<std::size_t> counts;
    voltages_ = distributed::all_gather(*context_, std::span<const double>(voltages_), counts);
  }
  exchange_stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  exchange_stats_.bytes += voltages_.size() * sizeof(double);
}

std::vector<std::uint32_t> network::emulate_exchange(const std::vector<std::uint32_t>& mine, std::size_t steps,
                                                     std::vector<std::size_t>& counts) const {
  // A dry run: rank r's record is this rank's, each spike moved from this part into part r (and dropped
  // where part r is shorter), so the volume and the delivery work are those of P ranks alike.
  const int ranks = context_->size();
  if ((mine[0] & 1u) != 0) {  // failed: the flags alone
    counts.assign(static_cast<std::size_t>(ranks), 1);
    return std::vector<std::uint32_t>(static_cast<std::size_t>(ranks), mine[0]);
  }
  std::vector<std::uint32_t> all(mine);
  counts.assign(1, mine.size());
  for (int r = 1; r < ranks; ++r) {
    const std::size_t begin = all.size();
    all.push_back(mine[0]);
    std::size_t at = 1;
    for (std::size_t i = 0; i < steps; ++i) {
      const std::size_t n = mine[at++];
      const std::size_t count_at = all.size();
      all.push_back(0);
      std::size_t k = 0;
      for (std::size_t s = at; s < at + n; ++s) {
        while (mine[s] >= gid_offsets_[k + 1]) ++k;
        const member& m = members_[k];
        const distributed::part part = distributed::part_of(m.neurons, r, ranks);
        const std::size_t shifted = mine[s] - gid_offsets_[k] - m.first + part.first;
        if (shifted < part.first + part.count) all.push_back(static_cast<std::uint32_t>(gid_offsets_[k] + shifted));
      }
      all[count_at] = static_cast<std::uint32_t>(all.size() - count_at - 1);
      at += n;
    }
    counts.push_back(all.size() - begin);
  }
  return all;
}

void network::update_gates() {
  for (auto& p : projections_) {
    if (p.spec.synapse.kind != synapse_kind::graded) continue;
    const member& pre = members_[p.pre];
    const model_info& model = pre.model;
    gather_voltages(pre, model.membranes.empty() ? model.spike_variable : model.membranes.front().variable);
    p.state.update_gates(voltages_.data());
  }
}

void network::deliver(std::int64_t step) {
  const std::size_t history = spikes_.empty() ? 1 : spikes_.front().size();
  const std::int64_t oldest = std::max<std::int64_t>(0, step - static_cast<std::int64_t>(history) + 1);
  // Over several ranks, the spikes of the last epoch_ - 1 steps are not exchanged yet; no synapse is that
  // short (epoch_ is the shortest delay + 1), so none of them is due.
  const std::int64_t newest = step - (epoch_ - 1);
  for (std::int64_t source = oldest; source <= newest; ++source) {
    const auto delay = static_cast<std::uint16_t>(step - source);
    for (std::size_t k = 0; k < members_.size(); ++k) {
      const auto& fired = spikes_[k][static_cast<std::size_t>(source) % history];
      if (fired.empty()) continue;
      for (std::uint32_t i : fired) {
        for (std::size_t pk : members_[k].outgoing) {
          projection_state& p = projections_[pk];
          if (p.spec.synapse.kind == synapse_kind::graded) continue;  // no events
          const synapse_table& t = p.table;
          if (delay > t.max_delay) continue;
          std::uint64_t begin = t.offsets[i], end = t.offsets[i + 1];
          if (t.delay.empty()) {
            if (delay != t.constant_delay) continue;
          } else {
            const auto first = t.delay.begin() + static_cast<std::ptrdiff_t>(begin);
            const auto last = t.delay.begin() + static_cast<std::ptrdiff_t>(end);
            const auto lo = std::lower_bound(first, last, delay);
            const auto hi = std::upper_bound(lo, last, delay);
            begin = static_cast<std::uint64_t>(lo - t.delay.begin());
            end = static_cast<std::uint64_t>(hi - t.delay.begin());
          }
          if (!t.weight.empty()) {
            for (std::uint64_t s = begin; s < end; ++s) p.state.add(t.post[s], t.weight[s]);
          } else if (!t.drawn_weight.empty()) {
            for (std::uint64_t s = begin; s < end; ++s) p.state.add(t.post[s], static_cast<double>(t.drawn_weight[s]));
          } else {
            for (std::uint64_t s = begin; s < end; ++s) p.state.add(t.post[s], t.constant_weight);
          }
        }
      }
    }
  }
}

void network::compute_step(std::int64_t step, bool whole, bool team, std::size_t history) {
  const bool distributed = context_->size() > 1;
  const auto fired = [&](std::size_t k) -> std::vector<std::uint32_t>& {
    auto& slot = distributed ? pending_[static_cast<std::size_t>(step - pending_first_)][k]
                             : spikes_[k][static_cast<std::size_t>(step) % history];
    slot.clear();
    return slot;
  };
  std::size_t current = 0;  // the population being advanced, for the messages
  try {
    if (whole) {
      // Every population's step at once (their inputs first); the runners then record it below.
      for (current = 0; current < members_.size(); ++current) {
        member& m = members_[current];
        if (!m.source) system_->terms[system_->block_of_member[current]] = m.run->begin_step();
      }
      advance_whole_system();
    } else {
      for (auto& m : members_) {
        if (m.pop && !m.incoming.empty() && !m.coupled_in_sweep) couple(m);
      }
      update_gates();  // from the presynaptic voltages at t_n, before any population moves
    }
    if (team) {
      // Every population's step with one dispatch of the pool: a thread done with one population's
      // chunks goes on to the next without waiting for the others (runner::begin_team_step).
      team_requests_.resize(members_.size());
      for (current = 0; current < members_.size(); ++current) {
        member& m = members_[current];
        if (m.run) team_requests_[current] = m.run->begin_team_step(m.coupled_in_sweep ? &m.before_sweep : nullptr);
      }
      pool_->run(pool_->size(), [&](std::size_t k) {
        for (std::size_t i = 0; i < members_.size(); ++i) {
          if (members_[i].run) members_[i].run->sweep_team_step(team_requests_[i], k);
        }
      });
    }
    for (current = 0; current < members_.size(); ++current) {
      member& m = members_[current];
      auto& slot = fired(current);
      if (m.source) {
        m.source->fire(step, options_.dt, m.first, m.first + m.local, slot);
        for (std::uint32_t i : slot) {
          m.fired.spike_times.push_back(static_cast<double>(step) * options_.dt);
          m.fired.spike_indices.push_back(i);
          m.fired.spike_batch.push_back(0);
          m.fired.spike_steps.push_back(step);
        }
        if (m.sink != nullptr && m.fired.spike_times.size() >= m.block_spikes) hand_over(m);
        continue;
      }
      if (!m.run) continue;  // no part of it on this rank
      const auto first = static_cast<std::uint32_t>(m.first);
      if (whole) {
        const std::size_t b = system_->block_of_member[current];
        m.run->finish_step(system_->reports[b], system_->spikes[b]);
        for (const auto& spike : system_->spikes[b]) slot.push_back(first + static_cast<std::uint32_t>(spike.instance));
        continue;
      }
      const auto spikes = team ? m.run->end_team_step(team_requests_[current])
                               : m.run->advance_one(m.coupled_in_sweep ? &m.before_sweep : nullptr);
      for (const auto& spike : spikes) slot.push_back(first + static_cast<std::uint32_t>(spike.instance));
    }
  } catch (const divergence_error& e) {
    throw divergence_error(fmt::format("population {}: {}", members_[current].name, e.what()), e.neuron(),
                           e.batch_index(), e.variable(), e.time());
  }
  for (auto& p : projections_) {
    if (!members_[p.post].coupled_in_sweep) p.state.decay();
  }
}

bool network::exchange(std::int64_t last_step, std::size_t history, const std::exception_ptr& failure, bool stop) {
  // One record per rank: flags (1: failed, 2: stop asked for, 4: flush wanted), then per step since the
  // last exchange the number of spikes and their global ids (member offset + neuron), ascending.
  const std::size_t steps = static_cast<std::size_t>(last_step - pending_first_ + 1);
  const bool wants = !failure && wants_flush_ && wants_flush_();
  std::vector<std::uint32_t> words{(failure ? 1u : 0u) | (stop ? 2u : 0u) | (wants ? 4u : 0u)};
  if (!failure) {
    for (std::size_t i = 0; i < steps; ++i) {
      const std::size_t count_at = words.size();
      words.push_back(0);
      for (std::size_t k = 0; k < members_.size(); ++k) {
        for (std::uint32_t neuron : pending_[i][k]) words.push_back(gid_offsets_[k] + neuron);
      }
      words[count_at] = static_cast<std::uint32_t>(words.size() - count_at - 1);
    }
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::size_t> counts;
  const std::vector<std::uint32_t> all = context_->emulated() ? emulate_exchange(words, steps, counts)
                                                               : distributed::all_gather(*context_, std::span<const std::uint32_t>(words), counts);
  exchange_stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  exchange_stats_.bytes += all.size() * sizeof(std::uint32_t);
  ++exchange_stats_.epochs;
  std::vector<std::size_t> cursor(counts.size());
  std::uint32_t flags = 0;
  for (std::size_t r = 0, at = 0; r < counts.size(); at += counts[r], ++r) {
    flags |= all[at];
    cursor[r] = at + 1;
  }
  if ((flags & 1u) != 0) {
    distributed::agree(*context_, failure);  // throws the lowest failing rank's error on every rank
    throw internal_error("the ranks agreed on a failure that no rank reported");
  }
  // The parts are contiguous and in rank order, so each step's spikes of a member, rank after rank,
  // are in ascending order: the one-process history.
  for (std::size_t i = 0; i < steps; ++i) {
    const auto slot_of = static_cast<std::size_t>(pending_first_ + static_cast<std::int64_t>(i)) % history;
    for (std::size_t k = 0; k < members_.size(); ++k) spikes_[k][slot_of].clear();
    for (std::size_t r = 0; r < counts.size(); ++r) {
      const std::size_t n = all[cursor[r]++];
      std::size_t k = 0;
      for (std::size_t s = cursor[r]; s < cursor[r] + n; ++s) {
        while (all[s] >= gid_offsets_[k + 1]) ++k;
        spikes_[k][slot_of].push_back(all[s] - gid_offsets_[k]);
      }
      cursor[r] += n;
    }
  }
  pending_first_ = last_step + 1;
  if ((flags & 4u) != 0 && flush_) {
    // A flush that fails on one rank fails there at its next step, so that every rank hears of it at
    // the exchange that follows rather than waiting for a rank that has left.
    try {
      flush_();
    } catch (...) {
      flush_failure_ = std::current_exception();
    }
  }
  return (flags & 2u) != 0;
}

void network::run(double duration) {
  if (!diverged_.empty()) {
    throw error(fmt::format("this network's last run diverged ({}); it cannot continue", diverged_));
  }
  const int ranks = context_->size();
  const bool distributed = ranks > 1;
  std::exception_ptr failure;
  try {
    for (auto& m : members_) {
      if (!m.run) continue;
      try {
        m.run->check_run(duration);
      } catch (const error& e) {
        throw error(fmt::format("population {}: {}", m.name, e.what()));
      }
    }
    check_methods();
  } catch (...) {
    failure = std::current_exception();
  }
  distributed::agree(*context_, failure);
  const std::int64_t steps = steps_for(duration, options_.dt);
  const std::size_t history = history_length();
  if (spikes_.size() != members_.size() || (!spikes_.empty() && spikes_.front().size() != history)) {
    spikes_.assign(members_.size(), std::vector<std::vector<std::uint32_t>>(history));
  }
  for (auto& m : members_) {
    if (m.pop && !m.incoming.empty()) set_scales(m);
  }
  const bool whole = context_->max(integrates_as_one_system() ? 1 : 0) == 1;
  if (whole && distributed) {
    throw error(fmt::format("a network with an adaptive method is integrated as one system, which is not yet "
                            "distributed; run it on one process, or give its populations a fixed-step method "
                            "(exp_auto, rk4, ...) to run it over {}",
                            context_->describe()));
  }
  if (whole && !system_) prepare_whole_system();
  for (std::size_t k = 0; k < members_.size(); ++k) {
    member& m = members_[k];
    m.coupled_in_sweep = !whole && m.pop && !m.incoming.empty() &&
                         std::none_of(m.incoming.begin(), m.incoming.end(), [&](std::size_t p) {
                           return projections_[p].spec.synapse.kind == synapse_kind::graded;
                         });
    m.before_sweep = nullptr;
    if (m.coupled_in_sweep) {
      m.before_sweep = [this, k](std::size_t begin, std::size_t end) { couple_and_decay(members_[k], begin, end); };
    }
  }
  if (distributed) {
    // An epoch: a spike of step n acts at the earliest at the end of step n + d_min (the shortest delay
    // of any rank's synapses), so the spikes of d_min + 1 steps can wait for one exchange.
    std::int64_t shortest = std::numeric_limits<std::int64_t>::max();
    bool graded = false;
    for (const auto& p : projections_) {
      if (p.spec.synapse.kind == synapse_kind::graded) {
        graded = true;
      } else if (p.table.delay.empty()) {
        shortest = std::min<std::int64_t>(shortest, p.table.constant_delay);
      } else if (!p.table.delay.empty()) {
        shortest = std::min<std::int64_t>(shortest, *std::min_element(p.table.delay.begin(), p.table.delay.end()));
      }
    }
    shortest = context_->min(shortest);
    epoch_ = graded ? 1 : std::min<std::int64_t>(shortest, 999) + 1;
    pending_.assign(static_cast<std::size_t>(epoch_), std::vector<std::vector<std::uint32_t>>(members_.size()));
    pending_first_ = steps_done_;
    // Global ids: each member's neurons after those of the members before it.
    gid_offsets_.assign(1, 0);
    for (const auto& m : members_) {
      if (gid_offsets_.back() + m.neurons >= std::numeric_limits<std::uint32_t>::max()) {
        throw error(fmt::format("a network over several ranks has at most {} neurons in all (population {} goes "
                                "beyond)",
                                std::numeric_limits<std::uint32_t>::max() - 1, m.name));
      }
      gid_offsets_.push_back(static_cast<std::uint32_t>(gid_offsets_.back() + m.neurons));
    }
  } else {
    epoch_ = 1;
  }
  const bool team = !whole && pool_ && pool_->size() > 1;
  const auto interrupted_at = [&](std::int64_t done) {
    return interrupted(fmt::format("interrupted at t = {:.10g} ms, after {} of the {} steps asked for; what was "
                                   "recorded before it is kept",
                                   time(), done, steps));
  };
  try {
    for (std::int64_t s = 0; s < steps; ++s) {
      const std::int64_t step = steps_done_;
      if (!distributed) {
        if (stop_flag_ != nullptr && stop_flag_->load(std::memory_order_relaxed)) throw interrupted_at(s);
        compute_step(step, whole, team, history);
        deliver(step);
        ++steps_done_;
        if (progress_) progress_(s + 1, steps);
        if (checkpoint_steps_ > 0 && steps_done_ % checkpoint_steps_ == 0 && checkpoint_) checkpoint_();
        continue;
      }
      // Over several ranks a failure waits for the exchange, where every rank learns of it; the stop
      // flag is read there too, so that every rank stops after the same step.
      std::exception_ptr failed = std::exchange(flush_failure_, nullptr);
      try {
        if (!failed) compute_step(step, whole, team, history);
      } catch (...) {
        failed = std::current_exception();
      }
      bool stop = false;
      const bool checkpoint_due = checkpoint_steps_ > 0 && (step + 1) % checkpoint_steps_ == 0;
      if (failed || (step + 1) % epoch_ == 0 || s + 1 == steps || checkpoint_due) {
        stop = exchange(step, history, failed, stop_flag_ != nullptr && stop_flag_->load(std::memory_order_relaxed));
      }
      deliver(step);
      ++steps_done_;
      if (progress_) progress_(s + 1, steps);
      if (checkpoint_due && checkpoint_) checkpoint_();
      if (stop) throw interrupted_at(s + 1);
    }
  } catch (const divergence_error& e) {
    diverged_ = e.what();
    end_steps(&diverged_);
    throw;
  } catch (const std::exception& e) {
    const std::string reason = e.what();
    end_steps(&reason);
    throw;
  }
  end_steps(nullptr);
}

std::vector<network::spike_history> network::recent_spikes() const {
  std::vector<spike_history> out(members_.size());
  if (spikes_.empty()) return out;
  const auto history = static_cast<std::int64_t>(spikes_.front().size());
  for (std::size_t k = 0; k < members_.size(); ++k) {
    for (std::int64_t step = std::max<std::int64_t>(0, steps_done_ - history + 1); step < steps_done_; ++step) {
      for (std::uint32_t i : spikes_[k][static_cast<std::size_t>(step % history)]) {
        out[k].steps.push_back(step);
        out[k].neurons.push_back(i);
      }
    }
  }
  return out;
}

void network::resume_at(std::int64_t steps, const std::vector<spike_history>& recent) {
  if (steps_done_ != 0) throw error("a network resumes from a checkpoint before its first run");
  if (recent.size() != members_.size()) {
    throw error(fmt::format("the checkpoint has the spikes of {} populations; the network has {}", recent.size(),
                            members_.size()));
  }
  const std::size_t history = history_length();
  spikes_.assign(members_.size(), std::vector<std::vector<std::uint32_t>>(history));
  for (std::size_t k = 0; k < members_.size(); ++k) {
    for (std::size_t s = 0; s < recent[k].steps.size(); ++s) {
      const std::int64_t step = recent[k].steps[s];
      if (step < steps - static_cast<std::int64_t>(history) + 1 || step >= steps) continue;  // no delay reaches it
      if (recent[k].neurons[s] >= members_[k].neurons) {
        throw error(fmt::format("the checkpoint has a spike of neuron {} of population {}, which has {} neurons",
                                recent[k].neurons[s], members_[k].name, members_[k].neurons));
      }
      spikes_[k][static_cast<std::size_t>(step) % history].push_back(recent[k].neurons[s]);
    }
  }
  steps_done_ = steps;
}

void network::end_steps(const std::string* stop_reason) {
  for (auto& m : members_) {
    if (!m.source) {
      if (m.run) m.run->end_steps(stop_reason);
      continue;
    }
    if (stop_reason != nullptr && m.fired.complete) {
      m.fired.complete = false;
      m.fired.stop_reason = *stop_reason;
    }
    try {
      hand_over(m);
    } catch (...) {
      if (stop_reason == nullptr) throw;  // a sink failing after a failure must not hide it
    }
  }
}

}  // namespace ionode::network
