// The phase plane of a two-variable model: nullclines, the vector field on a grid, fixed points
// with their type, trajectories, and the limit cycles, stable and unstable.
#pragma once

#include <array>
#include <complex>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ionode/analysis/system.hpp"

namespace ionode::analysis {

struct phase_plane_options {
  // The box, [lo, hi] of each variable; unset (lo >= hi): around a simulation from the default state.
  std::array<double, 2> x_range{0.0, 0.0}, y_range{0.0, 0.0};
  std::size_t grid = 21;                      // vector field: grid x grid arrows
  std::size_t nullcline_columns = 400;        // values of x at which each nullcline is solved for y
  std::size_t nullcline_rows = 400;           // samples in y that bracket the roots
  std::vector<std::array<double, 2>> starts;  // initial states of the trajectories
  double duration = 200.0;                    // ms, each trajectory
  double dt = 0.05;                           // ms, rk4
  bool cycle = true;  // look for limit cycles (simulations forward and backward in time, refined by shooting)
};

using curve = std::vector<std::array<double, 2>>;

struct fixed_point_2d {
  std::array<double, 2> x{};
  std::array<std::complex<double>, 2> eigenvalues;
  // "stable node", "unstable node", "stable focus", "unstable focus", "saddle", or "degenerate"
  // (an eigenvalue with zero real part, to 1e-12 of the largest modulus).
  std::string type;
};

struct limit_cycle {
  curve points;        // one period, in forward time (the first point repeated at the end)
  double period = 0.0;  // ms
  bool stable = false;  // false: unstable, found as a stable cycle of the time-reversed field
  // The nontrivial Floquet multiplier (the determinant of the monodromy matrix, whose trivial
  // multiplier is 1): below 1 stable, above 1 unstable.
  double multiplier = 0.0;
  std::array<double, 2> x_min{}, x_max{};  // each variable's extremes along the orbit
};

struct phase_plane {
  std::array<double, 2> x_range{}, y_range{};
  // nullclines[i]: the curves where dx_i/dt = 0, each a polyline (a new piece wherever the number
  // of roots in a column changes).
  std::array<std::vector<curve>, 2> nullclines;
  std::vector<double> grid_x, grid_y;
  std::vector<std::array<double, 2>> field;  // f at (grid_x[i], grid_y[j]), element j * grid_x.size() + i
  std::vector<fixed_point_2d> fixed_points;
  std::vector<curve> trajectories;
  std::vector<limit_cycle> cycles;  // stable and unstable, from the smallest to the largest in x
  // One period of a stable limit cycle (the one reached from the default state, else the first in
  // `cycles`), kept for the readers of the first format.
  std::optional<curve> cycle;
  double cycle_period = 0.0;  // ms
  std::string note;           // why there is no cycle, if there is none
};

// The type of a fixed point of a planar system from the eigenvalues of its Jacobian.
std::string fixed_point_type(const std::array<std::complex<double>, 2>& eigenvalues);

// The limit cycles of a planar system around the region x_range x y_range (fixed_points: those
// found in it; a trajectory that leaves the region widened by its size on every side is given up).
// Stable cycles: simulations forward from the default state and from next to each unstable fixed
// point; unstable cycles: the same backward in time (reversed_system) from next to each stable
// fixed point; from each cycle found, both sides are tried in the other direction of time (a stable
// cycle's inside may hold an unstable one, and so on). Each candidate is refined by shooting
// (cycle_from_simulation). A cycle that no such start reaches is missed.
std::vector<limit_cycle> find_limit_cycles(const system& sys, const std::vector<double>& theta,
                                           const std::vector<fixed_point_2d>& fixed_points,
                                           std::array<double, 2> x_range, std::array<double, 2> y_range);

// Throws ionode::error if the model does not have exactly two variables.
phase_plane compute_phase_plane(const system& sys, const std::vector<double>& theta,
                                const phase_plane_options& options);

}  // namespace ionode::analysis
