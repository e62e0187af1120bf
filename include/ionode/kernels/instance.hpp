// The per-instance kernels: what one instance's step needs beyond the method, as free functions over
// that instance's values (plain arrays of doubles), so that the CPU driver (detail/population_impl.hpp:
// SIMD packs, threads) and a later device driver call the same code. K is the model the kernels
// integrate (detail/membrane_current.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "ionode/integrators/spike_time.hpp"
#include "ionode/model.hpp"

namespace ionode::kernels {

// A spike is an upward crossing of the threshold between the ends of a (sub)step. Its time is
// located to the accuracy of the method itself, not of an interpolant: a first guess from the cubic
// Hermite interpolant, then chord iterations on g(s) = V(t0 + s) - threshold, where V(t0 + s) is one
// step of the same method of length s from the step's start (as the reference's event location
// re-integrates), kept inside a bracket that shrinks with every iterate. Returns whether there is a
// crossing; `time` is then its time.
template <class K, class Stepper>
bool locate_crossing(double t0, double h, const double* x_old, const double* f_old, const double* x_new,
                     const double* p, const double* in, const Stepper& partial_step, double& time) {
  constexpr std::size_t nv = num_variables<K>;
  constexpr std::size_t sv = K::spike_variable;
  const double threshold = p[K::threshold_parameter];
  if (!(x_old[sv] < threshold && x_new[sv] >= threshold)) return false;
  std::array<double, nv> f, x_s, f_scratch;
  K::derivative(x_new, p, in, f.data());
  const integrators::hermite_cubic cubic{h, x_old[sv], x_new[sv], f_old[sv], f[sv]};
  const double u = integrators::hermite_crossing_fraction(cubic, threshold);
  double s = h * u;
  // The first iteration takes the interpolant's slope at the guess (it differs from dV/dt at the
  // crossing by the interpolant's error); the next ones the secant through the last two iterates,
  // which converges superlinearly (a fixed chord slope gained only a digit or two per iteration on a
  // spike's upstroke at exp_auto's dt = 0.1 ms, where the interpolant's slope is off by tens of
  // percent). No derivative is evaluated inside the loop; every iterate stays inside a bracket that
  // shrinks with it (bisection when the secant would leave it).
  double slope = cubic.slope(u);
  double lo = 0.0, hi = h;  // V(t0 + lo) < threshold <= V(t0 + hi)
  double s_previous = 0.0, g_previous = 0.0;
  for (int iteration = 0; iteration < 16 && s > 0.0 && s < h; ++iteration) {
    std::copy(x_old, x_old + nv, x_s.begin());
    partial_step(x_s.data(), p, in, s, f_scratch.data());
    const double g = x_s[sv] - threshold;
    if (g == 0.0) break;  // s is the crossing; the bracket test below would bisect away from it
    (g < 0.0 ? lo : hi) = s;
    if (iteration > 0 && g != g_previous && s != s_previous) slope = (g - g_previous) / (s - s_previous);
    double next = slope > 0.0 ? s - g / slope : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const bool converged = std::abs(next - s) <= 1e-13 * std::max(1.0, std::abs(t0));
    s_previous = s;
    g_previous = g;
    s = next;
    if (converged) break;
  }
  time = t0 + s;
  return true;
}

// In a stochastic step the path between the step's ends is a Brownian bridge, not the method's
// smooth partial step, so the crossing is placed by linear interpolation of V between the ends.
template <class K>
bool locate_crossing_linear(double t0, double h, const double* x_old, const double* x_new, const double* p,
                            double& time) {
  constexpr std::size_t sv = K::spike_variable;
  const double threshold = p[K::threshold_parameter];
  if (!(x_old[sv] < threshold && x_new[sv] >= threshold)) return false;
  time = t0 + h * (threshold - x_old[sv]) / (x_new[sv] - x_old[sv]);
  return true;
}

template <std::size_t nv>
bool all_finite(const double* x) {
  double sum = 0.0;
  for (std::size_t v = 0; v < nv; ++v) sum += x[v] * 0.0;  // NaN if any x is NaN or infinite
  return sum == 0.0;
}

template <std::size_t nv>
std::size_t first_non_finite(const double* x) {
  for (std::size_t v = 0; v < nv; ++v) {
    if (!std::isfinite(x[v])) return v;
  }
  return 0;
}

}  // namespace ionode::kernels
