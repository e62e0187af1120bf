// A network: named populations (each a population with its own runner: method, inputs, monitors,
// recording) and projections between them (synapse_table + receptor), advanced together with one dt.
// Step n (docs/networks.md):
//   1. each population's membrane ports get the receptors' current, sum_r g_r (E_r - V) / (C area),
//      with V the variable being integrated (membrane_current.hpp); then the gates of graded synapses
//      move over the step with the presynaptic voltages at t_n;
//   2. every population integrates t_n -> t_n + dt (its runner's advance_one: inputs, update, spikes,
//      monitors);
//   3. every receptor decays exactly over dt;
//   4. the events due at step n are applied: those of the spikes of step n - d, for each delay d of
//      each projection, in the canonical order (source step, presynaptic population and neuron,
//      projection, synapse), so a spike of step n acts from step n + 1 + d (Brian2's order).
// With an adaptive method, 1 and 2 are one integration of the whole network (whole_system.cpp): the
// coupling is evaluated at every stage instead of held at t_n; 3 and 4 are unchanged.
// All of it is a pure function of the configuration and the seeds: bitwise the same for any thread
// count, and for any number of ranks (network_options::context): each rank holds a part of every
// population (distributed::part_of) and the synapses onto it, and the ranks exchange their spikes once
// per epoch of min delay + 1 steps (docs/networks.md, "Ranks").
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ionode/distributed/context.hpp"
#include "ionode/initializer.hpp"
#include "ionode/network/connectivity.hpp"
#include "ionode/network/spike_source.hpp"
#include "ionode/network/synapse.hpp"
#include "ionode/population.hpp"
#include "ionode/runner.hpp"

namespace ionode::integrators {
struct system_outcome;  // adaptive_system.hpp
}

namespace ionode::network {

struct network_options {
  double dt = 0.1;           // ms, for every population
  std::size_t threads = 0;   // shared by the populations; 0: the machine's cores
  // The ranks this network is spread over (distributed/mpi.hpp); null: this process alone.
  std::shared_ptr<distributed::context> context;
};

struct projection_spec {
  std::string name;          // default "pre->post"
  std::string pre, post;     // population names
  std::string target;        // the post model's membrane port ("soma", "dendrite"); empty: its first
  synapse_spec synapse;
  connection_rule rule;
  synapse_values weight;     // mS/cm^2 (conductance) or uA/cm^2 (current)
  synapse_values delay;      // ms
  std::uint64_t seed = 0;
};

class network {
 public:
  explicit network(network_options options = {});
  ~network();
  network(const network&) = delete;
  network& operator=(const network&) = delete;

  // Adds a population; `options` gives its method, tolerances and vectorization (dt and threads are
  // the network's). Returns its runner (add inputs and monitors there). Names are unique.
  runner& add_population(std::string name, population pop, runner_options options = {});
  // The same for a network over several ranks: `neurons` in the whole population, `part` this rank's
  // part of it (part_of(neurons)), built with population_options::first = its first neuron; none when
  // the part is empty (the population's model is then `model`). Returns the part's runner, or null.
  runner* add_population_part(std::string name, std::size_t neurons, const model_info& model,
                              std::optional<population> part, runner_options options = {});
  // This rank's part of a population of `neurons`.
  distributed::part part_of(std::size_t neurons) const;
  distributed::context& context() const { return *context_; }
  // False when this rank holds no neuron of population k (population_at and runner_at are then not
  // available); always true on one process.
  bool has_part(std::size_t k) const { return members_[k].source != nullptr || members_[k].pop != nullptr; }
  // The first neuron of this rank's part of member k.
  std::size_t first_of(std::size_t k) const { return members_[k].first; }
  // Called on every rank at the end of an epoch, after the exchange, when some rank's wants_flush()
  // said yes (then on all of them at once: flush may use the context's collectives).
  void on_exchange(std::function<bool()> wants_flush, std::function<void()> flush) {
    wants_flush_ = std::move(wants_flush);
    flush_ = std::move(flush);
  }
  // ---- checkpoints (docs/networks.md, "Checkpoints") ----
  // Calls `write` after every `steps`-th step of a run (counted from t = 0), on every rank at once, when
  // the spikes of every step so far are known everywhere (an exchange is made then); 0: never.
  void checkpoint_every(std::int64_t steps, std::function<void()> write) {
    checkpoint_steps_ = steps;
    checkpoint_ = std::move(write);
  }
  // The spikes that later steps may still deliver: those of the steps [steps_done - history + 1,
  // steps_done), per member, with their steps; every rank holds all of them (global indices).
  struct spike_history {
    std::vector<std::int64_t> steps;                      // per spike
    std::vector<std::uint32_t> neurons;                   // per spike, ascending within a step
  };
  std::vector<spike_history> recent_spikes() const;
  // A source's recording continues a file that already holds `spikes` of its spikes (a resumed run).
  void resume_source_output(std::size_t k, std::size_t spikes) { members_[k].fired.first_spike = spikes; }
  // Continues from a checkpoint taken after `steps` steps: the states are set by the caller (the
  // populations' parts, the receptors); `recent` is recent_spikes() as it was then. Before any run.
  // Collective (the history's length is every rank's).
  void resume_at(std::int64_t steps, const std::vector<spike_history>& recent);
  // What the exchanges between ranks cost so far (none on one process): epochs, the bytes every rank
  // received (spike records and, with graded synapses, voltages), and the wall time spent in them
  // (waiting for the slowest rank included).
  struct exchange_stats {
    std::int64_t epochs = 0;
    std::uint64_t bytes = 0;
    double seconds = 0.0;
  };
  const exchange_stats& exchanges() const { return exchange_stats_; }
  // Steps between exchanges of spikes: the shortest delay of any event-driven projection + 1 (a
  // spike acts at the earliest at the end of step n + delay), at most 1000; 1 with graded synapses.
  std::int64_t epoch_steps() const { return epoch_; }
  // Adds a spike source (Poisson, spike times): a population that only fires; it projects like any
  // other but cannot be a projection's target. Its spikes are recorded (source_result).
  void add_source(std::string name, std::unique_ptr<spike_source> source);
  bool is_source(std::size_t k) const { return members_[k].source != nullptr; }
  const spike_source& source_at(std::size_t k) const { return *members_[k].source; }
  // What a source recorded (spike times at the start of their step, indices, steps); with a sink, the
  // part not handed over yet, as runner::result.
  const recording& source_result(std::size_t k) const { return members_[k].fired; }
  void stream_source_to(std::size_t k, recording_sink* sink, std::size_t block_bytes = default_block_bytes);
  // The number of neurons of member k (population or source), in the whole network.
  std::size_t size_of(std::size_t k) const;

