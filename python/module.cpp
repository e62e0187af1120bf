// The _ionode extension module: ionode's C++ engine for the Python package ionode (python/ionode/,
// which gives it BrainPy's names; docs/python.md).
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "ionode/version.hpp"

PYBIND11_MODULE(_ionode, m) {
  m.doc() = "ionode's C++ engine; use the package ionode (BrainPy's names), not this module directly";
  m.attr("__version__") = ionode::version;
  ionode::python::bind_errors(m);
  ionode::python::bind_models(m);
  ionode::python::bind_runner(m);
  ionode::python::bind_generators(m);
  ionode::python::bind_analysis(m);
  ionode::python::bind_network(m);
  ionode::python::bind_check(m);
}
