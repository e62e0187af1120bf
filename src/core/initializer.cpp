// Evaluation of parameter and initial-state specs, and the counter-based random numbers behind them.
#include "ionode/initializer.hpp"

#include <Random123/philox.h>
#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "ionode/error.hpp"
#include "ionode/random.hpp"

namespace ionode {

namespace {

using random::hash_name;
using random::to_unit_interval;

}  // namespace

void validate_spec(const value_spec& spec, std::string_view what) {
  const auto check_finite = [&](double v, std::string_view field) {
    if (!std::isfinite(v)) {
      throw error(fmt::format("{}: {} is {}, must be a finite number", what, field, v));
    }
  };
  if (const auto* v = std::get_if<double>(&spec)) {
    check_finite(*v, "value");
  } else if (const auto* list = std::get_if<std::vector<double>>(&spec)) {
    if (list->empty()) throw error(fmt::format("{}: the list is empty; give one value per neuron", what));
    for (std::size_t i = 0; i < list->size(); ++i) check_finite((*list)[i], fmt::format("entry {}", i));
  } else if (const auto* u = std::get_if<init::uniform>(&spec)) {
    check_finite(u->low, "uniform low");
    check_finite(u->high, "uniform high");
    if (u->high < u->low) {
      throw error(fmt::format("{}: uniform range [{}, {}] is reversed; low must be <= high", what, u->low,
                              u->high));
    }
  } else if (const auto* g = std::get_if<init::normal>(&spec)) {
    check_finite(g->mean, "normal mean");
    check_finite(g->sd, "normal sd");
    if (g->sd < 0) throw error(fmt::format("{}: normal sd is {}, must be >= 0", what, g->sd));
  }
}

random_stream::random_stream(std::uint64_t seed, std::string_view name)
    : seed_(seed), name_hash_(hash_name(name)) {}

double random_stream::uniform(std::uint64_t index) const {
  r123::Philox4x64 generator;
  const r123::Philox4x64::key_type key = {{seed_, name_hash_}};
  const r123::Philox4x64::ctr_type counter = {{index, 0, 0, 0}};
  return to_unit_interval(generator(counter, key)[0]);
}

double random_stream::normal(std::uint64_t index) const {
  r123::Philox4x64 generator;
  const r123::Philox4x64::key_type key = {{seed_, name_hash_}};
  const r123::Philox4x64::ctr_type counter = {{index, 1, 0, 0}};
  const auto bits = generator(counter, key);
  const double u1 = 1.0 - to_unit_interval(bits[0]);  // (0, 1]: log is finite
  const double u2 = to_unit_interval(bits[1]);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::vector<double> evaluate_spec(const value_spec& spec, std::size_t count, std::size_t neurons,
                                  std::uint64_t seed, std::string_view name, std::uint64_t first) {
  validate_spec(spec, name);
  std::vector<double> out(count);
  if (const auto* v = std::get_if<double>(&spec)) {
    std::fill(out.begin(), out.end(), *v);
  } else if (const auto* list = std::get_if<std::vector<double>>(&spec)) {
    if (list->size() == count) {
      out = *list;
    } else if (list->size() == neurons) {
      for (std::size_t j = 0; j < count; ++j) out[j] = (*list)[j % neurons];
    } else {
      const std::string allowed = count == neurons ? fmt::format("{}", neurons)
                                                   : fmt::format("{} (one per neuron) or {} (one per "
                                                                 "neuron and batch copy)",
                                                                 neurons, count);
      throw error(fmt::format("{}: the list has {} values, must have {}", name, list->size(), allowed));
    }
  } else if (const auto* u = std::get_if<init::uniform>(&spec)) {
    const random_stream stream(seed, name);
    for (std::size_t j = 0; j < count; ++j) out[j] = u->low + (u->high - u->low) * stream.uniform(first + j);
  } else if (const auto* g = std::get_if<init::normal>(&spec)) {
    const random_stream stream(seed, name);
    for (std::size_t j = 0; j < count; ++j) out[j] = g->mean + g->sd * stream.normal(first + j);
  }
  return out;
}

std::string describe_spec(const value_spec& spec) {
  if (const auto* v = std::get_if<double>(&spec)) return fmt::format("{}", *v);
  if (const auto* list = std::get_if<std::vector<double>>(&spec)) {
    return fmt::format("list of {} values", list->size());
  }
  if (const auto* u = std::get_if<init::uniform>(&spec)) return fmt::format("uniform({}, {})", u->low, u->high);
  const auto& g = std::get<init::normal>(spec);
  return fmt::format("normal({}, {})", g.mean, g.sd);
}

}  // namespace ionode
