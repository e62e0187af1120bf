// "Is my dt good enough?": a sample of a configuration's neurons run at dt, dt/2 and dt/4 (an adaptive
// method: at rtol, rtol/10 and rtol/100) and against a tight adaptive run of the same neurons; the
// spike-time and spike-count errors, the order they shrink at, and the step that reaches a requested
// accuracy with its run time (docs/numerics.md, "Is my dt good enough?"). Shared by `ionode check`
// and the Python module's ionode.check.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ionode/input.hpp"
#include "ionode/population_options.hpp"
#include "ionode/registry.hpp"
#include "ionode/runner.hpp"

namespace ionode::cli {

// A population as it would run: model, values and inputs (the whole; the check samples it).
struct check_sample {
  std::string model;
  model_options options;
  population_options population;  // noise is refused: a noisy path changes with dt
  std::vector<input> inputs;
};

struct check_settings {
  double duration = 0.0;           // ms
  runner_options runner;           // dt, method, tolerances as configured
  double accuracy = 0.1;           // ms: the spike-time error asked for
  std::vector<std::string> methods;  // besides the configured one (exp_midpoint by default)
  double reference_tolerance = 1e-10;  // rkdp's rtol = atol for the reference
  std::size_t sample = 64;         // neurons checked: four runs spread over the population
};

// Runs a sample of the population (`settings.sample` neurons in up to four contiguous runs spread over
// it, "sample_neurons": [[first, count], ...]) with every method at the three steps (or tolerances) and
// the reference. Returns JSON: {"reference": {...}, "methods": [{"method", "rows": [{"dt_ms", "rtol",
// "spikes", "count_error", "worst_error_ms", "median_error_ms", "seconds"}], "fitted_order",
// "good_enough", "dt_needed_ms" or "rtol_needed", "seconds_needed_one_thread"}], ...}. Throws
// ionode::error for what cannot be checked (noise, a batch).
nlohmann::json check_result(const check_sample& whole, const check_settings& settings);

// The human-readable report of check_result's JSON.
std::string check_report(const nlohmann::json& result);

// A value below `x` that reads well as a step: 1, 2 or 5 times a power of ten, or dt / 2^k when one of
// those is within 10 %.
double nice_step_below(double x);

}  // namespace ionode::cli
