// `ionode analyze phase-plane`: nullclines, vector field, fixed points, trajectories and the limit
// cycle of a two-variable model, as JSON (and optionally drawn).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace ionode::cli {

struct phase_plane_request {
  std::string config, model;
  std::vector<std::string> options, sets;  // sets: NAME=VALUE of parameters and inputs (I=100)
  std::vector<double> x_range, y_range;    // LO HI each; empty: around the dynamics
  std::vector<std::string> starts;         // "X,Y": initial states of trajectories
  double duration = 200.0;                 // ms
  std::size_t grid = 21;
  std::string output, figure;
};

void analyze_phase_plane(const phase_plane_request& request, bool quiet, std::ostream& out);

}  // namespace ionode::cli
