// A rank's records of a batch run over ranks (part_file.hpp): extendible HDF5 datasets.
#include "part_file.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <array>
#include <map>

#include "ionode/error.hpp"

namespace ionode::cli {

namespace {

// Appends `count` rows of `width` values of `type` to a dataset of rows (1-d when width is 0).
void append(hid_t dataset, hid_t type, const void* data, std::size_t rows, std::size_t width, std::size_t& at,
            const std::string& what) {
  if (rows == 0) return;
  const int rank = width == 0 ? 1 : 2;
  const std::array<hsize_t, 2> size{at + rows, width}, start{at, 0}, count{rows, width};
  if (H5Dset_extent(dataset, size.data()) < 0) throw error(fmt::format("{}: extending failed", what));
  const hid_t file_space = H5Dget_space(dataset);
  H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
  const hid_t memory = H5Screate_simple(rank, count.data(), nullptr);
  const herr_t status = H5Dwrite(dataset, type, memory, file_space, H5P_DEFAULT, data);
  H5Sclose(memory);
  H5Sclose(file_space);
  if (status < 0) throw error(fmt::format("{}: writing failed (disk full?)", what));
  at += rows;
}

hid_t create(hid_t file, const std::string& name, hid_t type, std::size_t width, const std::string& what) {
  const int rank = width == 0 ? 1 : 2;
  const std::array<hsize_t, 2> dims{0, width}, max{H5S_UNLIMITED, width};
  const std::array<hsize_t, 2> chunk{width == 0 ? 65536 : std::max<hsize_t>(1, 131072 / std::max<std::size_t>(1, width)),
                                     std::max<std::size_t>(1, width)};
  const hid_t space = H5Screate_simple(rank, dims.data(), max.data());
  const hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(plist, rank, chunk.data());
  const hid_t dataset = H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT);
  H5Pclose(plist);
  H5Sclose(space);
  if (dataset < 0) throw error(fmt::format("{}: creating {} failed", what, name));
  return dataset;
}

}  // namespace

struct part_writer::handles {
  hid_t file = -1;
  std::map<std::string, hid_t> datasets;
  std::size_t samples = 0;
  std::map<std::string, std::size_t> rows;
};

part_writer::part_writer(std::string path, std::vector<std::string> variables, std::size_t width)
    : path_(std::move(path)), variables_(std::move(variables)), width_(width), h_(new handles) {
  h_->file = H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (h_->file < 0) {
    delete h_;
    throw error(fmt::format("cannot write '{}' (a rank's part of the output)", path_));
  }
  try {
    h_->datasets["ts"] = create(h_->file, "ts", H5T_NATIVE_DOUBLE, 0, path_);
    for (const auto& v : variables_) h_->datasets[v] = create(h_->file, v, H5T_NATIVE_DOUBLE, width_, path_);
    h_->datasets["spike_times"] = create(h_->file, "spike_times", H5T_NATIVE_DOUBLE, 0, path_);
    for (const char* name : {"spike_indices", "spike_batch", "spike_steps"}) {
      h_->datasets[name] = create(h_->file, name, H5T_NATIVE_INT64, 0, path_);
    }
  } catch (...) {
    close();
    throw;
  }
}

part_writer::~part_writer() {
  try {
    close();
  } catch (...) {
    // Nothing more can be done about a file that fails as it closes.
  }
}

void part_writer::write(const recording& block) {
  if (h_ == nullptr) throw internal_error("part_writer::write after close");
  auto& at = h_->rows;
  append(h_->datasets["ts"], H5T_NATIVE_DOUBLE, block.ts.data(), block.ts.size(), 0, at["ts"], path_);
  for (const auto& v : variables_) {
    const auto& values = block.values.at(v);
    append(h_->datasets[v], H5T_NATIVE_DOUBLE, values.data(), values.size() / std::max<std::size_t>(1, width_), width_,
           at[v], path_);
  }
  const std::size_t n = block.spike_times.size();
  append(h_->datasets["spike_times"], H5T_NATIVE_DOUBLE, block.spike_times.data(), n, 0, at["spike_times"], path_);
  append(h_->datasets["spike_indices"], H5T_NATIVE_INT64, block.spike_indices.data(), n, 0, at["spike_indices"], path_);
  append(h_->datasets["spike_batch"], H5T_NATIVE_INT64, block.spike_batch.data(), n, 0, at["spike_batch"], path_);
  append(h_->datasets["spike_steps"], H5T_NATIVE_INT64, block.spike_steps.data(), n, 0, at["spike_steps"], path_);
}

void part_writer::close() {
  if (h_ == nullptr) return;
  for (auto& [name, dataset] : h_->datasets) H5Dclose(dataset);
  const herr_t status = h_->file >= 0 ? H5Fclose(h_->file) : 0;
  delete h_;
  h_ = nullptr;
  if (status < 0) throw error(fmt::format("closing '{}' failed", path_));
}

part_reader::part_reader(const std::string& path) : path_(path) {
  file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file_ < 0) throw error(fmt::format("cannot read '{}' (a rank's part of the output)", path));
  const auto length = [&](const char* name) {
    const hid_t dataset = H5Dopen2(file_, name, H5P_DEFAULT);
    if (dataset < 0) throw error(fmt::format("'{}' has no {}", path_, name));
    const hid_t space = H5Dget_space(dataset);
    std::array<hsize_t, 2> dims{0, 0};
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    H5Sclose(space);
    H5Dclose(dataset);
    return static_cast<std::size_t>(dims[0]);
  };
  samples_ = length("ts");
  spikes_ = length("spike_times");
}

part_reader::~part_reader() {
  if (file_ >= 0) H5Fclose(file_);
}

namespace {

template <class T>
std::vector<T> read_rows(hid_t file, const std::string& name, hid_t type, std::size_t first, std::size_t count,
                         std::size_t width, const std::string& path) {
  std::vector<T> out(count * std::max<std::size_t>(1, width));
  if (count == 0) return out;
  const hid_t dataset = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  if (dataset < 0) throw error(fmt::format("'{}' has no {}", path, name));
  const int rank = width == 0 ? 1 : 2;
  const std::array<hsize_t, 2> start{first, 0}, size{count, width};
  const hid_t file_space = H5Dget_space(dataset);
  H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, size.data(), nullptr);
  const hid_t memory = H5Screate_simple(rank, size.data(), nullptr);
  const herr_t status = H5Dread(dataset, type, memory, file_space, H5P_DEFAULT, out.data());
  H5Sclose(memory);
  H5Sclose(file_space);
  H5Dclose(dataset);
  if (status < 0) throw error(fmt::format("reading {} of '{}' failed", name, path));
  return out;
}

}  // namespace

std::vector<double> part_reader::rows(const std::string& name, std::size_t first, std::size_t count,
                                      std::size_t width) const {
  return read_rows<double>(file_, name, H5T_NATIVE_DOUBLE, first, count, width, path_);
}

void part_reader::spikes(std::size_t first, std::size_t count, recording& out) const {
  out.spike_times = read_rows<double>(file_, "spike_times", H5T_NATIVE_DOUBLE, first, count, 0, path_);
  out.spike_indices = read_rows<std::int64_t>(file_, "spike_indices", H5T_NATIVE_INT64, first, count, 0, path_);
  out.spike_batch = read_rows<std::int64_t>(file_, "spike_batch", H5T_NATIVE_INT64, first, count, 0, path_);
  out.spike_steps = read_rows<std::int64_t>(file_, "spike_steps", H5T_NATIVE_INT64, first, count, 0, path_);
}

}  // namespace ionode::cli
