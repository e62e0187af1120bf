// A rank's part of a population's configuration (partition.hpp).
#include "partition.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ionode/error.hpp"

namespace ionode::cli {

std::size_t neurons_of(const run_config& config) {
  std::size_t n = 1;
  for (std::size_t extent : config.population.shape) n *= extent;
  return n;
}

namespace {

// A value per neuron sliced to the part; other values as they are.
value_spec part_of_spec(const value_spec& spec, std::size_t neurons, std::size_t first, std::size_t count,
                        const std::string& what) {
  const auto* list = std::get_if<std::vector<double>>(&spec);
  if (list == nullptr) return spec;
  if (list->size() != neurons) {
    throw error(fmt::format("{}: the list has {} values, must have {}", what, list->size(), neurons));
  }
  const auto begin = list->begin() + static_cast<std::ptrdiff_t>(first);
  return std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(count));
}

input_value part_of_input(const input_config& in, std::size_t neurons, std::size_t first, std::size_t count) {
  const auto wrong = [&](std::size_t got) {
    return error(fmt::format("input {} ({}): {} values per step; give 1 or {} (one per neuron)", in.in.target,
                             in.description, got, neurons));
  };
  if (const auto* list = std::get_if<std::vector<double>>(&in.in.value)) {
    if (list->size() != neurons) throw wrong(list->size());
    const auto begin = list->begin() + static_cast<std::ptrdiff_t>(first);
    return std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(count));
  }
  if (const auto* series = std::get_if<time_series>(&in.in.value)) {
    if (series->columns == 1) return *series;
    if (series->columns != neurons) throw wrong(series->columns);
    time_series part;
    part.rows = series->rows;
    part.columns = count;
    part.values.reserve(series->rows * count);
    for (std::size_t row = 0; row < series->rows; ++row) {
      const auto begin = series->values.begin() + static_cast<std::ptrdiff_t>(row * neurons + first);
      part.values.insert(part.values.end(), begin, begin + static_cast<std::ptrdiff_t>(count));
    }
    return part;
  }
  return in.in.value;  // a constant or a function of time: the same for every neuron
}

}  // namespace

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
  part.population.shape = {count};
  part.population.first = first;
  for (auto& [name, spec] : part.population.params) {
    spec = part_of_spec(spec, neurons, first, count, fmt::format("parameter {}", name));
  }
  for (auto& [name, spec] : part.population.initial) {
    spec = part_of_spec(spec, neurons, first, count, fmt::format("initial {}", name));
  }
  for (auto& [name, spec] : part.population.noise) {
    spec = part_of_spec(spec, neurons, first, count, fmt::format("noise {}", name));
  }
  for (auto& in : part.inputs) in.in.value = part_of_input(in, neurons, first, count);
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
