// The runner for Python: inputs of every kind (a 'func' input calls back into Python before each
// step), monitors (function monitors: a Python sampler after each recorded step), run() with the GIL
// released, and what was recorded handed to NumPy without a copy.
#include "ionode/runner.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <optional>

#include "bindings.hpp"
#include "ionode/error.hpp"
#include "progress_bar.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace ionode::python {

namespace {

// A Python callable kept alive by C++ objects that may be copied or destroyed without the GIL (the
// runner's input list): its reference count is only touched with the GIL held.
std::shared_ptr<py::object> hold(py::object object) {
  return {new py::object(std::move(object)), [](py::object* p) {
            py::gil_scoped_acquire gil;
            delete p;
          }};
}

// A runner together with the population it drives (a population is a shared handle, so this copy
// shares its state with the Python group). Never moved: the runner's progress callback points here.
class python_runner {
 public:
  python_runner(population target, runner_options options)
      : population_(std::move(target)), runner_(population_, with_callback(std::move(options))) {}
  python_runner(const python_runner&) = delete;
  python_runner& operator=(const python_runner&) = delete;

  runner& core() { return runner_; }

  void add_input(const std::string& target, const std::string& kind, py::object value, const std::string& op,
                 const std::string& origin) {
    if (kind == "func") {
      // A list input whose values `value(step)` (the Python layer's FuncInput: N or B*N floats) sets
      // before each step (prepare_functions).
      input in{target, std::vector<double>(population_.size(), 0.0), parse_input_op(op), origin};
      functions_.push_back({inputs_added_, hold(std::move(value))});
      runner_.add_input(std::move(in));
      ++inputs_added_;
      return;
    }
    input in = input_from_python(target, kind, value, op, origin);
    runner_.add_input(std::move(in));
    ++inputs_added_;
  }

  // sampler(step) is called after every step whose number (step + 1) is a multiple of `every`,
  // with the GIL held: the Python layer's function monitors. None: no sampler.
  void set_sampler(py::object sampler, std::size_t every) {
    sampler_ = sampler.is_none() ? nullptr : hold(std::move(sampler));
    sample_every_ = every == 0 ? 1 : every;
  }

  // Runs with the GIL released (the caller holds it on entry).
  void run(double duration, bool progress_bar) {
    // Another Python thread may call run() on the same runner while this one runs without the GIL.
    if (running_.exchange(true)) throw busy();
    struct done {
      std::atomic<bool>& flag;
      ~done() { flag = false; }
    } guard{running_};
    runner_.check_run(duration);  // before the first step's functions are called
    first_step_ = runner_.steps_done();
    prepare_functions(first_step_);
    bar_.reset();
    if (progress_bar && isatty(STDERR_FILENO) == 1) {
      bar_ = std::make_unique<cli::progress_bar>(stderr, runner_.options().dt);
    }
    py::gil_scoped_release release;
    try {
      runner_.run(duration);
    } catch (...) {
      bar_.reset();  // ends the bar's line before the error is shown
      throw;
    }
    bar_.reset();
  }

  // Moves the recording out: arrays that own their buffers. Values are (T, copies, n), sample-major
  // as the runner stores them; the Python layer views them in BrainPy's order.
  py::dict take() {
    if (running_) throw busy();
    recording r = runner_.take_result();
    std::vector<std::int64_t> steps = std::move(spike_steps_);
    spike_steps_.clear();
    return recording_to_dict(std::move(r), std::move(steps));
  }

  void reset() {
    if (running_) throw busy();
    runner_.reset();
    spike_steps_.clear();
  }

 private:
  static error busy() {
    return error("this runner is running (in another thread); wait for its run() to return");
  }

  runner_options with_callback(runner_options options) {
    options.progress = [this](std::int64_t done, std::int64_t total) { after_step(done, total); };
    return options;
  }

