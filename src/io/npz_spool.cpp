// The spool of a .npz result (npz_spool.hpp): raw .npy files, their layout and counts, and the
// archive made from them.
#include "npz_spool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "ionode/error.hpp"
#include "ionode/io/npy.hpp"
#include "ionode/io/npz_writer.hpp"

namespace ionode::io::detail {

namespace {

const char* const layout_file = "layout.json";
const char* const counts_file = "counts";
const char* const metadata_file = "metadata.json";  // as given, not escaped into layout.json: it can be megabytes

[[noreturn]] void fail(const std::string& output, const std::string& what, int code) {
  throw error(fmt::format("cannot write output '{}': {}: {}", output, what, std::strerror(code)));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half of it.
void write_atomically(const std::string& output, const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) fail(output, "writing " + temporary, errno);
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const int code = errno;
  if (std::fclose(file) != 0 || !written) fail(output, "writing " + temporary, written ? errno : code);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail(output, "writing " + path, errno);
}

// Cuts a spool file to its counted values and writes the final .npy header in place.
void finish_npy(const std::string& output, const std::string& path, const std::string& descr,
                const std::vector<std::size_t>& shape) {
  std::size_t values = 1;
  for (const std::size_t extent : shape) values *= extent;
  const std::uintmax_t expected = spool_header_bytes + values * 8;  // every spooled type has 8 bytes
  std::error_code code;
  const std::uintmax_t size = std::filesystem::file_size(path, code);
  if (code) throw error(fmt::format("cannot read '{}' of the output '{}': {}", path, output, code.message()));
  if (size < expected) {
    throw error(fmt::format("the spool file '{}' of '{}' has {} bytes, fewer than the {} its counts say; it is damaged",
                            path, output, size, expected));
  }
  if (size > expected) std::filesystem::resize_file(path, expected);  // a block cut short by a kill
  std::FILE* file = std::fopen(path.c_str(), "r+b");
  if (file == nullptr) fail(output, "writing " + path, errno);
  const std::string header = npy_header(descr, shape, spool_header_bytes);
  const bool written = std::fwrite(header.data(), 1, header.size(), file) == header.size();
  const int why = errno;
  if (std::fclose(file) != 0 || !written) fail(output, "writing " + path, written ? errno : why);
}

// Rewrites a finished spool of sample-major values (T, B, n) as the .npy of the (B, T, n) array,
// a band of samples at a time, so that memory stays bounded whatever T.
void write_batch_major(const std::string& output, const std::string& from, const std::string& to, std::size_t samples,
                       std::size_t copies, std::size_t width) {
  std::FILE* in = std::fopen(from.c_str(), "rb");
  if (in == nullptr) fail(output, "reading " + from, errno);
  std::FILE* out = std::fopen(to.c_str(), "wb");
  if (out == nullptr) {
    std::fclose(in);
    fail(output, "creating " + to, errno);
  }
  auto check = [&](bool ok, const std::string& what) {
    if (ok) return;
    const int code = errno;
    std::fclose(in);
    std::fclose(out);
    fail(output, what, code);
  };
  const std::string header = npy_header("<f8", {copies, samples, width});
  check(std::fwrite(header.data(), 1, header.size(), out) == header.size(), "writing " + to);
  const std::size_t row = copies * width;  // values per sample
  const std::size_t band = std::max<std::size_t>(1, (std::size_t{16} << 20) / std::max<std::size_t>(1, row * 8));
  std::vector<double> rows(band * row), column(band * width);
  check(std::fseek(in, static_cast<long>(spool_header_bytes), SEEK_SET) == 0, "reading " + from);
  for (std::size_t t0 = 0; t0 < samples; t0 += band) {
    const std::size_t n = std::min(band, samples - t0);
    check(std::fread(rows.data(), sizeof(double), n * row, in) == n * row, "reading " + from);
    for (std::size_t b = 0; b < copies; ++b) {
      for (std::size_t s = 0; s < n; ++s) {
        std::memcpy(column.data() + s * width, rows.data() + (s * copies + b) * width, width * sizeof(double));
      }
      const auto offset = static_cast<off_t>(header.size() + ((b * samples + t0) * width) * sizeof(double));
      check(fseeko(out, offset, SEEK_SET) == 0, "writing " + to);
      check(std::fwrite(column.data(), sizeof(double), n * width, out) == n * width, "writing " + to);
    }
  }
  std::fclose(in);
  check(std::fclose(std::exchange(out, nullptr)) == 0, "writing " + to);
}

}  // namespace

npy_spool::npy_spool(std::string output, std::string path) : output_(std::move(output)), path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) fail(output_, "creating " + path_, errno);
  const std::string blank(spool_header_bytes, ' ');
  append(blank.data(), blank.size());
}

npy_spool::~npy_spool() {
  if (file_ != nullptr) std::fclose(file_);
}

void npy_spool::append(const void* data, std::size_t bytes) {
  if (bytes > 0 && std::fwrite(data, 1, bytes, file_) != bytes) fail(output_, "writing " + path_, errno);
}

