// The runner: step order, inputs and their operations, monitors, time labels, divergence.
#include <gtest/gtest.h>

#include <cmath>

#include "ionode/registry.hpp"
#include "ionode/ionode.hpp"

namespace {

using ionode::models::hh;

ionode::population hh_at_rest(std::size_t n = 1, std::size_t batch = 0) {
  ionode::population_options options;
  options.shape = {n};
  options.batch = batch;
  options.initial["V"] = -65.0;
  return ionode::make_population("HH", options);
}

// The current a population saw in its first step, recovered from dV/dt of one euler step:
// V1 = V0 + dt (f0 + I / C) with f0 the zero-input derivative.
double applied_current(std::vector<ionode::input> inputs) {
  auto with = hh_at_rest(), without = hh_at_rest();
  ionode::runner a(with, {.dt = 0.01, .method = "euler"});
  ionode::runner b(without, {.dt = 0.01, .method = "euler"});
  for (auto& in : inputs) a.add_input(std::move(in));
  a.run(0.01);
  b.run(0.01);
  return (with.state("V")[0] - without.state("V")[0]) / 0.01;
}

TEST(Inputs, OperationsCombineInOrderWithinAStep) {
  using ionode::input_op;
  EXPECT_NEAR(applied_current({{"input", 3.0}, {"input", 4.0}}), 7.0, 1e-9);
  EXPECT_NEAR(applied_current({{"input", 3.0}, {"input", 4.0, input_op::subtract}}), -1.0, 1e-9);
  EXPECT_NEAR(applied_current({{"input", 3.0}, {"input", 4.0, input_op::multiply}}), 12.0, 1e-9);
  EXPECT_NEAR(applied_current({{"input", 3.0}, {"input", 4.0, input_op::divide}}), 0.75, 1e-9);
  EXPECT_NEAR(applied_current({{"input", 3.0}, {"input", 5.0, input_op::assign}}), 5.0, 1e-9);
  EXPECT_NEAR(applied_current({{"input", 5.0, input_op::assign}, {"input", 2.0}}), 7.0, 1e-9);
}

TEST(Inputs, AreClearedAfterEveryStep) {
  // A function input seen once per step: with '+' and clearing, the input never accumulates across steps.
  auto pop = hh_at_rest();
  ionode::runner run(pop, {.dt = 0.1, .method = "exp_auto"});
  int calls = 0;
  run.add_input({"input", std::function<double(double)>([&](double) {
                   ++calls;
                   return 0.0;
                 })});
  run.add_input({"input", 10.0});
  run.run(200.0);
  EXPECT_EQ(calls, 2000);
  // 10 uA/cm^2 held (not accumulated) gives the reference's 14 spikes in 200 ms (rates differ by
  // dt; accumulating inputs would give hundreds).
  EXPECT_GE(run.result().spike_times.size(), 13u);
  EXPECT_LE(run.result().spike_times.size(), 15u);
}

TEST(Inputs, FunctionOfTimeSeesTheStepsStartTime) {
  auto pop = hh_at_rest();
  ionode::runner run(pop, {.dt = 0.25, .method = "exp_auto"});
  std::vector<double> seen;
  run.add_input({"input", std::function<double(double)>([&](double t) {
                   seen.push_back(t);
                   return 0.0;
                 })});
  run.run(1.0);
  run.run(0.5);  // continues in time
  EXPECT_EQ(seen, (std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0, 1.25}));
  EXPECT_DOUBLE_EQ(run.time(), 1.5);
}

TEST(Inputs, TimeSeriesRowsArePerStepAndColumnsPerNeuron) {
  // Neuron 0 gets 10 uA/cm^2 only in the second half; neuron 1 always gets 0.
  const std::size_t steps = 1000;
  ionode::time_series series{steps, 2, std::vector<double>(steps * 2, 0.0)};
  for (std::size_t i = steps / 2; i < steps; ++i) series.values[i * 2] = 10.0;
  auto pop = hh_at_rest(2);
  ionode::runner run(pop, {.dt = 0.1, .method = "exp_auto"});
  run.add_input({"input", series});
  run.run(100.0);
  const auto& r = run.result();
  ASSERT_FALSE(r.spike_times.empty());
  for (std::size_t k = 0; k < r.spike_times.size(); ++k) {
    EXPECT_EQ(r.spike_indices[k], 0);
    EXPECT_GT(r.spike_times[k], 50.0);
  }
  // The series has no row for step 1000: a further run is refused before it starts.
  EXPECT_THROW(run.run(0.1), ionode::error);
  EXPECT_EQ(run.steps_done(), 1000);
}

