// The runner owns the time loop: per step it sets the clock, applies the inputs, integrates,
// detects spikes, records monitors and clears the inputs (docs/architecture.md).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ionode/detail/population_base.hpp"
#include "ionode/detail/thread_pool.hpp"
#include "ionode/input.hpp"
#include "ionode/integrators/method.hpp"
#include "ionode/population.hpp"
#include "ionode/recording.hpp"
#include "ionode/recording_sink.hpp"

namespace ionode {

struct runner_options {
  double dt = 0.1;                  // ms
  std::string method = "exp_auto";  // BrainPy's name (ionode methods lists them)
  method_options tolerances;        // adaptive methods only
  std::size_t threads = 0;          // 0: the machine's cores; results do not depend on it
  bool vectorize = true;            // false: the scalar reference path (same results to rounding)
  // Called after every step of run() with the steps done so far in this call and the steps it will
  // make (the last call has steps_done == steps_total), e.g. for a progress bar. It runs on the
  // runner's thread between steps, so keep it cheap (compare a counter; read the clock now and
  // then). Unset: one untaken branch per step.
  std::function<void(std::int64_t steps_done, std::int64_t steps_total)> progress;
  // false: progress may be called once per epoch of steps instead (a progress bar needs no more),
  // which keeps the threads' epochs (docs/architecture.md, "Epochs"); true: after every step (the
  // Python module sets inputs from it).
  bool progress_every_step = true;
  // Set: the threads to use (a network's populations share one pool); `threads` is then ignored.
  std::shared_ptr<detail::thread_pool> pool;
};

struct monitor_spec {
  std::vector<std::string> variables;  // state variables to record
  std::vector<std::size_t> indices;    // neurons to record (empty: all)
  std::size_t every = 1;               // record after every k-th step
  bool spikes = true;                  // record (time, neuron) of every spike
};

class runner {
 public:
  explicit runner(population& target, runner_options options = {});

  void add_input(input in);             // checks the target and shapes now
  // Replaces the values of input k (counted in the order added), which was added as a list: N or B*N
  // finite values, as add_input takes them. Between steps, e.g. from the progress callback: the
  // Python module's 'func' inputs set theirs so before each step.
  void set_input_values(std::size_t k, std::span<const double> values);
  // Replaces the monitor set; clears what was recorded. Not while a sink is attached (its file has
  // the old layout): detach it first.
  void monitor(monitor_spec spec);
  // Hands what is recorded to `sink` in blocks of about `block_bytes` of sample values (and of
  // spikes) instead of keeping it all; every run() hands over the rest before it returns or throws.
  // result() then holds only the samples not handed over yet. The sink must outlive the runs, or be
  // detached with stream_to(nullptr) (then the runner keeps everything again, the default). A sink
  // that throws is detached and its error stops the run.
  void stream_to(recording_sink* sink, std::size_t block_bytes = default_block_bytes);
  // run() checks *flag between steps and, once it is true, stops at that step boundary (a signal
  // handler may set it: std::atomic<bool> is lock-free here). nullptr: no flag.
  void stop_when(const std::atomic<bool>* flag) { stop_flag_ = flag; }
  // The checks run() makes before its first step, without running: a bad duration, a runner that
  // diverged, time-series inputs too short for the run. Throws ionode::error.
  void check_run(double duration) const;
  // Runs int(duration / dt) steps (a second call continues in time). Throws ionode::error for bad
  // input before any step; ionode::divergence_error if the state becomes non-finite, keeping
  // everything recorded up to the step before. After a divergence the population holds the
  // non-finite state (time() is the end of that step) and run() refuses to go on until reset().
  // Throws ionode::interrupted when the stop flag is set; the state is then that of a step
  // boundary and a later run() continues from it. Either way result().complete becomes false.
  void run(double duration);
  // Back to t = 0: the population's initial state (same seed), recordings cleared, inputs kept, the
  // sink detached (what it holds belongs to the runs before).
  void reset();
  // Moves what was recorded out, so that the caller owns the buffers (the Python module hands them
  // to NumPy without a copy), and starts an empty recording with the same monitors, as monitor() does.
  recording take_result();

