// Signal handlers that only set lock-free atomics: all a handler may safely do.
#include "interrupt.hpp"

#include <signal.h>

#include "ionode/error.hpp"

namespace ionode::cli {

namespace {

static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "signal handlers may only touch lock-free atomics");

std::atomic<bool> stop_requested{false};
std::atomic<int> stop_signal{0};
std::atomic<bool> installed{false};
struct sigaction previous_int, previous_term;

extern "C" void on_stop_signal(int number) {
  stop_signal.store(number, std::memory_order_relaxed);
  stop_requested.store(true, std::memory_order_relaxed);
}

// A signal the process was started ignoring (`nohup`, a background job) stays ignored.
void install(int number, const struct sigaction& action, struct sigaction& previous) {
  sigaction(number, nullptr, &previous);
  if (previous.sa_handler != SIG_IGN) sigaction(number, &action, nullptr);
}

}  // namespace

interrupt_guard::interrupt_guard() {
  if (installed.exchange(true)) throw internal_error("interrupt_guard: only one may live at a time");
  stop_requested.store(false);
  stop_signal.store(0);
  struct sigaction action = {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;  // one signal stops the run, a second ends the process
  install(SIGINT, action, previous_int);
  install(SIGTERM, action, previous_term);
}

interrupt_guard::~interrupt_guard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  installed.store(false);
}

const std::atomic<bool>& interrupt_guard::flag() const { return stop_requested; }

int interrupt_guard::signal() const { return stop_signal.load(); }

}  // namespace ionode::cli
