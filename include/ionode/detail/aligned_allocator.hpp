// A 64-byte-aligned allocator, so that SIMD loads of state and parameter columns never split a
// cache line at the start of a column.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace ionode::detail {

template <class T>
struct aligned_allocator {
  using value_type = T;
  static constexpr std::align_val_t alignment{64};

  aligned_allocator() = default;
  template <class U>
  aligned_allocator(const aligned_allocator<U>&) {}  // NOLINT(google-explicit-constructor)

  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, alignment); }

  template <class U>
  bool operator==(const aligned_allocator<U>&) const {
    return true;
  }
};

template <class T>
using aligned_vector = std::vector<T, aligned_allocator<T>>;

// Columns are padded to a multiple of this many elements (a 64-byte line of float): every SIMD
// width ionode uses divides it, so kernels never need a scalar tail.
inline constexpr std::size_t column_padding = 16;

inline std::size_t padded(std::size_t n) { return (n + column_padding - 1) / column_padding * column_padding; }

}  // namespace ionode::detail
