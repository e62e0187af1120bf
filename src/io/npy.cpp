// Encoding and decoding of NumPy .npy arrays (format version 1.0).
#include "ionode/io/npy.hpp"

#include <fmt/format.h>
#include <zip.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <fstream>

#include "ionode/detail/checked.hpp"
#include "ionode/error.hpp"

namespace ionode::io {

namespace {

static_assert(std::endian::native == std::endian::little, "the .npy writer assumes a little-endian machine");

std::string shape_text(const std::vector<std::size_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

std::size_t product(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}

template <class T>
std::string encode(const std::vector<T>& values, const std::vector<std::size_t>& shape, const char* descr) {
  if (product(shape) != values.size()) {
    throw internal_error(fmt::format("encode_npy: {} values do not fill shape {}", values.size(), shape_text(shape)));
  }
  std::string out = npy_header(descr, shape);
  const std::size_t start = out.size();
  out.resize(start + values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(out.data() + start, values.data(), values.size() * sizeof(T));
  return out;
}

// The value of key `key` in a .npy header dict, as raw text up to the next top-level comma or brace.
std::string header_field(const std::string& dict, const std::string& key, const std::string& path) {
  const auto at = dict.find("'" + key + "'");
  const auto colon = at == std::string::npos ? std::string::npos : dict.find(':', at);
  if (colon == std::string::npos) {
    throw error(fmt::format("{}: not a valid .npy file (no '{}' in its header)", path, key));
  }
  auto pos = colon + 1;
  while (pos < dict.size() && dict[pos] == ' ') ++pos;
  if (pos < dict.size() && dict[pos] == '(') return dict.substr(pos, dict.find(')', pos) - pos + 1);
  const auto end = dict.find_first_of(",}", pos);
  return dict.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

// A shape written as a Python tuple: "()", "(5,)", "(2000, 3)". Anything else, or an extent that
// does not fit in 64 bits, is refused: the header is untrusted input.
std::vector<std::size_t> parse_shape(const std::string& text, const std::string& path) {
  const auto bad = [&](const std::string& why) {
    return error(fmt::format("{}: not a valid .npy file (its shape {} {})", path, text, why));
  };
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') throw bad("is not a tuple of integers");
  std::vector<std::size_t> shape;
  std::string item;
  const auto finish = [&](bool last) {
    const auto first = item.find_first_not_of(' '), end = item.find_last_not_of(' ');
    const std::string digits = first == std::string::npos ? "" : item.substr(first, end - first + 1);
    item.clear();
    if (digits.empty() && last) return;  // "()" and the trailing comma of "(5,)"
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
      throw bad("is not a tuple of integers");
    }
    std::size_t value = 0;
    for (char ch : digits) {
      const auto times_ten = detail::checked_mul(value, 10);
      const auto sum = times_ten ? detail::checked_add(*times_ten, static_cast<std::size_t>(ch - '0')) : std::nullopt;
      if (!sum) throw bad(fmt::format("has an extent larger than {}", std::numeric_limits<std::size_t>::max()));
      value = *sum;
    }
    shape.push_back(value);
  };
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == ',') {
      finish(false);
    } else {
      item.push_back(text[i]);
    }
  }
  finish(true);
  return shape;
}

template <class T>
void convert(const std::string& bytes, std::size_t offset, std::size_t count, std::vector<double>& out) {
  out.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, bytes.data() + offset + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
}

}  // namespace

std::string npy_header(const std::string& descr, const std::vector<std::size_t>& shape, std::size_t length) {
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr, shape_text(shape));
  // Magic (6) + version (2) + length (2) + dict + '\n', padded with spaces to a multiple of 64 (or to `length`).
  const std::size_t unpadded = 10 + dict.size() + 1;
  const std::size_t total = length == 0 ? unpadded + (64 - unpadded % 64) % 64 : length;
  if (total < unpadded || total - 10 > 0xffff) {
    throw internal_error(fmt::format("npy_header: {} bytes cannot hold the header for shape {}", length, shape_text(shape)));
  }
  dict.append(total - unpadded, ' ');
  dict.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  const auto dict_length = static_cast<std::uint16_t>(dict.size());
  out.push_back(static_cast<char>(dict_length & 0xff));
  out.push_back(static_cast<char>(dict_length >> 8));
  return out + dict;
}

