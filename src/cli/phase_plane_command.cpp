// `ionode analyze phase-plane`: checks the request, computes the result (analysis_results.cpp, on
// src/analysis/phase_plane.cpp), writes JSON and the figure.
#include "phase_plane_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "analyze_command.hpp"
#include "ionode/error.hpp"
#include "plot_command.hpp"

namespace ionode::cli {

namespace {

std::array<double, 2> parse_range(const std::vector<double>& range, std::string_view what) {
  if (range.empty()) return {0.0, 0.0};
  if (range.size() != 2 || !(range[0] < range[1])) {
    throw error(
        fmt::format("{} [{}] is empty or reversed; give LO HI with LO < HI", what, fmt::join(range, ", ")));
  }
  return {range[0], range[1]};
}

std::array<double, 2> parse_start(const std::string& text) {
  const auto comma = text.find(',');
  std::array<double, 2> x{};
  try {
    if (comma == std::string::npos) throw std::invalid_argument("");
    std::size_t used0 = 0, used1 = 0;
    x[0] = std::stod(text.substr(0, comma), &used0);
    x[1] = std::stod(text.substr(comma + 1), &used1);
    if (used0 != comma || used1 != text.size() - comma - 1) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw error(fmt::format("--start '{}' is not X,Y (two numbers)", text));
  }
  if (!std::isfinite(x[0]) || !std::isfinite(x[1]))
    throw error(fmt::format("--start '{}' is not finite", text));
  return x;
}

}  // namespace

void analyze_phase_plane(const phase_plane_request& request, bool quiet, std::ostream& out) {
  check_analysis_outputs(request.output, request.figure);
  analysis::phase_plane_options o;
  o.x_range = parse_range(request.x_range, "--x-range");
  o.y_range = parse_range(request.y_range, "--y-range");
  for (const auto& s : request.starts) o.starts.push_back(parse_start(s));
  o.duration = request.duration;
  o.grid = request.grid;

  const analysis_model m = load_analysis_model(request.config, request.model, request.options, request.sets);
  const nlohmann::json result = phase_plane_result(m, o);
  write_analysis(result, request.output, request.figure);
  if (!quiet) {
    const auto& vars = result["variables"];
    fmt::print(out, "{}: phase plane of ({}, {}), {} fixed points\n", m.entry->name, vars[0].get<std::string>(),
               vars[1].get<std::string>(), result["fixed_points"].size());
    for (const auto& fp : result["fixed_points"]) {
      fmt::print(out, "  {} at ({:.8g}, {:.8g})\n", fp["type"].get<std::string>(), fp["x"][0].get<double>(),
                 fp["x"][1].get<double>());
    }
    for (const auto& c : result["cycles"]) {
      fmt::print(out, "  {} limit cycle, period {:.6g} ms, multiplier {:.4g}\n",
                 c["stable"].get<bool>() ? "stable" : "unstable", c["period"].get<double>(),
                 c["multiplier"].get<double>());
    }
    for (const auto& note : result["notes"]) fmt::print(out, "  note: {}\n", note.get<std::string>());
    if (!request.output.empty()) fmt::print(out, "  written: {}\n", request.output);
    if (!request.figure.empty()) fmt::print(out, "  figure: {}\n", request.figure);
  }
}

}  // namespace ionode::cli
