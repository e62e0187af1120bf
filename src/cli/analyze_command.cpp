// `ionode analyze bifurcation`: sets up the model's vector field from the registry, runs the
// equilibrium and cycle continuations (src/analysis), writes JSON, and draws it with plot_analysis.py.
#include "analyze_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "config.hpp"
#include "ionode/analysis/cycles.hpp"
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

void write_analysis(const json& result, const std::string& output, const std::string& figure) {
  {
    std::ofstream file(output);
    if (!file) throw error(fmt::format("output '{}' cannot be written", output));
    file << result.dump(1) << '\n';
  }
  if (!figure.empty()) {
    const child_result child =
        run_child({python_path(), "-c", analysis_plot_script_text, "--output=" + figure, "--", output});
    if (child.exit_status != 0) throw error(fmt::format("plot: {}", child.errors));
  }
}

void analyze_bifurcation(const analyze_request& request, bool quiet, std::ostream& out) {
  if (request.range.size() != 2) throw error("--range needs two numbers, LO HI");
  const double lo = request.range[0], hi = request.range[1];
  if (!(lo < hi)) {
    throw error(fmt::format("the range [{}, {}] of {} is empty or reversed; give LO < HI", lo, hi, request.param));
  }
  if (request.output.empty()) throw error("analyze needs an output file: -o FILE.json");
  if (!request.figure.empty()) check_figure_path(request.figure);

  const analysis_model m = load_analysis_model(request.config, request.model, request.options, request.sets);
  const model_entry& entry = *m.entry;
  const model_options& options = m.options;
  const auto& values = m.values;
  if (!entry.analyze) throw error(fmt::format("model {} offers no vector field for the analysis", entry.name));
  const auto sys = entry.analyze(options);
  std::vector<double> theta = sys->default_theta();
  for (const auto& [name, value] : values) theta[analysis::control_index(sys->info(), name)] = value;
  const std::size_t control = analysis::control_index(sys->info(), request.param);
  const std::size_t v = sys->info().spike_variable;
  const std::string v_name(sys->info().variables[v].name);

  analysis::continuation_options eq_options{.lo = lo, .hi = hi, .ds = 0.02 * (hi - lo), .ds_max = 0.05 * (hi - lo)};
  const analysis::equilibrium_branch branch = analysis::continue_equilibria(*sys, theta, control, eq_options);

  json result;
  result["model"] = entry.name;
  result["options"] = options;
  result["param"] = std::string(analysis::control_name(sys->info(), control));
  result["range"] = {lo, hi};
  result["variable"] = v_name;
  json parameters = json::object();
  for (std::size_t k = 0; k < sys->num_theta(); ++k) parameters[std::string(analysis::control_name(sys->info(), k))] = theta[k];
  result["parameters"] = parameters;
  json notes = json::array();
  if (!branch.note.empty()) notes.push_back("equilibria: " + branch.note);
  json equilibria = json::array();
  for (const auto& p : branch.points) {
    json eig = json::array();
    for (const auto& e : p.eigenvalues) eig.push_back({e.real(), e.imag()});
    equilibria.push_back({{"param", p.param}, {"V", p.x[v]}, {"x", p.x}, {"stable", p.stable},
                          {"unstable", p.unstable}, {"eigenvalues", eig}});
  }
  json hopf = json::array();
  for (const auto& h : branch.hopf) {
    hopf.push_back({{"param", h.param}, {"V", h.x[v]}, {"frequency_hz", h.frequency_hz},
                    {"criticality", h.criticality}, {"lyapunov", h.lyapunov}});
  }
  json folds = json::array();
  for (const auto& f : branch.folds) folds.push_back({{"param", f.param}, {"V", f.x[v]}});
  json cycles = json::array(), cycle_folds = json::array();
  if (request.cycles) {
    analysis::cycle_options cycle_options{.lo = lo, .hi = hi, .max_points = request.max_cycles,
                                          .steps = request.cycle_steps};
    for (std::size_t k = 0; k < branch.hopf.size(); ++k) {
      const auto cb = analysis::continue_cycles_from_hopf(*sys, theta, control, branch.hopf[k], cycle_options);
      if (!cb.note.empty()) notes.push_back(fmt::format("cycles from the Hopf point at {}: {}", branch.hopf[k].param, cb.note));
      for (const auto& c : cb.points) {
        cycles.push_back({{"param", c.param}, {"period", c.period}, {"Vmin", c.x_min[v]}, {"Vmax", c.x_max[v]},
                          {"stable", c.stable}, {"branch", k}});
      }
      for (const auto& f : cb.folds) {
        cycle_folds.push_back({{"param", f.param}, {"period", f.period}, {"frequency_hz", 1000.0 / f.period}});
      }
    }
  }
  if (branch.points.empty()) notes.push_back("no equilibrium in the range: nothing to continue");
  result["equilibria"] = equilibria;
  result["hopf"] = hopf;
  result["folds"] = folds;
  result["cycles"] = cycles;
  result["cycle_folds"] = cycle_folds;
  result["notes"] = notes;
  result["analysis"] = "bifurcation";
  write_analysis(result, request.output, request.figure);
  if (!quiet) {
    fmt::print(out, "{} ({}), {} in [{}, {}]: {} equilibria, {} Hopf, {} folds, {} cycles, {} cycle folds\n",
               entry.name, fmt::join(values, ", "), result["param"].get<std::string>(), lo, hi, equilibria.size(),
               hopf.size(), folds.size(), cycles.size(), cycle_folds.size());
    for (const auto& h : branch.hopf) {
      fmt::print(out, "  Hopf at {:.8g}: {:.4g} Hz, {}\n", h.param, h.frequency_hz, h.criticality);
    }
    for (const auto& f : branch.folds) fmt::print(out, "  saddle-node at {:.8g}\n", f.param);
    for (const auto& f : cycle_folds) {
      fmt::print(out, "  fold of cycles at {:.8g}: period {:.6g} ms\n", f["param"].get<double>(), f["period"].get<double>());
    }
    for (const auto& note : notes) fmt::print(out, "  note: {}\n", note.get<std::string>());
    fmt::print(out, "  written: {}\n", request.output);
  }
  if (!request.figure.empty() && !quiet) fmt::print(out, "  figure: {}\n", request.figure);
}

}  // namespace ionode::cli