  // Builds a projection's synapses (errors name the projection, the key, the value, what is allowed);
  // over several ranks, the synapses onto this rank's part (collective: an error on any rank is every
  // rank's).
  void connect(projection_spec spec);

  std::size_t population_count() const { return members_.size(); }
  const std::string& population_name(std::size_t k) const { return members_[k].name; }
  std::size_t population_index(std::string_view name) const;  // throws, listing the names
  population& population_at(std::size_t k) { return *members_[k].pop; }  // not for a source
  runner& runner_at(std::size_t k) { return *members_[k].run; }
  const model_info& model_of(std::size_t k) const { return members_[k].model; }  // not for a source
  runner& runner_of(std::string_view name) { return runner_at(population_index(name)); }

  std::size_t projection_count() const { return projections_.size(); }
  const projection_spec& projection(std::size_t k) const { return projections_[k].spec; }
  const synapse_table& synapses(std::size_t k) const { return projections_[k].table; }
  receptor& receptor_of(std::size_t k) { return projections_[k].state; }
  std::size_t projection_index(std::string_view name) const;
  // Sets a receptor state variable of projection k ("g", "g_rise", ...) before the first run: one
  // value, one per postsynaptic neuron, or an initializer drawn from the projection's seed (stream
  // "initial:<projection>.<variable>"), a drawn conductance clipped at zero (Brian2's COBAHH:
  // ge0 = max(ge0, 0)). Errors name the projection, the variable, what is allowed.
  void set_receptor_state(std::size_t k, std::string_view variable, const value_spec& spec);

  // Stops run() at the next step boundary once *flag is true (the CLI's SIGINT handler).
  void stop_when(const std::atomic<bool>* flag) { stop_flag_ = flag; }
  // Called after each step with (steps done, steps of this run).
  void on_progress(std::function<void(std::int64_t, std::int64_t)> progress) { progress_ = std::move(progress); }

  // Runs int(duration / dt) steps; a second call continues. Errors and divergence as runner::run,
  // the messages prefixed with the population; every population's recording is kept, and marked
  // incomplete when the run stops early.
  void run(double duration);
  // True when every population uses an adaptive method: the network is then integrated as one
  // system (whole_system.cpp: the populations, the graded gates and the receptors' exact decay inside
  // every stage of one embedded pair with one error control), so the coupling is as accurate as the
  // cells; otherwise each population takes its own fixed step with the coupling held at t_n.
  bool integrates_as_one_system() const;
  double time() const;
  double dt() const { return options_.dt; }
  std::size_t threads() const;
  std::int64_t steps_done() const { return steps_done_; }

