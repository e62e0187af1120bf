// What a run recorded, as the runner buffers it and the result files (io/) write it: the layout
// (variables, recorded neurons, batch copies) and a block of samples and spikes. The writers depend on
// this header only, not on the runner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ionode {

// What a run recorded. Sample j of a variable holds the state after the step that ends at ts[j]
// (BrainPy labels the same sample with the step's start time, ts[j] - dt). With a sink attached
// (runner::stream_to) it holds only what has not been handed to the sink yet: sample j here is
// sample first_sample + j of the run, spike s is spike first_spike + s.
struct recording {
  std::vector<double> ts;
  std::vector<std::string> variables;
  std::vector<std::size_t> indices;  // recorded neurons, in column order
  std::size_t copies = 1;            // batch copies recorded (B, or 1 without a batch axis)
  bool batch_axis = false;           // the population has a batch axis (outputs are (B, T, n))
  // values[variable][(sample * copies + b) * indices.size() + k]
  std::map<std::string, std::vector<double>> values;
  std::vector<double> spike_times;          // ms, the crossing located inside the step
  std::vector<std::int64_t> spike_indices;  // neuron index within the group
  std::vector<std::int64_t> spike_batch;    // batch copy of each spike
  std::vector<std::int64_t> spike_steps;    // the step in which each spike happened (t_n <= time <= t_n + dt)
  std::size_t first_sample = 0;             // samples already handed to a sink
  std::size_t first_spike = 0;              // spikes already handed to a sink
  bool complete = true;                     // false when a run stopped early (divergence, interruption)
  std::string stop_reason;

  std::size_t samples_recorded() const { return first_sample + ts.size(); }
  std::size_t spikes_recorded() const { return first_spike + spike_times.size(); }

  double value(const std::string& variable, std::size_t sample, std::size_t copy, std::size_t k) const {
    return values.at(variable)[(sample * copies + copy) * indices.size() + k];
  }
};

}  // namespace ionode
