// The progress bar's text (a pure function of the steps, dt and wall time), when a run earns one,
// and the runner's progress callback (called once per step, last with done == total).
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "ionode/ionode.hpp"
#include "progress_bar.hpp"

namespace {

using ionode::cli::format_duration;
using ionode::cli::format_progress;
using ionode::cli::progress_snapshot;
using ionode::cli::worth_showing;

TEST(progress_bar, formats_percentage_simulated_time_rate_and_time_left) {
  // 4200 of 10000 steps of 0.02 ms in 2 s: 2100 steps/s, 5800 steps left = 2.76 s -> 0:03.
  const std::string line =
      format_progress({.steps_done = 4200, .steps_total = 10000, .dt_ms = 0.02, .elapsed_s = 2.0});
  EXPECT_EQ(line, " 42% [##########..............] 84.0 / 200.0 ms  2.1e+03 steps/s  0:03 left");
}

TEST(progress_bar, finished_line_shows_the_time_taken) {
  const std::string line =
      format_progress({.steps_done = 500, .steps_total = 500, .dt_ms = 0.1, .elapsed_s = 65.4});
  EXPECT_EQ(line, "100% [########################] 50.0 / 50.0 ms  7.65 steps/s  took 1:05");
}

TEST(progress_bar, no_time_left_before_the_clock_has_moved) {
  const std::string line =
      format_progress({.steps_done = 0, .steps_total = 10, .dt_ms = 0.1, .elapsed_s = 0.0});
  EXPECT_EQ(line, "  0% [........................] 0.0 / 1.0 ms  0 steps/s  time left unknown");
}

TEST(progress_bar, durations_round_to_seconds_with_hours_when_needed) {
  EXPECT_EQ(format_duration(0.4), "0:00");
  EXPECT_EQ(format_duration(59.6), "1:00");
  EXPECT_EQ(format_duration(725.0), "12:05");
  EXPECT_EQ(format_duration(3723.0), "1:02:03");
}

TEST(progress_bar, shown_only_for_runs_that_look_like_taking_two_seconds) {
  // Half a second in and a quarter done: 2 s in all -> shown.
  EXPECT_TRUE(worth_showing({.steps_done = 250, .steps_total = 1000, .dt_ms = 0.1, .elapsed_s = 0.5}));
  // Half a second in and half done: about 1 s in all -> not shown.
  EXPECT_FALSE(worth_showing({.steps_done = 500, .steps_total = 1000, .dt_ms = 0.1, .elapsed_s = 0.5}));
  // Too early to tell, however slow it looks.
  EXPECT_FALSE(worth_showing({.steps_done = 1, .steps_total = 1000000, .dt_ms = 0.1, .elapsed_s = 0.4}));
}

TEST(progress_bar, quick_runs_print_nothing) {
  std::FILE* sink = std::tmpfile();
  ASSERT_NE(sink, nullptr);
  {
    ionode::cli::progress_bar bar(sink, 0.1);
    for (std::int64_t s = 1; s <= 1000; ++s) bar.update(s, 1000);
  }
  EXPECT_EQ(std::ftell(sink), 0);
  std::fclose(sink);
}

TEST(runner_progress, called_after_every_step_ending_with_done_equal_to_total) {
  auto neurons = ionode::make_population("HH", {.shape = {3}});
  std::vector<std::int64_t> seen;
  ionode::runner run(neurons, {.dt = 0.1, .progress = [&](std::int64_t done, std::int64_t total) {
                                 EXPECT_EQ(total, 25);
                                 seen.push_back(done);
                               }});
  run.run(2.5);
  ASSERT_EQ(seen.size(), 25u);
  for (std::size_t k = 0; k < seen.size(); ++k) EXPECT_EQ(seen[k], static_cast<std::int64_t>(k + 1));
}

}  // namespace
