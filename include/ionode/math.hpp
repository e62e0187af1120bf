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
// the textbook form is 0/0 (no special case on a voltage value anywhere). exp_auto's phi1 is exprel.
//
// For |x| <= 1/2 its Taylor series sum_k x^k / (k+1)! (17 terms: the first omitted one is below
// 2^-53 of the sum) is summed by Horner's rule: no cancellation, no division, a few ulp at most, and
// much cheaper than expm1 (exp_auto evaluates exprel once per variable per step, nearly always at
// small |x|). Elsewhere expm1(x) / x, accurate to an ulp or two.
inline constexpr double exprel_series_limit = 0.5;

template <class T>
inline T exprel_series(const T& x) {
  // c[k] = 1/(k+1)!, summed by Estrin's scheme: pairs, then pairs of pairs with x^2, x^4, x^8,
  // x^16. Five dependent multiply-adds instead of Horner's sixteen, so the four exprel of an
  // exp_auto step overlap instead of queueing (the terms fall fast, so the rounding stays that of
  // the leading terms: a few ulp at most, tests/unit/test_math.cpp).
  constexpr double c[17] = {1.0,
                            1.0 / 2.0,
                            1.0 / 6.0,
                            1.0 / 24.0,
                            1.0 / 120.0,
                            1.0 / 720.0,
                            1.0 / 5040.0,
                            1.0 / 40320.0,
                            1.0 / 362880.0,
                            1.0 / 3628800.0,
                            1.0 / 39916800.0,
                            1.0 / 479001600.0,
                            1.0 / 6227020800.0,
                            1.0 / 87178291200.0,
                            1.0 / 1307674368000.0,
                            1.0 / 20922789888000.0,
                            1.0 / 355687428096000.0};
  const T x2 = x * x;
  const T x4 = x2 * x2;
  const T x8 = x4 * x4;
  const T x16 = x8 * x8;
  const T a0 = c[0] + c[1] * x, a1 = c[2] + c[3] * x, a2 = c[4] + c[5] * x, a3 = c[6] + c[7] * x;
  const T a4 = c[8] + c[9] * x, a5 = c[10] + c[11] * x, a6 = c[12] + c[13] * x, a7 = c[14] + c[15] * x;
  const T b0 = a0 + a1 * x2, b1 = a2 + a3 * x2, b2 = a4 + a5 * x2, b3 = a6 + a7 * x2;
  const T e0 = b0 + b1 * x4, e1 = b2 + b3 * x4;
  return (e0 + e1 * x8) + c[16] * x16;
}

// True when x is outside the series' range (for packs: in any lane).
template <std::floating_point T>
inline bool beyond_exprel_series(T x) {
  return std::abs(x) > T(exprel_series_limit);
}

template <std::floating_point T>
inline T exprel(T x) {
  if (std::abs(x) <= T(exprel_series_limit)) return exprel_series(x);
  return std::expm1(x) / x;
}

// exprel(x) when e^x is already known (rates that share one exponential): the series for
// |x| <= 1/2, (e^x - 1) / x beyond, where the subtraction loses at most a factor
// e^x / |e^x - 1| <= 2.6 of the relative error of the given e^x.
template <std::floating_point T>
inline T exprel_given_exp(T x, T exp_x) {
  if (std::abs(x) <= T(exprel_series_limit)) return exprel_series(x);
  return (exp_x - T(1)) / x;
}

// 1 / exprel(x) = x / (e^x - 1) given e^x: the rate form k / exprel(-x/k) of HH-type models.
// One division either way (the SIMD form selects numerator and denominator, then divides once).
template <std::floating_point T>
inline T inverse_exprel_given_exp(T x, T exp_x) {
  if (std::abs(x) <= T(exprel_series_limit)) return T(1) / exprel_series(x);
  return x / (exp_x - T(1));
}

// d/dx exprel(x) = (1 + (x - 1) exprel(x)) / x, given e = exprel(x). Near zero that form cancels,
// so the Taylor series sum_{k>=1} k x^(k-1) / (k+1)! is used for |x| < 0.1 (ten terms: truncation
// below 1e-16 relative); beyond, the cancellation costs at most eps / 0.1 relative.
template <class T>
inline T exprel_derivative_series(const T& x) {
  // k / (k+1)! for k = 10 down to 1.
  constexpr double coefficients[10] = {10.0 / 39916800.0, 9.0 / 3628800.0, 8.0 / 362880.0, 7.0 / 40320.0,
                                       6.0 / 5040.0,      5.0 / 720.0,     4.0 / 120.0,    3.0 / 24.0,
                                       2.0 / 6.0,         1.0 / 2.0};
  T sum = T(coefficients[0]);
  for (int k = 1; k < 10; ++k) sum = sum * x + coefficients[k];
  return sum;
}

template <std::floating_point T>
inline T exprel_derivative(T x, T e) {
  if (std::abs(x) < T(0.1)) return exprel_derivative_series(x);
  return (T(1) + (x - T(1)) * e) / x;
}
template <std::floating_point T>
inline T exprel_derivative(T x) {
  return exprel_derivative(x, exprel(x));
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
