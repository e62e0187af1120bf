// Who connects to whom, with what weight and delay: the rules (all-to-all, one-to-one, Bernoulli
// probability, fixed in-degree, fixed out-degree, explicit lists), the per-synapse values (constant,
// drawn, given), and the synapses of one projection in presynaptic-major (CSR) order for delivery.
// Random choices come from Philox keyed by (seed, projection, neuron) with the draw as counter
// (random_stream), so a network comes out the same for any thread count and any order of building.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ionode::detail {
class thread_pool;
}

namespace ionode::network {

struct connection_rule {
  enum class kind { all_to_all, one_to_one, probability, in_degree, out_degree, explicit_list };
  kind type = kind::all_to_all;
  double p = 0.0;             // probability: each (pre, post) pair independently (Brian2's connect(p=))
  std::size_t degree = 0;     // in_degree: distinct sources per target; out_degree: distinct targets per source
  bool autapses = true;       // pre == post allowed (only meaningful when pre and post are one population)
  std::vector<std::int64_t> pre, post;  // explicit_list: local indices, one pair per synapse
};

// A weight or a delay per synapse.
struct synapse_values {
  enum class kind { constant, normal, uniform, lognormal, given };
  kind type = kind::constant;
  double a = 0.0;  // constant: the value; normal: mean; uniform: low; lognormal: mu (of the log)
  double b = 0.0;  // normal: standard deviation; uniform: high; lognormal: sigma (of the log)
  std::vector<double> values;  // given: one per synapse, in the order of the explicit list
};

// The synapses of one projection, grouped by presynaptic neuron (offsets[i] .. offsets[i + 1]), each
// group sorted by delay, then by postsynaptic neuron, then by the order of creation: the order in which
// events are delivered (docs/networks.md).
struct synapse_table {
  std::size_t pre_size = 0, post_size = 0;
  std::vector<std::uint64_t> offsets;   // pre_size + 1
  std::vector<std::uint32_t> post;      // per synapse
  std::vector<double> weight;           // per synapse, given values (double precision)
  std::vector<float> drawn_weight;      // per synapse, drawn values (rounded once to single precision)
  double constant_weight = 0.0;
  std::vector<std::uint16_t> delay;     // per synapse, in steps; empty: every synapse has constant_delay
  std::uint16_t constant_delay = 0;
  std::uint16_t max_delay = 0;

  std::size_t size() const { return post.size(); }
  // Neither vector set: every synapse has constant_weight.
  double weight_of(std::size_t s) const {
    return !weight.empty() ? weight[s] : !drawn_weight.empty() ? static_cast<double>(drawn_weight[s]) : constant_weight;
  }
  std::uint16_t delay_of(std::size_t s) const { return delay.empty() ? constant_delay : delay[s]; }
  double bytes() const;  // memory held, for the bytes-per-synapse figure
};

struct build_request {
  std::string name;  // the projection, for errors and for the random keys
  std::size_t pre_size = 0, post_size = 0;
  bool same_population = false;  // autapses only exist when pre and post are one population
  connection_rule rule;
  synapse_values weight;
  synapse_values delay;  // ms
  double dt = 0.1;       // ms: delays are rounded to whole steps (docs/networks.md)
  std::uint64_t seed = 0;
  bool allow_negative_weights = false;  // current-based synapses only
  // Set: the build runs on its threads (the table is the same for any number; null: this thread).
  detail::thread_pool* pool = nullptr;
  // The targets built here, [first_target, min(last_target, post_size)): a rank's part of the post
  // population. Every draw is keyed by the global target, so the part's table holds exactly the whole
  // table's synapses onto those targets, in the same order; its `post` indices count from first_target
  // and its post_size is the part's size.
  std::size_t first_target = 0;
  std::size_t last_target = static_cast<std::size_t>(-1);
};

// Builds (and checks: every error names the projection, the key, the value and what is allowed).
synapse_table build_synapses(const build_request& request);

// A delay in ms as whole steps: round to nearest, halves up (0.25 ms at dt = 0.1 is 3 steps); a value
// within 1e-9 relative of a whole number of steps counts as it.
std::uint16_t delay_steps(double delay_ms, double dt, const std::string& context);

}  // namespace ionode::network
