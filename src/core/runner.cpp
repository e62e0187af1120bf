// The time loop: inputs, integration, spike detection, monitors, in BrainPy's step order.
#include "ionode/runner.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <variant>

#include "ionode/detail/checked.hpp"
#include "ionode/error.hpp"

namespace ionode {

namespace {

std::string describe_input(const input& in, std::size_t index) {
  if (in.origin.empty()) return fmt::format("input {} (target {})", index, in.target);
  return fmt::format("input {} (target {}, {})", index, in.target, in.origin);
}

}  // namespace

std::int64_t steps_for(double duration, double dt) {
  // duration / dt within rounding of an integer counts as that integer (0.3 / 0.1 -> 3, not 2);
  // anything else is truncated, as BrainPy's int(duration / dt).
  const double ratio = duration / dt;
  const double nearest = std::round(ratio);
  const bool whole = std::abs(nearest * dt - duration) <= 1e-9 * std::max(std::abs(duration), dt);
  // The step counter is an int64: a count past it would wrap (to 0 or a negative number of steps).
  const auto steps = detail::count_from_double(whole ? nearest : std::floor(ratio));
  if (!steps) {
    throw error(fmt::format("duration = {} ms with dt = {} ms is {} steps; the most a run can take is {}", duration,
                            dt, ratio, detail::max_steps));
  }
  return *steps;
}

runner::runner(population& target, runner_options options)
    : population_(target), options_(std::move(options)), method_(&find_method(options_.method)) {
  if (!(options_.dt > 0) || !std::isfinite(options_.dt)) {
    throw error(fmt::format("dt = {} ms is not allowed; it must be a finite number > 0", options_.dt));
  }
  validate(options_.tolerances);
  check_noise_support();
  if (options_.pool) {
    pool_ = options_.pool;
  } else {
    const std::size_t threads = options_.threads == 0 ? detail::default_threads() : options_.threads;
    if (threads > 1024) {
      throw error(fmt::format("threads = {} is not allowed; it must be between 1 and 1024 (0: the machine's cores)",
                              options_.threads));
    }
    if (threads > 1) pool_ = std::make_shared<detail::thread_pool>(threads);
  }
  monitor(monitors_);
}

void runner::check_noise_support() const {
  const auto& impl = population_.impl();
  std::vector<std::string> noisy;
  for (const auto& term : impl.noise()) noisy.emplace_back(population_.model().variables[term.variable].name);
  std::vector<std::string> sde_methods;
  for (const auto& m : all_methods()) {
    if (m.noise != noise_support::none) sde_methods.emplace_back(m.name);
  }
  if (impl.stochastic() && method_->noise == noise_support::none) {
    throw error(fmt::format("method '{}' cannot integrate noise (given on {}){}; use one of {}", method_->name,
                            fmt::join(noisy, ", "),
                            method_->adaptive ? ": an adaptive step size is not defined for a Wiener path" : "",
                            fmt::join(sde_methods, ", ")));
  }
  if (!impl.stochastic() && method_->noise == noise_support::required) {
    throw error(fmt::format("method '{}' is for stochastic runs; give noise (e.g. noise = 1.0 on the first "
                            "variable), or use euler for the deterministic model",
                            method_->name));
  }
}

void runner::add_input(input in) {
  const std::size_t index = inputs_.size();
  const std::size_t target = population_.model().input_index(in.target);
  const std::size_t neurons = population_.size(), count = population_.instances();
  const auto allowed_lengths = [&] {
    return count == neurons ? fmt::format("{} (one per neuron)", neurons)
                            : fmt::format("{} (one per neuron) or {} (per neuron and batch copy)", neurons, count);
  };
  if (const auto* v = std::get_if<double>(&in.value)) {
    if (!std::isfinite(*v)) throw error(fmt::format("{}: value {} must be finite", describe_input(in, index), *v));
  } else if (const auto* list = std::get_if<std::vector<double>>(&in.value)) {
    if (list->size() != neurons && list->size() != count) {
      throw error(fmt::format("{}: the list has {} values, must have {}", describe_input(in, index), list->size(),
                              allowed_lengths()));
    }
    for (double entry : *list) {
      if (!std::isfinite(entry)) throw error(fmt::format("{}: value {} must be finite", describe_input(in, index), entry));
    }
  } else if (const auto* series = std::get_if<time_series>(&in.value)) {
    if (series->columns != 1 && series->columns != neurons && series->columns != count) {
      throw error(fmt::format("{}: the time series has {} columns, must have 1 (shared by all neurons){}",
                              describe_input(in, index), series->columns,
                              neurons == 1 && count == 1 ? std::string() : " or " + allowed_lengths()));
    }
    const auto cells = detail::checked_mul(series->rows, series->columns);
    if (!cells || series->values.size() != *cells) {
      throw error(fmt::format("{}: the time series holds {} values, not rows x columns = {} x {}",
                              describe_input(in, index), series->values.size(), series->rows, series->columns));
    }
    for (double entry : series->values) {
      if (!std::isfinite(entry)) {
        throw error(fmt::format("{}: the time series holds {}, must be finite", describe_input(in, index), entry));
      }
    }
  } else if (!std::get<std::function<double(double)>>(in.value)) {
    throw error(fmt::format("{}: the function is empty", describe_input(in, index)));
  }
  detail::aligned_vector<double> list;
  if (const auto* values = std::get_if<std::vector<double>>(&in.value)) {
    // One value per instance, so that kernels load whole packs of it.
    list.resize(count);
    for (std::size_t j = 0; j < count; ++j) list[j] = (*values)[values->size() == neurons ? j % neurons : j];
  }
  inputs_.push_back(std::move(in));
  input_targets_.push_back(target);
  input_lists_.push_back(std::move(list));
}

void runner::set_input_values(std::size_t k, std::span<const double> values) {
  if (k >= inputs_.size() || !std::holds_alternative<std::vector<double>>(inputs_[k].value)) {
    throw error(fmt::format("set_input_values: input {} is not a list input; this runner has {} inputs", k,
                            inputs_.size()));
  }
  const std::size_t neurons = population_.size(), count = population_.instances();
  if (values.size() != neurons && values.size() != count) {
    throw error(fmt::format("{}: {} values given, must be {} (one per neuron) or {} (per batch copy and neuron)",
                            describe_input(inputs_[k], k), values.size(), neurons, count));
  }
  for (double entry : values) {
    if (!std::isfinite(entry)) throw error(fmt::format("{}: value {} must be finite", describe_input(inputs_[k], k), entry));
  }
  auto& list = input_lists_[k];  // what the kernels read; inputs_[k] keeps the values first given
  for (std::size_t j = 0; j < count; ++j) list[j] = values[values.size() == neurons ? j % neurons : j];
}

void runner::monitor(monitor_spec spec) {
  if (sink_ != nullptr) {
    throw error("monitor(): a sink is attached and its file has the current layout; call stream_to(nullptr) first");
  }
  if (spec.every == 0) throw error("monitors.every = 0 is not allowed; it must be a positive number of steps");
  std::vector<std::size_t> variables;
  for (const auto& name : spec.variables) variables.push_back(population_.model().variable_index(name));
  for (std::size_t index : spec.indices) {
    if (index >= population_.size()) {
      throw error(fmt::format("monitors.indices: neuron {} does not exist; the group has {} neurons (0 to {})",
                              index, population_.size(), population_.size() - 1));
    }
  }
  monitors_ = std::move(spec);
  monitored_variables_ = std::move(variables);
  recording_ = recording{};
  recording_.copies = population_.copies();
  recording_.batch_axis = population_.batch() > 0;
  recording_.variables = monitors_.variables;
  if (monitors_.indices.empty()) {
    for (std::size_t i = 0; i < population_.size(); ++i) recording_.indices.push_back(i);
  } else {
    recording_.indices = monitors_.indices;
  }
  for (const auto& name : monitors_.variables) recording_.values[name];
}

void runner::check_inputs_cover(std::int64_t last_step) const {
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    if (const auto* series = std::get_if<time_series>(&inputs_[k].value)) {
      if (series->rows <= static_cast<std::uint64_t>(last_step)) {
        throw error(fmt::format("{}: the time series has {} rows, but this run needs {} (one row per step, "
                                "counted from t = 0)",
                                describe_input(inputs_[k], k), series->rows, last_step + 1));
      }
    }
  }
}

