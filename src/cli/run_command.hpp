// `ionode run`: builds the population and runner from a configuration, runs, writes the result.
#pragma once

#include <iosfwd>
#include <string>

#include "config.hpp"

namespace ionode::cli {

// Runs the configuration and writes its output. Prints a summary on `out` unless quiet. Throws
// ionode::error for bad input (before any step) and for a divergence (after writing what was
// recorded, marked incomplete).
void run_configuration(const run_config& config, bool quiet, std::ostream& out);

// The metadata stored with a result (JSON text): model, options, parameters, method, dt, seed...
std::string result_metadata(const run_config& config, const population& pop, const runner& run);

}  // namespace ionode::cli
