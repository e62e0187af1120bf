// Networks for Python (ionode.Network, and DSRunner over one): the populations are the groups' own
// population handles (so group.V shows the network's state), sources, projections from plain values
// that the Python layer has normalized (network::connect checks them again and names what is wrong),
// inputs and monitors per population, run() with the GIL released, and each population's recording
// handed to NumPy without a copy.
#include "ionode/network/network.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <atomic>
#include <memory>

#include "bindings.hpp"
#include "ionode/error.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace ionode::python {

namespace {

network::synapse_values values_of(const py::object& value) {
  network::synapse_values out;
  if (py::isinstance<py::array>(value)) {
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
    out.type = network::synapse_values::kind::given;
    out.values.assign(a.data(), a.data() + a.size());
  } else if (py::isinstance<py::tuple>(value)) {  // (distribution, a, b)
    const auto t = value.cast<py::tuple>();
    const auto name = t[0].cast<std::string>();
    out.type = name == "normal"    ? network::synapse_values::kind::normal
               : name == "uniform" ? network::synapse_values::kind::uniform
               : name == "lognormal"
                   ? network::synapse_values::kind::lognormal
                   : throw internal_error(fmt::format("unknown distribution '{}' from the Python layer", name));
    out.a = t[1].cast<double>();
    out.b = t[2].cast<double>();
  } else {
    out.a = value.cast<double>();
  }
  return out;
}

network::connection_rule rule_of(const py::dict& rule) {
  network::connection_rule out;
  const auto kind = rule["kind"].cast<std::string>();
  using k = network::connection_rule::kind;
  if (kind == "all_to_all") out.type = k::all_to_all;
  else if (kind == "one_to_one") out.type = k::one_to_one;
  else if (kind == "probability") out.type = k::probability;
  else if (kind == "in_degree") out.type = k::in_degree;
  else if (kind == "out_degree") out.type = k::out_degree;
  else if (kind == "explicit_list") out.type = k::explicit_list;
  else throw internal_error(fmt::format("unknown connection rule '{}' from the Python layer", kind));
  if (rule.contains("p")) out.p = rule["p"].cast<double>();
  if (rule.contains("degree")) out.degree = rule["degree"].cast<std::size_t>();
  if (rule.contains("autapses")) out.autapses = rule["autapses"].cast<bool>();
  if (rule.contains("pre")) out.pre = rule["pre"].cast<std::vector<std::int64_t>>();
  if (rule.contains("post")) out.post = rule["post"].cast<std::vector<std::int64_t>>();
  return out;
}

class python_network {
 public:
  python_network(double dt, std::size_t threads) : net_({.dt = dt, .threads = threads}) {
    net_.on_progress([this](std::int64_t done, std::int64_t) {
      // Now and then a look for Ctrl-C: KeyboardInterrupt stops the run at this step boundary, every
      // population's recording kept (network::run finalizes them on any exception).
      if (done % 4096 == 0) {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      }
    });
  }

  std::size_t add_population(const std::string& name, population pop, const std::string& method, double rtol,
                             double atol, long max_substeps, bool vectorize) {
    runner_options o;
    o.method = method;
    o.tolerances = {rtol, atol, max_substeps};
    o.vectorize = vectorize;
    net_.add_population(name, std::move(pop), std::move(o));
    return net_.population_count() - 1;
  }
  std::size_t add_poisson(const std::string& name, std::size_t size, std::vector<double> rates, std::uint64_t seed) {
    net_.add_source(name, std::make_unique<network::poisson_source>(size, std::move(rates), seed));
    return net_.population_count() - 1;
  }
  std::size_t add_spike_times(const std::string& name, std::size_t size, std::vector<std::int64_t> indices,
                              std::vector<double> times) {
    net_.add_source(name, std::make_unique<network::spike_times_source>(size, std::move(indices), std::move(times),
                                                                        net_.dt(), "group " + name));
    return net_.population_count() - 1;
  }

  // spec: name, pre, post, target, synapse {kind, tau, tau_rise, output, E, alpha, beta, theta, sigma},
  // rule (rule_of), weight and delay (values_of), seed.
  std::size_t connect(const py::dict& spec) {
    network::projection_spec p;
    p.name = spec["name"].cast<std::string>();
    p.pre = spec["pre"].cast<std::string>();
    p.post = spec["post"].cast<std::string>();
    p.target = spec["target"].cast<std::string>();
    const auto s = spec["synapse"].cast<py::dict>();
    p.synapse.kind = network::kind_from_name(s["kind"].cast<std::string>(), "synapse");
    p.synapse.tau = s["tau"].cast<double>();
    p.synapse.tau_rise = s["tau_rise"].cast<double>();
    p.synapse.output = s["output"].cast<std::string>() == "current" ? network::synapse_output::current
                                                                       : network::synapse_output::conductance;
    p.synapse.E = s["E"].cast<double>();
    p.synapse.alpha = s["alpha"].cast<double>();
    p.synapse.beta = s["beta"].cast<double>();
    p.synapse.theta = s["theta"].cast<double>();
    p.synapse.sigma = s["sigma"].cast<double>();
    p.rule = rule_of(spec["rule"].cast<py::dict>());
    p.weight = values_of(spec["weight"]);
    p.delay = values_of(spec["delay"]);
    p.seed = spec["seed"].cast<std::uint64_t>();
    net_.connect(std::move(p));
    return net_.projection_count() - 1;
  }

  void add_input(std::size_t k, const std::string& target, const std::string& kind, const py::object& value,
                 const std::string& op, const std::string& origin) {
    input in = input_from_python(target, kind, value, op, origin);
    net_.runner_at(k).add_input(std::move(in));
  }

