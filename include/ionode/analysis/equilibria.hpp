// Equilibria of a model along a parameter: pseudo-arclength continuation of f(x, p) = 0, stability
// from the Jacobian's eigenvalues, saddle-node (fold) and Hopf points located on the way.
#pragma once

#include <complex>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ionode/analysis/system.hpp"

namespace ionode::analysis {

struct continuation_options {
  double lo = 0.0, hi = 1.0;  // the control's range; the branch stops where it leaves it
  double ds = 0.05;           // first arclength step (in the units of x and the control together)
  double ds_min = 1e-8, ds_max = 2.0;
  std::size_t max_points = 2000;
  double tolerance = 1e-10;  // Newton: max-norm of the correction
};

struct equilibrium_point {
  double param = 0.0;
  std::vector<double> x;
  std::vector<std::complex<double>> eigenvalues;
  std::size_t unstable = 0;  // eigenvalues with positive real part
  bool stable = false;
};

struct fold_point {
  double param = 0.0;
  std::vector<double> x;
  std::vector<std::complex<double>> eigenvalues;
};

struct hopf_point {
  double param = 0.0;
  std::vector<double> x;
  double omega = 0.0;         // imaginary part of the critical pair, rad/ms
  double frequency_hz = 0.0;  // omega / 2 pi, in Hz (time in ms)
  double lyapunov = 0.0;      // first Lyapunov coefficient l1 (Kuznetsov's normalization <p, q> = <q, q> = 1)
  std::string criticality;    // "subcritical" (l1 > 0), "supercritical" (l1 < 0) or "degenerate"
  std::vector<std::complex<double>> eigenvalues;
  std::vector<std::complex<double>> eigenvector;  // q with J q = i omega q, |q| = 1, its V component real
};

struct equilibrium_branch {
  std::vector<equilibrium_point> points;
  std::vector<fold_point> folds;
  std::vector<hopf_point> hopf;
  std::string note;  // why the branch is empty or stopped early, if it did
};

// An equilibrium for the given theta by Newton from `guess` (damped; if that fails, after relaxing
// the state by simulation). Returns nothing if none is found.
std::optional<std::vector<double>> find_equilibrium(const system& sys, const std::vector<double>& theta,
                                                    std::vector<double> guess);

// The branch through the equilibrium found at theta[control] = options.lo (from `start`, or from the
// model's default initial state), followed towards larger values of the control and through folds
// until it leaves [lo, hi]. Throws ionode::error for an empty or reversed range.
equilibrium_branch continue_equilibria(const system& sys, std::vector<double> theta, std::size_t control,
                                       const continuation_options& options,
                                       std::optional<std::vector<double>> start = std::nullopt);

// Eigenvalues of df/dx at (x, theta), sorted by decreasing real part.
std::vector<std::complex<double>> eigenvalues_at(const system& sys, const std::vector<double>& x,
                                                 const std::vector<double>& theta);

}  // namespace ionode::analysis
