// `ionode run`: configuration -> population -> runner -> result file and summary.
#include "run_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>

#include "ionode/error.hpp"
#include "ionode/io/result_writer.hpp"
#include "ionode/version.hpp"

namespace ionode::cli {

std::string result_metadata(const run_config& config, const population& pop, const runner& run) {
  nlohmann::ordered_json meta;
  meta["ionode_version"] = ionode::version;
  meta["model"] = pop.model().name;
  meta["model_options"] = config.options;
  meta["size"] = pop.options().shape;
  meta["neurons"] = pop.size();
  meta["batch"] = pop.batch();
  nlohmann::ordered_json params;
  const auto& info = pop.model();
  for (std::size_t k = 0; k < info.parameters.size(); ++k) {
    const auto& column = pop.impl().parameter(k);
    const std::string name(info.parameters[k].name);
    if (column.shared) {
      params[name] = column.value;
    } else {
      params[name] = describe_spec(config.population.params.at(name));
    }
  }
  meta["parameters"] = params;
  nlohmann::ordered_json initial = nlohmann::ordered_json::object();
  for (const auto& [name, spec] : config.population.initial) initial[name] = describe_spec(spec);
  meta["initial"] = initial;
  nlohmann::ordered_json noise = nlohmann::ordered_json::object();
  for (const auto& [name, spec] : config.population.noise) noise[name] = describe_spec(spec);
  meta["noise"] = noise;  // sigma by variable (units per sqrt(ms)); empty for a deterministic run
  meta["method"] = run.method().name;
  if (run.method().adaptive) {
    meta["rtol"] = run.options().tolerances.rtol;
    meta["atol"] = run.options().tolerances.atol;
  }
  meta["dt"] = run.options().dt;
  meta["duration"] = config.duration;
  meta["steps"] = run.steps_done();
  meta["t_end"] = run.time();
  meta["seed"] = pop.options().seed;
  meta["threads"] = run.threads();
  meta["precision"] = pop.options().precision == precision::float32 ? "float32" : "float64";
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const auto& in : config.inputs) {
    inputs.push_back({{"target", in.in.target}, {"value", in.description}, {"op", std::string(to_string(in.in.op))}});
  }
  meta["inputs"] = inputs;
  meta["monitor_every"] = config.monitors.every;
  // Which neurons the variables' columns are (ionode plot needs it); absent when all are recorded.
  if (!config.monitors.indices.empty()) meta["monitor_indices"] = run.result().indices;
  meta["ts_convention"] = "sample j holds the state after the step that ends at ts[j] (BrainPy labels it ts[j] - dt)";
  meta["units"] = {{"time", "ms"}, {"voltage", "mV"}, {"current", "uA/cm^2"}};
  meta["source"] = config.source;
  meta["complete"] = run.result().complete;
  if (!run.result().complete) meta["stop_reason"] = run.result().stop_reason;
  return meta.dump(-1, ' ', true);
}

void run_configuration(const run_config& config, bool quiet, std::ostream& out) {
  io::check_output_path(config.output);
  population pop = make_population(config.model, config.population, config.options);
  runner run(pop, config.runner);
  for (const auto& in : config.inputs) run.add_input(in.in);
  run.monitor(config.monitors);

  const auto start = std::chrono::steady_clock::now();
  try {
    run.run(config.duration);
  } catch (const divergence_error&) {
    io::write_result(config.output, run.result(), result_metadata(config, pop, run));
    throw;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  io::write_result(config.output, run.result(), result_metadata(config, pop, run));
  if (quiet) return;

  const auto& result = run.result();
  const double instances = static_cast<double>(pop.instances());
  const double seconds = run.time() / 1000.0;
  const std::string variant = pop.model().variant.empty() ? "" : fmt::format(" ({})", pop.model().variant);
  fmt::print(out, "ionode {}: {}{}, {} neurons{}, method {}, dt = {} ms\n", ionode::version, pop.model().name,
             variant, pop.size(), pop.batch() > 0 ? fmt::format(" x batch {}", pop.batch()) : "", run.method().name,
             run.options().dt);
  fmt::print(out, "  steps:  {} ({} ms simulated)\n", run.steps_done(), run.time());
  if (config.monitors.spikes) {
    fmt::print(out, "  spikes: {} (mean rate {:.4g} Hz per neuron)\n", result.spike_times.size(),
               static_cast<double>(result.spike_times.size()) / (instances * seconds));
  }
  fmt::print(out, "  wall:   {:.4g} s on {} thread{} ({:.3g} neuron-steps/s)\n", wall, run.threads(),
             run.threads() == 1 ? "" : "s",
             instances * static_cast<double>(run.steps_done()) / std::max(wall, 1e-12));
  fmt::print(out, "  output: {} ({} samples of {})\n", config.output, result.ts.size(),
             result.variables.empty() ? std::string("no variables") : fmt::format("{}", fmt::join(result.variables, ", ")));
}

}  // namespace ionode::cli
