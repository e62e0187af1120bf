// "Did you mean ...?" for misspelled names in errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ionode {

// Returns " (did you mean 'x'?)" when one candidate is within a small edit distance, else "".
std::string did_you_mean(std::string_view wanted, const std::vector<std::string>& candidates);

}  // namespace ionode
