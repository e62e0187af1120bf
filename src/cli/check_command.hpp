// `ionode check CONFIG`: is the configuration's dt good enough? (step_check.hpp)
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace ionode::cli {

struct check_request {
  std::string config;                  // a single population's configuration
  std::vector<std::string> overrides;  // --set
  double accuracy = 0.1;               // ms
  std::size_t sample = 64;             // neurons checked, in four runs spread over the population
  double duration = 0.0;               // ms; 0: the configuration's
  std::vector<std::string> methods{"exp_midpoint"};  // compared besides the configured method
  std::string json;                    // write the result as JSON here too
};

void check_configuration(const check_request& request, std::ostream& out);

}  // namespace ionode::cli
