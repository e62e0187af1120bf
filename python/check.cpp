// ionode.check (python/ionode/check.py): is my dt good enough? The same function as `ionode check`
// (src/cli/step_check.cpp) on a group's population and a runner's inputs, returned as its JSON text
// with the report added. The arguments are checked in Python; the GIL is released while it runs.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <string>
#include <tuple>
#include <vector>

#include "bindings.hpp"
#include "ionode/error.hpp"
#include "ionode/population.hpp"
#include "step_check.hpp"

namespace py = pybind11;

namespace ionode::python {

void bind_check(py::module_& m) {
  m.def(
      "check",
      [](const population& pop, const model_options& options, const std::vector<py::tuple>& inputs, double duration,
         double dt, const std::string& method, double rtol, double atol, long max_substeps, double accuracy,
         std::size_t sample, const std::vector<std::string>& compare) {
        cli::check_sample whole{pop.model().name, options, pop.options(), {}};
        for (const auto& spec : inputs) {
          const auto kind = spec[1].cast<std::string>();
          if (kind == "func") {
            throw error(fmt::format("check: input {} is a function ('func'); give its values as an array ('iter') "
                                    "or a number, so that they can be held over the finer steps",
                                    spec[0].cast<std::string>()));
          }
          whole.inputs.push_back(input_from_python(spec[0].cast<std::string>(), kind, spec[2], spec[3].cast<std::string>(),
                                                   spec[4].cast<std::string>()));
        }
        cli::check_settings settings;
        settings.duration = duration;
        settings.runner.dt = dt;
        settings.runner.method = method;
        settings.runner.tolerances = {.rtol = rtol, .atol = atol, .max_substeps = max_substeps};
        settings.accuracy = accuracy;
        settings.sample = sample;
        settings.methods = compare;
        nlohmann::json result;
        {
          py::gil_scoped_release release;
          result = cli::check_result(whole, settings);
        }
        result["report"] = cli::check_report(result);
        return result.dump();
      },
      py::arg("population"), py::arg("options"), py::arg("inputs"), py::arg("duration"), py::arg("dt"),
      py::arg("method"), py::arg("rtol"), py::arg("atol"), py::arg("max_substeps"), py::arg("accuracy"),
      py::arg("sample"), py::arg("compare"));
}

}  // namespace ionode::python