void runner::prepare_inputs(std::int64_t step, double t) {
  const std::size_t count = population_.instances();
  using source = detail::input_term::source;
  terms_.clear();
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    const input& in = inputs_[k];
    detail::input_term term;
    term.target = input_targets_[k];
    term.op = in.op;
    if (const auto* v = std::get_if<double>(&in.value)) {
      term.scalar = *v;
    } else if (std::holds_alternative<std::vector<double>>(in.value)) {
      term.kind = source::per_instance;
      term.values = input_lists_[k].data();
    } else if (const auto* series = std::get_if<time_series>(&in.value)) {
      const double* row = series->values.data() + static_cast<std::size_t>(step) * series->columns;
      if (series->columns == 1) {
        term.scalar = row[0];
      } else {
        term.kind = series->columns == count ? source::per_instance : source::per_neuron;
        term.values = row;
      }
    } else {
      term.scalar = std::get<std::function<double(double)>>(in.value)(t);
      if (!std::isfinite(term.scalar)) {
        throw error(fmt::format("{}: the function returned {} at t = {} ms; inputs must be finite",
                                describe_input(in, k), term.scalar, t));
      }
    }
    terms_.push_back(term);
  }
  terms_.insert(terms_.end(), coupling_.begin(), coupling_.end());
}

