// One input as the kernels see it in one step: where its value comes from and how it combines.
// The runner turns every input into a term per step; kernels fold the terms into each neuron's
// input on the fly, so no input buffer is stored or cleared (the inputs are zero before the first
// term and gone after the step, as in BrainPy's accumulate-then-clear).
#pragma once

#include <cstddef>

#include "ionode/input.hpp"

namespace ionode::detail {

struct input_term {
  enum class source { scalar, per_instance, per_neuron };
  std::size_t target = 0;  // the model's input slot
  input_op op = input_op::add;
  source kind = source::scalar;
  double scalar = 0.0;              // kind scalar
  const double* values = nullptr;   // per_instance: values[j]; per_neuron: values[j % neurons]

  double at(std::size_t instance, std::size_t neurons) const {
    switch (kind) {
      case source::scalar: return scalar;
      case source::per_instance: return values[instance];
      case source::per_neuron: return values[instance % neurons];
    }
    return 0.0;
  }
};

// One input operation, for doubles and for SIMD packs alike.
template <class T>
inline T combine(input_op op, const T& current, const T& value) {
  switch (op) {
    case input_op::add: return current + value;
    case input_op::subtract: return current - value;
    case input_op::multiply: return current * value;
    case input_op::divide: return current / value;
    case input_op::assign: return value;
  }
  return current;
}

}  // namespace ionode::detail
