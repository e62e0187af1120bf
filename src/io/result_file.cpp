// Choosing a result format by extension, and the checks made on an output path before a run.
#include "ionode/io/result_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <system_error>

#include "ionode/error.hpp"
#include "result_formats.hpp"

namespace ionode::io {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string folder_of(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

// Why creating `path` failed, in words that say what to fix.
std::string reason_for(int code, const std::string& path) {
  const std::string folder = folder_of(path);
  switch (code) {
    case ENOENT: {
      // ENOENT also comes from file systems that exist but create no files (/proc, /sys).
      std::error_code ignored;
      if (!std::filesystem::is_directory(folder, ignored)) return fmt::format("its folder '{}' does not exist", folder);
      return fmt::format("the folder '{}' exists but does not let files be created in it ({}); write elsewhere",
                         folder, std::strerror(code));
    }
    case ENOTDIR: return fmt::format("'{}' is not a folder", folder);
    case EISDIR: return "it is a folder";
    case EACCES:
    case EPERM: return fmt::format("permission denied (may '{}' and the file be written?)", folder);
    case EROFS: return fmt::format("'{}' is on a read-only file system", folder);
    default: return std::strerror(code);
  }
}

// Creates the file if it is missing (removing it again) or opens it for appending, which fails
// exactly where writing it later would.
void probe_writable(const std::string& path) {
  std::error_code ignored;
  const bool existed = std::filesystem::exists(path, ignored);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int code = errno;
    throw error(fmt::format("output.path = '{}' cannot be written: {}", path, reason_for(code, path)));
  }
  ::close(fd);
  if (!existed) std::filesystem::remove(path, ignored);
}

std::string size_text(double bytes) {
  if (bytes >= 1e12) return fmt::format("{:.3g} TB", bytes / 1e12);
  if (bytes >= 1e9) return fmt::format("{:.3g} GB", bytes / 1e9);
  return fmt::format("{:.3g} MB", bytes / 1e6);
}

}  // namespace

result_format format_of(const std::string& path) {
  if (ends_with(path, ".npz")) return result_format::npz;
  if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) return result_format::hdf5;
  if (ends_with(path, ".csv")) return result_format::csv;
  throw error(fmt::format("output.path = '{}' is not allowed; it must end in .npz, .h5 (or .hdf5) or .csv", path));
}

void check_output_path(const std::string& path) {
  const result_format format = format_of(path);
  probe_writable(path);
  for (const auto& side : detail::side_files(path, format)) probe_writable(side);
}

void check_output_space(const std::string& path, std::uintmax_t values) {
  // Bytes per value: 8 in binary formats, about 20 as CSV text ("-64.99630212402344,"); a .npz is
  // spooled to files beside the output and then copied into the archive, so it needs twice its size.
  const result_format format = format_of(path);
  const double per_value = format == result_format::csv ? 20.0 : format == result_format::npz ? 16.0 : 8.0;
  const double needed = per_value * static_cast<double>(values);
  std::error_code code;
  const auto space = std::filesystem::space(folder_of(path), code);
  if (code) return;  // unknown: the write itself will tell
  if (needed > static_cast<double>(space.available)) {
    throw error(fmt::format("output.path = '{}' needs about {} for {} recorded values, but its file system has {} "
                            "free; record fewer variables, neurons or samples (monitors.every), or write elsewhere",
                            path, size_text(needed),
                            values == std::numeric_limits<std::uintmax_t>::max() ? std::string("more than 1.8e19")
                                                                                 : std::to_string(values),
                            size_text(static_cast<double>(space.available))));
  }
}

std::unique_ptr<result_file> open_result_file(const std::string& path, const recording& layout,
                                              const std::string& metadata_json) {
  switch (format_of(path)) {
    case result_format::npz: return detail::open_npz(path, layout, metadata_json);
    case result_format::hdf5: return detail::open_hdf5(path, layout, metadata_json);
    case result_format::csv: return detail::open_csv(path, layout, metadata_json);
  }
  throw internal_error("open_result_file: unknown format");
}

namespace detail {

std::vector<std::string> side_files(const std::string& path, result_format format) {
  if (format != result_format::csv) return {};
  const std::string stem = path.substr(0, path.size() - 4);
  return {stem + ".spikes.csv", stem + ".metadata.json"};
}

void to_batch_major(const double* in, std::size_t samples, std::size_t copies, std::size_t width, double* out) {
  for (std::size_t s = 0; s < samples; ++s) {
    for (std::size_t b = 0; b < copies; ++b) {
      std::memcpy(out + (b * samples + s) * width, in + (s * copies + b) * width, width * sizeof(double));
    }
  }
}

}  // namespace detail

}  // namespace ionode::io
