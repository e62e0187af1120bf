// The vectorized, multi-threaded path computes what the scalar reference path computes: the same
// spikes and V within 1e-9 (relative) after 10,000 steps, for every model and fixed-step method;
// and results are bitwise identical whatever the number of threads.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "ionode/ionode.hpp"

namespace {

struct model_case {
  std::string model;
  ionode::model_options options;
  std::string input;
  double current;
};

ionode::population make(const model_case& c, std::size_t n) {
  ionode::population_options options;
  options.shape = {n};
  options.seed = 11;
  // Spread the neurons over the excitable range, so that spikes, rest and onsets all occur.
  options.initial[c.model == "PinskyRinzel" ? "Vs" : "V"] = ionode::init::uniform{-75.0, -50.0};
  return ionode::make_population(c.model, options, c.options);
}

struct run_result {
  std::vector<double> v;
  std::vector<double> spike_times;
  std::vector<std::int64_t> spike_indices;
};

run_result run(const model_case& c, const std::string& method, bool vectorize, std::size_t threads, std::size_t n,
               double dt, int steps) {
  auto pop = make(c, n);
  ionode::runner r(pop, {.dt = dt, .method = method, .threads = threads, .vectorize = vectorize});
  // Per-neuron currents (a list input), so that the vector path's loads are exercised too.
  std::vector<double> currents(n);
  for (std::size_t i = 0; i < n; ++i) currents[i] = c.current * (0.5 + static_cast<double>(i) / static_cast<double>(n));
  r.add_input({c.input, currents});
  r.run(dt * steps);
  const std::string v = c.model == "PinskyRinzel" ? "Vs" : "V";
  return {std::vector<double>(pop.state(v).begin(), pop.state(v).end()), r.result().spike_times,
          r.result().spike_indices};
}

const std::vector<model_case> models{{"HH", {}, "input", 10.0},
                                     {"MorrisLecar", {}, "input", 100.0},
                                     {"WangBuzsaki", {}, "input", 1.0},
                                     {"PinskyRinzel", {{"variant", "paper"}}, "Is", 0.75},
                                     {"PinskyRinzel", {{"variant", "seed"}}, "Is", 0.75}};

class VectorPath : public ::testing::TestWithParam<std::tuple<std::size_t, std::string>> {};

TEST_P(VectorPath, MatchesTheScalarReferencePathAfter10000Steps) {
  const auto& c = models[std::get<0>(GetParam())];
  const std::string method = std::get<1>(GetParam());
  const std::size_t n = 37;  // not a multiple of any SIMD width: the padding lanes are exercised
  const double dt = c.model == "MorrisLecar" ? 0.05 : 0.01;
  const auto scalar = run(c, method, false, 1, n, dt, 10000);
  const auto vector = run(c, method, true, 1, n, dt, 10000);
  ASSERT_EQ(vector.spike_times.size(), scalar.spike_times.size()) << c.model << " " << method;
  EXPECT_EQ(vector.spike_indices, scalar.spike_indices);
  for (std::size_t k = 0; k < scalar.spike_times.size(); ++k) {
    EXPECT_NEAR(vector.spike_times[k], scalar.spike_times[k], 1e-9 * std::max(1.0, scalar.spike_times[k]));
  }
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_NEAR(vector.v[i], scalar.v[i], 1e-9 * std::max(1.0, std::abs(scalar.v[i]))) << c.model << " neuron " << i;
  }
  EXPECT_FALSE(scalar.spike_times.empty()) << "the comparison should include spikes";
}

INSTANTIATE_TEST_SUITE_P(AllModels, VectorPath,
                         ::testing::Combine(::testing::Values(0u, 1u, 2u, 3u, 4u),
                                            ::testing::Values("exp_auto", "exp_midpoint", "euler", "rk2", "rk4")),
                         [](const auto& test) {
                           return "model" + std::to_string(std::get<0>(test.param)) + "_" + std::get<1>(test.param);
                         });

TEST(Threads, ResultsAreBitwiseIdenticalForOneTwoAndThreeThreads) {
  for (const auto& c : models) {
    for (const std::string method : {"exp_auto", "exp_midpoint", "rk4", "rkdp"}) {
      const std::size_t n = 203;  // several blocks, a ragged end
      const auto one = run(c, method, true, 1, n, 0.025, 400);
      for (std::size_t threads : {2u, 3u}) {
        const auto many = run(c, method, true, threads, n, 0.025, 400);
        EXPECT_EQ(std::memcmp(one.v.data(), many.v.data(), n * sizeof(double)), 0) << c.model << " " << method;
        EXPECT_EQ(one.spike_times, many.spike_times) << c.model << " " << method;
        EXPECT_EQ(one.spike_indices, many.spike_indices) << c.model << " " << method;
      }
    }
  }
}