std::string encode_npy(const std::vector<double>& values, const std::vector<std::size_t>& shape) {
  return encode(values, shape, "<f8");
}
std::string encode_npy(const std::vector<std::int64_t>& values, const std::vector<std::size_t>& shape) {
  return encode(values, shape, "<i8");
}

std::string encode_npy_string(const std::string& ascii) {
  std::string out = npy_header(fmt::format("<U{}", std::max<std::size_t>(ascii.size(), 1)), {});
  for (unsigned char ch : ascii) {
    if (ch >= 0x80) throw internal_error("encode_npy_string: only ASCII text is supported");
    out.push_back(static_cast<char>(ch));
    out.append(3, '\0');
  }
  if (ascii.empty()) out.append(4, '\0');
  return out;
}

npy_header_info read_npy_header(std::uintmax_t file_size, const std::function<std::string(std::size_t)>& read,
                                const std::string& path) {
  if (file_size < 10) throw error(fmt::format("{}: not a .npy file (no NumPy magic string)", path));
  const std::string preamble = read(10);
  if (preamble.compare(0, 6, "\x93NUMPY") != 0) {
    throw error(fmt::format("{}: not a .npy file (no NumPy magic string)", path));
  }
  const int major = static_cast<unsigned char>(preamble[6]);
  std::size_t header_length = 0, offset = 0;
  if (major == 1) {
    header_length = static_cast<unsigned char>(preamble[8]) |
                    (static_cast<std::size_t>(static_cast<unsigned char>(preamble[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (file_size < 12) throw error(fmt::format("{}: truncated .npy header", path));
    const std::string length = preamble.substr(8) + read(2);
    for (int i = 0; i < 4; ++i) {
      header_length |= static_cast<std::size_t>(static_cast<unsigned char>(length[i])) << (8 * i);
    }
    offset = 12;
  } else {
    throw error(fmt::format("{}: unsupported .npy format version {}", path, major));
  }
  if (file_size - offset < header_length) throw error(fmt::format("{}: truncated .npy header", path));
  const std::string dict = read(header_length);
  offset += header_length;

  npy_header_info info;
  info.descr = header_field(dict, "descr", path);
  info.descr.erase(std::remove(info.descr.begin(), info.descr.end(), '\''), info.descr.end());
  if (header_field(dict, "fortran_order", path) != "False") {
    throw error(fmt::format("{}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray", path));
  }
  const std::string shape = header_field(dict, "shape", path);
  info.shape = parse_shape(shape, path);
  if (info.descr == "<f8" || info.descr == "<i8") {
    info.item = 8;
  } else if (info.descr == "<f4" || info.descr == "<i4") {
    info.item = 4;
  } else {
    throw error(fmt::format("{}: dtype '{}' is not supported; use float64, float32, int64 or int32", path, info.descr));
  }
  // The shape's product and its bytes, checked: a header may declare more than any file could hold.
  std::optional<std::size_t> count = 1;
  for (std::size_t extent : info.shape) count = count ? detail::checked_mul(*count, extent) : std::nullopt;
  const auto data_bytes = count ? detail::checked_mul(*count, info.item) : std::nullopt;
  if (!data_bytes || *data_bytes > file_size - offset) {
    throw error(fmt::format("{}: the file holds {} bytes of values, fewer than its shape {} needs", path,
                            file_size - offset, shape));
  }
  info.count = *count;
  return info;
}

namespace {

// The .npy bytes of `file_size` bytes that `read(count)` hands out in order; `path` names them in errors.
template <class Read>
npy_array decode_npy(std::uintmax_t file_size, Read&& read, const std::string& path) {
  const npy_header_info info = read_npy_header(file_size, read, path);
  const std::string& descr = info.descr;
  const std::size_t* count = &info.count;
  const std::string shape = shape_text(info.shape);
  npy_array array;
  array.shape = info.shape;
  detail::check_fits_memory({*count, sizeof(double)}, fmt::format("input file '{}' of shape {}", path, shape));
  const std::string bytes = read(info.count * info.item);
  if (descr == "<f8") convert<double>(bytes, 0, *count, array.values);
  else if (descr == "<f4") convert<float>(bytes, 0, *count, array.values);
  else if (descr == "<i8") convert<std::int64_t>(bytes, 0, *count, array.values);
  else convert<std::int32_t>(bytes, 0, *count, array.values);
  return array;
}

}  // namespace

npy_array read_npy(const std::string& path) {
  // Only a regular file: a device (/dev/zero) would be read forever, a folder fails obscurely.
  std::error_code code;
  const auto status = std::filesystem::status(path, code);
  if (code || !std::filesystem::exists(status)) throw error(fmt::format("cannot open input file '{}'", path));
  if (std::filesystem::is_directory(status)) {
    throw error(fmt::format("input file '{}' is a folder; give a .npy file", path));
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw error(fmt::format("input file '{}' is not a regular file (a device, pipe or socket); give a .npy file", path));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw error(fmt::format("cannot open input file '{}'", path));
  const std::uintmax_t file_size = std::filesystem::file_size(path, code);
  if (code) throw error(fmt::format("cannot read input file '{}': {}", path, code.message()));
  // Reads `count` bytes at the current position, which the file's size was checked to hold.
  const auto read = [&](std::size_t count) {
    std::string out(count, '\0');
    if (!file.read(out.data(), static_cast<std::streamsize>(count))) {
      throw error(fmt::format("cannot read input file '{}': it ended early (changed while being read?)", path));
    }
    return out;
  };
  return decode_npy(file_size, read, path);
}


std::map<std::string, npy_array> read_npz(const std::string& path) {
  std::error_code code;
  if (!std::filesystem::is_regular_file(path, code)) {
    throw error(fmt::format("cannot open '{}': {}", path,
                            std::filesystem::exists(path, code) ? "not a regular file" : "no such file"));
  }
  int zip_code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &zip_code);
  if (archive == nullptr) throw error(fmt::format("cannot open '{}': not a .npz (zip) archive", path));
  std::map<std::string, npy_array> arrays;
  try {
    const zip_int64_t entries = zip_get_num_entries(archive, 0);
    for (zip_int64_t k = 0; k < entries; ++k) {
      zip_stat_t stat;
      if (zip_stat_index(archive, static_cast<zip_uint64_t>(k), 0, &stat) != 0) continue;
      std::string name = stat.name;
      if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) continue;
      const std::string member = fmt::format("{} (array '{}')", path, name.substr(0, name.size() - 4));
      if (!(stat.valid & ZIP_STAT_SIZE)) throw error(fmt::format("{}: unknown size", member));
      detail::check_fits_memory({static_cast<std::size_t>(stat.size)}, member);
      std::string bytes(static_cast<std::size_t>(stat.size), '\0');
      zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(k), 0);
      if (file == nullptr) throw error(fmt::format("{}: cannot be read from the archive", member));
      const zip_int64_t got = zip_fread(file, bytes.data(), stat.size);
      zip_fclose(file);
      if (got != static_cast<zip_int64_t>(stat.size)) throw error(fmt::format("{}: the archive ended early", member));
      std::size_t at = 0;
      const auto read = [&](std::size_t count) {
        if (count > bytes.size() - at) throw error(fmt::format("{}: truncated", member));
        std::string out = bytes.substr(at, count);
        at += count;
        return out;
      };
      try {
        arrays[name.substr(0, name.size() - 4)] = decode_npy(bytes.size(), read, member);
      } catch (const error& e) {
        // Arrays of other dtypes (strings, booleans) are left out: a reader asks for what it needs by name.
        if (std::string(e.what()).find("is not supported") == std::string::npos) throw;
      }
    }
  } catch (...) {
    zip_discard(archive);
    throw;
  }
  zip_discard(archive);
  return arrays;
}

}  // namespace ionode::io
