// The persistent worker pool behind multi-threaded steps.
#include "ionode/detail/thread_pool.hpp"

#include <exception>

namespace ionode::detail {

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
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    tasks_ = tasks;
    error_ = nullptr;
    pending_.store(tasks - 1);
    epoch_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  try {
    task(0);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }
  while (pending_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  if (error_) std::rethrow_exception(error_);
}

void thread_pool::work(std::size_t index) {
  std::uint64_t seen = 0;
  for (;;) {
    // Spin a little: the next step usually starts within microseconds.
    for (int spin = 0; spin < 20000 && epoch_.load(std::memory_order_acquire) == seen; ++spin) {
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] { return epoch_.load() != seen; });
    seen = epoch_.load();
    if (stop_.load()) return;
    const std::function<void(std::size_t)>* task = task_;
    const std::size_t tasks = tasks_;
    lock.unlock();
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
