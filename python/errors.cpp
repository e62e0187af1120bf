// C++ errors as Python exceptions, in one place: ionode::error (the user can fix the input) becomes
// ValueError; ionode::divergence_error becomes ionode.DivergenceError, a RuntimeError that says where
// (neuron, batch_index, variable, time). Anything else keeps pybind11's mapping (RuntimeError).
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "ionode/error.hpp"

namespace py = pybind11;

namespace ionode::python {

void bind_errors(py::module_& m) {
  static py::exception<divergence_error> divergence(m, "DivergenceError", PyExc_RuntimeError);
  divergence.doc() =
      "The state became non-finite during run(); the runner keeps what was recorded before (runner.mon). "
      "Attributes: neuron, batch_index, variable, time (ms, the start of the failing step).";
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const divergence_error& e) {
      py::object instance = py::handle(divergence.ptr())(e.what());  // an instance, to attach where
      instance.attr("neuron") = e.neuron();
      instance.attr("batch_index") = e.batch_index();
      instance.attr("variable") = e.variable();
      instance.attr("time") = e.time();
      PyErr_SetObject(divergence.ptr(), instance.ptr());
    } catch (const error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
}

}  // namespace ionode::python
