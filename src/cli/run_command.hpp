// `ionode run`: builds the population and runner from a configuration, runs, writes the result.
#pragma once

#include <iosfwd>
#include <string>

#include "config.hpp"
#include "ionode/error.hpp"

namespace ionode::cli {

// A run stopped by SIGINT or SIGTERM; `ionode run` exits with 128 + signal (130 for Ctrl-C).
class run_interrupted : public interrupted {
 public:
  run_interrupted(const std::string& message, int signal) : interrupted(message), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

// Runs the configuration, streaming its output to the file as it goes. Prints a summary on `out`
// unless quiet. Throws ionode::error for bad input (before the output file is created) and for a
// divergence, run_interrupted for Ctrl-C; either way after finalizing the file with what was
// recorded, marked incomplete.
void run_configuration(const run_config& config, bool quiet, std::ostream& out);

// The metadata stored with a result (JSON text): model, options, parameters, method, dt, seed...
// finished = false: the metadata a file carries while the run goes on (complete: false, and why).
// initial_state: initial_state_json(pop) taken before the run (empty: left out).
// Per-neuron values (drawn parameters, the initial state) go into the metadata up to this many
// instances.
inline constexpr std::size_t metadata_values_limit = 100'000;
std::string result_metadata(const run_config& config, const population& pop, const runner& run, bool finished = true,
                            const std::string& initial_state = {});

// Every variable's value for every instance, as JSON text ({"V": [...], ...}); empty above the
// metadata's size limit.
std::string initial_state_json(const population& pop);

}  // namespace ionode::cli
