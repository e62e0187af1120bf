// Firing rate against a parameter (f-I curves): every value at once in one batched population, or
// up and down sweeps that carry the state over from one value to the next (hysteresis).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "ionode/registry.hpp"

namespace ionode::analysis {

struct fi_options {
  std::string param = "I";                // an input (by name, or I: the first one) or a parameter
  std::map<std::string, double> params;   // values of the other parameters (unset: the defaults)
  std::map<std::string, double> inputs;   // constant inputs other than `param` (unset: 0)
  std::map<std::string, double> initial;  // the initial state by variable (unset: the model's default)
  double transient = 1000.0;              // ms, discarded
  double window = 2000.0;                 // ms, over which the rate is measured
  // Sweeps of an input: at the start of each value's transient the input moves linearly from the
  // previous value to the new one over this time (ms), so that the state follows the attractor it
  // is on (a step can kick it into another basin). Capped at the transient.
  double ramp = 100.0;
  double dt = 0.01;  // ms
  std::string method = "rk4";
  std::size_t threads = 0;  // for the batched curve; 0: the machine's cores
  // The batched curve's values are copies first_copy, first_copy + 1, ... of all the values asked for (a
  // rank's part): a drawn initial state is keyed by that index, so a part gives the whole's numbers.
  std::size_t first_copy = 0;
};

struct fi_curve {
  std::vector<double> param;
  std::vector<double> rate_hz;      // inverse mean inter-spike interval in the window; 0 below 2 spikes
  std::vector<std::size_t> spikes;  // spikes in the window
  std::vector<std::vector<double>> state;  // the state at the end of each value's run
};

// The rate of a spike train over [t0, t1] (ms): (n - 1) / (t_last - t_first) for the n >= 2 spikes
// in the window, in Hz; 0 for fewer than 2 spikes.
double firing_rate(const std::vector<double>& spike_times, double t0, double t1);

// Every value from the same initial state: one population with a batch axis of values.size()
// copies and a per-copy input (or parameter), run on the runner's threads.
fi_curve fi_from_state(const model_entry& entry, const model_options& options,
                       const std::vector<double>& values, const fi_options& fi);

// The values in the order given (increasing: an up sweep, decreasing: a down sweep), each run
// starting from the state the previous one ended in (the first from fi.initial), an input ramped
// from the previous value (fi.ramp), a parameter changed at once.
fi_curve fi_sweep(const model_entry& entry, const model_options& options, const std::vector<double>& values,
                  const fi_options& fi);

}  // namespace ionode::analysis
