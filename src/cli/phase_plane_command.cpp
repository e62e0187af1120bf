// `ionode analyze phase-plane`: checks the request, runs src/analysis/phase_plane.cpp, writes JSON
// and the figure.
#include "phase_plane_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "analyze_command.hpp"
#include "ionode/analysis/phase_plane.hpp"
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

nlohmann::json curve_json(const analysis::curve& c) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : c) points.push_back({p[0], p[1]});
  return points;
}

}  // namespace

void analyze_phase_plane(const phase_plane_request& request, bool quiet, std::ostream& out) {
  if (request.output.empty()) throw error("analyze needs an output file: -o FILE.json");
  if (!request.figure.empty()) check_figure_path(request.figure);
  analysis::phase_plane_options o;
  o.x_range = parse_range(request.x_range, "--x-range");
  o.y_range = parse_range(request.y_range, "--y-range");
  for (const auto& s : request.starts) o.starts.push_back(parse_start(s));
  o.duration = request.duration;
  o.grid = request.grid;

  const analysis_model m = load_analysis_model(request.config, request.model, request.options, request.sets);
  if (!m.entry->analyze)
    throw error(fmt::format("model {} offers no vector field for the analysis", m.entry->name));
  const auto sys = m.entry->analyze(m.options);
  std::vector<double> theta = sys->default_theta();
  for (const auto& [name, value] : m.values) theta[analysis::control_index(sys->info(), name)] = value;
  const analysis::phase_plane pp = analysis::compute_phase_plane(*sys, theta, o);

  const auto& vars = sys->info().variables;
  nlohmann::json result;
  result["analysis"] = "phase-plane";
  result["model"] = m.entry->name;
  result["options"] = m.options;
  result["variables"] = {std::string(vars[0].name), std::string(vars[1].name)};
  result["units"] = {std::string(vars[0].unit), std::string(vars[1].unit)};
  nlohmann::json parameters = nlohmann::json::object();
  for (std::size_t k = 0; k < sys->num_theta(); ++k) {
    parameters[std::string(analysis::control_name(sys->info(), k))] = theta[k];
  }
  result["parameters"] = parameters;
  result["x_range"] = pp.x_range;
  result["y_range"] = pp.y_range;
  nlohmann::json nullclines = nlohmann::json::object();
  for (std::size_t i = 0; i < 2; ++i) {
    nlohmann::json pieces = nlohmann::json::array();
    for (const auto& c : pp.nullclines[i]) pieces.push_back(curve_json(c));
    nullclines[std::string(vars[i].name)] = pieces;
  }
  result["nullclines"] = nullclines;
  nlohmann::json u = nlohmann::json::array(), v = nlohmann::json::array();
  for (const auto& f : pp.field) u.push_back(f[0]), v.push_back(f[1]);
  result["field"] = {{"x", pp.grid_x}, {"y", pp.grid_y}, {"dx", u}, {"dy", v}};
  nlohmann::json fixed = nlohmann::json::array();
  for (const auto& fp : pp.fixed_points) {
    nlohmann::json eig = nlohmann::json::array();
    for (const auto& e : fp.eigenvalues) eig.push_back({e.real(), e.imag()});
    fixed.push_back({{"x", fp.x}, {"type", fp.type}, {"eigenvalues", eig}});
  }
  result["fixed_points"] = fixed;
  nlohmann::json trajectories = nlohmann::json::array();
  for (const auto& c : pp.trajectories) trajectories.push_back(curve_json(c));
  result["trajectories"] = trajectories;
  result["cycle"] = pp.cycle ? nlohmann::json{{"period", pp.cycle_period}, {"points", curve_json(*pp.cycle)}}
                             : nlohmann::json(nullptr);
  result["notes"] = pp.note.empty() ? nlohmann::json::array() : nlohmann::json::array({pp.note});
  write_analysis(result, request.output, request.figure);
  if (!quiet) {
    fmt::print(out, "{}: phase plane of ({}, {}), {} fixed points\n", m.entry->name, vars[0].name,
               vars[1].name, pp.fixed_points.size());
    for (const auto& fp : pp.fixed_points) {
      fmt::print(out, "  {} at ({:.8g}, {:.8g})\n", fp.type, fp.x[0], fp.x[1]);
    }
    if (pp.cycle) fmt::print(out, "  stable limit cycle, period {:.6g} ms\n", pp.cycle_period);
    if (!pp.note.empty()) fmt::print(out, "  note: {}\n", pp.note);
    fmt::print(out, "  written: {}\n", request.output);
    if (!request.figure.empty()) fmt::print(out, "  figure: {}\n", request.figure);
  }
}

}  // namespace ionode::cli
