// The input library (ionode::inputs) for Python: each generator returns its time series as a NumPy
// array of shape (rows, columns) that owns the series' buffer. BrainPy's signatures and shapes are
// the Python layer's job (python/ionode/inputs.py).
#include "ionode/generators.hpp"

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <variant>

#include "bindings.hpp"

namespace py = pybind11;

namespace ionode::python {

namespace {

py::array_t<double> to_array(time_series&& series) {
  return to_numpy(std::move(series.values),
                  {static_cast<py::ssize_t>(series.rows), static_cast<py::ssize_t>(series.columns)});
}

// A number for every element, or one per element (a list), as BrainPy accepts for a section's value
// and for spike_input's lengths and sizes.
using number_or_list = std::variant<double, std::vector<double>>;

inputs::one_or_many to_one_or_many(const number_or_list& value) {
  // Parentheses, not braces: {x} would pick the initializer-list constructor, a list of one.
  if (const auto* v = std::get_if<double>(&value)) return inputs::one_or_many(*v);
  return inputs::one_or_many(std::get<std::vector<double>>(value));
}

// sinusoidal_input and square_input take the same arguments.
using oscillation = time_series (*)(double, double, double, double, double, std::optional<double>, bool);

void bind_oscillation(py::module_& m, const char* name, oscillation generator) {
  m.def(
      name,
      [generator](double amplitude, double frequency, double duration, double dt, double t_start,
                  std::optional<double> t_end, bool bias) {
        return to_array(generator(amplitude, frequency, duration, dt, t_start, t_end, bias));
      },
      py::arg("amplitude"), py::arg("frequency"), py::arg("duration"), py::arg("dt"), py::arg("t_start"),
      py::arg("t_end"), py::arg("bias"));
}

}  // namespace

void bind_generators(py::module_& m) {
  m.def(
      "section_input",
      [](const std::vector<number_or_list>& values, const std::vector<double>& durations, double dt) {
        std::vector<inputs::one_or_many> converted;
        for (const auto& v : values) converted.push_back(to_one_or_many(v));
        return to_array(inputs::section_input(converted, durations, dt));
      },
      py::arg("values"), py::arg("durations"), py::arg("dt"));
  m.def(
      "spike_input",
      [](const std::vector<double>& times, const number_or_list& lens, const number_or_list& sizes,
         double duration, double dt) {
        return to_array(
            inputs::spike_input(times, to_one_or_many(lens), to_one_or_many(sizes), duration, dt));
      },
      py::arg("times"), py::arg("lens"), py::arg("sizes"), py::arg("duration"), py::arg("dt"));
  m.def(
      "ramp_input",
      [](double c_start, double c_end, double duration, double dt, double t_start,
         std::optional<double> t_end) {
        return to_array(inputs::ramp_input(c_start, c_end, duration, dt, t_start, t_end));
      },
      py::arg("c_start"), py::arg("c_end"), py::arg("duration"), py::arg("dt"), py::arg("t_start"),
      py::arg("t_end"));
  bind_oscillation(m, "sinusoidal_input", &inputs::sinusoidal_input);
  bind_oscillation(m, "square_input", &inputs::square_input);
  m.def(
      "wiener_process",
      [](double duration, double dt, std::size_t n, double t_start, std::optional<double> t_end,
         std::uint64_t seed, const std::string& stream) {
        return to_array(inputs::wiener_process(duration, dt, n, t_start, t_end, {seed, stream}));
      },
      py::arg("duration"), py::arg("dt"), py::arg("n"), py::arg("t_start"), py::arg("t_end"), py::arg("seed"),
      py::arg("stream"));
  m.def(
      "ou_process",
      [](double mean, double sigma, double tau, double duration, double dt, std::size_t n, double t_start,
         std::optional<double> t_end, std::uint64_t seed, const std::string& stream) {
        return to_array(
            inputs::ou_process(mean, sigma, tau, duration, dt, n, t_start, t_end, {seed, stream}));
      },
      py::arg("mean"), py::arg("sigma"), py::arg("tau"), py::arg("duration"), py::arg("dt"), py::arg("n"),
      py::arg("t_start"), py::arg("t_end"), py::arg("seed"), py::arg("stream"));
}

}  // namespace ionode::python