TEST(Threads, ADivergenceIsReportedForTheSameNeuronWhateverTheThreadCount) {
  for (std::size_t threads : {1u, 2u}) {
    ionode::population_options options;
    options.shape = {100};
    options.initial["V"] = -65.0;
    std::vector<double> capacitance(100, 1.0);
    capacitance[71] = 1e-4;
    capacitance[93] = 1e-4;
    options.params["C"] = capacitance;
    auto pop = ionode::make_population("HH", options);
    ionode::runner r(pop, {.dt = 0.1, .method = "euler", .threads = threads});
    r.add_input({"input", 10.0});
    try {
      r.run(50.0);
      FAIL();
    } catch (const ionode::divergence_error& e) {
      EXPECT_EQ(e.neuron(), 71u) << threads << " threads";
    }
  }
}

TEST(Memory, AnHHNeuronWithSharedParametersCostsAtMost40Bytes) {
  ionode::population_options options;
  options.shape = {100000};
  auto pop = ionode::make_population("HH", options);
  // Four fp64 state variables; inputs are folded into the kernel, parameters shared.
  EXPECT_LE(pop.impl().bytes_per_instance(), 40.0);
  EXPECT_GE(pop.impl().bytes_per_instance(), 32.0);
}

}  // namespace

namespace {

// float32 against float64: the same spikes per neuron, each within 0.05 ms over 200 ms. Stated
// tolerance: float32 rounds each step at ~6e-8 relative, and over 2e4 steps the phase error of a
// spiking neuron grows like a random walk to ~1e-5 relative (~1e-3 ms at 100 ms; bursting
// Pinsky-Rinzel amplifies it tenfold). That is 1/20 of exp_auto's own error at dt = 0.01 (0.9 ms by
// 200 ms, docs/validation.md), so float32 never dominates the discretisation error.
TEST(Float32, GivesTheSameSpikesAsFloat64WithinItsStatedTolerance) {
  for (const auto& c : models) {
    for (const std::string method : {"exp_auto", "exp_midpoint", "rk4"}) {
      std::vector<std::vector<double>> per_neuron[2];
      const std::size_t n = 40;
      for (int single = 0; single < 2; ++single) {
        ionode::population_options options;
        options.shape = {n};
        options.seed = 3;
        options.precision = single ? ionode::precision::float32 : ionode::precision::float64;
        options.initial[c.model == "PinskyRinzel" ? "Vs" : "V"] = ionode::init::uniform{-75.0, -50.0};
        auto pop = ionode::make_population(c.model, options, c.options);
        const double dt = c.model == "MorrisLecar" ? 0.05 : 0.01;
        ionode::runner r(pop, {.dt = dt, .method = method, .threads = 1});
        std::vector<double> currents(n);
        for (std::size_t i = 0; i < n; ++i) currents[i] = c.current * (0.5 + static_cast<double>(i) / static_cast<double>(n));
        r.add_input({c.input, currents});
        r.run(200.0);
        per_neuron[single].resize(n);
        for (std::size_t k = 0; k < r.result().spike_times.size(); ++k) {
          per_neuron[single][static_cast<std::size_t>(r.result().spike_indices[k])].push_back(r.result().spike_times[k]);
        }
      }
      std::size_t spikes = 0;
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(per_neuron[0][i].size(), per_neuron[1][i].size()) << c.model << " " << method << " neuron " << i;
        for (std::size_t k = 0; k < per_neuron[0][i].size(); ++k) {
          EXPECT_NEAR(per_neuron[1][i][k], per_neuron[0][i][k], 0.05) << c.model << " " << method;
        }
        spikes += per_neuron[0][i].size();
      }
      EXPECT_GT(spikes, n) << c.model;
    }
  }
}

TEST(Float32, StateIsReadThroughValuesAndCostsHalfTheMemory) {
  ionode::population_options options;
  options.shape = {1000};
  options.precision = ionode::precision::float32;
  auto pop = ionode::make_population("HH", options);
  EXPECT_THROW(pop.state("V"), ionode::error);
  const auto v = pop.values("V");
  ASSERT_EQ(v.size(), 1000u);
  EXPECT_GE(v[0], -70.0);
  EXPECT_LT(v[0], -60.0);
  EXPECT_LE(pop.impl().bytes_per_instance(), 20.0);
  ionode::runner r(pop, {.dt = 0.01, .threads = 1});
  r.monitor({.variables = {"V"}, .indices = {0}, .every = 1, .spikes = true});
  r.run(1.0);
  EXPECT_EQ(r.result().values.at("V").back(), pop.values("V")[0]);
}

}  // namespace
