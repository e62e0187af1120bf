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
// For |x| <= 1/2 a ratio of two short polynomials (one division, no cancellation, a few ulp at
// most, much cheaper than expm1: exp_auto evaluates exprel once per variable per step, nearly always
// at small |x|); elsewhere expm1(x) / x, accurate to an ulp or two. With y = x/2,
// e^x - 1 = 2 tanh(y) / (1 - tanh(y)), and tanh(y)/y = P/Q is the Pade approximant from Lambert's
// continued fraction, so
//   exprel(x) = P(x^2) / (Q(x^2) - (x/2) P(x^2)),
// with P, Q of degree 3 in x^2 for double (0.03 ulp before rounding) and of degrees 1 and 2 for float
// (0.007 float ulp); tools/exprel_rational.py derives the coefficients in exact arithmetic
// (docs/numerics.md). It replaced a degree-12 polynomial: the division costs less than the eight
// multiply-adds it saves, and a caller wanting 1/exprel swaps numerator and denominator.
inline constexpr double exprel_near_zero_limit = 0.5;

namespace detail {
template <class T>
struct is_single_precision : std::is_same<T, float> {};
template <class T>
  requires requires { typename T::batch::value_type; }
struct is_single_precision<T> : std::is_same<typename T::batch::value_type, float> {};
}  // namespace detail

// exprel(x) = numerator / denominator for |x| <= 1/2 (a double, or a SIMD pack lane by lane). Both are
// scaled by 7/8, which leaves the ratio alone but keeps the numerator (P in [1, 1.01]) below 1, where
// a rounding costs half as much relative to a result below 1: unscaled, the worst case was 3.0 ulp
// (exprel just below 1 from two operands just above 1); scaled, 1.9 (tests/unit/test_math.cpp).
template <class T>
struct fraction {
  T numerator, denominator;
};
template <class T>
inline fraction<T> exprel_fraction(const T& x) {
  constexpr double a = 0.875;
  const T s = x * x;
  const T half_x = x * 0.5;
  if constexpr (detail::is_single_precision<T>::value) {
    const T p = a + (a * 0.023809523809523808) * s;
    const T q = a + (a * 0.10714285714285714 + (a * 0.0005952380952380953) * s) * s;
    return {p, q - half_x * p};
  } else {
    const T p = a + (a * 0.03205128205128205 + (a * 0.00017482517482517483 + (a * 1.1562511562511562e-07) * s) * s) * s;
    const T q = a + (a * 0.11538461538461539 + (a * 0.001456876456876457 + (a * 3.2375032375032376e-06) * s) * s) * s;
    return {p, q - half_x * p};
  }
}
template <class T>
inline T exprel_near_zero(const T& x) {
  const fraction<T> r = exprel_fraction(x);
  return r.numerator / r.denominator;
}

// True when x is outside the fraction's range (for packs: in any lane).
template <std::floating_point T>
inline bool beyond_exprel_near_zero(T x) {
  return std::abs(x) > T(exprel_near_zero_limit);
}

template <std::floating_point T>
inline T exprel(T x) {
  if (std::abs(x) <= T(exprel_near_zero_limit)) return exprel_near_zero(x);
  return std::expm1(x) / x;
}

// exprel(x) when e^x is already known (rates that share one exponential): the fraction for
// |x| <= 1/2, (e^x - 1) / x beyond, where the subtraction loses at most a factor
// e^x / |e^x - 1| <= 2.6 of the relative error of the given e^x.
template <std::floating_point T>
inline T exprel_given_exp(T x, T exp_x) {
  if (std::abs(x) <= T(exprel_near_zero_limit)) return exprel_near_zero(x);
  return (exp_x - T(1)) / x;
}

// 1 / exprel(x) = x / (e^x - 1) given e^x: the rate form k / exprel(-x/k) of HH-type models.
// One division either way (the SIMD form selects numerator and denominator, then divides once).
template <std::floating_point T>
inline T inverse_exprel_given_exp(T x, T exp_x) {
  if (std::abs(x) <= T(exprel_near_zero_limit)) {
    const fraction<T> r = exprel_fraction(x);
    return r.denominator / r.numerator;
  }
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
