// The Wiener increments of stochastic runs: one standard normal per (seed, variable, instance, step),
// a pure function of those four numbers (Random123's Philox4x64-10, counter based), so a run gives
// the same bits whatever the number of threads, the split of instances into blocks, or the order
// in which neurons are visited.
//
// One Philox call gives 4 x 64 random bits: two uniform pairs, and each pair gives two normals by
// Box-Muller (cos and sin). So one call serves 4 consecutive instances: counter = (instance / 4,
// step, variable, 0), key = (seed, "noise"); instance i takes normal i % 4. Uniforms have 53 bits;
// u1 is in (0, 1], so log(u1) is finite and the largest normal is sqrt(-2 log 2^-53) = 8.6.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "ionode/random.hpp"
#include "ionode/simd/pack.hpp"

namespace ionode::noise {

// The second key word: the initializers' streams are keyed by (seed, FNV-1a of their name), so the
// noise is the stream of the name "noise" (whose counters have a different layout besides).
inline constexpr std::uint64_t stream_key = 0x6c092771d20768d1ull;
static_assert(stream_key == random::hash_name("noise"), "the noise is the stream named \"noise\"");

struct uniform_pair {
  double u1;  // (0, 1]
  double u2;  // [0, 1)
};

// The uniform pair behind the normal of `instance`, and whether that normal is the sin one.
[[gnu::always_inline]] inline uniform_pair uniforms_for(std::uint64_t seed, std::uint64_t variable,
                                                        std::uint64_t instance, std::uint64_t step) {
  r123::Philox4x64 generator;
  const r123::Philox4x64::key_type key = {{seed, stream_key}};
  const r123::Philox4x64::ctr_type counter = {{instance / 4, step, variable, 0}};
  const auto bits = generator(counter, key);
  const std::size_t pair = (instance % 4) / 2;
  const auto unit = [](std::uint64_t b) { return static_cast<double>(b >> 11) * 0x1.0p-53; };
  return {1.0 - unit(bits[2 * pair]), unit(bits[2 * pair + 1])};
}

inline bool uses_sin(std::uint64_t instance) { return instance % 2 == 1; }

// N(0, 1) for one instance (scalar path).
inline double standard_normal(std::uint64_t seed, std::uint64_t variable, std::uint64_t instance,
                              std::uint64_t step) {
  const uniform_pair u = uniforms_for(seed, variable, instance, step);
  const double radius = std::sqrt(-2.0 * std::log(u.u1));
  const double angle = 2.0 * std::numbers::pi * u.u2;
  return radius * (uses_sin(instance) ? std::sin(angle) : std::cos(angle));
}

// N(0, 1) for the pack of instances first, first + 1, ... (vector path; first is a multiple of 4).
// Philox runs once per 4 lanes; Box-Muller's log, sqrt, cos and sin run on the whole pack. The
// values equal standard_normal's up to the vector math's rounding (about 1 ulp of each function).
template <class R>
[[gnu::always_inline]] inline simd::pack<R> standard_normals(std::uint64_t seed, std::uint64_t variable,
                                                             std::uint64_t first, std::uint64_t step) {
  constexpr std::size_t width = simd::pack<R>::size;
  alignas(64) R u1[width];
  alignas(64) R u2[width];
  alignas(64) R odd[width];
  r123::Philox4x64 generator;
  const r123::Philox4x64::key_type key = {{seed, stream_key}};
  for (std::size_t group = 0; group < width / 4; ++group) {
    const r123::Philox4x64::ctr_type counter = {{first / 4 + group, step, variable, 0}};
    const auto bits = generator(counter, key);
    for (std::size_t k = 0; k < 4; ++k) {
      const std::size_t pair = k / 2;
      u1[4 * group + k] = static_cast<R>(1.0 - static_cast<double>(bits[2 * pair] >> 11) * 0x1.0p-53);
      u2[4 * group + k] = static_cast<R>(static_cast<double>(bits[2 * pair + 1] >> 11) * 0x1.0p-53);
      odd[4 * group + k] = R(k % 2);
    }
  }
  using vec = simd::pack<R>;
  const vec radius = sqrt(R(-2) * log(vec::load(u1)));
  const vec angle = R(2 * std::numbers::pi) * vec::load(u2);
  const auto [sine, cosine] = sincos(angle);
  return radius * select(vec::load(odd) > R(0.5), sine, cosine);
}

}  // namespace ionode::noise
