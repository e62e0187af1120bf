// exp_auto (BrainPy's default, alias exp_euler): per variable, from the old state of all variables,
//   x_i <- x_i + dt * phi1(dt * A_i) * f_i(x),   A_i = d f_i / d x_i,   phi1(z) = exprel(z).
// For a gate dx/dt = a (1 - x) - b x this is the exact Rush-Larsen update; for V with frozen gates
// an exact relaxation. A_i comes from forward-mode dual numbers, so no model writes a Jacobian.
// Written over the scalar type T: double for the scalar path, a SIMD pack for the vector path.
#pragma once

#include <array>
#include <cstddef>

#include "ionode/dual.hpp"
#include "ionode/math.hpp"
#include "ionode/model.hpp"

namespace ionode::integrators {

// Evaluates f and the diagonal of its Jacobian in one pass of dual numbers with C derivative slots:
// variable k is seeded in slot colours[k]. Variables share a slot only when neither's equation
// depends on the other (structure.hpp), so each diagonal entry is exact; C is 2 for HH and WB and 3
// for Pinsky-Rinzel instead of 4, 3 and 8 (the cost of the derivative part is proportional to C).
template <neuron_model M, int C, class T>
[[gnu::always_inline]] inline void derivative_and_diagonal(const T* x, const T* p, const T* in, T* f, T* diagonal,
                                                           const int* colours) {
  constexpr std::size_t nv = num_variables<M>;
  using number = ad::dual<T, C>;
  std::array<number, nv> xd;
  std::array<number, nv> fd;
  for (std::size_t k = 0; k < nv; ++k) {
    xd[k] = number(x[k]);
    for (int s = 0; s < C; ++s) xd[k].d[s] = T(colours[k] == s ? 1.0 : 0.0);
  }
  M::derivative(xd.data(), p, in, fd.data());
  for (std::size_t i = 0; i < nv; ++i) {
    f[i] = fd[i].v;
    diagonal[i] = fd[i].d[0];
    for (int s = 1; s < C; ++s) {
      if (colours[i] == s) diagonal[i] = fd[i].d[s];
    }
  }
}

// f and diag(J): the model's hand-written pair when it has one, else the dual numbers.
template <neuron_model M, int C, class T>
[[gnu::always_inline]] inline void derivative_and_diagonal_of(const T* x, const T* p, const T* in, T* f,
                                                              T* diagonal, const int* colours) {
  if constexpr (provides_diagonal<M, T>) {
    M::derivative_and_diagonal(x, p, in, f, diagonal);
  } else {
    derivative_and_diagonal<M, C>(x, p, in, f, diagonal, colours);
  }
}

// x_i += dt * phi1(dt * A_i) * g_i for every variable: the exponential update shared by exp_auto
// (g = f) and exp_midpoint (g = the midpoint's f corrected to the step's start).
template <std::size_t nv, class T>
[[gnu::always_inline]] inline void add_phi1_increment(T* x, const T* diagonal, const T* g, double dt) {
  using math::beyond_exprel_near_zero;
  using math::exprel;
  using math::exprel_near_zero_limit;
  using math::select;
  // phi1 = exprel(dt A): nearly always within the near-zero fraction's range, so the fraction is
  // evaluated for every variable and one test decides whether any needs the general form.
  std::array<T, nv> z, numerator, denominator;
  bool beyond = false;
  for (std::size_t i = 0; i < nv; ++i) {
    z[i] = dt * diagonal[i];
    const math::fraction<T> r = math::exprel_fraction(z[i]);
    numerator[i] = r.numerator;
    denominator[i] = r.denominator;
    beyond = beyond || beyond_exprel_near_zero(z[i]);
  }
  // One division serves every variable (Montgomery's batch inversion): the denominators' running
  // products, one reciprocal, and each 1/denominator from it by multiplications on the way back. The
  // denominators lie in [0.6, 1.2] for |z| <= 1/2, so the products neither overflow nor underflow, and
  // each reciprocal costs up to 2(nv - 1) roundings more than a division of its own (a few ulp of phi1,
  // far below the method's error). Divisions are the slowest vector instruction (docs/performance.md).
  // A variable beyond the fraction's range (a fast gate at a long step: TraubMiles' m at dt = 0.1 ms
  // always is) enters the products as (e^z - 1) / z, its numerator expm1(z) and its denominator z, lane
  // by lane, and only the variables with such a lane pay for the expm1; so a neuron's arithmetic depends
  // on its own values only, never on the neighbours that share its SIMD pack. |z| >= 1/2 keeps the
  // products from underflow; a lane with |z| beyond 2^20 (a step a million times a time constant)
  // takes exprel(z) and a denominator of 1, which keeps them from overflow for up to 48 variables
  // (more variables always take that form beyond the fraction's range).
  if (beyond) {
    using std::abs;
    using std::expm1;
    constexpr double huge = 1048576.0;  // 2^20: scaling by 1/2^21 below is exact
    constexpr bool fold_far = nv <= 48;
    // Unrolled, so that the per-variable arrays stay in registers across the branches.
#pragma GCC unroll 16
    for (std::size_t i = 0; i < nv; ++i) {
      if (!beyond_exprel_near_zero(z[i])) continue;
      const auto far = abs(z[i]) > T(exprel_near_zero_limit);
      if (fold_far) {
        numerator[i] = select(far, expm1(z[i]), numerator[i]);
        denominator[i] = select(far, z[i], denominator[i]);
      }
      if (!fold_far || beyond_exprel_near_zero(z[i] * (0.5 / huge))) {
        const auto out_of_products = fold_far ? abs(z[i]) > T(huge) : far;
        denominator[i] = select(out_of_products, T(1.0), denominator[i]);
        numerator[i] = select(out_of_products, exprel(z[i]), numerator[i]);
      }
    }
  }
  std::array<T, nv> running;
  running[0] = denominator[0];
  for (std::size_t i = 1; i < nv; ++i) running[i] = running[i - 1] * denominator[i];
  T inverse = T(1.0) / running[nv - 1];
  for (std::size_t i = nv - 1; i > 0; --i) {
    const T inverse_i = inverse * running[i - 1];
    inverse = inverse * denominator[i];
    x[i] += dt * (numerator[i] * inverse_i) * g[i];
  }
  x[0] += dt * (numerator[0] * inverse) * g[0];
}

// One exp_auto step of length dt, in place. `f_old` receives f(x) at the start of the step
// (used to locate spikes inside the step).
template <neuron_model M, int C, class T>
[[gnu::always_inline]] inline void exp_auto_step(T* x, const T* p, const T* in, double dt, T* f_old,
                                                 const int* colours) {
  constexpr std::size_t nv = num_variables<M>;
  std::array<T, nv> diagonal;
  derivative_and_diagonal_of<M, C>(x, p, in, f_old, diagonal.data(), colours);
  add_phi1_increment<nv>(x, diagonal.data(), f_old, dt);
}

}  // namespace ionode::integrators