void npy_spool::flush() {
  if (std::fflush(file_) != 0) fail(output_, "writing " + path_, errno);
}

void npy_spool::close() {
  std::FILE* file = std::exchange(file_, nullptr);
  if (file != nullptr && std::fclose(file) != 0) fail(output_, "writing " + path_, errno);
}

std::string spool_member(const std::string& spool_dir, const std::string& name) {
  return (std::filesystem::path(spool_dir) / (name + ".npy")).string();
}

std::vector<std::string> spool_names(const npz_spool_layout& layout) {
  std::vector<std::string> names{"ts"};
  for (std::size_t v = 0; v < layout.variables.size(); ++v) names.push_back(fmt::format("v{}", v));
  names.insert(names.end(), {"spike_times", "spike_indices"});
  if (layout.batch_axis) names.push_back("spike_batch");
  return names;
}

void write_spool_layout(const std::string& spool_dir, const npz_spool_layout& layout) {
  const nlohmann::json json = {{"output", layout.output},   {"variables", layout.variables},
                               {"copies", layout.copies},   {"width", layout.width},
                               {"batch_axis", layout.batch_axis}};
  write_atomically(layout.output, (std::filesystem::path(spool_dir) / metadata_file).string(), layout.metadata);
  write_atomically(layout.output, (std::filesystem::path(spool_dir) / layout_file).string(), json.dump());
}

npz_spool_layout read_spool_layout(const std::string& spool_dir) {
  const std::string path = (std::filesystem::path(spool_dir) / layout_file).string();
  try {
    const auto json = nlohmann::json::parse(read_text(path));
    npz_spool_layout layout;
    layout.output = json.at("output").get<std::string>();
    layout.variables = json.at("variables").get<std::vector<std::string>>();
    layout.copies = json.at("copies").get<std::size_t>();
    layout.width = json.at("width").get<std::size_t>();
    layout.batch_axis = json.at("batch_axis").get<bool>();
    layout.metadata = read_text((std::filesystem::path(spool_dir) / metadata_file).string());
    return layout;
  } catch (const nlohmann::json::exception& e) {
    throw error(fmt::format("'{}' is not a spool layout written by ionode: {}", path, e.what()));
  }
}

void write_spool_counts(const std::string& spool_dir, const npz_spool_counts& counts) {
  write_atomically(spool_dir, (std::filesystem::path(spool_dir) / counts_file).string(),
                   fmt::format("{} {}\n", counts.samples, counts.spikes));
}

npz_spool_counts read_spool_counts(const std::string& spool_dir) {
  const std::string path = (std::filesystem::path(spool_dir) / counts_file).string();
  if (!std::filesystem::exists(path)) return {};  // killed before its first block: nothing whole yet
  std::istringstream text(read_text(path));
  npz_spool_counts counts;
  if (!(text >> counts.samples >> counts.spikes)) throw error(fmt::format("'{}' is damaged", path));
  return counts;
}

void assemble_npz(const std::string& to, const std::string& spool_dir, const npz_spool_layout& layout,
                  const npz_spool_counts& counts, const std::string& metadata) {
  const std::string& out = layout.output;
  const std::size_t samples = counts.samples, spikes = counts.spikes;
  finish_npy(out, spool_member(spool_dir, "ts"), "<f8", {samples});
  std::vector<std::string> members;
  for (std::size_t v = 0; v < layout.variables.size(); ++v) {
    const std::string path = spool_member(spool_dir, fmt::format("v{}", v));
    if (layout.batch_axis) {
      finish_npy(out, path, "<f8", {samples, layout.copies, layout.width});
      const std::string batch_major = path + ".batch.npy";
      write_batch_major(out, path, batch_major, samples, layout.copies, layout.width);
      std::filesystem::remove(path);  // the disk holds one copy of each array, not two
      members.push_back(batch_major);
    } else {
      finish_npy(out, path, "<f8", {samples, layout.width});
      members.push_back(path);
    }
  }
  finish_npy(out, spool_member(spool_dir, "spike_times"), "<f8", {spikes});
  finish_npy(out, spool_member(spool_dir, "spike_indices"), "<i8", {spikes});
  if (layout.batch_axis) finish_npy(out, spool_member(spool_dir, "spike_batch"), "<i8", {spikes});

  npz_writer npz(to);
  npz.add_npy_file("ts", spool_member(spool_dir, "ts"));
  for (std::size_t v = 0; v < layout.variables.size(); ++v) npz.add_npy_file(layout.variables[v], members[v]);
  npz.add_npy_file("spike_times", spool_member(spool_dir, "spike_times"));
  npz.add_npy_file("spike_indices", spool_member(spool_dir, "spike_indices"));
  if (layout.batch_axis) npz.add_npy_file("spike_batch", spool_member(spool_dir, "spike_batch"));
  npz.add_string("metadata", metadata);
  npz.close();
}

}  // namespace ionode::io::detail
