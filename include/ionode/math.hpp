// Scalar math used by model equations: the exprel helper for removable singularities, integer
// powers, and branch-free select. Overloads for dual numbers live in dual.hpp (found by ADL).
#pragma once

#include <cmath>
#include <concepts>
#include <type_traits>

namespace ionode::math {

using std::cbrt;
using std::cosh;
using std::exp;
using std::expm1;
using std::log;
using std::pow;
using std::sinh;
using std::sqrt;
using std::tanh;

// exprel(x) = (e^x - 1) / x, exactly 1 at x = 0. Every rate function of the form
// x / (1 - exp(-x/k)) is written as k / exprel(-x/k), so it is exact and finite at the voltage where
// the textbook form is 0/0 (no special case on a voltage value anywhere).
template <std::floating_point T>
inline T exprel(T x) {
  // expm1 is accurate to an ulp or two for all x, so the quotient is too; only x = 0 itself is 0/0.
  return x == T(0) ? T(1) : std::expm1(x) / x;
}

// d/dx exprel(x) = (e^x (x - 1) + 1) / x^2. Near zero that form cancels, so a Taylor series
// sum_{k>=1} k x^(k-1) / (k+1)! is used for |x| < 0.1 (ten terms: truncation below 1e-16 relative).
template <std::floating_point T>
inline T exprel_derivative(T x) {
  if (std::abs(x) < T(0.1)) {
    T sum = 0;
    T factorial = 1;  // (k+1)! built up from k = 1
    T power = 1;      // x^(k-1)
    for (int k = 1; k <= 10; ++k) {
      factorial *= T(k + 1);
      sum += T(k) * power / factorial;
      power *= x;
    }
    return sum;
  }
  return (std::exp(x) * (x - T(1)) + T(1)) / (x * x);
}

// x^N for a small non-negative integer N, as repeated products (the compiler unrolls it).
template <int N, class T>
inline T ipow(const T& x) {
  static_assert(N >= 0, "ipow needs a non-negative exponent");
  if constexpr (N == 0) {
    return T(1);
  } else if constexpr (N == 1) {
    return x;
  } else {
    const T half = ipow<N / 2>(x);
    if constexpr (N % 2 == 0) {
      return half * half;
    } else {
      return half * half * x;
    }
  }
}

template <std::floating_point T>
inline T min(T a, T b) {
  return b < a ? b : a;
}
template <std::floating_point T>
inline T max(T a, T b) {
  return a < b ? b : a;
}

// select(condition, a, b): a where condition holds, else b. Models use it instead of if/else so
// that the same code serves SIMD types, whose select is a blend.
template <class T>
  requires std::is_arithmetic_v<T>
inline T select(bool condition, const T& a, const T& b) {
  return condition ? a : b;
}

// The plain value of a number (the real part of a dual number).
template <std::floating_point T>
inline T value_of(T x) {
  return x;
}

}  // namespace ionode::math
