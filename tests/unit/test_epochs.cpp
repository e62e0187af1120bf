// With a thread pool the runner advances epochs of steps between meetings of the threads (runner.cpp,
// run_epochs). Everything it records must be what the step-by-step path records, bit for bit: samples
// (with a batch, a monitor stride, a subset of neurons), spikes with their batch copies, noise,
// time-series inputs, and a divergence (the earliest failing step wins, whichever chunk it is in).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "ionode/ionode.hpp"

namespace {

ionode::population make_population(std::size_t n, double noise) {
  ionode::population_options options;
  options.shape = {n};
  options.batch = 2;
  options.seed = 5;
  options.initial["V"] = ionode::init::uniform{-75.0, -50.0};
  if (noise > 0) options.noise["V"] = noise;
  return ionode::make_population("HH", options);
}

ionode::recording run(std::size_t threads, bool step_by_step, double noise) {
  const std::size_t n = 300;  // several chunks per thread, a ragged end
  auto pop = make_population(n, noise);
  ionode::runner_options options{.dt = 0.02, .method = noise > 0 ? "euler" : "exp_auto", .threads = threads};
  // A progress callback keeps the runner on its step-by-step path, even with threads.
  if (step_by_step) options.progress = [](std::int64_t, std::int64_t) {};
  ionode::runner r(pop, options);
  ionode::time_series drive;  // one column: the same current for all, changing every step
  drive.columns = 1;
  drive.rows = 3000;
  for (int k = 0; k < 3000; ++k) drive.values.push_back(6.0 + 4.0 * (k % 7) / 7.0);
  r.add_input({"input", drive});
  r.monitor({.variables = {"V", "n"}, .indices = {0, 7, 150, 299}, .every = 3, .spikes = true});
  r.run(0.02 * 2500);  // several epochs and a partial one
  return r.result();
}

void expect_same(const ionode::recording& a, const ionode::recording& b, const std::string& what) {
  EXPECT_EQ(a.ts, b.ts) << what;
  for (const std::string v : {"V", "n"}) {
    ASSERT_EQ(a.values.at(v).size(), b.values.at(v).size()) << what;
    EXPECT_EQ(std::memcmp(a.values.at(v).data(), b.values.at(v).data(), a.values.at(v).size() * sizeof(double)), 0)
        << what << " " << v;
  }
  EXPECT_EQ(a.spike_times, b.spike_times) << what;
  EXPECT_EQ(a.spike_indices, b.spike_indices) << what;
  EXPECT_EQ(a.spike_batch, b.spike_batch) << what;
}

TEST(Epochs, RecordExactlyWhatStepByStepRecords) {
  for (const double noise : {0.0, 1.5}) {
    const auto reference = run(1, true, noise);
    ASSERT_FALSE(reference.spike_times.empty());
    ASSERT_EQ(reference.ts.size(), 2500u / 3);
    for (std::size_t threads : {2u, 3u}) {
      expect_same(reference, run(threads, false, noise), std::to_string(threads) + " threads, epochs");
      expect_same(reference, run(threads, true, noise), std::to_string(threads) + " threads, step by step");
    }
  }
}

struct diverged {
  std::size_t neuron = 0;
  double time = 0;
  std::string message;
  std::size_t samples = 0, spikes = 0;
  std::int64_t steps = 0;
};

diverged run_until_divergence(std::size_t threads) {
  ionode::population_options options;
  options.shape = {400};
  options.initial["V"] = -65.0;
  std::vector<double> capacitance(400, 1.0);
  capacitance[20] = 2e-3;   // an early chunk: diverges, but later
  capacitance[350] = 1e-4;  // a late chunk: diverges first
  options.params["C"] = capacitance;
  auto pop = ionode::make_population("HH", options);
  ionode::runner r(pop, {.dt = 0.1, .method = "euler", .threads = threads});
  r.add_input({"input", 10.0});
  r.monitor({.variables = {"V"}, .indices = {20, 350}, .spikes = true});
  try {
    r.run(200.0);
  } catch (const ionode::divergence_error& e) {
    return {e.neuron(), e.time(), e.what(), r.result().ts.size(), r.result().spike_times.size(), r.steps_done()};
  }
  ADD_FAILURE() << "no divergence";
  return {};
}

TEST(Epochs, TheEarliestFailingStepIsReportedWhicheverChunkItIsIn) {
  const auto one = run_until_divergence(1);
  ASSERT_EQ(one.neuron, 350u);  // the scenario: a later chunk fails first
  ASSERT_GT(one.steps, 1);
  for (std::size_t threads : {2u, 3u}) {
    const auto many = run_until_divergence(threads);
    EXPECT_EQ(many.neuron, one.neuron) << threads;
    EXPECT_EQ(many.time, one.time) << threads;
    EXPECT_EQ(many.message, one.message) << threads;
    EXPECT_EQ(many.samples, one.samples) << threads;
    EXPECT_EQ(many.spikes, one.spikes) << threads;
    EXPECT_EQ(many.steps, one.steps) << threads;
  }
}

}  // namespace
