// Explicit Runge-Kutta steps with true joint stages, driven by a Butcher tableau (butcher.hpp).
// Written over the scalar type T: double for the scalar path, a SIMD pack for the vector path.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

#include "ionode/integrators/butcher.hpp"
#include "ionode/model.hpp"

namespace ionode::integrators {

// Computes the stages of one step of length h from x into k (k[i] = f at stage i).
template <neuron_model M, int S, class T>
[[gnu::always_inline]] inline void rk_stages(const tableaus::tableau<S>& tab, const T* x, const T* p, const T* in,
                                             double h, std::array<std::array<T, num_variables<M>>, S>& k) {
  constexpr std::size_t nv = num_variables<M>;
  std::array<T, nv> stage;
  M::derivative(x, p, in, k[0].data());
  for (int i = 1; i < S; ++i) {
    for (std::size_t v = 0; v < nv; ++v) {
      T sum = tab.a[i][0] * k[0][v];
      for (int j = 1; j < i; ++j) sum += tab.a[i][j] * k[j][v];
      stage[v] = x[v] + h * sum;
    }
    M::derivative(stage.data(), p, in, k[i].data());
  }
}

// One fixed step of length h, in place; `f_old` receives f(x) at the start of the step.
template <neuron_model M, int S, class T>
[[gnu::always_inline]] inline void rk_step(const tableaus::tableau<S>& tab, T* x, const T* p, const T* in, double h,
                                           T* f_old) {
  constexpr std::size_t nv = num_variables<M>;
  std::array<std::array<T, nv>, S> k;
  rk_stages<M, S>(tab, x, p, in, h, k);
  for (std::size_t v = 0; v < nv; ++v) {
    T sum = tab.b[0] * k[0][v];
    for (int i = 1; i < S; ++i) sum += tab.b[i] * k[i][v];
    f_old[v] = k[0][v];
    x[v] += h * sum;
  }
}

}  // namespace ionode::integrators
