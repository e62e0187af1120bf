// Models and populations: every model of the registry with its metadata (the Python layer builds
// BrainPy-style classes from it, so a model registered later is usable too), and populations built
// by name, as make_population does for the command line.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "ionode/error.hpp"
#include "ionode/integrators/method.hpp"
#include "ionode/population.hpp"
#include "ionode/python/register_model.hpp"
#include "ionode/registry.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace ionode::python {

namespace {

py::list model_list() {
  py::list out;
  for (const auto& entry : model_registry::global().entries()) {
    py::list options;
    for (const auto& option : entry.options) {
      options.append(
          py::dict("name"_a = option.name, "values"_a = option.values, "description"_a = option.description));
    }
    out.append(py::dict("name"_a = entry.name, "aliases"_a = entry.aliases, "summary"_a = entry.summary,
                        "options"_a = options));
  }
  return out;
}

py::dict describe(const std::string& model, const model_options& given) {
  const model_entry& entry = model_registry::global().find(model);
  const model_info info = entry.describe(resolve_options(entry, given));
  py::list variables, parameters, inputs;
  for (const auto& v : info.variables) {
    variables.append(py::dict("name"_a = std::string(v.name), "unit"_a = std::string(v.unit),
                              "description"_a = std::string(v.description)));
  }
  for (const auto& p : info.parameters) {
    parameters.append(py::dict("name"_a = std::string(p.name), "default"_a = p.default_value,
                               "unit"_a = std::string(p.unit), "description"_a = std::string(p.description)));
  }
  for (const auto& i : info.inputs) {
    inputs.append(py::dict("name"_a = std::string(i.name), "unit"_a = std::string(i.unit),
                           "description"_a = std::string(i.description)));
  }
  return py::dict("name"_a = info.name, "variant"_a = info.variant, "reference"_a = info.reference,
                  "variables"_a = variables, "parameters"_a = parameters, "inputs"_a = inputs,
                  "spike_variable"_a = std::string(info.variables[info.spike_variable].name),
                  "threshold_parameter"_a = std::string(info.parameters[info.threshold_parameter].name));
}

std::map<std::string, value_spec> to_specs(const py::dict& values, std::string_view kind) {
  std::map<std::string, value_spec> out;
  for (const auto& [key, value] : values) {
    const auto name = key.cast<std::string>();
    out.emplace(name, to_value_spec(value, fmt::format("{} {}", kind, name)));
  }
  return out;
}

population make(const std::string& model, const model_options& options, std::vector<std::size_t> shape,
                std::size_t batch, const py::dict& params, const py::dict& initial, const py::dict& noise,
                std::uint64_t seed, const std::string& precision) {
  population_options o;
  o.shape = std::move(shape);
  o.batch = batch;
  o.params = to_specs(params, "parameter");
  o.initial = to_specs(initial, "initial");
  o.noise = to_specs(noise, "noise");
  o.seed = seed;
  if (precision == "float64") {
    o.precision = ionode::precision::float64;
  } else if (precision == "float32") {
    o.precision = ionode::precision::float32;
  } else {
    throw error(fmt::format("precision = '{}' is not allowed; use 'float64' or 'float32'", precision));
  }
  return make_population(model, o, options);
}

// What a random initializer gives, evaluated as a population with this seed would evaluate it for
// `stream` ("parameter gNa", "initial V", "noise V"): an initializer with its own seed is evaluated
// here and passed on as a list, so it equals a population built with that seed.
std::vector<double> evaluate(py::handle spec, std::size_t count, std::size_t neurons, std::uint64_t seed,
                             const std::string& stream) {
  return evaluate_spec(to_value_spec(spec, stream), count, neurons, seed, stream);
}

py::dict method_dict(const method_info& m) {
  const char* noise = m.noise == noise_support::none       ? "none"
                      : m.noise == noise_support::optional ? "optional"
                                                           : "required";
  return py::dict("name"_a = std::string(m.name), "order"_a = m.order, "adaptive"_a = m.adaptive,
                  "noise"_a = noise, "description"_a = std::string(m.description));
}

}  // namespace

value_spec to_value_spec(py::handle value, std::string_view what) {
  if (py::isinstance<py::tuple>(value)) {
    const auto t = py::reinterpret_borrow<py::tuple>(value);
    const auto kind = t.size() == 3 ? t[0].cast<std::string>() : std::string();
    if (kind == "uniform") return init::uniform{t[1].cast<double>(), t[2].cast<double>()};
    if (kind == "normal") return init::normal{t[1].cast<double>(), t[2].cast<double>()};
    throw internal_error(fmt::format("{}: unknown initializer tuple from the Python layer", what));
  }
  if (py::isinstance<py::array>(value)) {
    const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
    if (!array || array.ndim() != 1) throw internal_error(fmt::format("{}: expected a 1-D array", what));
    return std::vector<double>(array.data(), array.data() + array.size());
  }
  return value.cast<double>();
}

void bind_models(py::module_& m) {
  m.def("models", &model_list, "Every registered model: name, aliases, summary, options.");
  m.def("describe", &describe, py::arg("model"), py::arg("options") = model_options{},
        "A model's variables, parameters (with defaults after the options), inputs and spike variable.");
  m.def("methods", [] {
    py::list out;
    for (const auto& method : all_methods()) out.append(method_dict(method));
    return out;
  });
  m.def(
      "find_method", [](const std::string& name) { return method_dict(find_method(name)); }, py::arg("name"),
      "A method by name or alias (exp_euler is exp_auto); ValueError listing the names if unknown.");
  m.def("evaluate", &evaluate, py::arg("spec"), py::arg("count"), py::arg("neurons"), py::arg("seed"),
        py::arg("stream"));
  // The registry itself, for C++ extensions that add models (ionode/python/register_model.hpp).
  // PyCapsule keeps the name's pointer, so the name must outlive the module.
  static const std::string capsule_name = registry_capsule_name();
  m.attr("_model_registry") = py::capsule(&model_registry::global(), capsule_name.c_str());

  py::class_<population>(m, "Population")
      .def(py::init(&make), py::arg("model"), py::arg("options"), py::arg("shape"), py::arg("batch"),
           py::arg("params"), py::arg("initial"), py::arg("noise"), py::arg("seed"), py::arg("precision"))
      .def_property_readonly("size", &population::size)
      .def_property_readonly("batch", &population::batch)
      .def_property_readonly("copies", &population::copies)
      .def_property_readonly("model", [](const population& p) { return p.model().name; })
      .def("values",
           [](const population& p, const std::string& variable) {
             return to_numpy(p.values(variable), {static_cast<py::ssize_t>(p.instances())});
           })
      .def("set_values",
           [](population& p, const std::string& variable,
              const py::array_t<double, py::array::c_style | py::array::forcecast>& values) {
             if (values.ndim() != 1) throw internal_error("set_values: expected a 1-D array from the Python layer");
             p.set_values(variable, {values.data(), static_cast<std::size_t>(values.size())});
           })
      .def("parameter",
           [](const population& p, const std::string& name) {
             std::vector<double> values(p.instances());
             for (std::size_t j = 0; j < values.size(); ++j) values[j] = p.parameter(name, j);
             return to_numpy(std::move(values), {static_cast<py::ssize_t>(p.instances())});
           })
      .def("reset", &population::reset);
}

}  // namespace ionode::python
