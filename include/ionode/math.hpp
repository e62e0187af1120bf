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
// For |x| <= 1/2 a polynomial (no cancellation, no division, a few ulp at most, much cheaper than
// expm1: exp_auto evaluates exprel once per variable per step, nearly always at small |x|);
// elsewhere expm1(x) / x, accurate to an ulp or two. The polynomial is the Taylor series
// sum_k x^k / (k+1)! economized on [-1/2, 1/2] (Chebyshev economization in exact rational arithmetic:
// expand in Chebyshev polynomials, drop the terms whose total is below the target, convert back;
// docs/numerics.md): degree 12 for double, 0.07 ulp from exprel before rounding (the plain series
// needs degree 16 for that), and degree 6 for float (0.25 ulp of a float). Summed by Estrin's
// scheme: a few dependent multiply-adds, so the exprel of the variables of a step overlap.
inline constexpr double exprel_polynomial_limit = 0.5;

namespace detail {
template <class T>
struct is_single_precision : std::is_same<T, float> {};
template <class T>
  requires requires { typename T::batch::value_type; }
struct is_single_precision<T> : std::is_same<typename T::batch::value_type, float> {};
}  // namespace detail

template <class T>
inline T exprel_polynomial(const T& x) {
  const T x2 = x * x;
  const T x4 = x2 * x2;
  if constexpr (detail::is_single_precision<T>::value) {
    constexpr double c[7] = {0.9999999999154706,    0.5000000426131828,   0.16666667748297173,
                             0.04166530385532093,   0.00833311712231677,  0.0013997784200370396,
                             0.00019979497670197986};
    const T b0 = (c[0] + c[1] * x) + (c[2] + c[3] * x) * x2;
    const T b1 = (c[4] + c[5] * x) + c[6] * x2;
    return b0 + b1 * x4;
  } else {
    constexpr double c[13] = {1.0,
                              0.5,
                              0.16666666666666666,
                              0.041666666666667664,
                              0.008333333333333477,
                              0.001388888888856926,
                              0.000198412698409257,
                              2.4801587739841952e-05,
                              2.7557319617212404e-06,
                              2.755702715656404e-07,
                              2.505187776822584e-08,
                              2.0970153088646126e-09,
                              1.61260884704491e-10};
    const T x8 = x4 * x4;
    const T b0 = (c[0] + c[1] * x) + (c[2] + c[3] * x) * x2;
    const T b1 = (c[4] + c[5] * x) + (c[6] + c[7] * x) * x2;
    const T b2 = (c[8] + c[9] * x) + (c[10] + c[11] * x) * x2;
    return (b0 + b1 * x4) + (b2 + c[12] * x4) * x8;
  }
}

// True when x is outside the polynomial's range (for packs: in any lane).
template <std::floating_point T>
inline bool beyond_exprel_polynomial(T x) {
  return std::abs(x) > T(exprel_polynomial_limit);
}

template <std::floating_point T>
inline T exprel(T x) {
  if (std::abs(x) <= T(exprel_polynomial_limit)) return exprel_polynomial(x);
  return std::expm1(x) / x;
}

// exprel(x) when e^x is already known (rates that share one exponential): the polynomial for
// |x| <= 1/2, (e^x - 1) / x beyond, where the subtraction loses at most a factor
// e^x / |e^x - 1| <= 2.6 of the relative error of the given e^x.
template <std::floating_point T>
inline T exprel_given_exp(T x, T exp_x) {
  if (std::abs(x) <= T(exprel_polynomial_limit)) return exprel_polynomial(x);
  return (exp_x - T(1)) / x;
}

// 1 / exprel(x) = x / (e^x - 1) given e^x: the rate form k / exprel(-x/k) of HH-type models.
// One division either way (the SIMD form selects numerator and denominator, then divides once).
template <std::floating_point T>
inline T inverse_exprel_given_exp(T x, T exp_x) {
  if (std::abs(x) <= T(exprel_polynomial_limit)) return T(1) / exprel_polynomial(x);
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
