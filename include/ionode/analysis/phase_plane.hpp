// The phase plane of a two-variable model: nullclines, the vector field on a grid, fixed points
// with their type, trajectories, and the stable limit cycle if there is one.
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
  bool cycle = true;  // look for a stable limit cycle (a simulation, refined by shooting)
};

using curve = std::vector<std::array<double, 2>>;

struct fixed_point_2d {
  std::array<double, 2> x{};
  std::array<std::complex<double>, 2> eigenvalues;
  // "stable node", "unstable node", "stable focus", "unstable focus", "saddle", or "degenerate"
  // (an eigenvalue with zero real part, to 1e-12 of the largest modulus).
  std::string type;
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
  std::optional<curve> cycle;  // one period of the stable limit cycle
  double cycle_period = 0.0;   // ms
  std::string note;            // why there is no cycle, if there is none
};

// The type of a fixed point of a planar system from the eigenvalues of its Jacobian.
std::string fixed_point_type(const std::array<std::complex<double>, 2>& eigenvalues);

// Throws ionode::error if the model does not have exactly two variables.
phase_plane compute_phase_plane(const system& sys, const std::vector<double>& theta,
                                const phase_plane_options& options);

}  // namespace ionode::analysis
