// The model-independent part of a population: validated options, structure-of-arrays state and
// parameter columns. The model-specific kernels live in population_impl<M>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "ionode/detail/aligned_allocator.hpp"
#include "ionode/detail/input_term.hpp"
#include "ionode/integrators/method.hpp"
#include "ionode/model_info.hpp"
#include "ionode/population_options.hpp"

namespace ionode {

// One spike: the crossing time located inside the step, and the instance (b * N + i).
struct spike_event {
  double time;
  std::size_t instance;
};

namespace detail {

class thread_pool;
struct epoch_plan;

// How much of a step one call makes. A network steps several populations with one dispatch of the
// thread pool (no barrier between them): prepare on the calling thread, sweep on every team member k
// (0 <= k < pool->size(), concurrently; the pool is only the team's size here), merge on the calling
// thread after all of them; the result is bitwise that of whole, which does the three with its own
// dispatch. Not with an epoch.
enum class step_part { whole, prepare, sweep, merge };

struct step_request {
  method_id method = method_id::exp_auto;
  double t = 0.0;   // start of the step
  double dt = 0.1;  // length of the step
  std::uint64_t step_index = 0;  // the step's number since the runner's start: the noise's counter
  const method_options* options = nullptr;
  std::span<const input_term> inputs;          // folded into each neuron's inputs, in order
  std::vector<double>* step_sizes = nullptr;   // per instance, kept between calls (adaptive methods)
  std::vector<spike_event>* spikes = nullptr;  // appended to, in instance order
  thread_pool* pool = nullptr;                 // null: the calling thread only
  bool vectorize = true;                       // false: the scalar reference path
  // Set: advance every instance through epoch->steps (t, step_index and inputs from there, not from
  // above), each chunk of instances through all of them before the threads meet again.
  const epoch_plan* epoch = nullptr;
  // Set: called for each range [begin, end) of instances by the thread that steps it, just before
  // (every step of an epoch). A network computes the membrane ports' coupling of those instances
  // there, so that it runs on the threads, on data the sweep then finds in the cache.
  const std::function<void(std::size_t begin, std::size_t end)>* before_sweep = nullptr;
  step_part part = step_part::whole;
  std::size_t team_member = 0;  // step_part::sweep: which member of the team this call is
};

// What changes from one step of an epoch to the next.
struct epoch_step {
  double t = 0.0;
  std::uint64_t step_index = 0;
  std::span<const input_term> inputs;
};

// Several steps with one synchronization of the threads (the runner's epochs: runner.cpp says when).
// Every instance's arithmetic is that of one step at a time; only who waits for whom changes.
struct epoch_plan {
  std::span<const epoch_step> steps;
  // Called by the thread that swept instances [begin, end) once they finished step s of the epoch
  // (the runner records its monitored instances there); may be empty.
  std::function<void(std::size_t s, std::size_t begin, std::size_t end)> after_step;
  // Out: the epoch step of each spike appended to *spikes (spikes come step by step, each step's in
  // instance order, and only from the steps before a failing one).
  std::vector<std::size_t>* spike_steps = nullptr;
};

struct step_report {
  bool ok = true;
  std::size_t instance = 0;  // first failing instance
  std::size_t variable = 0;  // first non-finite variable of it
  bool step_size_underflow = false;
  std::size_t steps_done = 1;  // with an epoch: the steps every instance completed (the failing one's index)
};

// A parameter for every instance: one shared value, or one value per instance (padded like the state).
struct parameter_column {
  bool shared = true;
  double value = 0.0;
  aligned_vector<double> values;
  double at(std::size_t instance) const { return shared ? value : values[instance]; }
};

// Additive noise on one variable: sigma per instance (shared or one per instance, padded alike).
struct noise_column {
  std::size_t variable = 0;
  parameter_column sigma;
};

class population_base {
 public:
  population_base(model_info info, population_options options);
  virtual ~population_base() = default;
  population_base(const population_base&) = delete;
  population_base& operator=(const population_base&) = delete;

  // Advances every instance by one step.
  virtual step_report step(const step_request& request) = 0;
  // f(x) of one instance at its current state with the given inputs (one per input slot).
  virtual void derivative(std::size_t instance, const double* inputs, double* dxdt) const = 0;
  // f(x) of the instances [begin, end) at the state x (variable-major: x[v * stride + instance], any
  // stride >= instances()), the inputs folded from `terms` as a step folds them (coupling terms
  // included), into dxdt with the same layout. In double whatever the storage precision (a network
  // integrated as one system evaluates its populations through this, a range per thread).
  virtual void derivatives(std::span<const input_term> terms, const double* x, std::size_t stride, double* dxdt,
                           std::size_t begin, std::size_t end) const = 0;

  // Re-evaluates the initial state (same seed, same state).
  virtual void reset();
  // One state value as a double, whatever the storage precision.
  virtual double read(std::size_t variable, std::size_t instance) const = 0;
  // Sets one state value, rounded to the storage precision; index up to stride() (padding lanes too).
  virtual void write(std::size_t variable, std::size_t lane, double value) = 0;

  const model_info& info() const { return info_; }
  const population_options& options() const { return options_; }
  std::size_t size() const { return neurons_; }
  std::size_t copies() const { return copies_; }
  std::size_t instances() const { return neurons_ * copies_; }
  // Distance between two variables' columns: instances() rounded up to column_padding.
  std::size_t stride() const { return stride_; }

  // The double-precision state column of a variable; null for a float32 population.
  double* variable_data(std::size_t variable) {
    return state_.empty() ? nullptr : state_.data() + variable * stride_;
  }
  const double* variable_data(std::size_t variable) const {
    return state_.empty() ? nullptr : state_.data() + variable * stride_;
  }
  const parameter_column& parameter(std::size_t index) const { return parameters_[index]; }
  // The variables with noise (sigma > 0 somewhere), in variable order; empty for an ODE.
  const std::vector<noise_column>& noise() const { return noise_; }
  bool stochastic() const { return !noise_.empty(); }
  // Bytes of state and parameters held per instance (the memory a neuron costs).
  virtual double bytes_per_instance() const;

 protected:
  // The default initial value of a steady_state variable of one instance.
  virtual double steady_state(std::size_t variable, const double* x, const double* p) const = 0;
  void gather_parameters(std::size_t instance, double* p) const {
    for (std::size_t k = 0; k < parameters_.size(); ++k) p[k] = parameters_[k].at(instance);
  }

  model_info info_;
  population_options options_;
  std::size_t neurons_ = 0;
  std::size_t copies_ = 1;
  std::size_t stride_ = 0;
  // variable-major: state_[v * stride_ + instance]; lanes past instances() copy the last instance.
  aligned_vector<double> state_;
  std::vector<parameter_column> parameters_;
  std::vector<noise_column> noise_;

 private:
  void build_parameters();
  void build_noise();
};

}  // namespace detail
}  // namespace ionode
