// ionode_connor_stevens: a Python extension that offers the Connor-Stevens model to the ionode Python
// module. After `import ionode_connor_stevens`, ionode.neurons.get("ConnorStevens") (or
// ionode.neurons.ConnorStevens) is a neuron group like HH, with every integrator, batching, inputs
// and monitors. ionode::python::register_model adds the model to the registry of the ionode module
// itself, not to this extension's copy of the library (include/ionode/python/register_model.hpp).
#include <pybind11/pybind11.h>

#include <string>

#include "connor_stevens.hpp"
#include "ionode/python/register_model.hpp"

PYBIND11_MODULE(ionode_connor_stevens, m) {
  using model = ionode_examples::connor_stevens;
  m.doc() = "Registers the Connor-Stevens model with ionode: ionode.neurons.get('ConnorStevens')";
  ionode::python::register_model<model>(std::string(model::summary));
  // For the tests: a second registration under the same name is refused with ValueError.
  m.def("register_again", [] { ionode::python::register_model<model>(std::string(model::summary)); });
}
