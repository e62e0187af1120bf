// `ionode run`: configuration -> population -> runner -> result file and summary.
#include "run_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <chrono>
#include <exception>
#include <iterator>
#include <limits>
#include <optional>
#include <utility>
#include <vector>
#include <nlohmann/json.hpp>
#include <ostream>

#include "accuracy_warning.hpp"
#include "ionode/detail/checked.hpp"
#include "ionode/error.hpp"
#include "interrupt.hpp"
#include "ionode/io/npz_recovery.hpp"
#include "ionode/io/result_file.hpp"
#include "ionode/version.hpp"

namespace ionode::cli {

namespace {

// Above this many instances the per-instance values are left out of the metadata (each is about 20
// characters of JSON, written twice); the rule and seed that drew them stay (docs/outputs.md).

// Per-instance values go into the metadata as JSON text made with fmt (shortest round-trip digits) and
// spliced in where a placeholder string stands: through nlohmann's objects, 4e4 values cost 50 ms.
std::string json_array(const std::vector<double>& values) {
  std::string text = "[";
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k > 0) text += ',';
    fmt::format_to(std::back_inserter(text), "{}", values[k]);
  }
  return text + "]";
}

std::string placeholder(const std::string& name) { return "\x01ionode:" + name; }  // no configuration has \x01

// Replaces the placeholder string (as nlohmann writes it, "\u0001ionode:name") by the JSON text.
void splice(std::string& json, const std::string& name, const std::string& text) {
  const std::string quoted = "\"\\u0001ionode:" + name + "\"";
  const auto at = json.find(quoted);
  if (at == std::string::npos) throw internal_error(fmt::format("result metadata: no place for {}", name));
  json.replace(at, quoted.size(), text);
}

}  // namespace

std::string initial_state_json(const population& pop) {
  if (pop.instances() > metadata_values_limit) return {};  // (a part of a larger population: the caller's check)
  std::string text = "{";
  for (const auto& v : pop.model().variables) {
    fmt::format_to(std::back_inserter(text), "{}\"{}\":{}", text.size() > 1 ? "," : "", v.name,
                   json_array(pop.values(v.name)));
  }
  return text + "}";
}

std::string result_metadata(const run_config& config, const population& pop, const runner& run, bool finished,
                            const std::string& initial_state) {
  nlohmann::ordered_json meta;
  meta["ionode_version"] = ionode::version;
  if (!config.population_name.empty()) {
    meta["population"] = config.population_name;
    meta["population_index"] = config.population_index;
    meta["network_populations"] = config.network_populations;
  }
  meta["model"] = pop.model().name;
  meta["model_options"] = config.options;
  // From the configuration: `pop` may be one rank's part of the population (then the per-neuron values
  // are left out when the whole has more than metadata_values_limit, else `pop` is the whole).
  std::size_t neurons = 1;
  for (std::size_t extent : config.population.shape) neurons *= extent;
  const std::size_t instances = neurons * pop.copies();
  meta["size"] = config.population.shape;
  meta["neurons"] = neurons;
  meta["batch"] = pop.batch();
  if (config.ranks > 1) meta["ranks"] = config.ranks;
  if (!config.resumed_from.empty()) {
    meta["resumed_from"] = {{"checkpoint", config.resumed_from}, {"step", config.resumed_step},
                            {"t", static_cast<double>(config.resumed_step) * run.options().dt}};
  }
  nlohmann::ordered_json params;
  std::vector<std::pair<std::string, std::string>> spliced;  // placeholder name, JSON text
  const auto& info = pop.model();
  for (std::size_t k = 0; k < info.parameters.size(); ++k) {
    const auto& column = pop.impl().parameter(k);
    const std::string name(info.parameters[k].name);
    if (column.shared) {
      params[name] = column.value;
      continue;
    }
    // One value per instance (b * neurons + i): the values themselves, as the run used them.
    nlohmann::ordered_json drawn{{"rule", describe_spec(config.population.params.at(name))}, {"seed", pop.options().seed}};
    if (instances <= metadata_values_limit) {
      std::vector<double> values(pop.instances());
      for (std::size_t j = 0; j < values.size(); ++j) values[j] = pop.parameter(name, j);
      drawn["values"] = placeholder("parameter " + name);
      spliced.emplace_back("parameter " + name, json_array(values));
    } else {
      drawn["values"] = nullptr;
    }
    params[name] = std::move(drawn);
  }
  meta["parameters"] = params;
  nlohmann::ordered_json initial = nlohmann::ordered_json::object();
  for (const auto& [name, spec] : config.population.initial) initial[name] = describe_spec(spec);
  meta["initial"] = initial;
  // The state every instance started from (by variable; drawn, default or steady state), taken before the run.
  meta["initial_state"] =
      initial_state.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(placeholder("initial_state"));
  if (!initial_state.empty()) spliced.emplace_back("initial_state", initial_state);
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
  meta["steps"] = config.outcome_given ? config.outcome_steps : run.steps_done();
  meta["t_end"] = config.outcome_given ? static_cast<double>(config.outcome_steps) * run.options().dt : run.time();
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
  if (!config.monitors.indices.empty()) meta["monitor_indices"] = config.monitors.indices;
  meta["ts_convention"] = "sample j holds the state after the step that ends at ts[j] (BrainPy labels it ts[j] - dt)";
  meta["units"] = {{"time", "ms"}, {"voltage", "mV"}, {"current", "uA/cm^2"}};
  nlohmann::ordered_json variable_units;  // for axes' labels (ionode plot)
  for (const auto& v : pop.model().variables) variable_units[std::string(v.name)] = std::string(v.unit);
  meta["variable_units"] = variable_units;
  meta["source"] = config.source;
  if (finished && config.outcome_given) {
    meta["complete"] = config.outcome_stop_reason.empty();
    if (!config.outcome_stop_reason.empty()) meta["stop_reason"] = config.outcome_stop_reason;
  } else if (finished) {
    meta["complete"] = run.result().complete;
    if (!run.result().complete) meta["stop_reason"] = run.result().stop_reason;
  } else {
    meta["complete"] = false;
    meta["stop_reason"] =
        "the run had not finished when this metadata was written; the process ended before closing the file, "
        "which holds the blocks written until then";
  }
  std::string text = meta.dump(-1, ' ', true);
  for (const auto& [name, json] : spliced) splice(text, name, json);
  return text;
}