void runner::stream_to(recording_sink* sink, std::size_t block_bytes) {
  if (sink != nullptr && block_bytes < sizeof(double)) {
    throw error(fmt::format("stream_to: block_bytes = {} is not allowed; it must be at least {}", block_bytes,
                            sizeof(double)));
  }
  hand_over();  // what the previous sink (or none) buffered belongs to it
  sink_ = sink;
  block_values_ = block_bytes / sizeof(double);
}

void runner::hand_over() {
  if (sink_ == nullptr || (recording_.ts.empty() && recording_.spike_times.empty())) return;
  try {
    sink_->write(recording_);
  } catch (...) {
    // A sink that failed (a full disk) may hold part of this block: it gets nothing more, and what
    // was not handed over stays in result().
    sink_ = nullptr;
    throw;
  }
  recording_.first_sample += recording_.ts.size();
  recording_.first_spike += recording_.spike_times.size();
  recording_.ts.clear();  // clear() keeps the capacity: the buffers are reused, not reallocated
  for (auto& [name, values] : recording_.values) values.clear();
  recording_.spike_times.clear();
  recording_.spike_indices.clear();
  recording_.spike_batch.clear();
  recording_.spike_steps.clear();
}

void runner::record_spikes(std::int64_t first_step, const std::vector<std::size_t>* epoch_steps) {
  const std::size_t neurons = population_.size();
  // Handed over as soon as a block is full, even within a step's (or an epoch's) spikes: memory stays
  // bounded by one block whatever the spikes per step.
  for (std::size_t k = 0; k < step_spikes_.size(); ++k) {
    const spike_event& spike = step_spikes_[k];
    recording_.spike_times.push_back(spike.time);
    recording_.spike_steps.push_back(first_step + (epoch_steps == nullptr ? 0 : static_cast<std::int64_t>((*epoch_steps)[k])));
    recording_.spike_indices.push_back(static_cast<std::int64_t>(spike.instance % neurons));
    recording_.spike_batch.push_back(static_cast<std::int64_t>(spike.instance / neurons));
    if (sink_ != nullptr && recording_.spike_times.size() >= block_values_) hand_over();
  }
}

