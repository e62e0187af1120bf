// A rank's part of a population's configuration (partition.hpp).
#include "partition.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ionode/error.hpp"
#include "ionode/population_part.hpp"

namespace ionode::cli {

std::size_t neurons_of(const run_config& config) {
  std::size_t n = 1;
  for (std::size_t extent : config.population.shape) n *= extent;
  return n;
}

std::vector<std::size_t> part_columns(const run_config& whole, std::size_t first, std::size_t count) {
  std::vector<std::size_t> columns;
  const auto& indices = whole.monitors.indices;
  if (indices.empty()) {
    for (std::size_t i = first; i < first + count; ++i) columns.push_back(i);
    return columns;
  }
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (indices[k] >= first && indices[k] < first + count) columns.push_back(k);
  }
  return columns;
}

run_config part_config(const run_config& whole, std::size_t first, std::size_t count) {
  const std::size_t neurons = neurons_of(whole);
  if (whole.population.batch != 0) {
    throw error(fmt::format("batch = {} is not allowed in a network run on several ranks; a population there has no "
                            "batch axis",
                            whole.population.batch));
  }
  run_config part = whole;
  part.population = part_of(whole.population, first, count);
  for (auto& in : part.inputs) in.in = part_of(in.in, neurons, first, count, in.description);
  // Monitored neurons: those of the part, in the whole list's order, as indices within the part.
  for (std::size_t index : whole.monitors.indices) {
    if (index >= neurons) {
      throw error(fmt::format("monitors.indices: neuron {} does not exist; the group has {} neurons (0 to {})", index,
                              neurons, neurons - 1));
    }
  }
  if (!whole.monitors.indices.empty()) {
    part.monitors.indices.clear();
    for (std::size_t index : whole.monitors.indices) {
      if (index >= first && index < first + count) part.monitors.indices.push_back(index - first);
    }
    if (part.monitors.indices.empty()) {
      // None of the monitored neurons is here: record no variable (spikes still, if asked for).
      part.monitors.variables.clear();
      part.monitors.indices = {0};
    }
  }
  return part;
}

}  // namespace ionode::cli
