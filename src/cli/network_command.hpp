// `ionode run` of a network configuration: builds the network, streams each population's result into
// its own file (OUT.npz -> OUT.<population>.npz), prints a summary (docs/networks.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <iosfwd>
#include <string>

#include "ionode/distributed/context.hpp"
#include "network_config.hpp"

namespace ionode::cli {

// The file of one population: the output's stem, a dot, the population's name, the output's extension.
std::string population_output(const std::string& output, const std::string& population);

// Throws ionode::error for bad input (before any file is created) and for a divergence,
// run_interrupted for Ctrl-C; either way after finalizing every file with what was recorded.
void run_network_configuration(const network_config& config, bool quiet, std::ostream& out,
                               const std::function<void(std::int64_t, std::int64_t)>& progress = {});
// The same over the ranks of `world` (every rank calls it; rank 0 writes the files and the summary).
void run_network_configuration(const network_config& config, bool quiet, std::ostream& out,
                               const std::function<void(std::int64_t, std::int64_t)>& progress,
                               const std::shared_ptr<distributed::context>& world);

// The ranks this process runs with: MPI_COMM_WORLD when started by mpirun (an error when this build
// has no MPI and mpirun started several), else this process alone.
std::shared_ptr<distributed::context> command_world();

}  // namespace ionode::cli
