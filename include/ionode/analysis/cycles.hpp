// Periodic orbits along a parameter: multiple shooting (Newton on the starts of M arcs of the orbit
// and the period, with a phase condition), pseudo-arclength continuation, Floquet multipliers, folds
// of cycles.
#pragma once

#include <complex>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ionode/analysis/equilibria.hpp"

namespace ionode::analysis {

struct cycle_options {
  double lo = 0.0, hi = 1.0;  // the control's range
  double ds = 0.2, ds_min = 1e-7, ds_max = 10.0;
  std::size_t max_points = 400;
  std::size_t steps = 2000;  // rk4 steps per period (the shooting map; fixed along a Newton solve)
  // Shooting arcs of equal time (steps / segments rk4 steps each, rounded): an unstable orbit's
  // multiplier mu grows errors by mu^(1/segments) per arc, not mu. 1: single shooting.
  std::size_t segments = 20;
  double tolerance = 1e-9;       // Newton: max-norm of the correction
  double first_amplitude = 0.5;  // from a Hopf point: the first cycle's amplitude in the spike variable
  double max_period = 2000.0;    // ms: stop (an orbit approaching a homoclinic loop)
  double min_amplitude = 1e-3;   // stop when the cycle shrinks back into an equilibrium (a Hopf point)
};

struct cycle_point {
  double param = 0.0;
  double period = 0.0;  // ms
  std::vector<double> x0;  // a point of the orbit
  std::vector<double> x_min, x_max;  // extremes of each variable along the orbit
  std::vector<std::complex<double>> multipliers;  // Floquet multipliers, decreasing modulus
  bool stable = false;  // all multipliers but the trivial one inside the unit circle
};

struct cycle_fold {
  double param = 0.0;
  double period = 0.0;
  cycle_point cycle;
};

struct cycle_branch {
  std::vector<cycle_point> points;
  std::vector<cycle_fold> folds;
  std::string note;
  // Where the branch shrank into an equilibrium (a Hopf point, often the other end of a branch
  // born at one), if it did.
  std::optional<double> hopf_end;
};

// The branch of cycles born at a Hopf point (found by continue_equilibria with the same theta and control).
cycle_branch continue_cycles_from_hopf(const system& sys, std::vector<double> theta, std::size_t control,
                                       const hopf_point& hopf, const cycle_options& options);

// A periodic orbit at theta from a simulation started at x (transient, then one period between
// upward crossings of the spike variable's mid-range), refined by shooting. Nothing if no
// oscillation settles within the time allowed.
std::optional<cycle_point> cycle_from_simulation(const system& sys, const std::vector<double>& theta,
                                                 std::size_t control, std::vector<double> x,
                                                 const cycle_options& options);

// The branch of cycles through `start` (at theta[control]), followed in the direction of increasing
// (direction > 0) or decreasing control.
cycle_branch continue_cycles(const system& sys, std::vector<double> theta, std::size_t control,
                             const cycle_point& start, int direction, const cycle_options& options);

}  // namespace ionode::analysis
