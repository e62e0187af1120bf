// Forward-mode dual numbers with N derivative slots: the automatic derivatives behind exp_auto's
// diagonal Jacobian and the analysis's full Jacobian. Model code is written once over a scalar type;
// evaluating it with dual<double, N> gives f and df/dx together.
#pragma once

#include <array>
#include <cmath>
#include <concepts>
#include <type_traits>

#include "ionode/math.hpp"

namespace ionode::ad {

// Forced inline: tiny, and the exp_auto kernel relies on the unused derivative slots being
// eliminated once everything is inlined.
#define IONODE_DUAL_INLINE [[gnu::always_inline]] inline

template <class T, int N>
struct dual {
  T v{};                  // value
  std::array<T, N> d{};   // partial derivatives with respect to the N seeded inputs

  dual() = default;
  // A constant: every derivative zero. Implicit so that parameters and literals mix with duals.
  dual(T value) : v(value) {}  // NOLINT(google-explicit-constructor)
  dual(T value, const std::array<T, N>& derivatives) : v(value), d(derivatives) {}

  // The seeded input number `slot`: value x, derivative 1 in its own slot.
  [[gnu::always_inline]] static dual variable(T x, int slot) {
    dual r(x);
    r.d[slot] = T(1);
    return r;
  }

  [[gnu::always_inline]] dual& operator+=(const dual& o) {
    v += o.v;
    for (int i = 0; i < N; ++i) d[i] += o.d[i];
    return *this;
  }
  [[gnu::always_inline]] dual& operator-=(const dual& o) {
    v -= o.v;
    for (int i = 0; i < N; ++i) d[i] -= o.d[i];
    return *this;
  }
  [[gnu::always_inline]] dual& operator*=(const dual& o) {
    for (int i = 0; i < N; ++i) d[i] = d[i] * o.v + v * o.d[i];
    v *= o.v;
    return *this;
  }
  [[gnu::always_inline]] dual& operator/=(const dual& o) {
    const T inv = T(1) / o.v;
    v *= inv;
    for (int i = 0; i < N; ++i) d[i] = (d[i] - v * o.d[i]) * inv;
    return *this;
  }
};

// Applies the chain rule: the result of g(x) has value g(x.v) and derivative g'(x.v) * x.d.
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> chain(const dual<T, N>& x, T value, T derivative) {
  dual<T, N> r(value);
  for (int i = 0; i < N; ++i) r.d[i] = derivative * x.d[i];
  return r;
}

template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> operator-(const dual<T, N>& x) {
  dual<T, N> r(-x.v);
  for (int i = 0; i < N; ++i) r.d[i] = -x.d[i];
  return r;
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> operator+(const dual<T, N>& x) {
  return x;
}

#define IONODE_DUAL_BINARY(op, assign)                                              \
  template <class T, int N>                                                         \
  IONODE_DUAL_INLINE dual<T, N> operator op(dual<T, N> a, const dual<T, N>& b) {                \
    return a assign b;                                                              \
  }                                                                                 \
  template <class T, int N, class S>                                                \
    requires std::convertible_to<S, T>                                              \
  IONODE_DUAL_INLINE dual<T, N> operator op(dual<T, N> a, const S& b) {                         \
    return a assign dual<T, N>(T(b));                                               \
  }                                                                                 \
  template <class T, int N, class S>                                                \
    requires std::convertible_to<S, T>                                              \
  IONODE_DUAL_INLINE dual<T, N> operator op(const S& a, const dual<T, N>& b) {                  \
    dual<T, N> r{T(a)};                                                             \
    return r assign b;                                                              \
  }
IONODE_DUAL_BINARY(+, +=)
IONODE_DUAL_BINARY(-, -=)
IONODE_DUAL_BINARY(*, *=)
IONODE_DUAL_BINARY(/, /=)
#undef IONODE_DUAL_BINARY

// Comparisons look at values only: models branch (through select) on values, never on derivatives.
#define IONODE_DUAL_COMPARE(op)                                                     \
  template <class T, int N>                                                         \
  IONODE_DUAL_INLINE auto operator op(const dual<T, N>& a, const dual<T, N>& b) {               \
    return a.v op b.v;                                                              \
  }                                                                                 \
  template <class T, int N, class S>                                                \
    requires std::convertible_to<S, T>                                              \
  IONODE_DUAL_INLINE auto operator op(const dual<T, N>& a, const S& b) {                        \
    return a.v op T(b);                                                             \
  }                                                                                 \
  template <class T, int N, class S>                                                \
    requires std::convertible_to<S, T>                                              \
  IONODE_DUAL_INLINE auto operator op(const S& a, const dual<T, N>& b) {                        \
    return T(a) op b.v;                                                             \
  }
IONODE_DUAL_COMPARE(<)
IONODE_DUAL_COMPARE(<=)
IONODE_DUAL_COMPARE(>)
IONODE_DUAL_COMPARE(>=)
#undef IONODE_DUAL_COMPARE

// Each function calls the scalar one unqualified: std's for double and float (brought in by the
// using-declaration), the SIMD pack's (ionode::simd, found by argument-dependent lookup) for packs.
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> exp(const dual<T, N>& x) {
  using std::exp;
  const T e = exp(x.v);
  return chain(x, e, e);
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> expm1(const dual<T, N>& x) {
  using std::exp;
  using std::expm1;
  return chain(x, expm1(x.v), exp(x.v));
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> log(const dual<T, N>& x) {
  using std::log;
  return chain(x, log(x.v), T(1) / x.v);
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> sqrt(const dual<T, N>& x) {
  using std::sqrt;
  const T s = sqrt(x.v);
  return chain(x, s, T(0.5) / s);
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> cbrt(const dual<T, N>& x) {
  using std::cbrt;
  const T c = cbrt(x.v);
  return chain(x, c, T(1) / (T(3) * c * c));
}
// x^e for a constant exponent e (x > 0 where e is not an integer).
template <class T, int N, class E>
  requires std::is_arithmetic_v<E>
IONODE_DUAL_INLINE dual<T, N> pow(const dual<T, N>& x, E e) {
  using std::pow;
  const T r = pow(x.v, e);
  return chain(x, r, T(e) * pow(x.v, e - E(1)));
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> tanh(const dual<T, N>& x) {
  using std::tanh;
  const T t = tanh(x.v);
  return chain(x, t, T(1) - t * t);
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> cosh(const dual<T, N>& x) {
  using std::cosh;
  using std::sinh;
  return chain(x, cosh(x.v), sinh(x.v));
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> sinh(const dual<T, N>& x) {
  using std::cosh;
  using std::sinh;
  return chain(x, sinh(x.v), cosh(x.v));
}
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> exprel(const dual<T, N>& x) {
  using math::exprel;
  using math::exprel_derivative;
  const T e = exprel(x.v);
  return chain(x, e, exprel_derivative(x.v, e));
}

// exprel(x) given exp(x) (the second argument's derivative is that of exp(x), so only x's is used).
template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> exprel_given_exp(const dual<T, N>& x, const dual<T, N>& exp_x) {
  using math::exprel_derivative;
  using math::exprel_given_exp;
  const T e = exprel_given_exp(x.v, exp_x.v);
  return chain(x, e, exprel_derivative(x.v, e));
}

template <class T, int N>
IONODE_DUAL_INLINE dual<T, N> inverse_exprel_given_exp(const dual<T, N>& x, const dual<T, N>& exp_x) {
  return 1.0 / exprel_given_exp(x, exp_x);
}

// Selects whole numbers (value and derivatives), lane by lane for packs.
template <class C, class T, int N>
IONODE_DUAL_INLINE dual<T, N> select(const C& condition, const dual<T, N>& a, const dual<T, N>& b) {
  using math::select;
  dual<T, N> r;
  r.v = select(condition, a.v, b.v);
  for (int i = 0; i < N; ++i) r.d[i] = select(condition, a.d[i], b.d[i]);
  return r;
}

// min/max pick a whole number (value and derivatives), as a branch of a piecewise function does.
template <class T, int N, class B>
IONODE_DUAL_INLINE dual<T, N> min(const dual<T, N>& a, const B& b) {
  const dual<T, N> bb(b);
  return select(bb < a, bb, a);
}
template <class T, int N, class S>
  requires std::is_arithmetic_v<S>
IONODE_DUAL_INLINE dual<T, N> min(const S& a, const dual<T, N>& b) {
  return min(b, a);
}
template <class T, int N, class B>
IONODE_DUAL_INLINE dual<T, N> max(const dual<T, N>& a, const B& b) {
  const dual<T, N> bb(b);
  return select(a < bb, bb, a);
}
template <class T, int N, class S>
  requires std::is_arithmetic_v<S>
IONODE_DUAL_INLINE dual<T, N> max(const S& a, const dual<T, N>& b) {
  return max(b, a);
}

template <class T, int N>
IONODE_DUAL_INLINE T value_of(const dual<T, N>& x) {
  return x.v;
}

}  // namespace ionode::ad
