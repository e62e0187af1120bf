// Checked arithmetic on sizes, counts and products that come from a configuration, an argument or a
// file's header: an overflow, or a request larger than this machine could ever hold, becomes an
// ionode::error naming what asked for it, never a wrapped count or an allocation that fails later.
#pragma once

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "ionode/error.hpp"

namespace ionode::detail {

// a * b and a + b, or nothing when the result does not fit in std::size_t.
inline std::optional<std::size_t> checked_mul(std::size_t a, std::size_t b) {
  std::size_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}
inline std::optional<std::size_t> checked_add(std::size_t a, std::size_t b) {
  std::size_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// The largest step count: the runner's step counter is a signed 64-bit integer.
inline constexpr std::int64_t max_steps = std::numeric_limits<std::int64_t>::max();

// A non-negative count given as a double (duration / dt, t / dt), truncated, if it fits in an int64.
// 2^63 is the first double that does not; NaN and infinity never do.
inline std::optional<std::int64_t> count_from_double(double value) {
  if (!(value >= 0) || !(value < 0x1p63)) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

// The memory this process could ever use, in bytes: the machine's physical memory, or the
// address-space limit (ulimit -v, RLIMIT_AS) if lower; 0 when the system does not say.
inline std::uint64_t physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  std::uint64_t memory = 0;
  if (pages > 0 && page_size > 0) memory = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const auto cap = static_cast<std::uint64_t>(limit.rlim_cur);
    if (memory == 0 || cap < memory) memory = cap;
  }
  return memory;
}

inline std::string bytes_text(double bytes) {
  if (bytes >= 1e12) return fmt::format("{:.3g} TB", bytes / 1e12);
  if (bytes >= 1e9) return fmt::format("{:.3g} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.3g} MB", bytes / 1e6);
  return fmt::format("{:.3g} kB", bytes / 1e3);
}

// Throws unless the product of `factors` (bytes) fits in this machine's memory. `what` names the
// request with its keys and values ("size = 4 with batch = 1000000000000: the state of ..."), so the
// message says what to make smaller. More than physical memory cannot run (swap aside, it would
// thrash for hours), so it is refused before anything is allocated.
inline void check_fits_memory(std::initializer_list<std::size_t> factors, std::string_view what) {
  std::optional<std::size_t> bytes = 1;
  double estimate = 1;
  for (std::size_t factor : factors) {
    if (bytes) bytes = checked_mul(*bytes, factor);
    estimate *= static_cast<double>(factor);
  }
  const std::uint64_t memory = physical_memory();
  if (bytes && (memory == 0 || *bytes <= memory)) return;
  throw error(fmt::format("{} needs {} of memory; this machine has {}", what, bytes_text(estimate),
                          memory == 0 ? std::string("less") : bytes_text(static_cast<double>(memory))));
}

}  // namespace ionode::detail
