// The first part of a result file, copied block by block (result_prefix.hpp).
#include "ionode/io/result_prefix.hpp"

#include <fmt/format.h>
#include <hdf5.h>
#include <zip.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "ionode/error.hpp"
#include "ionode/io/npy.hpp"
#include "ionode/io/result_file.hpp"
#include "hdf5_quiet.hpp"

namespace ionode::io {

namespace {

// One array of a result, read from the start in order: `rows` rows of `width` values at a time.
class array_reader {
 public:
  virtual ~array_reader() = default;
  virtual std::size_t rows() const = 0;
  virtual std::size_t width() const = 0;
  virtual void read(std::size_t first_row, std::size_t rows, std::vector<double>& out) = 0;
};

// A member X.npy of a .npz archive (float64 or int64, C order), read with zip_fread in order.
class npz_array final : public array_reader {
 public:
  npz_array(zip_t* archive, const std::string& name, const std::string& path) : what_(fmt::format("{} (array '{}')", path, name)) {
    zip_stat_t stat;
    const std::string member = name + ".npy";
    if (zip_stat(archive, member.c_str(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) {
      throw error(fmt::format("{}: not in the archive", what_));
    }
    file_ = zip_fopen(archive, member.c_str(), 0);
    if (file_ == nullptr) throw error(fmt::format("{}: cannot be read from the archive", what_));
    info_ = read_npy_header(stat.size, [this](std::size_t n) { return bytes(n); }, what_);
    if (info_.item != 8 || (info_.descr != "<f8" && info_.descr != "<i8") || info_.shape.empty() || info_.shape.size() > 2) {
      throw error(fmt::format("{}: not an array of this result's layout (dtype {}, {} dimensions)", what_, info_.descr,
                              info_.shape.size()));
    }
  }
  ~npz_array() override {
    if (file_ != nullptr) zip_fclose(file_);
  }
  std::size_t rows() const override { return info_.shape[0]; }
  std::size_t width() const override { return info_.shape.size() == 2 ? info_.shape[1] : 1; }
  void read(std::size_t first_row, std::size_t rows, std::vector<double>& out) override {
    if (first_row != next_row_) throw internal_error("npz_array::read out of order");
    const std::string raw = bytes(rows * width() * 8);
    out.resize(rows * width());
    if (raw.empty()) {
      // nothing to convert (memcpy of no bytes from an empty vector's null pointer is undefined)
    } else if (info_.descr == "<f8") {
      std::memcpy(out.data(), raw.data(), raw.size());
    } else {
      for (std::size_t k = 0; k < out.size(); ++k) {
        std::int64_t v = 0;
        std::memcpy(&v, raw.data() + 8 * k, 8);
        out[k] = static_cast<double>(v);
      }
    }
    next_row_ += rows;
  }

 private:
  std::string bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > 0 && zip_fread(file_, out.data(), n) != static_cast<zip_int64_t>(n)) {
      throw error(fmt::format("{}: the archive ended early", what_));
    }
    return out;
  }
  std::string what_;
  zip_file_t* file_ = nullptr;
  npy_header_info info_;
  std::size_t next_row_ = 0;
};

// A dataset of an .h5 result (1 or 2 dimensions), read by hyperslabs of rows.
class h5_array final : public array_reader {
 public:
  h5_array(hid_t file, const std::string& name, const std::string& path) : what_(fmt::format("{} (array '{}')", path, name)) {
    dataset_ = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    if (dataset_ < 0) throw error(fmt::format("{}: not in the file", what_));
    const hid_t space = H5Dget_space(dataset_);
    const int rank = H5Sget_simple_extent_ndims(space);
    hsize_t dims[2] = {0, 1};
    if (rank < 1 || rank > 2) {
      H5Sclose(space);
      throw error(fmt::format("{}: not an array of this result's layout ({} dimensions)", what_, rank));
    }
    H5Sget_simple_extent_dims(space, dims, nullptr);
    H5Sclose(space);
    rank_ = rank;
    rows_ = dims[0];
    width_ = rank == 2 ? dims[1] : 1;
  }
  ~h5_array() override {
    if (dataset_ >= 0) H5Dclose(dataset_);
  }
  std::size_t rows() const override { return rows_; }
  std::size_t width() const override { return width_; }
  void read(std::size_t first_row, std::size_t rows, std::vector<double>& out) override {
    out.resize(rows * width_);
    if (rows == 0) return;
    const hid_t file_space = H5Dget_space(dataset_);
    const hsize_t start[2] = {first_row, 0}, count[2] = {rows, width_};
    H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr);
    const hid_t memory = H5Screate_simple(rank_, count, nullptr);
    const herr_t status = H5Dread(dataset_, H5T_NATIVE_DOUBLE, memory, file_space, H5P_DEFAULT, out.data());
    H5Sclose(memory);
    H5Sclose(file_space);
    if (status < 0) throw error(fmt::format("{}: reading rows {} to {} failed", what_, first_row, first_row + rows));
  }

