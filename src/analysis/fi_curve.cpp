// f-I curves: batched runs for a given initial state, sequential sweeps for hysteresis; the rate
// from the spike times the runner locates.
#include "ionode/analysis/fi_curve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "ionode/error.hpp"
#include "ionode/runner.hpp"

namespace ionode::analysis {

namespace {

struct control_target {
  bool is_input = false;
  std::string name;
};

control_target resolve(const model_info& info, const fi_options& fi) {
  const std::size_t k = control_index(info, fi.param);
  return {k >= info.parameters.size(), std::string(control_name(info, k))};
}

void check(const std::vector<double>& values, const fi_options& fi) {
  if (values.empty()) throw error("the f-I curve needs at least one value of " + fi.param);
  for (double v : values) {
    if (!std::isfinite(v)) throw error(fmt::format("{} = {} is not a finite number", fi.param, v));
  }
  if (!(fi.transient >= 0.0) || !(fi.window > 0.0) || !(fi.dt > 0.0) || !(fi.ramp >= 0.0)) {
    throw error(
        fmt::format("f-I: transient = {} ms and ramp = {} ms must be >= 0, window = {} ms and dt = {} ms > 0",
                    fi.transient, fi.ramp, fi.window, fi.dt));
  }
}

population_options base_options(const model_info& info, const fi_options& fi) {
  population_options p;
  for (const auto& [name, value] : fi.params) {
    info.parameter_index(name);  // names the unknown one
    p.params[name] = value;
  }
  for (const auto& [name, value] : fi.inputs) info.input_index(name);
  for (const auto& [name, value] : fi.initial) {
    info.variable_index(name);
    p.initial[name] = value;
  }
  return p;
}

// Runs the population (all copies) over the transient and the window; fills the rates of each copy.
// `from`: for one copy, the input's previous value, ramped from over fi.ramp ms. `per_copy`: the input
// is a list of one value per copy even for one copy (as that copy in a larger batch gets it).
void run_and_measure(population& pop, const control_target& target, const std::vector<double>& values,
                     const fi_options& fi, std::size_t threads, fi_curve& curve, bool per_copy,
                     std::optional<double> from = {}) {
  runner r(pop, runner_options{.dt = fi.dt, .method = fi.method, .threads = threads});
  if (target.is_input) {
    input_value value = !per_copy && values.size() == 1 ? input_value(values[0]) : input_value(values);
    const double ramp = std::min(fi.ramp, fi.transient);
    if (from && ramp > 0.0 && values.size() == 1) {
      value = std::function<double(double)>(
          [a = *from, b = values[0], ramp](double t) { return t >= ramp ? b : a + (b - a) * t / ramp; });
    }
    r.add_input(input{.target = target.name, .value = std::move(value)});
  }
  for (const auto& [name, value] : fi.inputs) {
    if (target.is_input && name == target.name) {
      throw error(fmt::format("input {} is the swept value; it cannot also be held constant", name));
    }
    r.add_input(input{.target = name, .value = value});
  }
  r.monitor(monitor_spec{.variables = {}, .spikes = true});
  r.run(fi.transient + fi.window);
  const recording& rec = r.result();
  const double t0 = static_cast<double>(steps_for(fi.transient, fi.dt)) * fi.dt, t1 = r.time();
  std::vector<std::vector<double>> times(values.size());
  for (std::size_t s = 0; s < rec.spike_times.size(); ++s) {
    const auto b = static_cast<std::size_t>(rec.spike_batch[s]);
    if (rec.spike_times[s] >= t0 && b < times.size()) times[b].push_back(rec.spike_times[s]);
  }
  const model_info& info = pop.model();
  std::vector<std::vector<double>> end_state;
  for (const auto& var : info.variables) end_state.push_back(pop.values(var.name));
  for (std::size_t b = 0; b < values.size(); ++b) {
    curve.param.push_back(values[b]);
    curve.rate_hz.push_back(firing_rate(times[b], t0, t1));
    curve.spikes.push_back(times[b].size());
    std::vector<double> x;
    for (const auto& column : end_state) x.push_back(column[b]);
    curve.state.push_back(std::move(x));
  }
}

}  // namespace

double firing_rate(const std::vector<double>& spike_times, double t0, double t1) {
  std::size_t n = 0;
  double first = 0.0, last = 0.0;
  for (double t : spike_times) {
    if (t < t0 || t > t1) continue;
    if (n == 0) first = t;
    last = std::max(last, t);
    first = std::min(first, t);
    ++n;
  }
  if (n < 2 || last <= first) return 0.0;
  return 1000.0 * static_cast<double>(n - 1) / (last - first);
}

fi_curve fi_from_state(const model_entry& entry, const model_options& options,
                       const std::vector<double>& values, const fi_options& fi) {
  check(values, fi);
  const model_options resolved = resolve_options(entry, options);
  const model_info info = entry.describe(resolved);
  const control_target target = resolve(info, fi);
  population_options p = base_options(info, fi);
  p.batch = values.size();
  p.first = fi.first_copy;  // one neuron per copy
  if (!target.is_input) p.params[target.name] = values;
  population pop = entry.create(p, resolved);
  fi_curve curve;
  run_and_measure(pop, target, values, fi, fi.threads, curve, true);
  return curve;
}

fi_curve fi_sweep(const model_entry& entry, const model_options& options, const std::vector<double>& values,
                  const fi_options& fi) {
  check(values, fi);
  const model_options resolved = resolve_options(entry, options);
  const model_info info = entry.describe(resolved);
  const control_target target = resolve(info, fi);
  population_options p = base_options(info, fi);
  fi_curve curve;
  std::optional<double> previous;
  for (double value : values) {
    if (!target.is_input) p.params[target.name] = value;
    population pop = entry.create(p, resolved);
    run_and_measure(pop, target, {value}, fi, 1, curve, false, previous);
    previous = value;
    // The next value starts where this one ended: the state carries over.
    for (std::size_t v = 0; v < info.variables.size(); ++v)
      p.initial[std::string(info.variables[v].name)] = curve.state.back()[v];
  }
  return curve;
}

}  // namespace ionode::analysis
