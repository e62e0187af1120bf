// The analysis of the dynamics (ionode.analysis): bifurcation diagrams, f-I curves and phase
// planes, computed by the same functions as `ionode analyze` (src/cli/analysis_results.cpp) and
// returned as the command line's JSON text, which python/ionode/analysis.py turns into dicts with
// NumPy arrays. The arguments are checked in Python; the GIL is released while the analysis runs.
#include <pybind11/stl.h>

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analysis_results.hpp"
#include "bindings.hpp"
#include "ionode/error.hpp"

namespace py = pybind11;

namespace ionode::python {

namespace {

using values_list = std::vector<std::pair<std::string, double>>;

cli::analysis_model model_of(const std::string& model, const model_options& options, const values_list& values) {
  cli::analysis_model m;
  m.entry = &model_registry::global().find(model);
  m.options = resolve_options(*m.entry, options);
  m.values = values;
  return m;
}

std::string bifurcation(const std::string& model, const model_options& options, const values_list& values,
                        const std::string& param, double lo, double hi, bool cycles, std::size_t max_cycles,
                        std::size_t cycle_steps) {
  const cli::analysis_model m = model_of(model, options, values);
  py::gil_scoped_release release;
  return cli::bifurcation_result(m, {.param = param, .lo = lo, .hi = hi, .cycles = cycles, .max_cycles = max_cycles,
                                     .cycle_steps = cycle_steps})
      .dump();
}

std::string fi(const std::string& model, const model_options& options, const values_list& values,
               const std::string& param, const std::vector<double>& currents, const std::string& sweep,
               double transient, double window, double dt, const std::string& method, double ramp,
               const std::map<std::string, double>& initial, std::size_t threads) {
  if (currents.empty()) throw error("currents: give at least one value");
  const cli::analysis_model m = model_of(model, options, values);
  cli::fi_settings s{.param = param,
                     .values = currents,
                     .range = {currents.front(), currents.back()},
                     .sweep = sweep,
                     .transient = transient,
                     .window = window,
                     .dt = dt,
                     .ramp = ramp,
                     .initial = initial,
                     .method = method,
                     .threads = threads};
  py::gil_scoped_release release;
  return cli::fi_result(m, s).dump();
}

std::string phase_plane(const std::string& model, const model_options& options, const values_list& values,
                        const std::array<double, 2>& x_range, const std::array<double, 2>& y_range,
                        const std::vector<std::array<double, 2>>& starts, double duration, std::size_t grid) {
  const cli::analysis_model m = model_of(model, options, values);
  analysis::phase_plane_options o;
  o.x_range = x_range;
  o.y_range = y_range;
  o.starts = starts;
  o.duration = duration;
  o.grid = grid;
  py::gil_scoped_release release;
  return cli::phase_plane_result(m, o).dump();
}

}  // namespace

void bind_analysis(py::module_& m) {
  using py::arg;
  m.def("analyze_bifurcation", &bifurcation, arg("model"), arg("options"), arg("values"), arg("param"), arg("lo"),
        arg("hi"), arg("cycles"), arg("max_cycles"), arg("cycle_steps"),
        "`ionode analyze bifurcation`'s JSON text.");
  m.def("analyze_fi", &fi, arg("model"), arg("options"), arg("values"), arg("param"), arg("currents"), arg("sweep"),
        arg("transient"), arg("window"), arg("dt"), arg("method"), arg("ramp"), arg("initial"), arg("threads"),
        "`ionode analyze fi`'s JSON text.");
  m.def("analyze_phase_plane", &phase_plane, arg("model"), arg("options"), arg("values"), arg("x_range"),
        arg("y_range"), arg("starts"), arg("duration"), arg("grid"), "`ionode analyze phase-plane`'s JSON text.");
}

}  // namespace ionode::python