void runner::record(std::int64_t step) {
  if ((step + 1) % static_cast<std::int64_t>(monitors_.every) != 0) return;
  if (monitored_variables_.empty()) return;
  recording_.ts.push_back(static_cast<double>(step + 1) * options_.dt);
  const std::size_t neurons = population_.size(), width = recording_.indices.size();
  std::size_t buffered = 0;
  for (std::size_t k = 0; k < monitored_variables_.size(); ++k) {
    const std::size_t variable = monitored_variables_[k];
    const double* data = population_.impl().variable_data(variable);  // null for float32
    auto& out = recording_.values[monitors_.variables[k]];
    std::size_t at = out.size();
    out.resize(at + population_.copies() * width);  // one resize per sample, not a push_back per value
    for (std::size_t b = 0; b < population_.copies(); ++b) {
      for (std::size_t index : recording_.indices) {
        const std::size_t j = b * neurons + index;
        out[at++] = data != nullptr ? data[j] : population_.impl().read(variable, j);
      }
    }
    buffered += out.size();
  }
  if (sink_ != nullptr && buffered >= block_values_) hand_over();
}

void runner::check_run(double duration) const {
  if (!std::isfinite(duration) || duration <= 0) {
    throw error(fmt::format("duration = {} ms is not allowed; it must be a finite number > 0", duration));
  }
  if (duration < options_.dt * (1.0 - 1e-9)) {
    throw error(fmt::format("duration = {} ms is shorter than dt = {} ms; no step would run", duration, options_.dt));
  }
  if (!diverged_.empty()) {
    throw error(fmt::format("this runner's last run diverged ({}); call reset() before running again", diverged_));
  }
  std::int64_t last_step = 0;
  if (__builtin_add_overflow(steps_done_, steps_for(duration, options_.dt) - 1, &last_step)) {
    throw error(fmt::format("duration = {} ms after the {} steps already run is more than {} steps in all", duration,
                            steps_done_, detail::max_steps));
  }
  check_inputs_cover(last_step);
}

void runner::run(double duration) {
  check_run(duration);
  const std::int64_t steps = steps_for(duration, options_.dt);
  try {
    run_steps(steps);
  } catch (const std::exception& e) {
    // Whatever stopped the run, what was recorded so far is kept, marked incomplete, and handed over.
    if (recording_.complete) {
      recording_.complete = false;
      recording_.stop_reason = e.what();
    }
    try {
      hand_over();
    } catch (...) {
      // A sink failing now must not hide why the run stopped.
    }
    throw;
  }
  hand_over();
}

void runner::diverge(const detail::step_report& report) {
  const std::size_t neurons = population_.size();
  const double t = static_cast<double>(steps_done_) * options_.dt;  // the failing step's start
  // In the whole when this population is a rank's part of it: neurons [first, first + size) of a network's
  // population (no batch axis), or copies first / size, ... of a batch.
  const std::size_t global = population_.options().first + report.instance;
  const bool batch_part = population_.batch() > 0;
  const std::size_t neuron = batch_part ? report.instance % neurons : global;
  const std::size_t copy = batch_part ? global / neurons : 0;
  const std::string variable(population_.model().variables[report.variable].name);
  const std::string what =
      report.step_size_underflow
          ? fmt::format("the adaptive step size of neuron {} (batch copy {}) collapsed (method {}, rtol {}, "
                        "atol {})",
                        neuron, copy, method_->name, options_.tolerances.rtol, options_.tolerances.atol)
          : fmt::format("variable {} of neuron {} (batch copy {}) became non-finite", variable, neuron, copy);
  recording_.complete = false;
  recording_.stop_reason =
      fmt::format("simulation diverged in the step from t = {} to {} ms: {} (method {}, dt = {} ms); the {} "
                  "samples and {} spikes recorded before it are kept",
                  t, t + options_.dt, what, method_->name, options_.dt, recording_.samples_recorded(),
                  recording_.spikes_recorded());
  ++steps_done_;  // the population now holds the (non-finite) state at the end of this step
  diverged_ = fmt::format("neuron {}, variable {}, t = {} ms", neuron, variable, t);
  throw divergence_error(recording_.stop_reason, neuron, copy, variable, t);
}

