// The parts of the _ionode extension module (one file per concept, called from module.cpp) and the
// conversions they share.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ionode/initializer.hpp"
#include "ionode/input.hpp"
#include "ionode/recording.hpp"

namespace ionode::python {

void bind_errors(pybind11::module_& m);      // errors.cpp
void bind_models(pybind11::module_& m);      // models.cpp: the registry and populations
void bind_runner(pybind11::module_& m);      // runner.cpp
void bind_generators(pybind11::module_& m);  // generators.cpp: the input library
void bind_analysis(pybind11::module_& m);    // analysis.cpp: ionode.analysis
void bind_network(pybind11::module_& m);     // network.cpp: ionode.Network
void bind_check(pybind11::module_& m);       // check.cpp: ionode.check

// A value for a parameter, an initial state or noise, as the Python layer normalizes it: a float,
// a 1-D float64 array (one value per neuron, or per neuron and batch copy), or a tuple
// ("uniform", low, high) / ("normal", mean, sd). `what` names it in errors.
value_spec to_value_spec(pybind11::handle value, std::string_view what);

// An input's value as the Python layer normalized it (kind 'fix': a float or a flat array; 'iter': a
// 2-D array of rows by columns); 'func' inputs are the runner's own (runner.cpp).
input input_from_python(const std::string& target, const std::string& kind, const pybind11::object& value,
                        const std::string& op, const std::string& origin);
// What a runner or a source recorded, as arrays that own the buffers (values (T, copies, columns)),
// with the step of each spike.
pybind11::dict recording_to_dict(recording&& r, std::vector<std::int64_t> spike_steps);

// A NumPy array that owns `values` (moved, not copied): the vector lives in a capsule that is the
// array's base, freed with the last array viewing it.
template <class T>
pybind11::array_t<T> to_numpy(std::vector<T>&& values, std::vector<pybind11::ssize_t> shape) {
  auto* owner = new std::vector<T>(std::move(values));
  pybind11::capsule base(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return pybind11::array_t<T>(std::move(shape), owner->data(), base);
}

}  // namespace ionode::python
