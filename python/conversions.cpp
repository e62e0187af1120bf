// Conversions the runner (runner.cpp) and the network (network.cpp) share: an input's value from the
// Python layer, and a recording as NumPy arrays.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "ionode/error.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace ionode::python {

input input_from_python(const std::string& target, const std::string& kind, const py::object& value,
                        const std::string& op, const std::string& origin) {
  input in{target, 0.0, parse_input_op(op), origin};
  if (kind == "fix" && py::isinstance<py::array>(value)) {
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
    in.value = std::vector<double>(a.data(), a.data() + a.size());
  } else if (kind == "fix") {
    in.value = value.cast<double>();
  } else if (kind == "iter") {
    // (rows, columns), columns 1 (shared), N or B*N; the Python layer has reshaped it.
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
    if (!a || a.ndim() != 2) throw internal_error("an iter input must reach C++ as a 2-D array");
    in.value = time_series{static_cast<std::size_t>(a.shape(0)), static_cast<std::size_t>(a.shape(1)),
                           std::vector<double>(a.data(), a.data() + a.size())};
  } else {
    throw internal_error(fmt::format("input kind '{}' reached input_from_python", kind));
  }
  return in;
}

py::dict recording_to_dict(recording&& r, std::vector<std::int64_t> spike_steps) {
  const auto samples = static_cast<py::ssize_t>(r.ts.size());
  const auto copies = static_cast<py::ssize_t>(r.copies), columns = static_cast<py::ssize_t>(r.indices.size());
  py::dict values;
  for (auto& [name, data] : r.values) values[py::str(name)] = to_numpy(std::move(data), {samples, copies, columns});
  const auto spikes = static_cast<py::ssize_t>(r.spike_times.size());
  std::vector<std::int64_t> indices(r.indices.begin(), r.indices.end());
  const auto n_indices = static_cast<py::ssize_t>(indices.size());
  return py::dict("ts"_a = to_numpy(std::move(r.ts), {samples}), "values"_a = values,
                  "indices"_a = to_numpy(std::move(indices), {n_indices}),
                  "spike_times"_a = to_numpy(std::move(r.spike_times), {spikes}),
                  "spike_indices"_a = to_numpy(std::move(r.spike_indices), {spikes}),
                  "spike_batch"_a = to_numpy(std::move(r.spike_batch), {spikes}),
                  "spike_steps"_a = to_numpy(std::move(spike_steps), {spikes}), "complete"_a = r.complete,
                  "stop_reason"_a = r.stop_reason);
}

}  // namespace ionode::python
