// Stochastic HH against the shared reference (stochastic_HH in reference.json: an independent NumPy
// Euler-Maruyama with 2000 trials): mean and standard deviation of V at t = 50 ms.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numeric>

#include "reference_cases.hpp"

namespace {

TEST(StochasticHH, MeanAndSpreadOfVMatchTheReferenceWithinFourStandardErrors) {
  const auto& reference = ionode_validation::reference_json()["stochastic_HH"];
  const auto& names = std::array{"V", "m", "h", "n"};
  for (const auto& point : reference["I0_t50"]) {
    const double dt = point["dt"];
    if (dt < 0.005) continue;  // dt = 0.001: 5e4 steps x 2000 trials, too slow for the suite
    const std::size_t trials = reference["n_trials"];
    ionode::population_options options;
    options.batch = trials;
    options.noise["V"] = static_cast<double>(reference["sigma"]);
    options.seed = 2024;
    for (std::size_t k = 0; k < names.size(); ++k) options.initial[names[k]] = static_cast<double>(reference["initial_state"][k]);
    auto pop = ionode::make_population("HH", options);
    ionode::runner run(pop, {.dt = dt, .method = "euler"});  // the reference's scheme
    run.add_input({"input", static_cast<double>(point["I"])});
    run.run(static_cast<double>(point["t"]));
    const auto v = pop.state("V");
    const double n = static_cast<double>(v.size());
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
    double variance = 0;
    for (double x : v) variance += (x - mean) * (x - mean);
    const double sd = std::sqrt(variance / (n - 1));
    // Both sides are samples of 2000 trials: the difference's standard error combines both.
    const double se_mean = std::hypot(static_cast<double>(point["sem_mean"]), sd / std::sqrt(n));
    const double se_sd = std::hypot(static_cast<double>(point["se_std_gaussian"]), sd / std::sqrt(2 * (n - 1)));
    std::cout << "dt " << dt << ": mean V " << mean << " (reference " << static_cast<double>(point["mean_V"])
              << ", 4 se " << 4 * se_mean << "), sd " << sd << " (reference " << static_cast<double>(point["std_V"])
              << ", 4 se " << 4 * se_sd << ")\n";
    EXPECT_NEAR(mean, static_cast<double>(point["mean_V"]), 4 * se_mean) << "dt " << dt;
    EXPECT_NEAR(sd, static_cast<double>(point["std_V"]), 4 * se_sd) << "dt " << dt;
  }
}

}  // namespace
