// A network whose populations use an adaptive method is integrated as one system: every population's
// variables and every graded gate in one state vector, advanced over each step of dt by the method's
// embedded pair with one error control (integrators/adaptive_system.hpp). Inside every stage the
// membrane ports get the receptors' current as it is at that stage: graded conductances from the
// stage's gates, event-driven ones from their exact decay (no event arrives inside a step), with V the
// stage's own value. So the coupling is integrated to the method's tolerance, where the fixed-step path
// holds it at t_n (first order in dt). Events, inputs and records stay on the step grid, as for the
// fixed-step path: Brian2's order of one step is unchanged (docs/networks.md).
#include "whole_system.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ionode/detail/thread_pool.hpp"
#include "ionode/error.hpp"
#include "ionode/integrators/spike_time.hpp"

namespace ionode::network {

network::~network() = default;

bool network::integrates_as_one_system() const {
  for (const auto& m : members_) {
    if (m.run && m.run->method().adaptive) return true;
  }
  return false;
}

void network::check_methods() const {
  const member* adaptive = nullptr;
  const member* fixed = nullptr;
  for (const auto& m : members_) {
    if (!m.run) continue;
    const member*& first = m.run->method().adaptive ? adaptive : fixed;
    if (first == nullptr) first = &m;
  }
  if (adaptive == nullptr) return;
  if (fixed != nullptr) {
    throw error(fmt::format(
        "population '{}' uses the adaptive method {} and population '{}' the fixed-step method {}: a network "
        "with an adaptive method is integrated as one system, so every population needs the same adaptive "
        "method (or every one a fixed-step method)",
        adaptive->name, adaptive->run->method().name, fixed->name, fixed->run->method().name));
  }
  const method_options& first = adaptive->run->options().tolerances;
  for (const auto& m : members_) {
    if (m.source) continue;
    const method_options& own = m.run->options().tolerances;
    if (m.run->method().id != adaptive->run->method().id || own.rtol != first.rtol || own.atol != first.atol ||
        own.max_substeps != first.max_substeps) {
      throw error(fmt::format(
          "population '{}' uses {} (rtol {}, atol {}, max_substeps {}) and population '{}' {} (rtol {}, atol {}, "
          "max_substeps {}): a network with an adaptive method is integrated as one system with one method and "
          "one set of tolerances; give every population the same",
          adaptive->name, adaptive->run->method().name, first.rtol, first.atol, first.max_substeps, m.name,
          m.run->method().name, own.rtol, own.atol, own.max_substeps));
    }
  }
}

void network::prepare_whole_system() {
  auto system = std::make_unique<whole_system>();
  std::size_t offset = 0;
  system->block_of_member.assign(members_.size(), members_.size());
  for (std::size_t k = 0; k < members_.size(); ++k) {
    const member& m = members_[k];
    if (m.source) continue;
    const std::size_t n = m.pop->instances(), nv = m.pop->model().variables.size();
    system->block_of_member[k] = system->blocks.size();
    system->blocks.push_back({k, offset, n, nv});
    system->method = m.run->method().id;
    system->tolerances = m.run->options().tolerances;
    offset += n * nv;
  }
  for (std::size_t k = 0; k < projections_.size(); ++k) {
    const projection_state& p = projections_[k];
    if (p.spec.synapse.kind != synapse_kind::graded) continue;
    const model_info& model = members_[p.pre].pop->model();
    const std::size_t voltage = model.membranes.empty() ? model.spike_variable : model.membranes.front().variable;
    const std::size_t n = p.state.variable(1).size();
    system->gates.push_back({k, offset, n, system->block_of_member[p.pre], voltage});
    offset += n;
  }
  system->y.assign(offset, 0.0);
  if (system->method == method_id::cvode) {
    for (std::size_t b = 0; b < system->blocks.size(); ++b) {
      for (std::size_t j = 0; j < system->blocks[b].n; ++j) system->roots.emplace_back(b, j);
    }
    for (const auto& m : members_) system->cvode_restarts = system->cvode_restarts || m.source != nullptr;
    for (const auto& p : projections_) {
      system->cvode_restarts = system->cvode_restarts || p.spec.synapse.kind != synapse_kind::graded;
    }
  }
  system->terms.resize(system->blocks.size());
  system->spikes.resize(system->blocks.size());
  system->reports.resize(system->blocks.size());
  system_ = std::move(system);
}

void network::system_derivative(double tau, const double* y, double* dydt) {
  whole_system& system = *system_;
  for (const auto& g : system.gates) {
    std::copy(y + g.offset, y + g.offset + g.n, projections_[g.projection].state.variable(1).begin());
  }
  for (auto& m : members_) {
    if (!m.incoming.empty()) couple(m, tau);
  }
  // The cells: each population's instances split over the threads (each instance's f is its own
  // arithmetic, so the split never changes a bit).
  const std::size_t tasks = pool_ ? pool_->size() : 1;
  const auto cells = [&](std::size_t task) {
    for (std::size_t b = 0; b < system.blocks.size(); ++b) {
      const auto& block = system.blocks[b];
      members_[block.member].pop->impl().derivatives(system.terms[b], y + block.offset, block.n, dydt + block.offset,
                                                     block.n * task / tasks, block.n * (task + 1) / tasks);
    }
  };
  if (tasks > 1) {
    pool_->run(tasks, cells);
  } else {
    cells(0);
  }
  for (const auto& g : system.gates) {
    const auto& pre = system.blocks[g.pre_block];
    projections_[g.projection].state.gate_derivatives(y + g.offset, y + pre.offset + g.voltage * pre.n,
                                                      dydt + g.offset);
  }
}

// CVODE over the whole vector (cvode_solver.hpp): f is system_derivative (the coupling at every
// evaluation, as for rkdp), one root per neuron (V - threshold, upward), the diagonal approximation of
// the Jacobian (a network's Jacobian is as large as its state squared).
integrators::system_outcome network::advance_with_cvode(double t0) {
  whole_system& system = *system_;
  system.t0 = t0;
  if (!system.cvode) {
    system.cvode = std::make_unique<integrators::cvode_solver>(system.y.size(), system.roots.size(), false,
                                                               system.tolerances.rtol, system.tolerances.atol,
                                                               system.tolerances.max_substeps);
  }
  const integrators::cvode_callbacks callbacks{
      [](const void* context, double t, const double* state, double* dydt) {
        auto* self = static_cast<network*>(const_cast<void*>(context));
        self->system_derivative(t - self->system_->t0, state, dydt);
      },
      nullptr,
      [](const void* context, const double* state, double* g) {
        const auto* self = static_cast<const network*>(context);
        std::size_t r = 0;
        for (const auto& block : self->system_->blocks) {
          const auto& impl = self->members_[block.member].pop->impl();
          const model_info& model = impl.info();
          const auto& threshold = impl.parameter(model.threshold_parameter);
          const double* v = state + block.offset + model.spike_variable * block.n;
          for (std::size_t j = 0; j < block.n; ++j) g[r++] = v[j] - threshold.at(j);
        }
      },
      this};
  std::vector<std::pair<double, std::size_t>> crossings;
  const auto result =
      system.cvode->advance(callbacks, t0, t0 + options_.dt, system.y.data(), system.cvode_restarts, crossings);
  for (const auto& [time, root] : crossings) {
    const auto [b, j] = system.roots[root];
    system.spikes[b].push_back({time, j});
  }
  integrators::system_outcome outcome;
  outcome.failed = !result.ok;
  return outcome;
}

void network::advance_whole_system() {
  whole_system& system = *system_;
  std::vector<double>& y = system.y;
  // The state at t_n: populations (read in double whatever their precision) and gates.
  for (const auto& block : system.blocks) {
    const auto& impl = members_[block.member].pop->impl();
    for (std::size_t v = 0; v < block.nv; ++v) {
      for (std::size_t j = 0; j < block.n; ++j) y[block.offset + v * block.n + j] = impl.read(v, j);
    }
  }
  for (const auto& g : system.gates) {
    const auto& gates = projections_[g.projection].state.variable(1);
    std::copy(gates.begin(), gates.end(), y.begin() + static_cast<std::ptrdiff_t>(g.offset));
  }
  for (std::size_t b = 0; b < system.blocks.size(); ++b) {
    system.spikes[b].clear();
    system.reports[b] = {};
  }
  const double t0 = time();
  // Spikes: upward crossings of each population's threshold within an accepted substep, placed on the
  // cubic Hermite interpolant of V (values and slopes at both ends): its error is O(h^4) in the
  // substep, far below the method's own error where the tolerance makes the substeps short.
  const auto on_substep = [&](double tau, double h, const double* y_old, const double* f_old, const double* y_new,
                              const double* f_new) {
    for (std::size_t b = 0; b < system.blocks.size(); ++b) {
      const auto& block = system.blocks[b];
      const auto& impl = members_[block.member].pop->impl();
      const model_info& model = impl.info();
      const auto& threshold = impl.parameter(model.threshold_parameter);
      const std::size_t at = block.offset + model.spike_variable * block.n;
      for (std::size_t j = 0; j < block.n; ++j) {
        const double v0 = y_old[at + j], v1 = y_new[at + j], theta = threshold.at(j);
        if (!(v0 < theta && v1 >= theta)) continue;
        const double time = integrators::hermite_crossing(t0 + tau, h, v0, v1, f_old[at + j], f_new[at + j], theta);
        system.spikes[b].push_back({time, j});
      }
    }
  };
  const auto f = [&](double tau, const double* state, double* dydt) { system_derivative(tau, state, dydt); };
  const auto advance = [&](const auto& tab) {
    return integrators::adaptive_advance_system(tab, y, options_.dt, system.h, system.tolerances, system.scratch, f,
                                                on_substep);
  };
  integrators::system_outcome outcome;
  switch (system.method) {
    case method_id::heun_euler: outcome = advance(tableaus::heun_euler); break;
    case method_id::rkf12: outcome = advance(tableaus::rkf12); break;
    case method_id::bs: outcome = advance(tableaus::bs); break;
    case method_id::rkf45: outcome = advance(tableaus::rkf45); break;
    case method_id::ck: outcome = advance(tableaus::ck); break;
    case method_id::rkdp: outcome = advance(tableaus::rkdp); break;
    case method_id::cvode: outcome = advance_with_cvode(t0); break;
    default: throw internal_error("network: a fixed-step method reached the whole-system integration");
  }
  // Back into the populations (padding lanes copy the last instance, as the fixed-step path keeps them)
  // and the gates.
  for (std::size_t b = 0; b < system.blocks.size(); ++b) {
    const auto& block = system.blocks[b];
    auto& impl = members_[block.member].pop->impl();
    for (std::size_t v = 0; v < block.nv; ++v) {
      const double* column = y.data() + block.offset + v * block.n;
      for (std::size_t j = 0; j < impl.stride(); ++j) impl.write(v, j, column[std::min(j, block.n - 1)]);
    }
    // A neuron may cross twice in one step only in distinct substeps: sort by instance, then time.
    std::stable_sort(system.spikes[b].begin(), system.spikes[b].end(),
                     [](const spike_event& a, const spike_event& c) { return a.instance < c.instance; });
  }
  for (const auto& g : system.gates) {
    auto& gates = projections_[g.projection].state.variable(1);
    std::copy(y.begin() + static_cast<std::ptrdiff_t>(g.offset),
              y.begin() + static_cast<std::ptrdiff_t>(g.offset + g.n), gates.begin());
  }
  if (outcome.failed) {
    // Blame the component that stopped the step: its population, neuron and variable (a gate: its
    // presynaptic neuron's voltage).
    for (std::size_t b = 0; b < system.blocks.size(); ++b) {
      const auto& block = system.blocks[b];
      if (outcome.worst >= block.offset && outcome.worst < block.offset + block.n * block.nv) {
        const std::size_t local = outcome.worst - block.offset;
        system.reports[b] = {false, local % block.n, local / block.n, true};
        return;
      }
    }
    for (const auto& g : system.gates) {
      if (outcome.worst >= g.offset && outcome.worst < g.offset + g.n) {
        system.reports[g.pre_block] = {false, outcome.worst - g.offset, g.voltage, true};
        return;
      }
    }
    system.reports.front() = {false, 0, 0, true};
  }
}

}  // namespace ionode::network