  // After every step (GIL released): the step of each new spike, for BrainPy's dense spike monitor
  // (a spike's time alone could sit a rounding error away from a step boundary); the bar; and now
  // and then a look for Ctrl-C, which stops the run at this step boundary with KeyboardInterrupt.
  void after_step(std::int64_t done, std::int64_t total) {
    const std::size_t spikes = runner_.result().spike_times.size();
    const std::int64_t step = first_step_ + done - 1;  // the step just made
    if (spike_steps_.size() < spikes) spike_steps_.resize(spikes, step);
    if (bar_) bar_->update(done, total);
    if (sampler_ && (step + 1) % static_cast<std::int64_t>(sample_every_) == 0) {
      py::gil_scoped_acquire gil;
      (*sampler_)(step);
    }
    if (!functions_.empty() && done < total) {
      py::gil_scoped_acquire gil;
      prepare_functions(step + 1);
    }
    if (done % signal_check_interval == 0) {
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
  }

  // Sets each 'func' input's values for `step` (the GIL held).
  void prepare_functions(std::int64_t step) {
    for (const auto& [k, function] : functions_) {
      const auto values =
          py::array_t<double, py::array::c_style | py::array::forcecast>::ensure((*function)(step));
      if (!values || values.ndim() != 1) throw internal_error("a 'func' input must reach C++ as a flat array");
      runner_.set_input_values(k, {values.data(), static_cast<std::size_t>(values.size())});
    }
  }

  struct function_input {
    std::size_t input;  // its index among the runner's inputs
    std::shared_ptr<py::object> values;
  };

  static constexpr std::int64_t signal_check_interval = 4096;

  population population_;
  runner runner_;
  std::int64_t first_step_ = 0;
  std::vector<std::int64_t> spike_steps_;  // the step of each spike recorded since the last take()
  std::size_t inputs_added_ = 0;
  std::vector<function_input> functions_;
  std::shared_ptr<py::object> sampler_;
  std::size_t sample_every_ = 1;
  std::unique_ptr<cli::progress_bar> bar_;
  std::atomic<bool> running_{false};
};

}  // namespace

void bind_runner(py::module_& m) {
  py::class_<python_runner>(m, "Runner")
      .def(py::init([](population target, double dt, const std::string& method, double rtol, double atol,
                       long max_substeps, std::size_t threads, bool vectorize) {
             runner_options o;
             o.dt = dt;
             o.method = method;
             o.tolerances = {rtol, atol, max_substeps};
             o.threads = threads;
             o.vectorize = vectorize;
             return std::make_unique<python_runner>(std::move(target), std::move(o));
           }),
           py::arg("population"), py::arg("dt"), py::arg("method"), py::arg("rtol"), py::arg("atol"),
           py::arg("max_substeps"), py::arg("threads"), py::arg("vectorize"))
      .def("add_input", &python_runner::add_input, py::arg("target"), py::arg("kind"), py::arg("value"),
           py::arg("op"), py::arg("origin"))
      .def(
          "monitor",
          [](python_runner& r, std::vector<std::string> variables, std::vector<std::size_t> indices,
             std::size_t every) {
            r.core().monitor({std::move(variables), std::move(indices), every, true});
          },
          py::arg("variables"), py::arg("indices"), py::arg("every"))
      .def("set_sampler", &python_runner::set_sampler, py::arg("sampler"), py::arg("every"))
      .def("run", &python_runner::run, py::arg("duration"), py::arg("progress_bar"))
      .def("take", &python_runner::take)
      .def("reset", &python_runner::reset)
      .def_property_readonly("time", [](python_runner& r) { return r.core().time(); })
      .def_property_readonly("steps_done", [](python_runner& r) { return r.core().steps_done(); })
      .def_property_readonly("threads", [](python_runner& r) { return r.core().threads(); })
      .def_property_readonly("method", [](python_runner& r) { return r.core().method().name; });
}

}  // namespace ionode::python