 private:
  struct member {
    std::string name;
    std::size_t neurons = 0;           // in the whole population
    std::size_t first = 0, local = 0;  // this rank's part: neurons [first, first + local)
    model_info model;                  // a population's (also without a part here)
    std::unique_ptr<population> pop;
    std::unique_ptr<runner> run;
    std::unique_ptr<spike_source> source;  // set for a source (then pop and run are not)
    recording fired;                       // a source's spikes
    recording_sink* sink = nullptr;
    std::size_t block_spikes = 0;
    // Per membrane port: the two hidden inputs (b = sum g / (C a), a = sum g E / (C a)), per instance.
    std::vector<std::vector<double>> conductance, drive;
    std::vector<std::vector<double>> scale;  // per port: 1 / (C share) per instance (set_scales)
    std::vector<std::size_t> incoming;  // projections onto it, in order
    std::vector<std::size_t> outgoing;  // projections from it, in order
    // Set at run(): the ports' coupling and the receptors' decay go into the threads' sweep of this
    // population (couple_and_decay through runner::advance_one) rather than before and after it.
    bool coupled_in_sweep = false;
    std::function<void(std::size_t begin, std::size_t end)> before_sweep;
  };
  struct projection_state {
    projection_spec spec;
    std::size_t pre = 0, post = 0, port = 0;
    synapse_table table;
    receptor state;
  };

  // The membrane ports' inputs from the receptors, as they are tau ms into the step (no events).
  void couple(member& m, double tau = 0.0);
  // For instances [begin, end) of a member whose incoming projections are all event-driven: couple(m)
  // and the decay of its receptors over the step, on the thread that steps those instances.
  void couple_and_decay(member& m, std::size_t begin, std::size_t end);
  void scale_ports(member& m, std::size_t begin, std::size_t end);  // the ports' sums times 1 / (C share)
  std::vector<detail::step_request> team_requests_;  // per member: this step's request (run(), threads)
  void set_scales(member& m);            // the ports' 1 / (C share), when a run starts
  void hand_over(member& m);             // a source's recorded spikes to its sink
  void end_steps(const std::string* stop_reason);  // every member's recording handed over (and marked)
  void check_name(const std::string& name) const;
  void deliver(std::int64_t step);       // the events due at the end of `step`
  // One step's work before the delivery: coupling, gates, every population's step, the sources, decay.
  // Local spikes (global indices) go to `fired(k)`.
  void compute_step(std::int64_t step, bool whole, bool team, std::size_t history);
  // Over several ranks: every rank's spikes of the steps since the last exchange into the history, and
  // the flags; true when a stop was asked for on some rank. Rethrows the lowest failing rank's error.
  bool exchange(std::int64_t last_step, std::size_t history, const std::exception_ptr& failure, bool stop);
  void gather_voltages(const member& pre, std::size_t variable);  // every rank's voltages into voltages_
  // A dry run's exchange: every rank's record made from this one's (context::emulated).
  std::vector<std::uint32_t> emulate_exchange(const std::vector<std::uint32_t>& mine, std::size_t steps,
                                              std::vector<std::size_t>& counts) const;
  void update_gates();                   // graded synapses: the gates over one step
  std::size_t history_length() const;    // steps of spikes kept: the longest delay + 1
  // A network integrated as one system (src/network/whole_system.cpp).
  struct whole_system;
  void check_methods() const;            // all adaptive (then one method) or all fixed-step
  void prepare_whole_system();           // the layout of the one state vector
  void advance_whole_system();           // every population over one step: states, spikes, reports
  void system_derivative(double tau, const double* y, double* dydt);
  integrators::system_outcome advance_with_cvode(double t0);  // method cvode: the step by CVODE

  network_options options_;
  std::shared_ptr<detail::thread_pool> pool_;
  std::deque<member> members_;
  std::deque<projection_state> projections_;
  // spikes_[k][step % history]: the neurons of population k that spiked in that step, ascending.
  std::vector<std::vector<std::vector<std::uint32_t>>> spikes_;
  std::int64_t steps_done_ = 0;
  std::vector<double> voltages_;  // scratch: a presynaptic population's voltages (all ranks')
  std::shared_ptr<distributed::context> context_;
  std::int64_t epoch_ = 1;
  // Over several ranks: this rank's spikes of each step since the last exchange, per member.
  std::vector<std::vector<std::vector<std::uint32_t>>> pending_;
  std::int64_t pending_first_ = 0;  // the step of pending_[0]
  std::vector<std::uint32_t> gid_offsets_;  // member k's global ids start at gid_offsets_[k] (and a last end)
  std::function<bool()> wants_flush_;
  std::function<void()> flush_;
  std::exception_ptr flush_failure_;
  exchange_stats exchange_stats_;
  std::int64_t checkpoint_steps_ = 0;
  std::function<void()> checkpoint_;  // a flush that failed here, reported at the next exchange
  std::unique_ptr<whole_system> system_;  // set when integrates_as_one_system()
  std::string diverged_;  // where a run diverged: the network cannot continue
  const std::atomic<bool>* stop_flag_ = nullptr;
  std::function<void(std::int64_t, std::int64_t)> progress_;
};

}  // namespace ionode::network
