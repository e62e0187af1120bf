// A rank's part of a population's configuration (a network run over MPI): the neurons
// [first, first + count) of the whole, with every per-neuron list sliced to them, drawn values keyed
// by global index (population_options::first) and the monitors' neurons that fall in the part.
#pragma once

#include <cstddef>
#include <vector>

#include "config.hpp"

namespace ionode::cli {

// The part's configuration. Errors (a list of the wrong length, a monitored neuron that does not exist)
// name the whole population's sizes, as a one-process run would.
run_config part_config(const run_config& whole, std::size_t first, std::size_t count);

// The number of neurons of a configuration's population (the product of its shape).
std::size_t neurons_of(const run_config& config);

// The columns of the whole population's recording (monitors.indices, or every neuron) that the part
// [first, first + count) records, in the order of its own columns: positions in the whole's columns.
std::vector<std::size_t> part_columns(const run_config& whole, std::size_t first, std::size_t count);

}  // namespace ionode::cli
