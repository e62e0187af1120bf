// Checkpoints of a network run (docs/networks.md, "Checkpoints"): the complete state after a step, in
// one HDF5 file in the one-process layout (every population's variables, every receptor's state, the
// spikes that delays still carry, the step, the outputs' positions), so that a run continues from it
// bitwise as if it had not stopped, on any number of ranks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ionode/network/network.hpp"
#include "network_config.hpp"

namespace ionode::cli {

// Where each population's output file was when the checkpoint was taken.
struct output_positions {
  std::vector<std::string> paths;
  std::vector<std::size_t> samples, spikes;
};

// The checkpoint file for an output path: OUT.npz -> OUT.checkpoint.h5.
std::string default_checkpoint_path(const std::string& output);

// Writes the state of `net` after its steps_done() steps to `path`. Collective: every rank sends its
// parts to rank 0, which writes `path` whole (into a temporary file renamed over it at the end, so a
// run killed while writing keeps the checkpoint before).
void write_checkpoint(network::network& net, const network_config& config, const output_positions& outputs,
                      const std::string& path);

// Sets `net` (built from `config`, no step run yet) to the state in `path` and returns the step and the
// outputs' positions. Every rank reads its own parts. Throws ionode::error when the file is not a
// checkpoint or was written for another network (naming what differs).
struct resumed {
  std::int64_t steps = 0;
  output_positions outputs;
};
resumed resume_from_checkpoint(network::network& net, const network_config& config, const std::string& path);

}  // namespace ionode::cli