void runner::stop_at_boundary(std::int64_t done, std::int64_t steps) {
  recording_.complete = false;
  recording_.stop_reason =
      fmt::format("interrupted at t = {:.10g} ms, after {} of the {} steps asked for; the {} samples and {} spikes "
                  "recorded before it are kept",
                  time(), done, steps, recording_.samples_recorded(), recording_.spikes_recorded());
  throw interrupted(recording_.stop_reason);
}

bool runner::epochs_apply() const {
  // Threads only meet once per epoch: worth it with a pool. A progress callback that must be called
  // every step (the Python module sets inputs and notes spikes' steps from it) and a function input
  // (called step by step on this thread) may not be run ahead of the state.
  if (!pool_ || (options_.progress && options_.progress_every_step)) return false;
  return std::none_of(inputs_.begin(), inputs_.end(), [](const input& in) {
    return std::holds_alternative<std::function<double(double)>>(in.value);
  });
}

// Several steps per synchronization of the threads: each chunk of instances goes through the whole
// epoch (its monitored instances recorded by the thread that swept them), then spikes, samples and a
// failure are taken in step order, exactly as step by step: the same bits for any thread count.
void runner::run_epochs(std::int64_t steps, detail::step_request request) {
  auto& impl = population_.impl();
  const std::size_t instances = population_.instances(), neurons = population_.size();
  // About a million neuron-steps per epoch (milliseconds), at most 256 steps.
  const auto epoch_length = static_cast<std::int64_t>(std::clamp<std::size_t>((std::size_t{1} << 20) / instances, 1, 256));
  const std::size_t width = recording_.indices.size(), row = population_.copies() * width;
  // Monitored instances and their columns in a sample's row, by instance (chunks look up their range).
  std::vector<std::pair<std::size_t, std::size_t>> columns;
  if (!monitored_variables_.empty()) {
    for (std::size_t b = 0; b < population_.copies(); ++b) {
      for (std::size_t k = 0; k < width; ++k) columns.emplace_back(b * neurons + recording_.indices[k], b * width + k);
    }
    std::sort(columns.begin(), columns.end());
  }
  const std::size_t every = monitors_.every;
  std::vector<std::vector<detail::input_term>> terms;
  std::vector<detail::epoch_step> plan_steps;
  std::vector<std::int64_t> sample_of;  // per epoch step: its sample among the epoch's, or -1
  std::vector<double*> out(monitored_variables_.size());
  std::vector<const double*> data(monitored_variables_.size());
  for (std::size_t v = 0; v < monitored_variables_.size(); ++v) data[v] = impl.variable_data(monitored_variables_[v]);

  detail::epoch_plan plan;
  plan.after_step = [&](std::size_t k, std::size_t begin, std::size_t end) {
    if (sample_of[k] < 0) return;
    const std::size_t base = static_cast<std::size_t>(sample_of[k]) * row;
    auto it = std::lower_bound(columns.begin(), columns.end(), std::make_pair(begin, std::size_t{0}));
    for (; it != columns.end() && it->first < end; ++it) {
      for (std::size_t v = 0; v < out.size(); ++v) {
        out[v][base + it->second] = data[v] != nullptr ? data[v][it->first] : impl.read(monitored_variables_[v], it->first);
      }
    }
  };
  std::vector<std::size_t> spike_steps;  // the epoch step of each spike
  plan.spike_steps = &spike_steps;
  for (std::int64_t s = 0; s < steps;) {
    if (stop_flag_ != nullptr && stop_flag_->load(std::memory_order_relaxed)) stop_at_boundary(s, steps);
    const std::int64_t length = std::min(epoch_length, std::min(steps - s, steps_within_block()));
    terms.resize(static_cast<std::size_t>(length));
    plan_steps.resize(static_cast<std::size_t>(length));
    sample_of.assign(static_cast<std::size_t>(length), -1);
    std::int64_t samples = 0;
    for (std::int64_t k = 0; k < length; ++k) {
      const std::int64_t step = steps_done_ + k;
      const double t = static_cast<double>(step) * options_.dt;
      prepare_inputs(step, t);
      const auto i = static_cast<std::size_t>(k);
      terms[i] = terms_;
      plan_steps[i] = {t, static_cast<std::uint64_t>(step), terms[i]};
      if ((step + 1) % static_cast<std::int64_t>(every) == 0 && !monitored_variables_.empty()) sample_of[i] = samples++;
    }
    std::vector<std::size_t> before(out.size());
    for (std::size_t v = 0; v < out.size(); ++v) {
      auto& values = recording_.values[monitors_.variables[v]];
      before[v] = values.size();
      values.resize(before[v] + static_cast<std::size_t>(samples) * row);  // filled by the threads
      out[v] = values.data() + before[v];
    }
    plan.steps = plan_steps;
    request.epoch = &plan;
    step_spikes_.clear();
    spike_steps.clear();
    const detail::step_report report = impl.step(request);
    const auto done = static_cast<std::int64_t>(report.ok ? static_cast<std::size_t>(length) : report.steps_done);
    // The samples of the steps every instance completed, as record() takes them step by step.
    std::int64_t kept = 0;
    for (std::int64_t k = 0; k < done; ++k) {
      if (sample_of[static_cast<std::size_t>(k)] < 0) continue;
      recording_.ts.push_back(static_cast<double>(steps_done_ + k + 1) * options_.dt);
      ++kept;
    }
    std::size_t buffered = 0;
    for (std::size_t v = 0; v < out.size(); ++v) {
      auto& values = recording_.values[monitors_.variables[v]];
      values.resize(before[v] + static_cast<std::size_t>(kept) * row);
      buffered += values.size();
    }
    if (monitors_.spikes) record_spikes(steps_done_, &spike_steps);
    steps_done_ += done;
    if (!report.ok) diverge(report);
    s += done;
    if (sink_ != nullptr && buffered >= block_values_) hand_over();
    if (options_.progress) options_.progress(s, steps);
  }
}

