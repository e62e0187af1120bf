// The library's version.
#pragma once

namespace ionode {
inline constexpr const char* version = "0.1.0";
}  // namespace ionode
