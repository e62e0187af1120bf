// Formatting and pacing of the progress bar.
#include "progress_bar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ionode::cli {

namespace {

constexpr int bar_width = 24;
constexpr double check_interval_s = 0.05;
constexpr double redraw_interval_s = 0.2;
constexpr double show_after_s = 0.5;
constexpr double long_run_s = 2.0;

}  // namespace

std::string format_duration(double seconds) {
  const auto total = static_cast<std::int64_t>(std::llround(std::max(seconds, 0.0)));
  const std::int64_t h = total / 3600, m = total / 60 % 60, s = total % 60;
  return h > 0 ? fmt::format("{}:{:02}:{:02}", h, m, s) : fmt::format("{}:{:02}", m, s);
}

std::string format_progress(const progress_snapshot& p) {
  const std::int64_t total = std::max<std::int64_t>(p.steps_total, 1);
  const std::int64_t done = std::clamp<std::int64_t>(p.steps_done, 0, total);
  const double fraction = static_cast<double>(done) / static_cast<double>(total);
  const int filled = static_cast<int>(fraction * bar_width);
  const double rate = p.elapsed_s > 0 ? static_cast<double>(done) / p.elapsed_s : 0.0;
  std::string time_part;
  if (done == total) {
    time_part = fmt::format("took {}", format_duration(p.elapsed_s));
  } else if (rate > 0) {
    time_part = fmt::format("{} left", format_duration(static_cast<double>(total - done) / rate));
  } else {
    time_part = "time left unknown";
  }
  return fmt::format("{:3}% [{}{}] {:.1f} / {:.1f} ms  {:.3g} steps/s  {}", static_cast<int>(fraction * 100),
                     std::string(static_cast<std::size_t>(filled), '#'),
                     std::string(static_cast<std::size_t>(bar_width - filled), '.'),
                     static_cast<double>(done) * p.dt_ms, static_cast<double>(total) * p.dt_ms, rate,
                     time_part);
}

bool worth_showing(const progress_snapshot& p) {
  if (p.elapsed_s < show_after_s || p.steps_done <= 0) return false;
  const double expected_s =
      p.elapsed_s * static_cast<double>(p.steps_total) / static_cast<double>(p.steps_done);
  return expected_s >= long_run_s;
}

progress_bar::~progress_bar() {
  if (line_open_) std::fputs("\n", out_);
}

void progress_bar::update(std::int64_t steps_done, std::int64_t steps_total) {
  const bool last = steps_done >= steps_total;
  if (steps_done < next_check_ && !last) return;
  const auto now = std::chrono::steady_clock::now();
  if (!started_) {  // the clock starts with the first step, not with building the population
    start_ = now;
    started_ = true;
  }
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  // Read the clock again after about check_interval_s at the speed so far.
  const double rate = elapsed > 0 ? static_cast<double>(steps_done) / elapsed : 0.0;
  next_check_ = steps_done + std::max<std::int64_t>(1, static_cast<std::int64_t>(rate * check_interval_s));

  const progress_snapshot snapshot{steps_done, steps_total, dt_ms_, elapsed};
  if (!line_open_ && !worth_showing(snapshot)) return;
  if (last) {
    draw(snapshot);
    std::fputs("\n", out_);
    line_open_ = false;
  } else if (!line_open_ || elapsed - last_draw_s_ >= redraw_interval_s) {
    draw(snapshot);
    last_draw_s_ = elapsed;
  }
}

void progress_bar::draw(const progress_snapshot& s) {
  // \r returns to the line's start; ESC[K clears what a longer previous line left behind.
  std::fputs(fmt::format("\r{}\x1b[K", format_progress(s)).c_str(), out_);
  std::fflush(out_);
  line_open_ = true;
}

}  // namespace ionode::cli