  void run(double duration) {
    if (running_.exchange(true)) throw error("this network is running (in another thread); wait for run() to return");
    struct done {
      std::atomic<bool>& flag;
      ~done() { flag = false; }
    } guard{running_};
    py::gil_scoped_release release;
    net_.run(duration);
  }

  py::dict take(std::size_t k) {
    recording r = net_.is_source(k) ? net_.source_result(k) : net_.runner_at(k).take_result();
    std::vector<std::int64_t> steps = r.spike_steps;
    return recording_to_dict(std::move(r), std::move(steps));
  }

  // The synapses of projection k as arrays (pre, post, weight, delay in steps), in delivery order.
  py::dict synapses(std::size_t k) const {
    const network::synapse_table& t = net_.synapses(k);
    std::vector<std::int64_t> pre, post;
    std::vector<double> weight;
    std::vector<std::int64_t> delay;
    pre.reserve(t.size());
    for (std::size_t i = 0; i < t.pre_size; ++i) {
      for (std::uint64_t s = t.offsets[i]; s < t.offsets[i + 1]; ++s) {
        pre.push_back(static_cast<std::int64_t>(i));
        post.push_back(t.post[s]);
        weight.push_back(t.weight_of(s));
        delay.push_back(t.delay_of(s));
      }
    }
    const auto n = static_cast<py::ssize_t>(pre.size());
    return py::dict("pre"_a = to_numpy(std::move(pre), {n}), "post"_a = to_numpy(std::move(post), {n}),
                    "weight"_a = to_numpy(std::move(weight), {n}), "delay"_a = to_numpy(std::move(delay), {n}));
  }

  std::vector<std::string> receptor_variables(std::size_t k) { return net_.receptor_of(k).variable_names(); }
  std::vector<double> receptor_state(std::size_t k, std::size_t v) { return net_.receptor_of(k).variable(v); }
  // value: a float, one value per postsynaptic neuron, or an initializer's tuple (to_value_spec).
  void set_receptor_state(std::size_t k, const std::string& variable, const py::object& value) {
    net_.set_receptor_state(k, variable, to_value_spec(value, fmt::format("initial {}", variable)));
  }

  network::network& core() { return net_; }

 private:
  network::network net_;
  std::atomic<bool> running_{false};
};

}  // namespace

void bind_network(py::module_& m) {
  // A connector's synapses on their own (BrainPy's conn.require before any network): the same draws as
  // a projection named `name` with that seed.
  m.def(
      "build_synapses",
      [](const std::string& name, std::size_t pre_size, std::size_t post_size, bool same, const py::dict& rule,
         std::uint64_t seed) {
        network::build_request request;
        request.name = name;
        request.pre_size = pre_size;
        request.post_size = post_size;
        request.same_population = same;
        request.rule = rule_of(rule);
        request.seed = seed;
        const network::synapse_table t = network::build_synapses(request);
        std::vector<std::int64_t> pre, post;
        for (std::size_t i = 0; i < t.pre_size; ++i) {
          for (std::uint64_t s = t.offsets[i]; s < t.offsets[i + 1]; ++s) {
            pre.push_back(static_cast<std::int64_t>(i));
            post.push_back(t.post[s]);
          }
        }
        const auto n = static_cast<py::ssize_t>(pre.size());
        return py::dict("pre"_a = to_numpy(std::move(pre), {n}), "post"_a = to_numpy(std::move(post), {n}));
      },
      py::arg("name"), py::arg("pre_size"), py::arg("post_size"), py::arg("same"), py::arg("rule"), py::arg("seed"));

  py::class_<python_network>(m, "Network")
      .def(py::init<double, std::size_t>(), py::arg("dt"), py::arg("threads"))
      .def("add_population", &python_network::add_population, py::arg("name"), py::arg("population"),
           py::arg("method"), py::arg("rtol"), py::arg("atol"), py::arg("max_substeps"), py::arg("vectorize"))
      .def("add_poisson", &python_network::add_poisson, py::arg("name"), py::arg("size"), py::arg("rates"),
           py::arg("seed"))
      .def("add_spike_times", &python_network::add_spike_times, py::arg("name"), py::arg("size"), py::arg("indices"),
           py::arg("times"))
      .def("connect", &python_network::connect, py::arg("spec"))
      .def("add_input", &python_network::add_input, py::arg("population"), py::arg("target"), py::arg("kind"),
           py::arg("value"), py::arg("op"), py::arg("origin"))
      .def(
          "monitor",
          [](python_network& n, std::size_t k, std::vector<std::string> variables, std::vector<std::size_t> indices,
             std::size_t every) {
            n.core().runner_at(k).monitor({std::move(variables), std::move(indices), every, true});
          },
          py::arg("population"), py::arg("variables"), py::arg("indices"), py::arg("every"))
      .def("run", &python_network::run, py::arg("duration"))
      .def("take", &python_network::take, py::arg("population"))
      .def("synapses", &python_network::synapses, py::arg("projection"))
      .def("receptor_variables", &python_network::receptor_variables, py::arg("projection"))
      .def("receptor_state", &python_network::receptor_state, py::arg("projection"), py::arg("variable"))
      .def("set_receptor_state", &python_network::set_receptor_state, py::arg("projection"), py::arg("variable"),
           py::arg("value"))
      .def_property_readonly("time", [](python_network& n) { return n.core().time(); })
      .def_property_readonly("steps_done", [](python_network& n) { return n.core().steps_done(); })
      .def_property_readonly("threads", [](python_network& n) { return n.core().threads(); })
      .def_property_readonly("one_system", [](python_network& n) { return n.core().integrates_as_one_system(); });
}

}  // namespace ionode::python
