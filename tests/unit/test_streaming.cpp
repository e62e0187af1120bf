// The runner's streaming to a sink: blocks, their bound, and runs that stop (flag, divergence).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <functional>

#include "ionode/registry.hpp"
#include "ionode/ionode.hpp"

namespace {

// Keeps every block it is given, concatenated, and the size of each.
struct collecting_sink : ionode::recording_sink {
  ionode::recording all;
  std::vector<std::size_t> block_values, block_spikes;

  void write(const ionode::recording& block) override {
    EXPECT_EQ(block.first_sample, all.ts.size());
    EXPECT_EQ(block.first_spike, all.spike_times.size());
    std::size_t values = 0;
    all.ts.insert(all.ts.end(), block.ts.begin(), block.ts.end());
    for (const auto& [name, v] : block.values) {
      all.values[name].insert(all.values[name].end(), v.begin(), v.end());
      values += v.size();
    }
    all.spike_times.insert(all.spike_times.end(), block.spike_times.begin(), block.spike_times.end());
    all.spike_indices.insert(all.spike_indices.end(), block.spike_indices.begin(), block.spike_indices.end());
    all.spike_batch.insert(all.spike_batch.end(), block.spike_batch.begin(), block.spike_batch.end());
    block_values.push_back(values);
    block_spikes.push_back(block.spike_times.size());
  }
};

ionode::population hh_group(std::size_t n, std::size_t batch = 0) {
  ionode::population_options options;
  options.shape = {n};
  options.batch = batch;
  options.seed = 5;
  return ionode::make_population("HH", options);
}

ionode::monitor_spec v_and_m(std::size_t every = 1) {
  return {.variables = {"V", "m"}, .indices = {}, .every = every, .spikes = true};
}

TEST(Streaming, BlocksConcatenateToTheInMemoryRecording) {
  for (std::size_t batch : {0, 3}) {
    auto a = hh_group(4, batch), b = hh_group(4, batch);
    ionode::runner kept(a, {.dt = 0.05}), streamed(b, {.dt = 0.05});
    for (auto* r : {&kept, &streamed}) {
      r->add_input({"input", 10.0});
      r->monitor(v_and_m(3));
    }
    collecting_sink sink;
    streamed.stream_to(&sink, 100 * sizeof(double));
    kept.run(60.0);
    streamed.run(60.0);
    const auto& whole = kept.result();
    ASSERT_GT(whole.spike_times.size(), 10u);
    EXPECT_EQ(sink.all.ts, whole.ts);
    EXPECT_EQ(sink.all.values, whole.values);
    EXPECT_EQ(sink.all.spike_times, whole.spike_times);
    EXPECT_EQ(sink.all.spike_indices, whole.spike_indices);
    EXPECT_EQ(sink.all.spike_batch, whole.spike_batch);
    // everything was handed over; the runner holds nothing but the counts
    EXPECT_TRUE(streamed.result().ts.empty());
    EXPECT_TRUE(streamed.result().spike_times.empty());
    EXPECT_EQ(streamed.result().samples_recorded(), whole.ts.size());
    EXPECT_EQ(streamed.result().spikes_recorded(), whole.spike_times.size());
    EXPECT_GT(sink.block_values.size(), 10u);
  }
}

TEST(Streaming, BlocksStayWithinTheirSize) {
  auto pop = hh_group(10);
  ionode::runner run(pop, {.dt = 0.05});
  run.add_input({"input", 10.0});
  run.monitor(v_and_m());
  collecting_sink sink;
  const std::size_t block_values = 256;
  run.stream_to(&sink, block_values * sizeof(double));
  run.run(50.0);
  const std::size_t per_sample = 2 * 10;
  for (std::size_t values : sink.block_values) EXPECT_LT(values, block_values + per_sample);
  for (std::size_t spikes : sink.block_spikes) EXPECT_LE(spikes, block_values);
}

TEST(Streaming, SpikesAloneAreHandedOverInBlocks) {
  auto pop = hh_group(50);
  ionode::runner run(pop, {.dt = 0.05});
  run.add_input({"input", 10.0});
  run.monitor({.variables = {}, .indices = {}, .every = 1, .spikes = true});
  collecting_sink sink;
  run.stream_to(&sink, 16 * sizeof(double));
  run.run(100.0);
  ASSERT_GT(sink.all.spike_times.size(), 100u);
  EXPECT_GT(sink.block_spikes.size(), 5u);
  // Spikes go over as soon as a block is full, within a step or an epoch of steps (threads): never more.
  for (std::size_t spikes : sink.block_spikes) EXPECT_LE(spikes, 16u);
}

TEST(Streaming, ASecondRunContinuesTheSameFile) {
  auto a = hh_group(2), b = hh_group(2);
  ionode::runner once(a, {.dt = 0.1}), twice(b, {.dt = 0.1});
  for (auto* r : {&once, &twice}) {
    r->add_input({"input", 10.0});
    r->monitor(v_and_m());
  }
  collecting_sink sink;
  twice.stream_to(&sink, 1 << 20);
  once.run(40.0);
  twice.run(25.0);
  EXPECT_EQ(sink.all.ts.size(), 250u);  // handed over at the end of each run, not only when a block fills
  twice.run(15.0);
  EXPECT_EQ(sink.all.ts, once.result().ts);
  EXPECT_EQ(sink.all.values, once.result().values);
}

TEST(Streaming, MonitorRefusedWhileASinkIsAttached) {
  auto pop = hh_group(2);
  ionode::runner run(pop);
  collecting_sink sink;
  run.stream_to(&sink);
  EXPECT_THROW(run.monitor(v_and_m()), ionode::error);
  run.stream_to(nullptr);
  EXPECT_NO_THROW(run.monitor(v_and_m()));
}

TEST(Streaming, ResetDetachesTheSink) {
  auto pop = hh_group(2);
  ionode::runner run(pop, {.dt = 0.1});
  run.monitor(v_and_m());
  collecting_sink sink;
  run.stream_to(&sink);
  run.run(1.0);
  run.reset();
  run.run(1.0);
  EXPECT_EQ(sink.all.ts.size(), 10u);
  EXPECT_EQ(run.result().ts.size(), 10u);  // kept in memory again
}

TEST(StopFlag, StopsAtAStepBoundaryAndHandsEverythingOver) {
  auto a = hh_group(3), b = hh_group(3);
  ionode::runner stopped(a, {.dt = 0.1}), full(b, {.dt = 0.1});
  std::atomic<bool> stop{false};
  // An input function runs once per step, at the step's start: it raises the flag in the step from
  // t = 12.3 ms, so that step completes and the run stops before the next.
  stopped.add_input({"input", std::function<double(double)>([&](double t) {
                       if (t > 12.25) stop = true;
                       return 10.0;
                     })});
  full.add_input({"input", 10.0});
  for (auto* r : {&stopped, &full}) r->monitor(v_and_m());
  collecting_sink sink;
  stopped.stream_to(&sink, 64 * sizeof(double));
  stopped.stop_when(&stop);
  full.run(12.4);
  EXPECT_THROW(stopped.run(100.0), ionode::interrupted);
  EXPECT_EQ(stopped.steps_done(), 124);
  EXPECT_FALSE(stopped.result().complete);
  EXPECT_NE(stopped.result().stop_reason.find("interrupted at t = 12.4"), std::string::npos)
      << stopped.result().stop_reason;
  EXPECT_EQ(sink.all.ts, full.result().ts);
  EXPECT_EQ(sink.all.values, full.result().values);
  EXPECT_EQ(sink.all.spike_times, full.result().spike_times);
  // the state is that of a step boundary: clearing the flag continues the run
  stop = false;
  stopped.stop_when(nullptr);
  stopped.run(1.0);
  EXPECT_EQ(stopped.steps_done(), 134);
}

TEST(StopFlag, SetBeforeTheRunStopsBeforeTheFirstStep) {
  auto pop = hh_group(2);
  ionode::runner run(pop, {.dt = 0.1});
  std::atomic<bool> stop{true};
  run.stop_when(&stop);
  EXPECT_THROW(run.run(10.0), ionode::interrupted);
  EXPECT_EQ(run.steps_done(), 0);
}

TEST(Streaming, DivergenceHandsOverWhatCameBefore) {
  auto pop = hh_group(3);
  ionode::runner run(pop, {.dt = 0.5, .method = "euler"});
  run.add_input({"input", 10.0});
  run.monitor(v_and_m());
  collecting_sink sink;
  run.stream_to(&sink, 1 << 20);
  EXPECT_THROW(run.run(100.0), ionode::divergence_error);
  EXPECT_FALSE(run.result().complete);
  ASSERT_GT(sink.all.ts.size(), 0u);
  EXPECT_EQ(sink.all.ts.size(), run.result().samples_recorded());
  EXPECT_EQ(static_cast<std::int64_t>(sink.all.ts.size()), run.steps_done() - 1);
  for (double v : sink.all.values.at("V")) EXPECT_TRUE(std::isfinite(v));
}

TEST(Streaming, ASinkThatFailsStopsTheRunAndIsDetached) {
  struct failing_sink : ionode::recording_sink {
    int calls = 0;
    void write(const ionode::recording&) override {
      ++calls;
      throw ionode::error("disk full");
    }
  } sink;
  auto pop = hh_group(2);
  ionode::runner run(pop, {.dt = 0.1});
  run.monitor(v_and_m());
  run.stream_to(&sink, 64 * sizeof(double));
  EXPECT_THROW(run.run(100.0), ionode::error);
  EXPECT_EQ(sink.calls, 1);
  EXPECT_FALSE(run.result().complete);
  EXPECT_EQ(run.result().stop_reason, "disk full");
  EXPECT_FALSE(run.result().ts.empty());  // what the sink did not take stays in memory
}

}  // namespace
