// Values for parameters and initial state: a number (shared), one value per neuron, or an
// initializer evaluated per neuron (constant, uniform, normal) from the population's seed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ionode {

namespace init {
struct uniform {
  double low;
  double high;
};
struct normal {
  double mean;
  double sd;
};
inline double constant(double v) { return v; }
}  // namespace init

// A scalar (shared by all neurons), a list (one value per neuron, or per neuron and batch copy), or
// a random initializer drawn once per neuron and batch copy.
using value_spec = std::variant<double, std::vector<double>, init::uniform, init::normal>;

// Checks a spec (finite numbers, low <= high, sd >= 0) and names it in the error.
void validate_spec(const value_spec& spec, std::string_view what);

// A reproducible stream of random numbers for one named quantity: Philox4x64 keyed by
// (seed, name), counter = element index, so every value is independent of evaluation order.
class random_stream {
 public:
  random_stream(std::uint64_t seed, std::string_view name);
  double uniform(std::uint64_t index) const;  // in [0, 1)
  double normal(std::uint64_t index) const;   // N(0, 1), Box-Muller
 private:
  std::uint64_t seed_;
  std::uint64_t name_hash_;
};

// Evaluates a spec for `count` elements. A list must have exactly `count` entries, or
// `neurons` entries (then it repeats across batch copies). A scalar gives `count` copies. Random
// initializers draw elements first, first + 1, ... of their stream (first > 0: a part of a population).
std::vector<double> evaluate_spec(const value_spec& spec, std::size_t count, std::size_t neurons,
                                  std::uint64_t seed, std::string_view name, std::uint64_t first = 0);

std::string describe_spec(const value_spec& spec);

}  // namespace ionode
