// The persistent worker pool behind multi-threaded steps.
#include "ionode/detail/thread_pool.hpp"

#include <chrono>
#include <exception>

namespace ionode::detail {

namespace {

// How long a worker (or the caller waiting for the workers) spins before it sleeps (or yields): longer
// than one step's work at the sizes where threads pay (N = 1e4 HH neurons: about 40 us per thread) plus
// the caller's serial part, so that no one sleeps between the steps of a run.
constexpr auto spin_time = std::chrono::microseconds(500);

// Tells the CPU this is a spin-wait loop (x86 `pause`): the sibling hyperthread gets the core's
// resources and leaving the loop does not flush the pipeline.
inline void spin_pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins until done() or spin_time has passed; true when done.
template <class Done>
bool spin_until(const Done& done) {
  const auto start = std::chrono::steady_clock::now();
  for (unsigned n = 1;; ++n) {
    if (done()) return true;
    spin_pause();
    if (n % 256 == 0 && std::chrono::steady_clock::now() - start > spin_time) return done();
  }
}

}  // namespace

thread_pool::thread_pool(std::size_t threads) {
  for (std::size_t k = 1; k < threads; ++k) workers_.emplace_back([this, k] { work(k); });
}

thread_pool::~thread_pool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
    epoch_.fetch_add(1);
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void thread_pool::run(std::size_t tasks, const std::function<void(std::size_t)>& task) {
  if (tasks <= 1 || workers_.empty()) {
    for (std::size_t k = 0; k < tasks; ++k) task(k);
    return;
  }
  // Workers read task_ and tasks_ after they see the new epoch (acquire), and the previous task's
  // workers are all done (pending_ was 0), so no one reads these while they change.
  task_ = &task;
  tasks_ = tasks;
  error_ = nullptr;
  pending_.store(tasks - 1, std::memory_order_relaxed);
  {
    // Under the mutex: a worker between its last look at the epoch and its wait cannot miss the change.
    std::lock_guard<std::mutex> lock(mutex_);
    epoch_.fetch_add(1, std::memory_order_release);
  }
  if (sleepers_.load() > 0) wake_.notify_all();
  try {
    task(0);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }
  const auto all_done = [this] { return pending_.load(std::memory_order_acquire) == 0; };
  if (!spin_until(all_done)) {
    while (!all_done()) std::this_thread::yield();  // a worker was descheduled (more threads than cores)
  }
  if (error_) std::rethrow_exception(error_);
}

void thread_pool::work(std::size_t index) {
  std::uint64_t seen = 0;
  for (;;) {
    const auto next = [&] { return epoch_.load(std::memory_order_acquire) != seen; };
    if (!spin_until(next)) {
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1);
      wake_.wait(lock, next);
      sleepers_.fetch_sub(1);
    }
    seen = epoch_.load(std::memory_order_acquire);
    if (stop_.load()) return;
    const std::function<void(std::size_t)>* task = task_;
    const std::size_t tasks = tasks_;
    if (index < tasks) {
      try {
        (*task)(index);
      } catch (...) {
        std::lock_guard<std::mutex> guard(mutex_);
        if (!error_) error_ = std::current_exception();
      }
      pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }
}

std::size_t default_threads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

}  // namespace ionode::detail