  // ---- steps driven from outside, by a network (src/network/network.cpp) ----
  // Terms added to every step's inputs after the user's (the synaptic current of the membrane ports;
  // the values they point to are read at each step). Empty: none.
  void set_coupling(std::vector<detail::input_term> terms) { coupling_ = std::move(terms); }
  // One step: inputs, update, spikes, monitors, exactly as run() makes it (without the stop flag and
  // the progress callback, which the caller owns). Returns the step's spikes (instance order). Throws
  // divergence_error as run() does; the caller then calls end_steps with the reason. `before_sweep`,
  // if given, is called for each range of instances just before it is stepped (step_request).
  std::span<const spike_event> advance_one(
      const std::function<void(std::size_t begin, std::size_t end)>* before_sweep = nullptr);
  // advance_one in three calls, for a network that steps all its populations with one dispatch of the
  // pool (detail::step_part): begin_team_step prepares the step (inputs, the population's chunks) and
  // returns the request; sweep_team_step runs team member k's share (k < the pool's size, each on its
  // own thread, concurrently); end_team_step, after all of them, merges and records the step as
  // advance_one does and returns its spikes. Bitwise advance_one's step.
  detail::step_request begin_team_step(const std::function<void(std::size_t begin, std::size_t end)>* before_sweep);
  void sweep_team_step(detail::step_request request, std::size_t member);
  std::span<const spike_event> end_team_step(detail::step_request request);
  // The same step with the update made by the caller (a network integrated as one system,
  // src/network/whole_system.cpp): begin_step prepares the step's inputs and returns them as the
  // kernels fold them (the coupling terms last); the caller moves the population's state to the end
  // of the step; finish_step takes its spikes (instance order) and report, and records as
  // advance_one does (throwing divergence_error for a failed report).
  std::span<const detail::input_term> begin_step();
  void finish_step(const detail::step_report& report, std::span<const spike_event> spikes);
  // After the caller's last advance_one: hands the rest to the sink. With a reason (the run stopped),
  // marks the recording incomplete with it first (unless it already is) and never throws.
  void end_steps(const std::string* stop_reason = nullptr);

  // Continues from a checkpoint taken after `steps` steps (the population's state already set): the
  // next step is step `steps` (inputs, noise and samples count from there), and the samples and spikes
  // before it are already in the sink's output (first_sample, first_spike). Not with an adaptive
  // method, whose per-neuron step sizes are not restored.
  void resume_at(std::int64_t steps, std::size_t samples, std::size_t spikes);

  double time() const { return static_cast<double>(steps_done_) * options_.dt; }
  std::int64_t steps_done() const { return steps_done_; }
  const recording& result() const { return recording_; }
  const runner_options& options() const { return options_; }
  const method_info& method() const { return *method_; }
  std::size_t threads() const { return pool_ ? pool_->size() : 1; }
  population& target() { return population_; }

 private:
  detail::step_request make_request();  // what every step shares: method, dt, buffers, threads
  void prepare_inputs(std::int64_t step, double t);
  void finish_step(const detail::step_report& report);  // the spikes in step_spikes_
  void record(std::int64_t step);
  void check_noise_support() const;  // the method takes noise exactly when the population has it
  // The step's (or epoch's) spikes: from step first_step, or first_step + (*epoch_steps)[k] for spike k.
  void record_spikes(std::int64_t first_step, const std::vector<std::size_t>* epoch_steps = nullptr);
  void check_inputs_cover(std::int64_t last_step) const;
  void run_steps(std::int64_t steps);
  bool epochs_apply() const;  // several steps per meeting of the threads (runner.cpp says when)
  void run_epochs(std::int64_t steps, detail::step_request request);
  std::int64_t steps_within_block() const;  // the longest epoch that keeps a sink's blocks as step by step
  [[noreturn]] void diverge(const detail::step_report& report);      // the step that steps_done_ starts
  [[noreturn]] void stop_at_boundary(std::int64_t done, std::int64_t steps);  // the stop flag was set
  void hand_over();  // gives the buffered samples and spikes to the sink, if any

  population& population_;
  runner_options options_;
  const method_info* method_;
  std::vector<input> inputs_;
  std::vector<std::size_t> input_targets_;
  std::vector<detail::aligned_vector<double>> input_lists_;  // per-instance copies of list inputs
  std::vector<detail::input_term> terms_;                    // this step's inputs, as kernels see them
  std::shared_ptr<detail::thread_pool> pool_;
  std::vector<detail::input_term> coupling_;  // set_coupling
  monitor_spec monitors_;
  std::vector<std::size_t> monitored_variables_;
  recording recording_;
  std::vector<double> step_sizes_;  // adaptive methods: per-instance step size carried between steps
  std::vector<spike_event> step_spikes_;
  std::int64_t steps_done_ = 0;
  recording_sink* sink_ = nullptr;
  std::size_t block_values_ = 0;  // hand over when this many sample values (or spikes) are buffered
  const std::atomic<bool>* stop_flag_ = nullptr;
  std::string diverged_;  // where the last run diverged; run() refuses to continue until reset()
};

// Number of steps a duration makes: int(duration / dt), except that a ratio within rounding
// (1e-9 relative) of an integer counts as that integer, so 0.3 / 0.1 gives 3 steps, not 2.
std::int64_t steps_for(double duration, double dt);

}  // namespace ionode
