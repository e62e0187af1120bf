// How a population is built: its shape, batch, parameters, initial state and seed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ionode/initializer.hpp"

namespace ionode {

// The floating-point type of the state and of the vectorized arithmetic. float32 doubles the SIMD
// width and halves the memory; spike times are still located in double precision.
enum class precision { float64, float32 };

struct population_options {
  std::vector<std::size_t> shape{1};  // the group's shape; it holds prod(shape) neurons
  std::size_t batch = 0;              // 0: no batch axis; B >= 1: B independent copies
  std::map<std::string, value_spec> params;   // by parameter name; unset ones keep the default
  std::map<std::string, value_spec> initial;  // by variable name; unset ones use the model's default
  // Additive noise by variable name: sigma in the variable's units per sqrt(ms) (dx = f dt + sigma dW);
  // a number, one value per neuron, or an initializer, like a parameter. Empty: a deterministic run.
  std::map<std::string, value_spec> noise;
  std::uint64_t seed = 0;                     // for random initializers and the noise
  // The global index of instance 0 when this population is one rank's part of a larger one (a network
  // over MPI: neurons [first, first + size); an f-I curve's values: copies from first / size): drawn
  // parameters and initial values and the noise are keyed by global index, so a part holds exactly
  // the values of those instances in the whole. With noise a multiple of 4. Lists are given for the
  // part (the caller slices them).
  std::uint64_t first = 0;
  ionode::precision precision = ionode::precision::float64;
};

}  // namespace ionode
