// The model the kernels integrate: M, plus the synaptic current of each membrane port (model.hpp)
// as two hidden inputs after M's own, already divided by the compartment's capacitance and area:
//   dV/dt += a - b V,   a = sum_r g_r E_r / (C area),   b = sum_r g_r / (C area)
// (a current-based receptor adds its current to a only). V is the state being integrated, so every
// method sees the current move with V inside the step, and exp_auto's diagonal gets -b, as Brian2's
// exponential Euler puts -g/C there. Without projections both inputs are zero and the update is the
// model's own to the bit (x + (0 - 0 x) = x).
#pragma once

#include <array>
#include <cstddef>

#include "ionode/model.hpp"

namespace ionode::detail {

template <class M>
struct with_membrane_current : M {
  static constexpr std::size_t model_inputs = M::inputs.size();
  static constexpr std::size_t ports = M::membranes.size();

  static constexpr auto make_inputs() {
    std::array<input_info, model_inputs + 2 * ports> all{};
    for (std::size_t k = 0; k < model_inputs; ++k) all[k] = M::inputs[k];
    for (std::size_t k = 0; k < ports; ++k) {
      all[model_inputs + 2 * k] = {"synaptic conductance / C", "1/ms", "hidden: set by the network"};
      all[model_inputs + 2 * k + 1] = {"synaptic drive / C", "mV/ms", "hidden: set by the network"};
    }
    return all;
  }
  static constexpr std::array<input_info, model_inputs + 2 * ports> inputs = make_inputs();

  // The slots of port k's two inputs.
  static constexpr std::size_t conductance_slot(std::size_t k) { return model_inputs + 2 * k; }
  static constexpr std::size_t drive_slot(std::size_t k) { return model_inputs + 2 * k + 1; }

  template <class T, class P>
  static void derivative(const T* x, const P* p, const P* in, T* dx) {
    M::derivative(x, p, in, dx);
    for (std::size_t k = 0; k < ports; ++k) {
      const std::size_t v = M::membranes[k].variable;
      dx[v] += in[drive_slot(k)] - in[conductance_slot(k)] * x[v];
    }
  }

  template <class T, class P>
    requires provides_diagonal<M, T>
  static void derivative_and_diagonal(const T* x, const P* p, const P* in, T* dx, T* diagonal) {
    M::derivative_and_diagonal(x, p, in, dx, diagonal);
    for (std::size_t k = 0; k < ports; ++k) {
      const std::size_t v = M::membranes[k].variable;
      dx[v] += in[drive_slot(k)] - in[conductance_slot(k)] * x[v];
      diagonal[v] -= in[conductance_slot(k)];
    }
  }
};

// What the kernels of M integrate: M itself when it declares no membrane port.
template <class M>
struct kernel_model {
  using type = M;
};
template <class M>
  requires has_membrane_ports<M>
struct kernel_model<M> {
  using type = with_membrane_current<M>;
};
template <class M>
using kernel_model_t = typename kernel_model<M>::type;

}  // namespace ionode::detail
