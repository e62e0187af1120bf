// The JSON results of the three analyses (analysis_results.hpp): the model's vector field from the
// registry, the algorithms of src/analysis, and their results under the keys docs/analysis.md lists.
#include "analysis_results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <span>

#include "ionode/analysis/cycles.hpp"
#include "ionode/analysis/fi_curve.hpp"
#include "ionode/error.hpp"

namespace ionode::cli {

namespace {

using json = nlohmann::json;

std::unique_ptr<analysis::system> system_of(const analysis_model& m) {
  if (!m.entry->analyze) throw error(fmt::format("model {} offers no vector field for the analysis", m.entry->name));
  return m.entry->analyze(m.options);
}

std::vector<double> theta_of(const analysis::system& sys, const analysis_model& m) {
  std::vector<double> theta = sys.default_theta();
  for (const auto& [name, value] : m.values) theta[analysis::control_index(sys.info(), name)] = value;
  return theta;
}

json all_parameters(const analysis::system& sys, const std::vector<double>& theta) {
  json parameters = json::object();
  for (std::size_t k = 0; k < sys.num_theta(); ++k) {
    parameters[std::string(analysis::control_name(sys.info(), k))] = theta[k];
  }
  return parameters;
}

json fi_curve_json(const analysis::fi_curve& curve) {
  json points = json::array();
  for (std::size_t k = 0; k < curve.param.size(); ++k) {
    points.push_back({{"param", curve.param[k]}, {"rate_hz", curve.rate_hz[k]}, {"spikes", curve.spikes[k]}});
  }
  return points;
}

// Every rank's curve (its values, or its sweep), one after another in rank order, on every rank.
std::vector<analysis::fi_curve> gather_curves(distributed::context& ctx, const analysis::fi_curve& mine) {
  std::vector<double> flat;
  for (std::size_t k = 0; k < mine.param.size(); ++k) {
    flat.insert(flat.end(), {mine.param[k], mine.rate_hz[k], static_cast<double>(mine.spikes[k])});
  }
  std::vector<std::size_t> counts;
  const std::vector<double> all = distributed::all_gather(ctx, std::span<const double>(flat), counts);
  std::vector<analysis::fi_curve> curves(counts.size());
  for (std::size_t r = 0, at = 0; r < counts.size(); ++r) {
    for (std::size_t k = 0; k < counts[r]; k += 3, at += 3) {
      curves[r].param.push_back(all[at]);
      curves[r].rate_hz.push_back(all[at + 1]);
      curves[r].spikes.push_back(static_cast<std::size_t>(all[at + 2]));
    }
  }
  return curves;
}

json curve_json(const analysis::curve& c) {
  json points = json::array();
  for (const auto& p : c) points.push_back({p[0], p[1]});
  return points;
}

// The unit of a continuation control: a parameter's, or an input's (uA/cm^2 for the current).
std::string control_unit(const model_info& info, std::size_t control) {
  return control < info.parameters.size() ? std::string(info.parameters[control].unit)
                                          : std::string(info.inputs[control - info.parameters.size()].unit);
}

}  // namespace

json bifurcation_result(const analysis_model& m, const bifurcation_settings& s) {
  const double lo = s.lo, hi = s.hi;
  if (!(lo < hi)) {
    throw error(fmt::format("the range [{}, {}] of {} is empty or reversed; give LO < HI", lo, hi, s.param));
  }
  const auto sys = system_of(m);
  const std::vector<double> theta = theta_of(*sys, m);
  const std::size_t control = analysis::control_index(sys->info(), s.param);
  const std::size_t v = sys->info().spike_variable;
  const std::string v_name(sys->info().variables[v].name);

  analysis::continuation_options eq_options{.lo = lo, .hi = hi, .ds = 0.02 * (hi - lo), .ds_max = 0.05 * (hi - lo)};
  const analysis::equilibrium_branch branch = analysis::continue_equilibria(*sys, theta, control, eq_options);

  json result;
  result["model"] = m.entry->name;
  result["options"] = m.options;
  result["param"] = std::string(analysis::control_name(sys->info(), control));
  result["param_unit"] = control_unit(sys->info(), control);
  result["range"] = {lo, hi};
  result["variable"] = v_name;
  result["parameters"] = all_parameters(*sys, theta);
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
  if (s.cycles) {
    analysis::cycle_options cycle_options{.lo = lo, .hi = hi, .max_points = s.max_cycles, .steps = s.cycle_steps};
    std::vector<double> reached;  // Hopf points where an earlier branch ended: the same branch again
    for (std::size_t k = 0; k < branch.hopf.size(); ++k) {
      const double p = branch.hopf[k].param;
      if (std::ranges::any_of(reached, [p](double q) { return std::abs(q - p) < 1e-4 * (1.0 + std::abs(p)); })) {
        notes.push_back(fmt::format("cycles from the Hopf point at {}: the branch from an earlier Hopf point ends there", p));
        continue;
      }
      const auto cb = analysis::continue_cycles_from_hopf(*sys, theta, control, branch.hopf[k], cycle_options);
      if (cb.hopf_end) reached.push_back(*cb.hopf_end);
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
  return result;
}

json fi_result(const analysis_model& m, const fi_settings& s) {
  if (!s.sweep.empty() && s.sweep != "up" && s.sweep != "down" && s.sweep != "both") {
    throw error(fmt::format("sweep = '{}': allowed are up, down, both", s.sweep));
  }
  const model_info info = m.entry->describe(m.options);
  for (const auto& [name, value] : s.initial) info.variable_index(name);  // names an unknown one
  analysis::fi_options fi{.param = s.param,
                          .initial = s.initial,
                          .transient = s.transient,
                          .window = s.window,
                          .ramp = s.ramp,
                          .dt = s.dt,
                          .method = s.method,
                          .threads = s.threads};
  const std::size_t control = analysis::control_index(info, s.param);
  for (const auto& [name, value] : m.values) {
    const std::size_t k = analysis::control_index(info, name);  // names an unknown one
    if (k == control) throw error(fmt::format("--set {}: that is the swept --param; give its --range", name));
    if (k >= info.parameters.size()) {
      fi.inputs[std::string(analysis::control_name(info, k))] = value;
    } else {
      fi.params[name] = value;
    }
  }

  json result;
  result["analysis"] = "fi";
  result["model"] = m.entry->name;
  result["options"] = m.options;
  result["param"] = std::string(analysis::control_name(info, control));
  result["param_unit"] = control_unit(info, control);
  result["range"] = s.range;
  result["parameters"] = fi.params;
  result["inputs"] = fi.inputs;
  result["method"] = fi.method;
  result["dt"] = fi.dt;
  result["transient_ms"] = fi.transient;
  result["window_ms"] = fi.window;
  result["ramp_ms"] = fi.ramp;
  result["initial"] = fi.initial;
  result["rate"] = "inverse mean inter-spike interval over the window after the transient; 0 below 2 spikes";
  // Over several ranks: each computes a contiguous part of the values (every value is its own batch copy,
  // so the numbers do not depend on the split), or one of the sweeps; the curves are gathered.
  const std::shared_ptr<distributed::context> alone = s.context ? nullptr : distributed::local();
  distributed::context& ctx = s.context ? *s.context : *alone;
  const auto ranks = static_cast<std::size_t>(ctx.size()), rank = static_cast<std::size_t>(ctx.rank());
  const auto computed = [&](const std::function<analysis::fi_curve()>& compute) {
    analysis::fi_curve curve;
    std::exception_ptr failure;
    try {
      curve = compute();
    } catch (...) {
      failure = std::current_exception();
    }
    distributed::agree(ctx, failure);
    return gather_curves(ctx, curve);
  };
  if (s.sweep.empty()) {
    const std::size_t n = s.values.size();
    const std::vector<double> mine(s.values.begin() + static_cast<std::ptrdiff_t>(n * rank / ranks),
                                   s.values.begin() + static_cast<std::ptrdiff_t>(n * (rank + 1) / ranks));
    const auto parts = computed([&] {
      analysis::fi_options part = fi;
      part.first_copy = n * rank / ranks;  // the draws of the initial state follow the value's index
      return mine.empty() ? analysis::fi_curve{} : analysis::fi_from_state(*m.entry, m.options, mine, part);
    });
    analysis::fi_curve whole;
    for (const auto& part : parts) {
      whole.param.insert(whole.param.end(), part.param.begin(), part.param.end());
      whole.rate_hz.insert(whole.rate_hz.end(), part.rate_hz.begin(), part.rate_hz.end());
      whole.spikes.insert(whole.spikes.end(), part.spikes.begin(), part.spikes.end());
    }
    result["from_state"] = fi_curve_json(whole);
  }
  // The sweeps: task t (up, then down) on rank t % P; a rank computes its tasks in order.
  std::vector<std::string> tasks;
  if (s.sweep == "up" || s.sweep == "both") tasks.emplace_back("up");
  if (s.sweep == "down" || s.sweep == "both") tasks.emplace_back("down");
  for (std::size_t first = 0; first < tasks.size(); first += ranks) {
    // One round: tasks [first, first + P), one per rank.
    const std::size_t t = first + rank;
    const auto curves = computed([&] {
      if (t >= tasks.size()) return analysis::fi_curve{};
      std::vector<double> values = s.values;
      if (tasks[t] == "down") std::reverse(values.begin(), values.end());
      return analysis::fi_sweep(*m.entry, m.options, values, fi);
    });
    for (std::size_t r = 0; r < ranks && first + r < tasks.size(); ++r) result[tasks[first + r]] = fi_curve_json(curves[r]);
  }
  return result;
}

json phase_plane_result(const analysis_model& m, const analysis::phase_plane_options& o) {
  const auto sys = system_of(m);
  const std::vector<double> theta = theta_of(*sys, m);
  const analysis::phase_plane pp = analysis::compute_phase_plane(*sys, theta, o);

  const auto& vars = sys->info().variables;
  json result;
  result["analysis"] = "phase-plane";
  result["model"] = m.entry->name;
  result["options"] = m.options;
  result["variables"] = {std::string(vars[0].name), std::string(vars[1].name)};
  result["units"] = {std::string(vars[0].unit), std::string(vars[1].unit)};
  result["parameters"] = all_parameters(*sys, theta);
  result["x_range"] = pp.x_range;
  result["y_range"] = pp.y_range;
  json nullclines = json::object();
  for (std::size_t i = 0; i < 2; ++i) {
    json pieces = json::array();
    for (const auto& c : pp.nullclines[i]) pieces.push_back(curve_json(c));
    nullclines[std::string(vars[i].name)] = pieces;
  }
  result["nullclines"] = nullclines;
  json u = json::array(), w = json::array();
  for (const auto& f : pp.field) u.push_back(f[0]), w.push_back(f[1]);
  result["field"] = {{"x", pp.grid_x}, {"y", pp.grid_y}, {"dx", u}, {"dy", w}};
  json fixed = json::array();
  for (const auto& fp : pp.fixed_points) {
    json eig = json::array();
    for (const auto& e : fp.eigenvalues) eig.push_back({e.real(), e.imag()});
    fixed.push_back({{"x", fp.x}, {"type", fp.type}, {"eigenvalues", eig}});
  }
  result["fixed_points"] = fixed;
  json trajectories = json::array();
  for (const auto& c : pp.trajectories) trajectories.push_back(curve_json(c));
  result["trajectories"] = trajectories;
  // "cycle": the first format's stable cycle, kept for its readers; "cycles": all, stable or not.
  result["cycle"] = pp.cycle ? json{{"period", pp.cycle_period}, {"points", curve_json(*pp.cycle)}} : json(nullptr);
  json cycles = json::array();
  for (const auto& c : pp.cycles) {
    cycles.push_back({{"period", c.period}, {"stable", c.stable}, {"multiplier", c.multiplier},
                      {"x_min", c.x_min}, {"x_max", c.x_max}, {"points", curve_json(c.points)}});
  }
  result["cycles"] = cycles;
  result["notes"] = pp.note.empty() ? json::array() : json::array({pp.note});
  return result;
}

}  // namespace ionode::cli
