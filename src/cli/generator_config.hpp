// Input generators in a configuration file: `value = {spike = {times = [10.0], lens = 5, sizes = 5}}`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "ionode/input.hpp"

namespace ionode::cli {

// What a generator takes from the run when its table leaves it out.
struct generator_defaults {
  double duration;  // ms
  double dt;        // ms; always the run's: a row of the series is a step of the run
  std::uint64_t seed;
};

// The generator names a configuration accepts, in the order the docs list them.
const std::vector<std::string>& generator_names();

// Builds the series of generator `name` from its arguments `args` (a table, or for `constant` a list
// of [value, duration] pairs). `key` ("inputs[0].value.spike") names it in errors and keys its noise.
time_series parse_generator(const std::string& name, const toml::node& args, const std::string& key,
                            const generator_defaults& defaults);

}  // namespace ionode::cli
