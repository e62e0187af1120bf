// Where a runner hands what it records while a run goes on, so that long runs need bounded memory.
#pragma once

#include <cstddef>

namespace ionode {

struct recording;

// A destination for recorded samples and spikes, called by runner::run between steps (never from
// the worker threads). Result files implement it (ionode/io/result_file.hpp); so can a user's
// analysis that consumes samples as they come.
class recording_sink {
 public:
  virtual ~recording_sink() = default;
  // `block` holds the samples (ts, values) and spikes recorded since the previous call, in the
  // layout of `recording`: block.first_sample and block.first_spike say where they start in the
  // whole run. Errors are thrown; the runner stops and passes them on.
  virtual void write(const recording& block) = 0;
};

// How much a runner buffers before it hands a block to its sink: 4 MiB of sample values. Measured
// (docs/performance.md): .h5 writes fastest with blocks of 1 to 4 MiB, about half as fast at 64 KiB
// where HDF5's per-block work dominates; larger blocks only cost memory.
inline constexpr std::size_t default_block_bytes = std::size_t{4} << 20;

}  // namespace ionode
