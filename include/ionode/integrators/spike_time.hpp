// Locating a threshold crossing inside a step: the root of the cubic Hermite interpolant through the
// step's endpoints and derivatives (third-order accurate, so as accurate as rk4 steps need).
#pragma once

#include <cmath>

namespace ionode::integrators {

// The cubic Hermite interpolant of V over a step [t0, t0 + h], in the step fraction u in [0, 1].
struct hermite_cubic {
  double h, v0, v1, f0, f1;
  double value(double u) const {
    const double u2 = u * u, u3 = u2 * u;
    return (2 * u3 - 3 * u2 + 1) * v0 + (u3 - 2 * u2 + u) * h * f0 + (-2 * u3 + 3 * u2) * v1 + (u3 - u2) * h * f1;
  }
  // dV/dt (per unit time, not per unit u).
  double slope(double u) const {
    const double u2 = u * u;
    return ((6 * u2 - 6 * u) * v0 + (3 * u2 - 4 * u + 1) * h * f0 + (-6 * u2 + 6 * u) * v1 + (3 * u2 - 2 * u) * h * f1) / h;
  }
};

// v0 < threshold <= v1 over a step [t0, t0 + h] with slopes f0, f1 at its ends: the step fraction
// where the interpolant crosses the threshold. Newton on the cubic from the linear guess, kept inside
// a bracket that bisection shrinks whenever Newton would leave it: robust, and a few iterations where
// the plain bisection needed 24. A first guess that Newton iterations on the method itself refine.
inline double hermite_crossing_fraction(const hermite_cubic& cubic, double threshold) {
  double lo = 0.0, hi = 1.0;  // value(lo) < threshold <= value(hi)
  double u = (threshold - cubic.v0) / (cubic.v1 - cubic.v0);
  for (int iteration = 0; iteration < 40; ++iteration) {
    const double g = cubic.value(u) - threshold;
    if (g < 0.0) {
      lo = u;
    } else {
      hi = u;
    }
    const double slope = cubic.slope(u) * cubic.h;
    double next = slope > 0.0 ? u - g / slope : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - u) <= 1e-9) return next;
    u = next;
  }
  return u;
}

inline double hermite_crossing(double t0, double h, double v0, double v1, double f0, double f1, double threshold) {
  return t0 + h * hermite_crossing_fraction({h, v0, v1, f0, f1}, threshold);
}

}  // namespace ionode::integrators
