// `ionode analyze bifurcation`: the model from the registry, the result from analysis_results.cpp
// (equilibrium and cycle continuations), written as JSON and drawn with plot_analysis.py.
#include "analyze_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "config.hpp"
#include "ionode/error.hpp"
#include "plot_command.hpp"

namespace ionode::cli {

extern const char* const analysis_plot_script_text;

namespace {

using json = nlohmann::json;

std::pair<std::string, std::string> split_assignment(const std::string& text, std::string_view what) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw error(fmt::format("{} '{}' is not NAME=VALUE", what, text));
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

double parse_number(const std::string& text, std::string_view what) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !std::isfinite(value)) {
    throw error(fmt::format("{} = '{}' is not a finite number", what, text));
  }
  return value;
}

// A fresh file name in the temporary folder (mkstemp creates it, so no other process can take it).
std::string temporary_json_path() {
  std::string name = (std::filesystem::temp_directory_path() / "ionode-analysis-XXXXXX.json").string();
  const int fd = ::mkstemps(name.data(), 5);
  if (fd < 0) throw error(fmt::format("cannot create a temporary file in {}", std::filesystem::temp_directory_path().string()));
  ::close(fd);
  return name;
}

struct temporary_file {
  std::string path;  // empty: none
  explicit temporary_file(std::string p) : path(std::move(p)) {}
  temporary_file(const temporary_file&) = delete;
  temporary_file& operator=(const temporary_file&) = delete;
  ~temporary_file() {
    std::error_code ignored;
    if (!path.empty()) std::filesystem::remove(path, ignored);
  }
};

}  // namespace

analysis_model load_analysis_model(const std::string& config_path, const std::string& model,
                                   const std::vector<std::string>& option_texts, const std::vector<std::string>& sets) {
  std::string model_name = "HH";
  model_options given;
  analysis_model m;
  if (!config_path.empty()) {
    const run_config config = load_config(config_path, {});
    model_name = config.model;
    given = config.options;
    m.initial = config.population.initial;
    for (const auto& [name, spec] : config.population.params) {
      const double* scalar = std::get_if<double>(&spec);
      if (scalar == nullptr) throw error(fmt::format("params.{}: the analysis needs one number per parameter", name));
      m.values.emplace_back(name, *scalar);
    }
  }
  if (!model.empty()) model_name = model;
  for (const auto& option : option_texts) {
    const auto [name, value] = split_assignment(option, "--option");
    given.insert_or_assign(name, value);
  }
  for (const auto& set : sets) {
    const auto [name, text] = split_assignment(set, "--set");
    m.values.emplace_back(name, parse_number(text, name));
  }
  m.entry = &model_registry::global().find(model_name);
  m.options = resolve_options(*m.entry, given);
  return m;
}

std::map<std::string, double> parse_assignments(const std::vector<std::string>& texts, std::string_view what) {
  std::map<std::string, double> values;
  for (const auto& text : texts) {
    const auto [name, number] = split_assignment(text, what);
    values[name] = parse_number(number, name);
  }
  return values;
}

void check_analysis_outputs(const std::string& output, const std::string& figure) {
  if (output.empty() && figure.empty()) {
    throw error("analyze writes its result to -o FILE.json, draws it with --plot FIGURE (.png, .svg, .pdf), or "
                "both: give at least one");
  }
  if (!figure.empty()) check_figure_path(figure);
}

void write_analysis(const json& result, const std::string& output, const std::string& figure) {
  // A figure alone: the script reads the JSON from a temporary file, removed however this ends.
  const temporary_file scratch(output.empty() ? temporary_json_path() : "");
  const std::string& path = output.empty() ? scratch.path : output;
  {
    std::ofstream file(path);
    if (!file) throw error(fmt::format("output '{}' cannot be written", path));
    file << result.dump(1) << '\n';
  }
  if (!figure.empty()) {
    const child_result child =
        run_child({python_path(), "-c", analysis_plot_script_text, "--output=" + figure, "--", path});
    if (child.exit_status != 0) throw error(fmt::format("plot: {}", child.errors));
  }
}

void analyze_bifurcation(const analyze_request& request, bool quiet, std::ostream& out) {
  if (request.range.size() != 2) throw error("--range needs two numbers, LO HI");
  const double lo = request.range[0], hi = request.range[1];
  if (!(lo < hi)) {
    throw error(fmt::format("the range [{}, {}] of {} is empty or reversed; give LO < HI", lo, hi, request.param));
  }
  check_analysis_outputs(request.output, request.figure);

  const analysis_model m = load_analysis_model(request.config, request.model, request.options, request.sets);
  const json result = bifurcation_result(m, {.param = request.param, .lo = lo, .hi = hi, .cycles = request.cycles,
                                             .max_cycles = request.max_cycles, .cycle_steps = request.cycle_steps});
  write_analysis(result, request.output, request.figure);
  if (!quiet) {
    fmt::print(out, "{} ({}), {} in [{}, {}]: {} equilibria, {} Hopf, {} folds, {} cycles, {} cycle folds\n",
               m.entry->name, fmt::join(m.values, ", "), result["param"].get<std::string>(), lo, hi,
               result["equilibria"].size(), result["hopf"].size(), result["folds"].size(), result["cycles"].size(),
               result["cycle_folds"].size());
    for (const auto& h : result["hopf"]) {
      fmt::print(out, "  Hopf at {:.8g}: {:.4g} Hz, {}\n", h["param"].get<double>(), h["frequency_hz"].get<double>(),
                 h["criticality"].get<std::string>());
    }
    for (const auto& f : result["folds"]) fmt::print(out, "  saddle-node at {:.8g}\n", f["param"].get<double>());
    for (const auto& f : result["cycle_folds"]) {
      fmt::print(out, "  fold of cycles at {:.8g}: period {:.6g} ms\n", f["param"].get<double>(), f["period"].get<double>());
    }
    for (const auto& note : result["notes"]) fmt::print(out, "  note: {}\n", note.get<std::string>());
    if (!request.output.empty()) fmt::print(out, "  written: {}\n", request.output);
    if (!request.figure.empty()) fmt::print(out, "  figure: {}\n", request.figure);
  }
}

}  // namespace ionode::cli