std::int64_t runner::steps_within_block() const {
  // With a sink, a block holds what it holds step by step: an epoch ends at the sample that fills the
  // values' block (spikes are handed over as they fill theirs: record_spikes).
  if (sink_ == nullptr) return std::numeric_limits<std::int64_t>::max();
  std::int64_t length = std::numeric_limits<std::int64_t>::max();
  const std::size_t per_sample = recording_.indices.size() * population_.copies() * monitored_variables_.size();
  if (per_sample > 0) {
    std::size_t buffered = 0;
    for (const auto& [name, values] : recording_.values) buffered += values.size();
    const std::size_t room = block_values_ > buffered ? block_values_ - buffered : 0;
    const auto samples = static_cast<std::int64_t>(std::max<std::size_t>(1, (room + per_sample - 1) / per_sample));
    const auto every = static_cast<std::int64_t>(monitors_.every);
    const std::int64_t first = every - 1 - steps_done_ % every;  // steps until the next sample, minus one
    length = std::min(length, first + (samples - 1) * every + 1);
  }
  return length;
}

detail::step_request runner::make_request() {
  detail::step_request request;
  request.method = method_->id;
  request.dt = options_.dt;
  request.options = &options_.tolerances;
  request.step_sizes = &step_sizes_;
  request.spikes = &step_spikes_;
  request.pool = pool_.get();
  request.vectorize = options_.vectorize;
  return request;
}

