// libFuzzer target for the .npy reader (ionode::io::read_npy): any bytes as an input file give an
// array or an ionode::error, never a crash, a read outside memory or another exception.
// Built with -DIONODE_FUZZ=ON (clang); run: build-fuzz/tests/fuzz/ionode_fuzz_npy -max_total_time=60
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "ionode/error.hpp"
#include "ionode/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/ionode_fuzz_npy_" + std::to_string(::getpid()) + ".npy";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  if (size > 0) std::fwrite(data, 1, size, file);
  std::fclose(file);
  try {
    const auto array = ionode::io::read_npy(path);
    std::size_t count = 1;
    for (std::size_t extent : array.shape) count *= extent;
    if (count != array.values.size()) __builtin_trap();  // the shape must describe the values read
  } catch (const ionode::error&) {
    // refused with a message: what a bad file should get
  }
  return 0;
}
