// A persistent pool of worker threads for the per-step kernels. Task k of a run always goes to the
// same thread, the caller runs task 0, and the split of work never depends on timing, so results
// are bitwise identical whatever the number of threads. Between steps a worker spins (with the CPU's
// pause hint) for up to half a millisecond, longer than a step's work where threads pay, so during a run
// it is never put to sleep and woken again (a futex round trip of tens of microseconds per step was most
// of what two threads lost: docs/performance.md); then it sleeps, so an idle pool costs nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ionode::detail {

class thread_pool {
 public:
  explicit thread_pool(std::size_t threads);
  ~thread_pool();
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  std::size_t size() const { return workers_.size() + 1; }
  // Runs task(k) for k in [0, tasks), tasks <= size(), and returns when all are done. The first
  // exception thrown by a task is rethrown here.
  void run(std::size_t tasks, const std::function<void(std::size_t)>& task);

 private:
  void work(std::size_t index);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<std::uint64_t> epoch_{0};
  std::atomic<std::size_t> pending_{0};
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> sleepers_{0};  // workers waiting on wake_: only then is it notified
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t tasks_ = 0;
  std::exception_ptr error_;
};

// The number of threads to use when none is given: the machine's cores.
std::size_t default_threads();

}  // namespace ionode::detail