void runner::run_steps(std::int64_t steps) {
  auto& impl = population_.impl();
  detail::step_request request = make_request();
  if (epochs_apply()) {
    run_epochs(steps, request);
    return;
  }
  for (std::int64_t s = 0; s < steps; ++s) {
    if (stop_flag_ != nullptr && stop_flag_->load(std::memory_order_relaxed)) stop_at_boundary(s, steps);
    request.inputs = begin_step();
    request.t = time();
    request.step_index = static_cast<std::uint64_t>(steps_done_);
    finish_step(impl.step(request));
    if (options_.progress) options_.progress(s + 1, steps);
  }
}

std::span<const spike_event> runner::advance_one(
    const std::function<void(std::size_t begin, std::size_t end)>* before_sweep) {
  detail::step_request request = make_request();
  request.before_sweep = before_sweep;
  request.inputs = begin_step();
  request.t = time();
  request.step_index = static_cast<std::uint64_t>(steps_done_);
  finish_step(population_.impl().step(request));
  return step_spikes_;
}

detail::step_request runner::begin_team_step(
    const std::function<void(std::size_t begin, std::size_t end)>* before_sweep) {
  if (!pool_) throw internal_error("runner: a step in parts needs the thread pool");
  detail::step_request request = make_request();
  request.before_sweep = before_sweep;
  request.inputs = begin_step();
  request.t = time();
  request.step_index = static_cast<std::uint64_t>(steps_done_);
  request.part = detail::step_part::prepare;
  population_.impl().step(request);
  return request;
}

void runner::sweep_team_step(detail::step_request request, std::size_t member) {
  request.part = detail::step_part::sweep;
  request.team_member = member;
  population_.impl().step(request);
}

std::span<const spike_event> runner::end_team_step(detail::step_request request) {
  request.part = detail::step_part::merge;
  finish_step(population_.impl().step(request));
  return step_spikes_;
}

std::span<const detail::input_term> runner::begin_step() {
  if (!diverged_.empty()) {
    throw error(fmt::format("this runner's last run diverged ({}); call reset() before running again", diverged_));
  }
  prepare_inputs(steps_done_, time());
  step_spikes_.clear();
  return terms_;
}

void runner::finish_step(const detail::step_report& report) {
  if (!report.ok) diverge(report);
  const std::int64_t step = steps_done_;
  if (monitors_.spikes) record_spikes(step);
  ++steps_done_;
  record(step);
}

void runner::finish_step(const detail::step_report& report, std::span<const spike_event> spikes) {
  step_spikes_.assign(spikes.begin(), spikes.end());
  finish_step(report);
}

void runner::end_steps(const std::string* stop_reason) {
  if (stop_reason == nullptr) {
    hand_over();
    return;
  }
  if (recording_.complete) {
    recording_.complete = false;
    recording_.stop_reason = *stop_reason;
  }
  try {
    hand_over();
  } catch (...) {
    // A sink failing now must not hide why the run stopped.
  }
}

recording runner::take_result() {
  recording taken = std::move(recording_);
  monitor(monitors_);
  return taken;
}

void runner::resume_at(std::int64_t steps, std::size_t samples, std::size_t spikes) {
  if (method_->adaptive) {
    throw error(fmt::format("method {} keeps a step size per neuron, which a checkpoint does not hold; resume with a "
                            "fixed-step method",
                            method_->name));
  }
  if (steps < 0 || steps > detail::max_steps) throw error(fmt::format("resume_at: {} steps is out of range", steps));
  hand_over();
  steps_done_ = steps;
  diverged_.clear();
  recording_.first_sample = samples;
  recording_.first_spike = spikes;
  recording_.complete = true;
  recording_.stop_reason.clear();
}

void runner::reset() {
  sink_ = nullptr;  // without handing over: the recording is being thrown away
  population_.reset();
  steps_done_ = 0;
  diverged_.clear();
  step_sizes_.clear();
  monitor(monitors_);
}

}  // namespace ionode
