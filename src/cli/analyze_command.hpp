// `ionode analyze bifurcation`: the equilibrium branch, its folds and Hopf points, and the cycles
// born at the Hopf points, written as JSON (and optionally drawn); the model setup and the drawing
// that `analyze fi` and `analyze phase-plane` share.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analysis_results.hpp"

namespace ionode::cli {

struct analyze_request {
  std::string config;                // a run configuration: its model, options and scalar params
  std::string model;                 // or the model by name (overrides the configuration's)
  std::vector<std::string> options;  // model options, "preset=classic"
  std::vector<std::string> sets;     // parameter values, "gL=0.3"
  std::string param = "I";           // the continuation parameter: a parameter or input name, or I
  std::vector<double> range;         // LO HI
  std::string output;                // the JSON file
  std::string figure;                // optional .png/.svg/.pdf
  bool cycles = true;                // continue the cycles from each Hopf point
  std::size_t max_cycles = 300;
  std::size_t cycle_steps = 1000;    // rk4 steps per period in the shooting map
};

// The model an analysis runs on (analysis_model, analysis_results.hpp): from the configuration
// (model, options, scalar params), then --model, --option and --set (NAME=VALUE) on top.
analysis_model load_analysis_model(const std::string& config, const std::string& model,
                                   const std::vector<std::string>& options, const std::vector<std::string>& sets);

// NAME=VALUE texts (`what`: the option, for the message) as a map; ionode::error for a text that
// is not one, or a value that is not a finite number.
std::map<std::string, double> parse_assignments(const std::vector<std::string>& texts, std::string_view what);

// Every analyze subcommand writes -o, --plot or both: ionode::error if neither is given, or if the
// figure's name or folder is not usable.
void check_analysis_outputs(const std::string& output, const std::string& figure);

// Writes the JSON result to `output` (if set) and, if `figure` is set, draws it with plot_analysis.py.
void write_analysis(const nlohmann::json& result, const std::string& output, const std::string& figure);

void analyze_bifurcation(const analyze_request& request, bool quiet, std::ostream& out);

}  // namespace ionode::cli
