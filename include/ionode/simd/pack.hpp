// A SIMD pack of neuron values, so that model equations written once over a scalar type run on
// several neurons per instruction. A thin wrapper around xsimd::batch (Debian libxsimd-dev) that adds
// what the models need: mixing with double literals (also for float packs), masks from comparisons,
// select, min/max, and the math functions (exp, expm1, tanh, ... from xsimd: 1 ulp, see docs/performance.md).
#pragma once

#include <xsimd/xsimd.hpp>

#include "ionode/math.hpp"

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace ionode::simd {

// Every operation is forced inline: each is one or a few instructions (or xsimd's inline exp), and
// GCC's size heuristics otherwise leave them, and the model equations around them, as calls.
#define IONODE_SIMD_INLINE [[gnu::always_inline]] inline

template <class R>
struct mask {
  xsimd::batch_bool<R> m;
  [[gnu::always_inline]] friend mask operator&(mask a, mask b) { return {a.m && b.m}; }
  [[gnu::always_inline]] friend mask operator|(mask a, mask b) { return {a.m || b.m}; }
  [[gnu::always_inline]] friend mask operator!(mask a) { return {!a.m}; }
};

template <class R>
IONODE_SIMD_INLINE bool any(const mask<R>& m) {
  return xsimd::any(m.m);
}
template <class R>
IONODE_SIMD_INLINE bool all(const mask<R>& m) {
  return xsimd::all(m.m);
}


template <class R>
struct pack {
  using batch = xsimd::batch<R>;
  static constexpr std::size_t size = batch::size;
  batch v;

  pack() : v(R(0)) {}  // zeroed: cheap, and GCC cannot prove later stores initialize it
  pack(batch b) : v(b) {}  // NOLINT(google-explicit-constructor)
  // Any arithmetic scalar broadcasts, converted to R: double literals in models serve float packs too.
  template <class S>
    requires std::is_arithmetic_v<S>
  pack(S s) : v(static_cast<R>(s)) {}  // NOLINT(google-explicit-constructor)

  [[gnu::always_inline]] static pack load(const R* p) { return batch::load_unaligned(p); }
  [[gnu::always_inline]] void store(R* p) const { v.store_unaligned(p); }
  R lane(std::size_t k) const {
    alignas(64) R values[size];
    v.store_aligned(values);
    return values[k];
  }

  [[gnu::always_inline]] pack& operator+=(const pack& o) { v += o.v; return *this; }
  [[gnu::always_inline]] pack& operator-=(const pack& o) { v -= o.v; return *this; }
  [[gnu::always_inline]] pack& operator*=(const pack& o) { v *= o.v; return *this; }
  [[gnu::always_inline]] pack& operator/=(const pack& o) { v /= o.v; return *this; }
};

template <class R>
IONODE_SIMD_INLINE pack<R> operator-(const pack<R>& a) {
  return pack<R>(-a.v);
}
template <class R>
IONODE_SIMD_INLINE pack<R> operator+(const pack<R>& a) {
  return a;
}

#define IONODE_PACK_BINARY(op)                                                  \
  template <class R>                                                            \
  IONODE_SIMD_INLINE pack<R> operator op(const pack<R>& a, const pack<R>& b) {  \
    return pack<R>(a.v op b.v);                                                 \
  }                                                                             \
  template <class R, class S>                                                   \
    requires std::is_arithmetic_v<S>                                            \
  IONODE_SIMD_INLINE pack<R> operator op(const pack<R>& a, S b) {               \
    return pack<R>(a.v op typename pack<R>::batch(static_cast<R>(b)));          \
  }                                                                             \
  template <class R, class S>                                                   \
    requires std::is_arithmetic_v<S>                                            \
  IONODE_SIMD_INLINE pack<R> operator op(S a, const pack<R>& b) {               \
    return pack<R>(typename pack<R>::batch(static_cast<R>(a)) op b.v);          \
  }
IONODE_PACK_BINARY(+)
IONODE_PACK_BINARY(-)
IONODE_PACK_BINARY(*)
#undef IONODE_PACK_BINARY

// Division. By a scalar (the constants in rate functions, (V + 40) / 10): a multiplication by the
// correctly rounded reciprocal, which differs from true division by at most one rounding (about 1
// ulp) and is several times cheaper than a vector division.
template <class R>
IONODE_SIMD_INLINE pack<R> operator/(const pack<R>& a, const pack<R>& b) {
  return pack<R>(a.v / b.v);
}
template <class R, class S>
  requires std::is_arithmetic_v<S>
IONODE_SIMD_INLINE pack<R> operator/(const pack<R>& a, S b) {
  return pack<R>(a.v * typename pack<R>::batch(static_cast<R>(R(1) / static_cast<R>(b))));
}
template <class R, class S>
  requires std::is_arithmetic_v<S>
IONODE_SIMD_INLINE pack<R> operator/(S a, const pack<R>& b) {
  return pack<R>(typename pack<R>::batch(static_cast<R>(a)) / b.v);
}

#define IONODE_PACK_COMPARE(op)                                                 \
  template <class R>                                                            \
  IONODE_SIMD_INLINE mask<R> operator op(const pack<R>& a, const pack<R>& b) {  \
    return {a.v op b.v};                                                        \
  }                                                                             \
  template <class R, class S>                                                   \
    requires std::is_arithmetic_v<S>                                            \
  IONODE_SIMD_INLINE mask<R> operator op(const pack<R>& a, S b) {               \
    return {a.v op typename pack<R>::batch(static_cast<R>(b))};                 \
  }                                                                             \
  template <class R, class S>                                                   \
    requires std::is_arithmetic_v<S>                                            \
  IONODE_SIMD_INLINE mask<R> operator op(S a, const pack<R>& b) {               \
    return {typename pack<R>::batch(static_cast<R>(a)) op b.v};                 \
  }
IONODE_PACK_COMPARE(<)
IONODE_PACK_COMPARE(<=)
IONODE_PACK_COMPARE(>)
IONODE_PACK_COMPARE(>=)
IONODE_PACK_COMPARE(==)
#undef IONODE_PACK_COMPARE

template <class R>
IONODE_SIMD_INLINE pack<R> select(const mask<R>& m, const pack<R>& a, const pack<R>& b) {
  return pack<R>(xsimd::select(m.m, a.v, b.v));
}

// Lane k's flag as bit k (xsimd 10 has no bit-mask conversion; for the rare paths only).
template <class R>
IONODE_SIMD_INLINE std::uint64_t bits(const mask<R>& m) {
  alignas(64) R flags[pack<R>::size];
  xsimd::select(m.m, typename pack<R>::batch(R(1)), typename pack<R>::batch(R(0))).store_aligned(flags);
  std::uint64_t out = 0;
  for (std::size_t k = 0; k < pack<R>::size; ++k) out |= static_cast<std::uint64_t>(flags[k] != R(0)) << k;
  return out;
}

#define IONODE_PACK_UNARY(name) \
  template <class R>            \
  IONODE_SIMD_INLINE pack<R> name(const pack<R>& a) { return pack<R>(xsimd::name(a.v)); }
IONODE_PACK_UNARY(expm1)
IONODE_PACK_UNARY(log)
IONODE_PACK_UNARY(sqrt)
IONODE_PACK_UNARY(cbrt)
IONODE_PACK_UNARY(tanh)
IONODE_PACK_UNARY(sin)
IONODE_PACK_UNARY(cos)
IONODE_PACK_UNARY(cosh)
IONODE_PACK_UNARY(sinh)
IONODE_PACK_UNARY(abs)
#undef IONODE_PACK_UNARY

// exp. For double packs with AVX-512, ionode's own: k = round(x / ln 2), r = x - k ln 2 (two-part ln 2,
// multiply-adds), exp(r) by a degree-11 polynomial economized on [-0.35, 0.35]
// (tools/exp_polynomial.py: 0.06 ulp before rounding), then 2^k exp(r) by vscalefpd, which also gives
// inf and 0 (through the subnormals) at the ends of the range. No division and no range selects:
// about 19 instructions against xsimd's 25 and a division, for two exponentials in every HH
// neuron-step. x is clamped to [-746, 710] first (beyond, exp is 0 or inf anyway), with the operand
// order that lets NaN through. Elsewhere (float, or without AVX-512) xsimd's exp.
template <class R>
IONODE_SIMD_INLINE pack<R> exp(const pack<R>& a) {
#if defined(__AVX512F__)
  if constexpr (std::is_same_v<R, double> && pack<R>::size == 8) {
    using batch = typename pack<R>::batch;
    constexpr double log2e = 1.4426950408889634074;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // ln 2 to 32 bits (fdlibm): k ln2_hi is exact
    constexpr double ln2_lo = 1.90821492927058770002e-10;  // ln 2 - ln2_hi
    const batch x(_mm512_min_pd(_mm512_set1_pd(710.0), _mm512_max_pd(_mm512_set1_pd(-746.0), a.v)));
    // The multiply-adds are the intrinsics, not xsimd::fma: xsimd 10 has no AVX-512 specialization of
    // fma and writes x * y + z, which the compiler fuses only from -O2 (an -O1 sanitizer build
    // rounded twice and measured 1.06 ulp).
    const auto madd = [](const batch& u, const batch& v, const batch& w) { return batch(_mm512_fmadd_pd(u, v, w)); };
    const auto nmadd = [](const batch& u, const batch& v, const batch& w) { return batch(_mm512_fnmadd_pd(u, v, w)); };
    const batch k = xsimd::nearbyint(x * batch(log2e));
    const batch r = nmadd(k, batch(ln2_lo), nmadd(k, batch(ln2_hi), x));
    constexpr double c[12] = {1.0,
                              1.0,
                              0.500000000000002,
                              0.16666666666666707,
                              0.04166666666647345,
                              0.008333333333307576,
                              0.0013888888956177352,
                              0.0001984126991335401,
                              2.4801481388916825e-05,
                              2.755722116953229e-06,
                              2.763413928340871e-07,
                              2.5116118816790588e-08};
    // exp(r) = 1 + r (1 + r S(r)): the last two steps are multiply-adds onto 1, so the rounding
    // errors of S reach the result shrunk by r^2 <= 0.12, and the result is rounded once near 1
    // (1.0 ulp at most; a plain Estrin sum of the whole polynomial measured 1.8). S (degree 9) by
    // Estrin's scheme: the polynomial is on the kernels' critical path (V -> exp -> rates -> step),
    // and its depth, 6 dependent operations instead of Horner's 11, matters more than its 3 extra
    // multiplications (docs/performance.md).
    const batch r2 = r * r;
    const batch r4 = r2 * r2;
    const batch r8 = r4 * r4;
    const auto pair = [&](int i) { return madd(batch(c[i + 1]), r, batch(c[i])); };
    const batch s0 = madd(pair(4), r2, pair(2));
    const batch s1 = madd(pair(8), r2, pair(6));
    const batch s = madd(pair(10), r8, madd(s1, r4, s0));
    const batch p = madd(r, madd(r, s, batch(1.0)), batch(1.0));
    return pack<R>(batch(_mm512_scalef_pd(p, k)));
  }
#endif
  return pack<R>(xsimd::exp(a.v));
}

// sin and cos of the same argument with one range reduction.
template <class R>
IONODE_SIMD_INLINE std::pair<pack<R>, pack<R>> sincos(const pack<R>& a) {
  const auto [s, c] = xsimd::sincos(a.v);
  return {pack<R>(s), pack<R>(c)};
}

template <class R, class S>
  requires std::is_arithmetic_v<S>
IONODE_SIMD_INLINE pack<R> pow(const pack<R>& a, S e) {
  return pack<R>(xsimd::pow(a.v, typename pack<R>::batch(static_cast<R>(e))));
}

template <class R, class B>
IONODE_SIMD_INLINE pack<R> min(const pack<R>& a, const B& b) {
  return pack<R>(xsimd::min(a.v, pack<R>(b).v));
}
template <class R, class S>
  requires std::is_arithmetic_v<S>
IONODE_SIMD_INLINE pack<R> min(S a, const pack<R>& b) {
  return min(b, a);
}
template <class R, class B>
IONODE_SIMD_INLINE pack<R> max(const pack<R>& a, const B& b) {
  return pack<R>(xsimd::max(a.v, pack<R>(b).v));
}
template <class R, class S>
  requires std::is_arithmetic_v<S>
IONODE_SIMD_INLINE pack<R> max(S a, const pack<R>& b) {
  return max(b, a);
}

// exprel(x) = (e^x - 1)/x lane by lane, as math.hpp: the fraction (math.hpp) where |x| <= 1/2, and
// expm1(x)/x elsewhere, computed only when some lane needs it (exp_auto's arguments rarely do). Each
// form is a numerator and a denominator, selected before the one division.
template <class R>
IONODE_SIMD_INLINE pack<R> exprel(const pack<R>& x) {
  const math::fraction<pack<R>> near = math::exprel_fraction(x);
  const mask<R> large = abs(x) > R(math::exprel_near_zero_limit);
  if (!any(large)) return near.numerator / near.denominator;
  const pack<R> safe = select(large, x, pack<R>(R(1)));
  return select(large, expm1(safe), near.numerator) / select(large, safe, near.denominator);
}

template <class R>
IONODE_SIMD_INLINE bool beyond_exprel_near_zero(const pack<R>& x) {
  return any(abs(x) > R(math::exprel_near_zero_limit));
}

// exprel(x) given exp(x), lane by lane, as math.hpp.
template <class R>
IONODE_SIMD_INLINE pack<R> exprel_given_exp(const pack<R>& x, const pack<R>& exp_x) {
  const math::fraction<pack<R>> near = math::exprel_fraction(x);
  const mask<R> large = abs(x) > R(math::exprel_near_zero_limit);
  return select(large, exp_x - R(1), near.numerator) / select(large, x, near.denominator);
}

// 1 / exprel(x) given exp(x), lane by lane, as math.hpp: numerator and denominator are selected
// first so that one division serves both forms.
template <class R>
IONODE_SIMD_INLINE pack<R> inverse_exprel_given_exp(const pack<R>& x, const pack<R>& exp_x) {
  const math::fraction<pack<R>> near = math::exprel_fraction(x);
  const mask<R> large = abs(x) > R(math::exprel_near_zero_limit);
  return select(large, x, near.denominator) / select(large, exp_x - R(1), near.numerator);
}

// d/dx exprel given e = exprel(x), as math.hpp.
template <class R>
IONODE_SIMD_INLINE pack<R> exprel_derivative(const pack<R>& x, const pack<R>& e) {
  const mask<R> small = abs(x) < R(0.1);
  const pack<R> safe = select(small, pack<R>(R(1)), x);
  return select(small, math::exprel_derivative_series(x), (R(1) + (safe - R(1)) * e) / safe);
}
template <class R>
IONODE_SIMD_INLINE pack<R> exprel_derivative(const pack<R>& x) {
  return exprel_derivative(x, exprel(x));
}

}  // namespace ionode::simd
