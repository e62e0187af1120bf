// `ionode analyze fi`: checks the request, runs src/analysis/fi_curve.cpp, writes JSON and the figure.
#include "fi_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "analyze_command.hpp"
#include "ionode/analysis/fi_curve.hpp"
#include "ionode/error.hpp"
#include "plot_command.hpp"

namespace ionode::cli {

namespace {

nlohmann::json curve_json(const analysis::fi_curve& curve) {
  nlohmann::json points = nlohmann::json::array();
  for (std::size_t k = 0; k < curve.param.size(); ++k) {
    points.push_back({{"param", curve.param[k]}, {"rate_hz", curve.rate_hz[k]}, {"spikes", curve.spikes[k]}});
  }
  return points;
}

}  // namespace

void analyze_fi(const fi_request& request, bool quiet, std::ostream& out) {
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
  if (request.output.empty()) throw error("analyze needs an output file: -o FILE.json");
  if (!request.figure.empty()) check_figure_path(request.figure);

  const analysis_model m = load_analysis_model(request.config, request.model, request.options, request.sets);
  const model_info info = m.entry->describe(m.options);
  analysis::fi_options fi{.param = request.param,
                          .transient = request.transient,
                          .window = request.window,
                          .dt = request.dt,
                          .method = request.method,
                          .threads = request.threads};
  const std::size_t control = analysis::control_index(info, request.param);
  for (const auto& [name, value] : m.values) {
    const std::size_t k = analysis::control_index(info, name);  // names an unknown one
    if (k == control) throw error(fmt::format("--set {}: that is the swept --param; give its --range", name));
    if (k >= info.parameters.size()) {
      fi.inputs[std::string(analysis::control_name(info, k))] = value;
    } else {
      fi.params[name] = value;
    }
  }
  std::vector<double> values;
  for (std::size_t k = 0; k < request.points; ++k) {
    values.push_back(lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(request.points - 1));
  }

  nlohmann::json result;
  result["analysis"] = "fi";
  result["model"] = m.entry->name;
  result["options"] = m.options;
  result["param"] = std::string(analysis::control_name(info, control));
  result["param_unit"] = control < info.parameters.size()
                             ? std::string(info.parameters[control].unit)
                             : std::string(info.inputs[control - info.parameters.size()].unit);
  result["range"] = {lo, hi};
  result["parameters"] = fi.params;
  result["inputs"] = fi.inputs;
  result["method"] = fi.method;
  result["dt"] = fi.dt;
  result["transient_ms"] = fi.transient;
  result["window_ms"] = fi.window;
  result["rate"] = "inverse mean inter-spike interval over the window after the transient; 0 below 2 spikes";
  if (request.sweep.empty()) {
    result["from_state"] = curve_json(analysis::fi_from_state(*m.entry, m.options, values, fi));
  }
  if (request.sweep == "up" || request.sweep == "both") {
    result["up"] = curve_json(analysis::fi_sweep(*m.entry, m.options, values, fi));
  }
  if (request.sweep == "down" || request.sweep == "both") {
    const std::vector<double> down(values.rbegin(), values.rend());
    result["down"] = curve_json(analysis::fi_sweep(*m.entry, m.options, down, fi));
  }
  write_analysis(result, request.output, request.figure);
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
    fmt::print(out, "  written: {}\n", request.output);
    if (!request.figure.empty()) fmt::print(out, "  figure: {}\n", request.figure);
  }
}

}  // namespace ionode::cli
