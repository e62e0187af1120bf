// Locating a threshold crossing inside a step: the root of the cubic Hermite interpolant through the
// step's endpoints and derivatives (third-order accurate, so as accurate as rk4 steps need).
#pragma once

namespace ionode::integrators {

// v0 < threshold <= v1 over a step [t0, t0 + h] with slopes f0, f1 at its ends. Returns the
// crossing time, always inside the step. Bisection on the interpolant: robust. 24 halvings (h/1.7e7)
// are plenty for a first guess that Newton iterations on the method itself then refine.
inline double hermite_crossing(double t0, double h, double v0, double v1, double f0, double f1,
                               double threshold) {
  const auto interpolant = [&](double s) {
    const double s2 = s * s, s3 = s2 * s;
    return (2 * s3 - 3 * s2 + 1) * v0 + (s3 - 2 * s2 + s) * h * f0 + (-2 * s3 + 3 * s2) * v1 +
           (s3 - s2) * h * f1 - threshold;
  };
  double lo = 0.0, hi = 1.0;  // interpolant(lo) < 0 <= interpolant(hi)
  for (int iteration = 0; iteration < 24; ++iteration) {
    const double mid = 0.5 * (lo + hi);
    if (interpolant(mid) < 0.0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return t0 + h * 0.5 * (lo + hi);
}

}  // namespace ionode::integrators
