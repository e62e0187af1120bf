// The .h5 result layout (HDF5 C API): extendible chunked datasets, grown by each block the runner
// hands over, flushed after it, so that memory stays bounded and a stopped run leaves a readable file.
#include <fmt/format.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "ionode/error.hpp"
#include "hdf5_quiet.hpp"
#include "result_formats.hpp"

namespace ionode::io::detail {

namespace {

// The innermost message on HDF5's error stack: the most specific reason ("No space left on device").
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned depth, const H5E_error2_t* e, void* out) -> herr_t {
        if (depth == 0 && e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &reason);
  // A failed write names the system's reason inside a long line with the time and buffer address.
  const auto errno_text = reason.find("error message = '");
  if (errno_text != std::string::npos) {
    const auto start = errno_text + 17;
    return reason.substr(start, reason.find('\'', start) - start);
  }
  return reason.empty() ? "unknown HDF5 error" : reason;
}

// An HDF5 identifier, closed by the function matching its kind.
class handle {
 public:
  handle() = default;
  handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  handle(handle&& other) noexcept : id_(std::exchange(other.id_, -1)), close_(other.close_) {}
  handle& operator=(handle&& other) noexcept {
    std::swap(id_, other.id_);
    std::swap(close_, other.close_);
    return *this;
  }
  ~handle() { reset(); }
  hid_t get() const { return id_; }
  // Closing the file is where HDF5 writes what it cached, so its failure is reported.
  herr_t reset() { return id_ >= 0 ? close_(std::exchange(id_, -1)) : 0; }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

// At most 1 MiB per chunk, HDF5's default chunk cache per dataset: the chunk a block leaves partly
// filled stays in the cache until the next block completes it, instead of being written twice.
// At most 4096 samples per chunk: HDF5 stores a started chunk whole, so a short run's file stays
// small (a few hundred kB, not megabytes of padding).
constexpr hsize_t chunk_bytes = hsize_t{1} << 20;
constexpr hsize_t chunk_samples = 4096;
constexpr hsize_t chunk_spikes = 8192;

// One growing dataset: its time axis (0, or 1 behind a batch axis) is extended by each block.
struct series {
  handle dataset;
  hid_t memory_type = -1;
  std::vector<hsize_t> dims;  // current extent
  std::size_t time_axis = 0;
};

class hdf5_result_file final : public result_file {
 public:
  hdf5_result_file(const std::string& path, const recording& layout, const std::string& metadata) : path_(path) {
    // HDF5 closes what is still open when the process exits; a file whose close failed (a full disk)
    // made that crash. Ours are closed by their owners, so the exit handler is not needed.
    static const bool no_exit_handler = (H5dont_atexit(), true);
    (void)no_exit_handler;
    const quiet_hdf5_errors quiet;
    try {
      create_datasets(layout, metadata);
    } catch (...) {
      discard();  // the file is removed by open_hdf5: free its blocks so that HDF5 can close it
      throw;
    }
  }

  ~hdf5_result_file() override {
    // Without close() the metadata is the one given at open; closing the handles makes what was
    // written readable.
    const quiet_hdf5_errors quiet;
    close_handles();
  }

  void write(const recording& block) override {
    if (file_.get() < 0) throw internal_error("hdf5_result_file::write after close");
    const quiet_hdf5_errors quiet;
    if (block.first_sample != samples_ || block.first_spike != spikes_) {
      throw internal_error(fmt::format("hdf5_result_file: a block starts at sample {} / spike {}, the file is at {} / {}",
                                       block.first_sample, block.first_spike, samples_, spikes_));
    }
    write_block(block);
  }

