// The results of `ionode analyze bifurcation|fi|phase-plane` as JSON, computed from a model chosen in
// the registry: shared by the command line (which writes them to a file) and the Python module
// (ionode.analysis, which returns them as dicts), so that both give one format.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ionode/distributed/context.hpp"

#include "ionode/analysis/phase_plane.hpp"
#include "ionode/initializer.hpp"
#include "ionode/registry.hpp"

namespace ionode::cli {

// The model an analysis runs on: its registry entry, its options (resolved), and parameter (or
// input) values in the order given.
struct analysis_model {
  const model_entry* entry = nullptr;
  model_options options;
  std::vector<std::pair<std::string, double>> values;
  std::map<std::string, value_spec> initial;  // a configuration's [initial] (used by the f-I curve)
};

struct bifurcation_settings {
  std::string param = "I";  // the continuation parameter: a parameter or input name, or I
  double lo = 0.0, hi = 1.0;
  bool cycles = true;  // continue the cycles from each Hopf point
  std::size_t max_cycles = 300;
  std::size_t cycle_steps = 1000;  // rk4 steps per period in the shooting map
};

struct fi_settings {
  std::string param = "I";
  std::vector<double> values;      // in increasing order (the up sweep's order)
  std::array<double, 2> range{};   // written as "range"
  std::string sweep;               // "": every value from the initial state; "up", "down" or "both"
  double transient = 1000.0, window = 2000.0, dt = 0.01;  // ms
  double ramp = 100.0;             // ms, sweeps: a swept input moves linearly to each new value
  std::map<std::string, double> initial;  // the initial state by variable (unset: the model's default)
  std::string method = "rk4";
  std::size_t threads = 0;
  // Ranks to share the work (mpirun ionode analyze fi): the values split into contiguous parts, one
  // sweep per rank; every rank returns the whole result. Null: this process alone.
  distributed::context* context = nullptr;
};

// Keys: docs/analysis.md. Each throws ionode::error for bad input (an unknown name, an empty range).
nlohmann::json bifurcation_result(const analysis_model& m, const bifurcation_settings& s);
nlohmann::json fi_result(const analysis_model& m, const fi_settings& s);
nlohmann::json phase_plane_result(const analysis_model& m, const analysis::phase_plane_options& o);

}  // namespace ionode::cli
