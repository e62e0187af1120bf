// The neurons [first, first + count) of a population's description: every per-neuron list sliced to
// them and drawn values keyed by global index (population_options::first), so that the part holds
// exactly the values those neurons have in the whole. A network's rank builds its part with it, and
// `ionode check` its sample.
#pragma once

#include <cstddef>

#include "ionode/input.hpp"
#include "ionode/population_options.hpp"

namespace ionode {

// `whole` has no batch axis. Errors (a list of the wrong length) name the whole population's sizes.
population_options part_of(const population_options& whole, std::size_t first, std::size_t count);

// An input of the whole (its neurons' values, a shared value, a time series with one column or one per
// neuron, a function of time) restricted to the part. `description` names it in errors ("file I.npy").
input part_of(const input& whole, std::size_t neurons, std::size_t first, std::size_t count,
              const std::string& description);

}  // namespace ionode
