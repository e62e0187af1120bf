// Ctrl-C (SIGINT) and SIGTERM during `ionode run`: a flag the runner checks between steps, so that
// the run stops at a step boundary and its file is finalized, marked incomplete.
#pragma once

#include <atomic>

namespace ionode::cli {

// While it lives, SIGINT and SIGTERM only set flag() (the handler does nothing else: it may run on
// any thread, at any point). The handlers reset themselves, so a second signal ends the process at
// once, as the user asked. The previous handlers come back when it is destroyed. One at a time.
class interrupt_guard {
 public:
  interrupt_guard();
  ~interrupt_guard();
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;

  const std::atomic<bool>& flag() const;
  int signal() const;  // the signal that set the flag; 0 before one came
};

}  // namespace ionode::cli
