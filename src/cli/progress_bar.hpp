// The progress bar of `ionode run` on a terminal: a pure formatting function (unit-tested) and the
// object that paces it, fed by runner_options::progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace ionode::cli {

struct progress_snapshot {
  std::int64_t steps_done = 0;
  std::int64_t steps_total = 0;
  double dt_ms = 0;      // for the simulated time
  double elapsed_s = 0;  // wall time since the run started
};

// One line without '\r' or newline, e.g.
//  " 42% [##########..............]   84.0 / 200.0 ms  1.25e+06 steps/s  0:03 left"
// and, once steps_done == steps_total, "took 0:05" in place of the time left.
std::string format_progress(const progress_snapshot& s);

// "0:03", "12:05", "1:02:03" (rounded to the second).
std::string format_duration(double seconds);

// Whether a run deserves a bar: it has gone on for half a second and looks like taking two or more
// in all. Shorter runs print nothing, so quick runs and tests stay quiet.
bool worth_showing(const progress_snapshot& s);

class progress_bar {
 public:
  progress_bar(std::FILE* out, double dt_ms) : out_(out), dt_ms_(dt_ms) {}
  ~progress_bar();  // ends a drawn line, so an error message starts on a line of its own
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;

  // The runner's callback, after every step: most calls only compare two integers; the clock is
  // read about every 50 ms and the line redrawn at most 5 times a second.
  void update(std::int64_t steps_done, std::int64_t steps_total);

 private:
  void draw(const progress_snapshot& s);

  std::FILE* out_;
  double dt_ms_;
  std::chrono::steady_clock::time_point start_;
  bool started_ = false;
  std::int64_t next_check_ = 0;  // the step at which the clock is read next
  double last_draw_s_ = 0;
  bool line_open_ = false;
};

}  // namespace ionode::cli
