// `mpirun -np P ionode run CONFIG.toml` of a single population with a batch axis: the copies shared by
// the ranks, the one-process output written by rank 0 (docs/networks.md, "Ranks").
#pragma once

#include <cstddef>
#include <iosfwd>

#include "config.hpp"
#include "ionode/distributed/context.hpp"

namespace ionode::cli {

// Copies [first, first + count) of `copies` that rank `rank` of `ranks` runs: contiguous, rank 0 first,
// as equal as whole units allow (a unit is 1 copy, or with noise the fewest copies whose instances are a
// multiple of 4, so that the noise's packs stay whole); rank 0 always has some.
distributed::part copies_part(std::size_t copies, std::size_t neurons, bool noisy, int rank, int ranks);

// The part's configuration: batch = count, population.first = first x neurons (drawn values and noise
// keyed by the global instance), lists per neuron and copy sliced. Errors name the whole's sizes.
run_config batch_part_config(const run_config& whole, std::size_t first, std::size_t count);

// Every rank calls it. Each runs its copies into a hidden part file beside the output; rank 0 then merges
// them into the output, the one-process file value for value, and every rank removes its part. A
// divergence or an interruption on any rank cuts the output at the earliest step any rank stopped at,
// as the one-process run would have, and every rank throws it.
void run_batch_over_ranks(const run_config& config, bool quiet, std::ostream& out, distributed::context& world);

}  // namespace ionode::cli
