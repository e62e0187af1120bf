// NumPy's .npy format: encoding arrays for .npz files, and reading input time series from .npy.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ionode::io {

// The header of a .npy file (format 1.0, C order) for an array of dtype `descr` ('<f8', '<i8') and the
// given shape. length 0: the shortest multiple of 64 bytes; otherwise padded to exactly `length`
// bytes, so that a file written before its shape was known can get its final header in place.
std::string npy_header(const std::string& descr, const std::vector<std::size_t>& shape, std::size_t length = 0);

// The bytes of a .npy file (format 1.0, C order, little endian) holding the given array.
std::string encode_npy(const std::vector<double>& values, const std::vector<std::size_t>& shape);
std::string encode_npy(const std::vector<std::int64_t>& values, const std::vector<std::size_t>& shape);
// A 0-d array of dtype '<U' holding an ASCII string (what np.savez stores for a Python str).
std::string encode_npy_string(const std::string& ascii);

struct npy_array {
  std::vector<std::size_t> shape;
  std::vector<double> values;  // converted to double, C order
};

// The header of .npy bytes that read(count) hands out in order (`file_size` of them in all): the dtype
// ('<f8', '<f4', '<i8', '<i4'; others are refused), the shape, the bytes per element and the element
// count, checked against the bytes there are. read() is then at the first element.
struct npy_header_info {
  std::string descr;
  std::vector<std::size_t> shape;
  std::size_t item = 0, count = 0;
};
npy_header_info read_npy_header(std::uintmax_t file_size, const std::function<std::string(std::size_t)>& read,
                                const std::string& path);

// Reads a .npy file of float64, float32, int64 or int32 (little endian, C order). Throws
// ionode::error naming the file and what is wrong with it.
npy_array read_npy(const std::string& path);

// The arrays of a .npz archive (np.savez) by name, those of the dtypes read_npy reads; others (strings)
// are left out. Throws ionode::error naming the file (and the array) and what is wrong.
std::map<std::string, npy_array> read_npz(const std::string& path);

}  // namespace ionode::io
