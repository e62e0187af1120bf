// The .npz result layout written in bounded memory: each array grows in its own .npy spool file
// (beside the output) as blocks come, and the archive is made from those files at close.
#include <fmt/format.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include "ionode/error.hpp"
#include "ionode/io/npy.hpp"
#include "ionode/io/npz_writer.hpp"
#include "result_formats.hpp"

namespace ionode::io::detail {

namespace {

// Room for the .npy header of any shape of up to three 20-digit extents, so that the header can be
// written in place once the final shape is known (a multiple of 64, as NumPy aligns it).
constexpr std::size_t spool_header_bytes = 192;

[[noreturn]] void fail(const std::string& output, const std::string& what, int code) {
  throw error(fmt::format("cannot write output '{}': {}: {}", output, what, std::strerror(code)));
}

// One array being appended to a .npy file whose header is filled in by finish().
class npy_spool {
 public:
  npy_spool(std::string output, std::string path, std::string descr)
      : output_(std::move(output)), path_(std::move(path)), descr_(std::move(descr)) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) fail(output_, "creating " + path_, errno);
    const std::string blank(spool_header_bytes, ' ');
    append(blank.data(), blank.size());
  }
  ~npy_spool() {
    if (file_ != nullptr) std::fclose(file_);
  }
  npy_spool(const npy_spool&) = delete;
  npy_spool& operator=(const npy_spool&) = delete;

  void append(const void* data, std::size_t bytes) {
    if (bytes > 0 && std::fwrite(data, 1, bytes, file_) != bytes) fail(output_, "writing " + path_, errno);
  }
  void finish(const std::vector<std::size_t>& shape) {
    const std::string header = npy_header(descr_, shape, spool_header_bytes);
    if (std::fseek(file_, 0, SEEK_SET) != 0) fail(output_, "writing " + path_, errno);
    append(header.data(), header.size());
    std::FILE* file = std::exchange(file_, nullptr);
    if (std::fclose(file) != 0) fail(output_, "writing " + path_, errno);
  }
  const std::string& path() const { return path_; }

 private:
  std::string output_, path_, descr_;
  std::FILE* file_ = nullptr;
};

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
  const std::size_t band = std::max<std::size_t>(1, (std::size_t{16} << 20) / (row * sizeof(double)));
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

class npz_result_file final : public result_file {
 public:
  npz_result_file(const std::string& path, const recording& layout, const std::string& metadata)
      : path_(path), variables_(layout.variables), copies_(layout.copies), width_(layout.indices.size()),
        batch_axis_(layout.batch_axis), open_metadata_(metadata) {
    // Beside the output: the same file system, so its free space is the one check_output_space saw.
    const std::filesystem::path target(path);
    // (Appended piece by piece: GCC 12 reports "." + string as a false -Wrestrict, its bug 105329.)
    std::string name(".");
    name.append(target.filename().string()).append(".ionode-XXXXXX");
    std::string pattern = (target.parent_path() / name).string();
    if (mkdtemp(pattern.data()) == nullptr) fail(path_, "creating a spool folder beside it", errno);
    spool_dir_ = pattern;
    try {
      ts_ = spool("ts", "<f8");
      for (std::size_t v = 0; v < variables_.size(); ++v) values_.push_back(spool(fmt::format("v{}", v), "<f8"));
      spike_times_ = spool("spike_times", "<f8");
      spike_indices_ = spool("spike_indices", "<i8");
      if (batch_axis_) spike_batch_ = spool("spike_batch", "<i8");
    } catch (...) {
      remove_spool();
      throw;
    }
  }

  ~npz_result_file() override {
    if (!closed_) {
      try {
        close(open_metadata_);  // what was recorded, marked with the metadata given at open
      } catch (...) {
        // A destructor must not throw; close() explicitly to see errors.
      }
    }
    remove_spool();
  }

  void write(const recording& block) override {
    if (closed_) throw internal_error("npz_result_file::write after close");
    if (block.first_sample != samples_ || block.first_spike != spikes_) {
      throw internal_error(fmt::format("npz_result_file: a block starts at sample {} / spike {}, the file is at {} / {}",
                                       block.first_sample, block.first_spike, samples_, spikes_));
    }
    ts_->append(block.ts.data(), block.ts.size() * sizeof(double));
    for (std::size_t v = 0; v < variables_.size(); ++v) {
      const auto& values = block.values.at(variables_[v]);
      values_[v]->append(values.data(), values.size() * sizeof(double));
    }
    spike_times_->append(block.spike_times.data(), block.spike_times.size() * sizeof(double));
    spike_indices_->append(block.spike_indices.data(), block.spike_indices.size() * sizeof(std::int64_t));
    if (batch_axis_) spike_batch_->append(block.spike_batch.data(), block.spike_batch.size() * sizeof(std::int64_t));
    samples_ += block.ts.size();
    spikes_ += block.spike_times.size();
  }

  void close(const std::string& metadata) override {
    if (closed_) throw internal_error("npz_result_file::close called twice");
    closed_ = true;  // even if writing fails: a second try would find the spools closed
    ts_->finish({samples_});
    std::vector<std::string> members;
    for (std::size_t v = 0; v < variables_.size(); ++v) {
      if (batch_axis_) {
        values_[v]->finish({samples_, copies_, width_});
        const std::string batch_major = values_[v]->path() + ".batch.npy";
        write_batch_major(path_, values_[v]->path(), batch_major, samples_, copies_, width_);
        std::filesystem::remove(values_[v]->path());  // the disk holds one copy of each array, not two
        members.push_back(batch_major);
      } else {
        values_[v]->finish({samples_, width_});
        members.push_back(values_[v]->path());
      }
    }
    spike_times_->finish({spikes_});
    spike_indices_->finish({spikes_});
    if (batch_axis_) spike_batch_->finish({spikes_});

    npz_writer npz(path_);
    npz.add_npy_file("ts", ts_->path());
    for (std::size_t v = 0; v < variables_.size(); ++v) npz.add_npy_file(variables_[v], members[v]);
    npz.add_npy_file("spike_times", spike_times_->path());
    npz.add_npy_file("spike_indices", spike_indices_->path());
    if (batch_axis_) npz.add_npy_file("spike_batch", spike_batch_->path());
    npz.add_string("metadata", metadata);
    npz.close();
    remove_spool();
  }

 private:
  std::unique_ptr<npy_spool> spool(const std::string& name, const char* descr) {
    return std::make_unique<npy_spool>(path_, (std::filesystem::path(spool_dir_) / (name + ".npy")).string(), descr);
  }
  void remove_spool() {
    ts_.reset();  // close the files before removing them
    values_.clear();
    spike_times_.reset();
    spike_indices_.reset();
    spike_batch_.reset();
    if (spool_dir_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(spool_dir_, ignored);
    spool_dir_.clear();
  }

  std::string path_;
  std::vector<std::string> variables_;
  std::size_t copies_, width_;
  bool batch_axis_;
  std::string open_metadata_;
  std::string spool_dir_;
  std::unique_ptr<npy_spool> ts_, spike_times_, spike_indices_, spike_batch_;
  std::vector<std::unique_ptr<npy_spool>> values_;
  std::size_t samples_ = 0, spikes_ = 0;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<result_file> open_npz(const std::string& path, const recording& layout, const std::string& metadata) {
  return std::make_unique<npz_result_file>(path, layout, metadata);
}

}  // namespace ionode::io::detail
