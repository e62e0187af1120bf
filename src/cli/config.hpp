// The configuration of `ionode run`: a TOML file (or the embedded default) plus --set overrides.
#pragma once

#include <filesystem>
#include <toml++/toml.h>
#include <string>
#include <vector>

#include "ionode/initializer.hpp"
#include "ionode/input.hpp"
#include "ionode/population.hpp"
#include "ionode/registry.hpp"
#include "ionode/runner.hpp"

namespace ionode::cli {

struct input_config {
  input in;
  std::string description;  // for the metadata: "10", "list of 2 values", "file I.npy (2000 x 2)"
};

struct run_config {
  std::string source;  // the file, or "<embedded default>"
  std::string model = "HH";
  model_options options;
  population_options population;
  double duration = 100.0;
  runner_options runner;
  std::vector<input_config> inputs;
  monitor_spec monitors;
  std::string output = "ionode-result.npz";
  std::string population_name;  // in a network: the population (the metadata says which)
  std::vector<std::string> network_populations;  // in a network: every population, in order
  std::size_t population_index = 0;
  int ranks = 1;  // in a network over MPI: the number of ranks (the metadata says it)
  std::string resumed_from;       // a network run resumed from this checkpoint (the metadata says it)
  std::int64_t resumed_step = 0;  // at this step
  // A batch run over MPI ranks: the outcome of all ranks, for the metadata (rank 0's runner has only its
  // own): the steps kept and, when the run stopped early, why.
  bool outcome_given = false;
  std::int64_t outcome_steps = 0;
  std::string outcome_stop_reason;
};

// The seed's first HH example: 2 neurons, input 10 uA/cm^2, 200 ms, V and spikes recorded.
extern const char* const default_config_text;

// Parses TOML text, applies `overrides` ("key=value", TOML syntax for the value, dotted keys for
// tables), and checks every key and value. Relative input files are resolved against base_dir.
// Throws ionode::error naming the key, the value and what is allowed.
run_config parse_config(const std::string& text, const std::string& source, const std::filesystem::path& base_dir,
                        const std::vector<std::string>& overrides);

run_config load_config(const std::filesystem::path& file, const std::vector<std::string>& overrides);

// The pieces, for network configurations (network_config.cpp):
// the TOML text parsed, with the overrides applied;
toml::table parse_toml(const std::string& text, const std::string& source, const std::vector<std::string>& overrides);
// a single-population configuration from a parsed table (its keys already checked);
run_config parse_config_table(const toml::table& table, const std::string& source, const std::filesystem::path& base_dir);
// A parameter or initial value: a number, a list, {uniform = [lo, hi]}, {normal = [mean, sd]},
// {constant = v} or {file = ...} (read_values).
value_spec as_value_spec(const toml::node& node, const std::string& key, const std::filesystem::path& base_dir);
// {file = "x.npz", key = "v0", range = [begin, end]} or {file = "x.npy"}: the values, flattened.
std::vector<double> read_values(const toml::table& table, const std::string& key, const std::filesystem::path& base_dir);

}  // namespace ionode::cli