 private:
  std::string what_;
  hid_t dataset_ = -1;
  int rank_ = 1;
  std::size_t rows_ = 0, width_ = 1;
};

}  // namespace

void copy_result_prefix(const std::string& path, std::size_t samples, std::size_t spikes, const recording& layout,
                        recording_sink& to, std::size_t block_bytes) {
  // HDF5 prints its own error stack on failures, which the errors below say better.
  const detail::quiet_hdf5_errors quiet;
  std::error_code code;
  if (!std::filesystem::is_regular_file(path, code)) {
    throw error(fmt::format("cannot open '{}': {}", path,
                            std::filesystem::exists(path, code) ? "not a regular file" : "no such file (an unfinished "
                                                                                             ".npz run: `ionode recover` "
                                                                                             "makes it first)"));
  }
  const result_format format = format_of(path);
  // The handles of the open file, closed on every way out.
  std::unique_ptr<zip_t, void (*)(zip_t*)> archive(nullptr, [](zip_t* z) { zip_discard(z); });
  std::unique_ptr<hid_t, void (*)(hid_t*)> h5(nullptr, [](hid_t* f) {
    H5Fclose(*f);
    delete f;
  });
  const auto open_array = [&](const std::string& name) -> std::unique_ptr<array_reader> {
    if (format == result_format::npz) return std::make_unique<npz_array>(archive.get(), name, path);
    return std::make_unique<h5_array>(*h5, name, path);
  };
  if (format == result_format::npz) {
    int zip_code = 0;
    archive.reset(zip_open(path.c_str(), ZIP_RDONLY, &zip_code));
    if (!archive) throw error(fmt::format("cannot open '{}': not a .npz (zip) archive", path));
  } else if (format == result_format::hdf5) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) throw error(fmt::format("cannot open '{}': not an HDF5 file", path));
    h5.reset(new hid_t(file));
  } else {
    throw error(fmt::format("'{}': a run is resumed into a .npz or .h5 output (a .csv one cannot be continued)", path));
  }
  const std::size_t width = layout.indices.size();
  std::unique_ptr<array_reader> ts = open_array("ts");
  std::vector<std::unique_ptr<array_reader>> variables;
  for (const auto& name : layout.variables) {
    variables.push_back(open_array(name));
    if (variables.back()->width() != width) {
      throw error(fmt::format("{} (array '{}'): {} columns; this run records {}", path, name, variables.back()->width(),
                              width));
    }
    if (variables.back()->rows() < samples) {
      throw error(fmt::format("{} (array '{}'): {} samples; the checkpoint is after {}", path, name,
                              variables.back()->rows(), samples));
    }
  }
  if (!layout.variables.empty() && ts->rows() < samples) {
    throw error(fmt::format("{}: {} samples; the checkpoint is after {}", path, ts->rows(), samples));
  }
  std::unique_ptr<array_reader> times = open_array("spike_times"), indices = open_array("spike_indices");
  if (times->rows() < spikes || indices->rows() < spikes) {
    throw error(fmt::format("{}: {} spikes; the checkpoint is after {}", path, times->rows(), spikes));
  }
  const std::size_t rows_per_block = std::max<std::size_t>(1, block_bytes / (8 * (1 + width * layout.variables.size())));
  const std::size_t spikes_per_block = std::max<std::size_t>(1, block_bytes / 24);
  recording block;
  block.variables = layout.variables;
  block.indices = layout.indices;
  std::vector<double> buffer;
  for (std::size_t sample = 0, spike = 0; sample < samples || spike < spikes;) {
    const std::size_t rows = layout.variables.empty() ? 0 : std::min(rows_per_block, samples - sample);
    const std::size_t fired = std::min(spikes_per_block, spikes - spike);
    block.first_sample = sample;
    block.first_spike = spike;
    ts->read(sample, rows, block.ts);
    for (std::size_t v = 0; v < variables.size(); ++v) variables[v]->read(sample, rows, block.values[layout.variables[v]]);
    times->read(spike, fired, block.spike_times);
    indices->read(spike, fired, buffer);
    block.spike_indices.assign(buffer.begin(), buffer.end());
    block.spike_batch.assign(fired, 0);
    to.write(block);
    sample += rows;
    spike += fired;
    if (layout.variables.empty()) sample = samples;
  }
}

}  // namespace ionode::io