 private:
  void create_datasets(const recording& layout, const std::string& metadata) {
    file_ = handle(check(H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "creating the file"),
                   H5Fclose);
    copies_ = layout.copies;
    width_ = layout.indices.size();
    batch_axis_ = layout.batch_axis;
    ts_ = create("ts", H5T_NATIVE_DOUBLE, {}, chunk_samples);
    for (const auto& name : layout.variables) {
      const hsize_t row = static_cast<hsize_t>(copies_ * width_) * sizeof(double);
      const hsize_t rows = std::clamp<hsize_t>(chunk_bytes / row, 1, chunk_samples);
      variables_.push_back(batch_axis_ ? create(name, H5T_NATIVE_DOUBLE, {copies_, width_}, rows)
                                       : create(name, H5T_NATIVE_DOUBLE, {width_}, rows));
    }
    spike_times_ = create("spike_times", H5T_NATIVE_DOUBLE, {}, chunk_spikes);
    spike_indices_ = create("spike_indices", H5T_NATIVE_INT64, {}, chunk_spikes);
    if (batch_axis_) spike_batch_ = create("spike_batch", H5T_NATIVE_INT64, {}, chunk_spikes);
    create_metadata(metadata);
    flush();
  }

  // A file that failed while being created is thrown away: cut to 0 bytes first, so that the
  // metadata HDF5 still caches can be written when it closes, and every handle is released (with
  // the disk full, closing failed and left the file open inside HDF5: memory and a descriptor).
  void discard() {
    if (file_.get() >= 0) {
      void* vfd = nullptr;
      if (H5Fget_vfd_handle(file_.get(), H5P_DEFAULT, &vfd) >= 0 && vfd != nullptr) {
        if (::ftruncate(*static_cast<int*>(vfd), 0) != 0) {
          // Nothing more to free: closing reports what it can.
        }
      }
    }
    close_handles();
  }

  void write_block(const recording& block) {
    const std::size_t samples = block.ts.size();
    if (samples > 0) {
      append(ts_, block.ts.data(), samples);
      for (std::size_t v = 0; v < variables_.size(); ++v) {
        const std::vector<double>& values = block.values.at(block.variables[v]);
        if (batch_axis_) {
          // Recorded sample-major [s][b][k]; the file's axes are (B, T, n).
          scratch_.resize(values.size());
          to_batch_major(values.data(), samples, copies_, width_, scratch_.data());
          append(variables_[v], scratch_.data(), samples);
        } else {
          append(variables_[v], values.data(), samples);
        }
      }
      samples_ += samples;
    }
    const std::size_t spikes = block.spike_times.size();
    if (spikes > 0) {
      append(spike_times_, block.spike_times.data(), spikes);
      append(spike_indices_, block.spike_indices.data(), spikes);
      if (batch_axis_) append(spike_batch_, block.spike_batch.data(), spikes);
      spikes_ += spikes;
    }
    flush();
  }

 public:
  void close(const std::string& metadata) override {
    if (file_.get() < 0) throw internal_error("hdf5_result_file::close called twice");
    const quiet_hdf5_errors quiet;
    write_metadata(metadata);
    if (close_handles() < 0) fail("closing the file");
  }

 private:
  // The datasets first, the file last (closing it writes what HDF5 still caches): its status.
  herr_t close_handles() {
    metadata_.reset();
    spike_batch_.dataset.reset();
    spike_indices_.dataset.reset();
    spike_times_.dataset.reset();
    variables_.clear();
    ts_.dataset.reset();
    return file_.reset();
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw error(fmt::format("cannot write output '{}': {} failed: {}", path_, what, hdf5_reason()));
  }
  hid_t check(hid_t id, const std::string& what) const {
    if (id < 0) fail(what);
    return id;
  }

