// exp_midpoint: the second-order generalized Rush-Larsen method (Sundnes, Artebrant, Skavhaug and
// Tveito 2009, "A second-order algorithm for solving dynamical cell membrane equations", IEEE TBME
// 56(10)), with the diagonal of the Jacobian from the same dual numbers as exp_auto:
//   half step:  x* = x + dt/2 * phi1(dt/2 * A(x)) * f(x)                     (exp_auto over dt/2)
//   full step:  x <- x + dt * phi1(dt * A*) * (f(x*) + A* (x - x*)),     A* = diag J(x*)
// The full step integrates exactly, from x, the equation linearized per variable at the midpoint
// (each variable's own dependence linear with slope A*, everything else frozen at x*). Expanding,
// x_new = x + dt f + dt^2/2 J f + O(dt^3): second order, and exact for x' = a x + b per variable. A gate
// is relaxed exactly towards its steady state at the midpoint voltage, so stiff gates stay as stable
// as under exp_auto. Two evaluations of f and diag(J) per step (docs/numerics.md).
#pragma once

#include <array>
#include <cstddef>

#include "ionode/integrators/exp_auto.hpp"

namespace ionode::integrators {

// One exp_midpoint step of length dt, in place. `f_old` receives f(x) at the start of the step.
template <neuron_model M, int C, class T>
[[gnu::always_inline]] inline void exp_midpoint_step(T* x, const T* p, const T* in, double dt, T* f_old,
                                                     const int* colours) {
  constexpr std::size_t nv = num_variables<M>;
  std::array<T, nv> diagonal, middle, f_middle, diagonal_middle, g;
  derivative_and_diagonal_of<M, C>(x, p, in, f_old, diagonal.data(), colours);
  for (std::size_t i = 0; i < nv; ++i) middle[i] = x[i];
  add_phi1_increment<nv>(middle.data(), diagonal.data(), f_old, 0.5 * dt);
  derivative_and_diagonal_of<M, C>(middle.data(), p, in, f_middle.data(), diagonal_middle.data(), colours);
  for (std::size_t i = 0; i < nv; ++i) g[i] = f_middle[i] + diagonal_middle[i] * (x[i] - middle[i]);
  add_phi1_increment<nv>(x, diagonal_middle.data(), g.data(), dt);
}

}  // namespace ionode::integrators
