// `ionode analyze fi`: firing rate against a parameter (from one state, or up and down sweeps), as
// JSON (and optionally drawn).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "ionode/distributed/context.hpp"

namespace ionode::cli {

struct fi_request {
  std::string config, model;
  std::vector<std::string> options, sets;
  std::string param = "I";
  std::vector<double> range;  // LO HI
  std::size_t points = 21;
  std::string sweep;  // "": every value from the initial state; "up", "down" or "both"
  double transient = 1000.0, window = 2000.0;  // ms
  std::optional<double> dt;           // ms; unset: the configuration's dt, else 0.01
  double ramp = 100.0;               // ms, a swept input's move from one value to the next (sweeps)
  std::vector<std::string> initial;  // the initial state, "V=-70" (unset: the model's default)
  std::optional<std::string> method;  // unset: the configuration's method, else rk4
  std::size_t threads = 0;
  std::string output, figure;
};

void analyze_fi(const fi_request& request, bool quiet, std::ostream& out);
// The same with the values (or the sweeps) shared by the ranks of `world` (mpirun); rank 0 writes.
void analyze_fi(const fi_request& request, bool quiet, std::ostream& out, distributed::context& world);

}  // namespace ionode::cli