namespace {

// Values the monitors will record in the whole run (spikes, unknown in advance, are not counted).
std::uintmax_t expected_values(const run_config& config, const population& pop, const runner& run) {
  const auto steps = static_cast<std::uintmax_t>(steps_for(config.duration, run.options().dt));
  const auto samples = steps / config.monitors.every;
  // Saturating: a product too large for 64 bits is more than any file system holds, and says so.
  constexpr std::uintmax_t too_many = std::numeric_limits<std::uintmax_t>::max();
  const auto width = detail::checked_mul(run.result().indices.size() * pop.copies(), run.result().variables.size());
  const auto values = width ? detail::checked_mul(static_cast<std::size_t>(samples) + 1, *width) : std::nullopt;
  return values ? *values : too_many;  // + ts, roughly
}

// Runs with the output streamed to its file, which is closed (finalized) however the run ends.
void run_into_file(const run_config& config, population& pop, runner& run) {
  interrupt_guard interrupt;  // before the file exists: a Ctrl-C from now on leaves a finalized file
  run.stop_when(&interrupt.flag());
  const std::string initial_state = initial_state_json(pop);
  auto file = io::open_result_file(config.output, run.result(), result_metadata(config, pop, run, false, initial_state));
  run.stream_to(file.get());
  std::exception_ptr stopped;
  try {
    run.run(config.duration);
  } catch (...) {
    stopped = std::current_exception();
  }
  run.stream_to(nullptr);
  run.stop_when(nullptr);
  try {
    file->close(result_metadata(config, pop, run, true, initial_state));
  } catch (const std::exception& e) {
    if (!stopped) throw;
    try {
      std::rethrow_exception(stopped);
    } catch (const std::exception& why) {
      throw error(fmt::format("{}; then writing the output failed: {}", why.what(), e.what()));
    }
  }
  if (!stopped) return;
  try {
    std::rethrow_exception(stopped);
  } catch (const interrupted& e) {
    throw run_interrupted(fmt::format("{}; '{}' holds them, with metadata complete: false", e.what(), config.output),
                          interrupt.signal());
  }
}

}  // namespace

void run_configuration(const run_config& config, bool quiet, std::ostream& out) {
  io::check_output_path(config.output);
  if (io::format_of(config.output) == io::result_format::npz) {
    // A killed earlier run of this output left its data; this run does not touch them, but say so.
    for (const auto& spool : io::find_npz_spools(config.output)) {
      fmt::print(stderr, "ionode: note: an unfinished run of '{}' left its data in '{}'; `ionode recover {} -o OTHER.npz` "
                 "saves them\n", config.output, spool, config.output);
    }
  }
  population pop = make_population(config.model, config.population, config.options);
  runner run(pop, config.runner);
  for (const auto& in : config.inputs) run.add_input(in.in);
  run.monitor(config.monitors);
  run.check_run(config.duration);  // every check that can fail comes before the output file exists
  io::check_output_space(config.output, expected_values(config, pop, run));
  if (!quiet) {
    const auto warning = accuracy_warning(config.model, config.options, std::string(run.method().name),
                                          config.runner.dt, config.duration);
    if (warning) fmt::print(out, "ionode: {}\n", *warning);
  }

  const auto start = std::chrono::steady_clock::now();
  run_into_file(config, pop, run);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (quiet) return;

  const auto& result = run.result();
  const double instances = static_cast<double>(pop.instances());
  const double seconds = run.time() / 1000.0;
  const std::string variant = pop.model().variant.empty() ? "" : fmt::format(" ({})", pop.model().variant);
  fmt::print(out, "ionode {}: {}{}, {} neurons{}, method {}, dt = {} ms\n", ionode::version, pop.model().name,
             variant, pop.size(), pop.batch() > 0 ? fmt::format(" x batch {}", pop.batch()) : "", run.method().name,
             run.options().dt);
  fmt::print(out, "  steps:  {} ({} ms simulated)\n", run.steps_done(), run.time());
  // The default seed is a fixed 0 (a configuration is the whole record of its run): say which was used.
  fmt::print(out, "  seed:   {} (random initial values, parameters and noise; --set seed=K for another draw)\n",
             pop.options().seed);
  if (config.monitors.spikes) {
    fmt::print(out, "  spikes: {} (mean rate {:.4g} Hz per neuron)\n", result.spikes_recorded(),
               static_cast<double>(result.spikes_recorded()) / (instances * seconds));
  }
  fmt::print(out, "  wall:   {:.4g} s on {} thread{} ({:.3g} neuron-steps/s)\n", wall, run.threads(),
             run.threads() == 1 ? "" : "s",
             instances * static_cast<double>(run.steps_done()) / std::max(wall, 1e-12));
  fmt::print(out, "  output: {} ({} samples of {})\n", config.output, result.samples_recorded(),
             result.variables.empty() ? std::string("no variables") : fmt::format("{}", fmt::join(result.variables, ", ")));
}

}  // namespace ionode::cli
