// The one front end to random numbers: Random123's Philox4x64-10, keyed by (seed, FNV-1a hash of a
// stream's name), with a counter that says which value is drawn. Every random value in ionode is a
// pure function of (seed, stream, counter), so nothing depends on threads, ranks or the order of
// evaluation. Counter layouts (docs/architecture.md, "Random numbers"):
//   initializers, generators:  (element, 0 or 1, 0, 0)             stream: the quantity's name
//   noise:                     (instance / 4, step, variable, 0)   stream: "noise"
//   connectivity:              (neuron, draw / 4, purpose, 0)      stream: "connect:" + projection
//   Poisson sources:           (neuron / 4, step, 0, 0)            stream: "poisson"
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace ionode::random {

// FNV-1a: a fixed, platform-independent hash, so a name always maps to the same stream.
constexpr std::uint64_t hash_name(std::string_view name) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : name) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

// 53 random bits -> [0, 1).
constexpr double to_unit_interval(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// Four 64-bit words for one counter of the stream (seed, name).
inline std::array<std::uint64_t, 4> words(std::uint64_t seed, std::uint64_t stream, std::uint64_t c0,
                                          std::uint64_t c1, std::uint64_t c2 = 0, std::uint64_t c3 = 0) {
  r123::Philox4x64 generator;
  const r123::Philox4x64::key_type key = {{seed, stream}};
  const r123::Philox4x64::ctr_type counter = {{c0, c1, c2, c3}};
  const auto bits = generator(counter, key);
  return {bits[0], bits[1], bits[2], bits[3]};
}

}  // namespace ionode::random
