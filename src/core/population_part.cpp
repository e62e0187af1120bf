// A part of a population's description (population_part.hpp).
#include "ionode/population_part.hpp"

#include <fmt/format.h>

#include "ionode/error.hpp"

namespace ionode {

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

}  // namespace

population_options part_of(const population_options& whole, std::size_t first, std::size_t count) {
  std::size_t neurons = 1;
  for (std::size_t extent : whole.shape) neurons *= extent;
  if (whole.batch != 0) {
    throw error(fmt::format("batch = {} is not allowed here: a part of a population is taken from one without a batch "
                            "axis",
                            whole.batch));
  }
  if (first + count > neurons) {
    throw internal_error(fmt::format("part_of: neurons [{}, {}) of {}", first, first + count, neurons));
  }
  population_options part = whole;
  part.shape = {count};
  part.first = whole.first + first;
  for (auto& [name, spec] : part.params) {
    spec = part_of_spec(spec, neurons, first, count, fmt::format("parameter {}", name));
  }
  for (auto& [name, spec] : part.initial) {
    spec = part_of_spec(spec, neurons, first, count, fmt::format("initial {}", name));
  }
  for (auto& [name, spec] : part.noise) {
    spec = part_of_spec(spec, neurons, first, count, fmt::format("noise {}", name));
  }
  return part;
}

input part_of(const input& whole, std::size_t neurons, std::size_t first, std::size_t count,
              const std::string& description) {
  const auto wrong = [&](std::size_t got) {
    return error(fmt::format("input {} ({}): {} values per step; give 1 or {} (one per neuron)", whole.target,
                             description, got, neurons));
  };
  input part = whole;
  if (const auto* list = std::get_if<std::vector<double>>(&whole.value)) {
    if (list->size() != neurons) throw wrong(list->size());
    const auto begin = list->begin() + static_cast<std::ptrdiff_t>(first);
    part.value = std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(count));
  } else if (const auto* series = std::get_if<time_series>(&whole.value)) {
    if (series->columns == 1) return part;
    if (series->columns != neurons) throw wrong(series->columns);
    time_series sliced;
    sliced.rows = series->rows;
    sliced.columns = count;
    sliced.values.reserve(series->rows * count);
    for (std::size_t row = 0; row < series->rows; ++row) {
      const auto begin = series->values.begin() + static_cast<std::ptrdiff_t>(row * neurons + first);
      sliced.values.insert(sliced.values.end(), begin, begin + static_cast<std::ptrdiff_t>(count));
    }
    part.value = std::move(sliced);
  }
  return part;  // a constant or a function of time: the same for every neuron
}

}  // namespace ionode