  // A dataset of shape (0, inner...), or (B, 0, n) behind a batch axis, growing along time.
  series create(const std::string& name, hid_t type, std::vector<std::size_t> inner, hsize_t chunk_rows) {
    series s;
    s.memory_type = type;
    s.time_axis = batch_axis_ && inner.size() == 2 ? 1 : 0;
    std::vector<hsize_t> dims, max_dims, chunk;
    if (s.time_axis == 1) {
      dims = {inner[0], 0, inner[1]};
      max_dims = {inner[0], H5S_UNLIMITED, inner[1]};
      chunk = {inner[0], chunk_rows, inner[1]};
    } else {
      dims.push_back(0);
      max_dims.push_back(H5S_UNLIMITED);
      chunk.push_back(chunk_rows);
      for (std::size_t d : inner) {
        dims.push_back(d);
        max_dims.push_back(d);
        chunk.push_back(d);
      }
    }
    const auto rank = static_cast<int>(dims.size());
    handle space(check(H5Screate_simple(rank, dims.data(), max_dims.data()), "creating " + name), H5Sclose);
    handle properties(check(H5Pcreate(H5P_DATASET_CREATE), "creating " + name), H5Pclose);
    check(H5Pset_chunk(properties.get(), rank, chunk.data()), "chunking " + name);
    s.dataset = handle(check(H5Dcreate2(file_.get(), name.c_str(), type, space.get(), H5P_DEFAULT, properties.get(),
                                        H5P_DEFAULT),
                             "creating dataset " + name),
                       H5Dclose);
    s.dims = std::move(dims);
    return s;
  }

  // Extends the time axis by `rows` and writes them (C order, the dataset's other axes whole).
  void append(series& s, const void* data, std::size_t rows) {
    std::vector<hsize_t> start(s.dims.size(), 0), count = s.dims;
    start[s.time_axis] = s.dims[s.time_axis];
    count[s.time_axis] = rows;
    s.dims[s.time_axis] += rows;
    check(H5Dset_extent(s.dataset.get(), s.dims.data()), "extending a dataset");
    handle file_space(check(H5Dget_space(s.dataset.get()), "selecting rows"), H5Sclose);
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
          "selecting rows");
    handle memory_space(check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "selecting rows"),
                        H5Sclose);
    check(H5Dwrite(s.dataset.get(), s.memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, data),
          "writing rows");
  }

  // The metadata: a scalar variable-length UTF-8 string dataset (h5py: f["metadata"].asstr()[()]).
  void create_metadata(const std::string& text) {
    string_type_ = handle(check(H5Tcopy(H5T_C_S1), "creating metadata"), H5Tclose);
    check(H5Tset_size(string_type_.get(), H5T_VARIABLE), "creating metadata");
    check(H5Tset_cset(string_type_.get(), H5T_CSET_UTF8), "creating metadata");
    handle space(check(H5Screate(H5S_SCALAR), "creating metadata"), H5Sclose);
    metadata_ = handle(check(H5Dcreate2(file_.get(), "metadata", string_type_.get(), space.get(), H5P_DEFAULT,
                                        H5P_DEFAULT, H5P_DEFAULT),
                             "creating metadata"),
                       H5Dclose);
    write_metadata(text);
  }

  void write_metadata(const std::string& text) {
    const char* data = text.c_str();
    check(H5Dwrite(metadata_.get(), string_type_.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &data), "writing metadata");
  }

  // Pushes HDF5's caches to the file after every block, so that a process killed between blocks
  // leaves a file holding the blocks before.
  void flush() { check(H5Fflush(file_.get(), H5F_SCOPE_LOCAL), "flushing the file"); }

  std::string path_;
  handle file_;
  handle string_type_;
  handle metadata_;
  series ts_, spike_times_, spike_indices_, spike_batch_;
  std::vector<series> variables_;
  std::size_t copies_ = 1, width_ = 0;
  bool batch_axis_ = false;
  std::size_t samples_ = 0, spikes_ = 0;
  std::vector<double> scratch_;  // one block in (B, S, n) order
};

}  // namespace

std::unique_ptr<result_file> open_hdf5(const std::string& path, const recording& layout, const std::string& metadata) {
  try {
    return std::make_unique<hdf5_result_file>(path, layout, metadata);
  } catch (...) {
    std::error_code ignored;  // a file without its datasets or metadata would look like a result
    std::filesystem::remove(path, ignored);
    throw;
  }
}

}  // namespace ionode::io::detail
