// NumPy's .npy format: encoding arrays for .npz files, and reading input time series from .npy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ionode::io {

// The bytes of a .npy file (format 1.0, C order, little endian) holding the given array.
std::string encode_npy(const std::vector<double>& values, const std::vector<std::size_t>& shape);
std::string encode_npy(const std::vector<std::int64_t>& values, const std::vector<std::size_t>& shape);
// A 0-d array of dtype '<U' holding an ASCII string (what np.savez stores for a Python str).
std::string encode_npy_string(const std::string& ascii);

struct npy_array {
  std::vector<std::size_t> shape;
  std::vector<double> values;  // converted to double, C order
};

// Reads a .npy file of float64, float32, int64 or int32 (little endian, C order). Throws
// ionode::error naming the file and what is wrong with it.
npy_array read_npy(const std::string& path);

}  // namespace ionode::io
