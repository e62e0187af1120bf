// `ionode analyze bifurcation`: the equilibrium branch, its folds and Hopf points, and the cycles
// born at the Hopf points, written as JSON (and optionally drawn).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "ionode/registry.hpp"

namespace ionode::cli {

struct analyze_request {
  std::string config;                // a run configuration: its model, options and scalar params
  std::string model;                 // or the model by name (overrides the configuration's)
  std::vector<std::string> options;  // model options, "preset=classic"
  std::vector<std::string> sets;     // parameter values, "gL=0.3"
  std::string param = "I";           // the continuation parameter: a parameter or input name, or I
  std::vector<double> range;         // LO HI
  std::string output;                // the JSON file
  std::string figure;                // optional .png/.svg/.pdf
  bool cycles = true;                // continue the cycles from each Hopf point
  std::size_t max_cycles = 300;
  std::size_t cycle_steps = 1000;    // rk4 steps per period in the shooting map
};

void analyze_bifurcation(const analyze_request& request, bool quiet, std::ostream& out);

}  // namespace ionode::cli
