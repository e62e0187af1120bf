// For a C++ Python extension that offers its own models to the ionode Python module.
//
// Every extension module links its own copy of the ionode library, so ionode::register_model would
// fill that copy's registry, which the Python module never reads. The ionode module exposes its
// registry as a capsule (ionode._ionode._model_registry); registering there makes the model
// available as ionode.neurons.get(name) with every integrator, batching, inputs and monitors. The
// capsule's name carries ionode's version: an extension built against another version is refused
// rather than crashing on a different layout. Example: examples/connor_stevens/python_module.cpp.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "ionode/registry.hpp"
#include "ionode/version.hpp"

namespace ionode::python {

// The capsule's name: ionode's version, since the registry's layout may change between versions.
inline std::string registry_capsule_name() {
  return std::string("ionode ") + ionode::version + " model_registry";
}

// The registry of the ionode Python module (imports ionode._ionode).
inline model_registry& module_registry() {
  namespace py = pybind11;
  const py::object capsule = py::module_::import("ionode._ionode").attr("_model_registry");
  const std::string expected = registry_capsule_name();
  const char* name = PyCapsule_GetName(capsule.ptr());
  if (name == nullptr || expected != name) {
    throw py::import_error("this extension was built for " + expected + ", but the ionode module offers " +
                           (name == nullptr ? std::string("none") : std::string(name)) +
                           "; rebuild it against the installed ionode");
  }
  return *static_cast<model_registry*>(PyCapsule_GetPointer(capsule.ptr(), name));
}

// Registers a model type (satisfying ionode::neuron_model) with the Python module, under M::name or
// `name`. Call it from the extension's PYBIND11_MODULE.
template <class M>
void register_model(std::string summary = "", std::string name = "") {
  module_registry().add(make_model_entry<M>(std::move(summary), std::move(name)));
}

}  // namespace ionode::python
