// `ionode analyze fi`: checks the request, computes the result (analysis_results.cpp, on
// src/analysis/fi_curve.cpp), writes JSON and the figure.
#include "fi_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "analyze_command.hpp"
#include "config.hpp"
#include "ionode/error.hpp"
#include "plot_command.hpp"

namespace ionode::cli {

namespace {

// The state every value starts from: the configuration's [initial] numbers, then --initial on top.
// Every value of an f-I curve starts from one state, so an initializer (a distribution, one value
// per neuron) in the configuration is refused rather than drawn once.
std::map<std::string, double> initial_state(const analysis_model& m, const std::vector<std::string>& given) {
  std::map<std::string, double> state;
  for (const auto& [name, spec] : m.initial) {
    const double* number = std::get_if<double>(&spec);
    if (number == nullptr) {
      throw error(fmt::format("initial.{} in the configuration is not one number: an f-I curve starts every "
                              "value from one state; give it with --initial {}=VALUE",
                              name, name));
    }
    state[name] = *number;
  }
  for (const auto& [name, value] : parse_assignments(given, "--initial")) state[name] = value;
  return state;
}

// The step and method the configuration sets (the checked values of load_config), so that the
// curve is computed as `ionode run` computes the configuration; unset keys stay unset (the curve's
// own defaults, rk4 and 0.01 ms, then apply). The curve's runner takes no tolerances, so a
// configuration's [method_options] is refused rather than dropped.
std::pair<std::optional<double>, std::optional<std::string>> configured_step(const std::string& path) {
  if (path.empty()) return {};
  const run_config config = load_config(path, {});
  const toml::table table = toml::parse_file(path);
  if (table.contains("method_options")) {
    throw error(fmt::format("method_options in '{}': analyze fi runs its method with the default tolerances; "
                            "remove [method_options] (or use a fixed-step method with --dt)",
                            path));
  }
  std::pair<std::optional<double>, std::optional<std::string>> step;
  if (table.contains("dt")) step.first = config.runner.dt;
  if (table.contains("method")) step.second = config.runner.method;
  return step;
}

}  // namespace

void analyze_fi(const fi_request& request, bool quiet, std::ostream& out) {
  const auto alone = distributed::local();
  analyze_fi(request, quiet, out, *alone);
}

void analyze_fi(const fi_request& request, bool quiet, std::ostream& out, distributed::context& world) {
  const bool root = world.rank() == 0;
  if (!root) quiet = true;
  if (request.range.size() != 2) throw error("--range needs two numbers, LO HI");
  const double lo = request.range[0], hi = request.range[1];
  if (!(lo < hi)) {
    throw error(
        fmt::format("the range [{}, {}] of {} is empty or reversed; give LO < HI", lo, hi, request.param));
  }
  if (request.points < 2) throw error(fmt::format("--points = {}: give at least 2", request.points));
  if (!request.sweep.empty() && request.sweep != "up" && request.sweep != "down" && request.sweep != "both") {
    throw error(fmt::format("--sweep = '{}': allowed are up, down, both", request.sweep));
  }
  std::exception_ptr bad_output;  // rank 0 writes: its check is every rank's
  try {
    if (root) check_analysis_outputs(request.output, request.figure);
  } catch (...) {
    bad_output = std::current_exception();
  }
  distributed::agree(world, bad_output);

  const analysis_model m = load_analysis_model(request.config, request.model, request.options, request.sets);
  const auto [config_dt, config_method] = configured_step(request.config);
  fi_settings settings{.param = request.param,
                       .range = {lo, hi},
                       .sweep = request.sweep,
                       .transient = request.transient,
                       .window = request.window,
                       .dt = request.dt.value_or(config_dt.value_or(0.01)),
                       .ramp = request.ramp,
                       .initial = initial_state(m, request.initial),
                       .method = request.method.value_or(config_method.value_or("rk4")),
                       .threads = request.threads,
                       .context = &world};
  for (std::size_t k = 0; k < request.points; ++k) {
    settings.values.push_back(lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(request.points - 1));
  }
  const nlohmann::json result = fi_result(m, settings);
  if (root) write_analysis(result, request.output, request.figure);
  if (!quiet) {
    fmt::print(out, "{}: firing rate for {} in [{}, {}], {} points\n", m.entry->name,
               result["param"].get<std::string>(), lo, hi, request.points);
    for (const char* key : {"from_state", "up", "down"}) {
      if (!result.contains(key)) continue;
      const auto& pts = result[key];
      double onset = NAN;
      for (const auto& p : pts) {
        if (p["rate_hz"].get<double>() > 0.0 && (std::isnan(onset) || p["param"].get<double>() < onset)) {
          onset = p["param"].get<double>();
        }
      }
      fmt::print(out, "  {}: lowest value with firing {}\n", key,
                 std::isnan(onset) ? "none" : fmt::format("{:g}", onset));
    }
    if (!request.output.empty()) fmt::print(out, "  written: {}\n", request.output);
    if (!request.figure.empty()) fmt::print(out, "  figure: {}\n", request.figure);
  }
}

}  // namespace ionode::cli
