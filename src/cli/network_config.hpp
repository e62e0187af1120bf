// Network configurations: [[populations]] and [[projections]] (docs/networks.md). A file with a
// `populations` key is a network; every other file is a single population (config.hpp), unchanged.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"
#include "ionode/initializer.hpp"
#include "ionode/network/network.hpp"

namespace ionode::cli {

// A spike source (docs/networks.md, "Drives"): source = "poisson" or "spike_times".
struct source_config {
  std::string kind;  // empty: not a source
  std::size_t size = 0;
  std::vector<double> rates;            // poisson: Hz, one or one per neuron
  std::uint64_t seed = 0;
  std::vector<std::int64_t> indices;    // spike_times
  std::vector<double> times;            // spike_times: ms
};

struct population_config {
  std::string name;
  run_config run;  // model, options, population, method (runner), inputs, monitors
  source_config source;
};

struct projection_config {
  network::projection_spec spec;
  // Receptor state by variable name: a number, a list per neuron, or drawn per neuron (clipped at zero).
  std::map<std::string, value_spec> initial;
};

struct network_config {
  std::string source;
  double duration = 100.0;
  double dt = 0.1;
  std::size_t threads = 0;
  std::uint64_t seed = 0;
  std::vector<population_config> populations;
  std::vector<projection_config> projections;
  std::string output = "ionode-network.npz";
  // From the command line (--checkpoint-every, --checkpoint, --resume; docs/networks.md, "Checkpoints").
  double checkpoint_every = 0.0;   // ms; 0: none
  std::string checkpoint;          // the checkpoint file; empty: OUT's stem + ".checkpoint.h5"
  std::string resume;              // a checkpoint to continue from; empty: start at t = 0
};

// Whether the parsed file is a network configuration (it has `populations`).
bool is_network(const toml::table& table);

network_config parse_network_config(const toml::table& table, const std::string& source,
                                    const std::filesystem::path& base_dir);

// The file parsed with the overrides applied: a network configuration or not (errors as load_config).
bool is_network_file(const std::filesystem::path& file, const std::vector<std::string>& overrides);
network_config load_network_config(const std::filesystem::path& file, const std::vector<std::string>& overrides);

}  // namespace ionode::cli