TEST(Inputs, BadInputsAreRefusedWithTheirName) {
  auto pop = hh_at_rest(3);
  ionode::runner run(pop);
  try {
    run.add_input({"current", 1.0});
    FAIL();
  } catch (const ionode::error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown input target 'current'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(run.add_input({"input", std::vector<double>{1.0, 2.0}}), ionode::error);
  EXPECT_THROW(run.add_input({"input", ionode::time_series{10, 2, std::vector<double>(20)}}), ionode::error);
  EXPECT_THROW(run.add_input({"input", NAN}), ionode::error);
  EXPECT_THROW(ionode::parse_input_op("%"), ionode::error);
}

TEST(Monitors, SampleJHoldsTheStateAtTheEndOfItsStep) {
  auto pop = hh_at_rest(5);
  ionode::runner run(pop, {.dt = 0.1, .method = "exp_auto"});
  run.add_input({"input", 10.0});
  run.monitor({{"V", "m"}, {1, 3}, 4, true});
  run.run(10.0);
  const auto& r = run.result();
  ASSERT_EQ(r.ts.size(), 25u);
  EXPECT_DOUBLE_EQ(r.ts[0], 0.4);
  EXPECT_DOUBLE_EQ(r.ts.back(), 10.0);
  EXPECT_EQ(r.indices, (std::vector<std::size_t>{1, 3}));
  // The last sample is the state now (after the step ending at ts.back()).
  EXPECT_EQ(r.value("V", 24, 0, 1), pop.state("V")[3]);
  EXPECT_EQ(r.value("m", 24, 0, 0), pop.state("m")[1]);
}

TEST(Monitors, OnlyWhatIsAskedIsRecorded) {
  auto pop = hh_at_rest(3);
  ionode::runner run(pop);
  run.monitor({{}, {}, 1, false});
  run.add_input({"input", 10.0});
  run.run(50.0);
  EXPECT_TRUE(run.result().ts.empty());
  EXPECT_TRUE(run.result().values.empty());
  EXPECT_TRUE(run.result().spike_times.empty());
  EXPECT_THROW(run.monitor({{"W"}, {}, 1, true}), ionode::error);
  EXPECT_THROW(run.monitor({{"V"}, {3}, 1, true}), ionode::error);
  EXPECT_THROW(run.monitor({{"V"}, {}, 0, true}), ionode::error);
}

TEST(Spikes, TimesAreLocatedInsideTheStepNotRoundedToIt) {
  auto pop = hh_at_rest();
  ionode::runner run(pop, {.dt = 0.05, .method = "rk4"});  // 0.1 is past rk4's stability
  run.add_input({"input", 10.0});
  run.run(50.0);
  const auto& times = run.result().spike_times;
  ASSERT_FALSE(times.empty());
  // The reference's first spike is at 2.1561497 ms; rk4 at dt = 0.05 is within 1e-3 of it, much
  // closer than the step grid (2.15 or 2.2) would allow.
  EXPECT_NEAR(times[0], 2.1561496643768727, 1e-3);
}

TEST(Batch, CopiesWithEqualParametersAndStatesEvolveIdentically) {
  auto batched = hh_at_rest(2, 3);
  ionode::runner run(batched);
  run.add_input({"input", std::vector<double>{10.0, 5.0}});
  run.monitor({{"V"}, {}, 1, true});
  run.run(30.0);
  auto single = hh_at_rest(2);
  ionode::runner reference(single);
  reference.add_input({"input", std::vector<double>{10.0, 5.0}});
  reference.run(30.0);
  for (std::size_t b = 0; b < 3; ++b) {
    for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(batched.state("V")[b * 2 + i], single.state("V")[i]);
  }
  EXPECT_EQ(run.result().spike_times.size(), 3 * reference.result().spike_times.size());
  EXPECT_TRUE(run.result().batch_axis);
}

TEST(Runner, BadDurationsAndStepsAreRefused) {
  auto pop = hh_at_rest();
  EXPECT_THROW(ionode::runner(pop, {.dt = 0.0, .method = "exp_auto"}), ionode::error);
  EXPECT_THROW(ionode::runner(pop, {.dt = -0.1, .method = "exp_auto"}), ionode::error);
  EXPECT_THROW(ionode::runner(pop, {.dt = 0.1, .method = "rk5"}), ionode::error);
  EXPECT_THROW(ionode::runner(pop, {.dt = 0.1, .method = "rkdp", .tolerances = {.rtol = -1}}), ionode::error);
  ionode::runner run(pop);
  EXPECT_THROW(run.run(-5.0), ionode::error);
  EXPECT_THROW(run.run(0.05), ionode::error);  // shorter than dt
  EXPECT_THROW(run.run(NAN), ionode::error);
  EXPECT_EQ(ionode::steps_for(0.3, 0.1), 3);   // not 2, despite 0.3 / 0.1 = 2.9999999999999996
  EXPECT_EQ(ionode::steps_for(0.25, 0.1), 2);  // truncated, as BrainPy does
  EXPECT_EQ(ionode::steps_for(1e7, 0.01), 1000000000);  // no extra step from the slack in long runs
  EXPECT_EQ(ionode::steps_for(0.0999999, 0.1), 0);
}

TEST(Runner, ResetReturnsToTheInitialStateAndTimeZero) {
  auto pop = hh_at_rest();
  ionode::runner run(pop);
  run.add_input({"input", 10.0});
  run.monitor({{"V"}, {}, 1, true});
  run.run(20.0);
  const auto first = run.result().spike_times;
  run.reset();
  EXPECT_EQ(run.time(), 0.0);
  EXPECT_EQ(pop.state("V")[0], -65.0);
  EXPECT_TRUE(run.result().ts.empty());
  run.run(20.0);
  EXPECT_EQ(run.result().spike_times, first);
}

TEST(Divergence, StopsNamingNeuronVariableAndTimeAndKeepsTheSamples) {
  ionode::population_options options;
  options.shape = {3};
  options.initial["V"] = -65.0;
  options.params["C"] = std::vector<double>{1.0, 1.0, 1e-4};  // neuron 2 is wildly stiff
  auto pop = ionode::make_population("HH", options);
  ionode::runner run(pop, {.dt = 0.1, .method = "euler"});
  run.add_input({"input", 10.0});
  run.monitor({{"V"}, {}, 1, true});
  try {
    run.run(100.0);
    FAIL() << "expected a divergence";
  } catch (const ionode::divergence_error& e) {
    EXPECT_EQ(e.neuron(), 2u);
    EXPECT_LT(e.time(), 100.0);
    const std::string message = e.what();
    EXPECT_NE(message.find("neuron 2"), std::string::npos) << message;
    EXPECT_NE(message.find(e.variable()), std::string::npos) << message;
    EXPECT_NE(message.find("t = "), std::string::npos) << message;
    const auto& r = run.result();
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.ts.size(), static_cast<std::size_t>(run.steps_done()) - 1);  // all but the failed step
    EXPECT_LT(r.ts.size(), 1000u);
    for (double v : r.values.at("V")) EXPECT_TRUE(std::isfinite(v));
    // The population holds the state at the end of the failed step; going on needs a reset.
    EXPECT_DOUBLE_EQ(run.time(), e.time() + 0.1);
    EXPECT_THROW(run.run(1.0), ionode::error);
    run.reset();
    EXPECT_EQ(run.time(), 0.0);
    EXPECT_NO_THROW(run.run(e.time()));  // the steps before the divergence run again
  }
}

}  // namespace
