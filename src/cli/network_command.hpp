// `ionode run` of a network configuration: builds the network, streams each population's result into
// its own file (OUT.npz -> OUT.<population>.npz), prints a summary (docs/networks.md).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include "network_config.hpp"

namespace ionode::cli {

// The file of one population: the output's stem, a dot, the population's name, the output's extension.
std::string population_output(const std::string& output, const std::string& population);

// Throws ionode::error for bad input (before any file is created) and for a divergence,
// run_interrupted for Ctrl-C; either way after finalizing every file with what was recorded.
void run_network_configuration(const network_config& config, bool quiet, std::ostream& out,
                               const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace ionode::cli
