// The .csv result layout, for small outputs read by people and spreadsheets: one row per sample
// (`t,V[0],V[1],...`), spikes in <stem>.spikes.csv, metadata in <stem>.metadata.json. Rows are
// appended as blocks come, so memory stays bounded; text is about 2.5 times the size of .npz.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "ionode/error.hpp"
#include "result_formats.hpp"

namespace ionode::io::detail {

namespace {

// A text file written through a buffer that is handed to the file only at whole rows (end_row), so
// that a write that fails (a full disk) can be undone back to the last whole row: what was written
// before stays a valid CSV. Errors come out of end_row and close as std::system_error; the
// destructor never throws (fmt's ostream flushed in its destructor, and a full disk there ended
// the process).
class text_file {
 public:
  explicit text_file(const std::string& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), path);
  }
  ~text_file() {
    if (fd_ >= 0) ::close(fd_);
  }
  text_file(const text_file&) = delete;
  text_file& operator=(const text_file&) = delete;

  template <class... T>
  void print(fmt::format_string<T...> format, T&&... args) {
    fmt::format_to(std::back_inserter(buffer_), format, std::forward<T>(args)...);
  }
  // The rows printed so far are complete: write them once enough are buffered.
  void end_row() {
    if (buffer_.size() >= (std::size_t{1} << 16)) flush();
  }
  void close() {
    flush();
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) throw std::system_error(errno, std::generic_category());
  }
  // Writes the buffered rows; on failure cuts the file back to the rows written before.
  void flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int code = n < 0 ? errno : ENOSPC;
        // Cut the partial rows off again (best effort: the rows before stay whole).
        if (::ftruncate(fd_, static_cast<off_t>(written_)) == 0) ::lseek(fd_, static_cast<off_t>(written_), SEEK_SET);
        buffer_.clear();
        throw std::system_error(code, std::generic_category());
      }
      done += static_cast<std::size_t>(n);
    }
    written_ += buffer_.size();
    buffer_.clear();
  }

 private:
  int fd_;
  std::size_t written_ = 0;  // bytes of whole rows in the file
  fmt::memory_buffer buffer_;
};

class csv_result_file final : public result_file {
 public:
  csv_result_file(const std::string& path, const recording& layout, const std::string& metadata)
      : path_(path), variables_(layout.variables), copies_(layout.copies), width_(layout.indices.size()),
        batch_axis_(layout.batch_axis), open_metadata_(metadata) {
    const auto sides = side_files(path, result_format::csv);
    spikes_path_ = sides[0];
    metadata_path_ = sides[1];
    guarded("creating", [&] {
      write_metadata(metadata);  // first: the other files are marked by it while the run goes on
      samples_.emplace(path_);
      samples_->print("t");
      for (const auto& name : variables_) {
        for (std::size_t b = 0; b < copies_; ++b) {
          for (std::size_t index : layout.indices) {
            if (batch_axis_) {
              samples_->print(",{}[b={};i={}]", name, b, index);  // no comma inside a column name
            } else {
              samples_->print(",{}[{}]", name, index);
            }
          }
        }
      }
      samples_->print("\n");
      samples_->flush();  // the header rows at once: a run that fails before its first block keeps them
      spikes_.emplace(spikes_path_);
      spikes_->print("{}\n", batch_axis_ ? "time,neuron,batch" : "time,neuron");
      spikes_->flush();
    });
  }

  ~csv_result_file() override {
    if (!closed_) {
      try {
        close(open_metadata_);
      } catch (...) {
        // A destructor must not throw; close() explicitly to see errors.
      }
    }
  }

  void write(const recording& block) override {
    if (closed_) throw internal_error("csv_result_file::write after close");
    if (!samples_) throw error(fmt::format("cannot write output '{}': an earlier write failed", path_));
    guarded("writing", [&] {
      const std::size_t row = copies_ * width_;
      for (std::size_t t = 0; t < block.ts.size(); ++t) {
        samples_->print("{}", block.ts[t]);  // the shortest text that reads back as the same double
        for (const auto& name : variables_) {
          const auto& values = block.values.at(name);
          for (std::size_t c = 0; c < row; ++c) samples_->print(",{}", values[t * row + c]);
        }
        samples_->print("\n");
        samples_->end_row();
      }
      for (std::size_t s = 0; s < block.spike_times.size(); ++s) {
        if (batch_axis_) {
          spikes_->print("{},{},{}\n", block.spike_times[s], block.spike_indices[s], block.spike_batch[s]);
        } else {
          spikes_->print("{},{}\n", block.spike_times[s], block.spike_indices[s]);
        }
        spikes_->end_row();
      }
    });
  }

  // After a failed write the files hold the whole rows written before it; close() then only tries
  // to replace the metadata (saying why the run stopped).
  void close(const std::string& metadata) override {
    if (closed_) throw internal_error("csv_result_file::close called twice");
    closed_ = true;
    if (!samples_) {
      try {
        write_metadata(metadata);
      } catch (const std::system_error& e) {
        throw error(fmt::format("its metadata '{}' could not be updated either ({}); it still says the run did not "
                                "finish",
                                metadata_path_, e.code().message()));
      }
      return;
    }
    guarded("writing", [&] {
      samples_->close();
      spikes_->close();
      samples_.reset();
      spikes_.reset();
      write_metadata(metadata);
    });
  }

 private:
  // File errors come as std::system_error; they become ionode::error naming the output. The files
  // are closed (without throwing) and kept: they hold the rows written before.
  template <class F>
  void guarded(const char* what, F&& f) {
    try {
      f();
    } catch (const std::system_error& e) {
      samples_.reset();
      spikes_.reset();
      throw error(fmt::format("cannot write output '{}': {} it failed: {}{}", path_, what, e.code().message(),
                              std::string_view(what) == "writing" ? "; the rows written before are kept" : ""));
    }
  }
  // Written beside and renamed over the old one, so that a full disk leaves the old metadata whole.
  void write_metadata(const std::string& metadata) {
    const std::string temporary = metadata_path_ + ".tmp";
    try {
      text_file out(temporary);
      out.print("{}\n", metadata);
      out.close();
    } catch (...) {
      std::remove(temporary.c_str());
      throw;
    }
    if (std::rename(temporary.c_str(), metadata_path_.c_str()) != 0) {
      const int code = errno;
      std::remove(temporary.c_str());
      throw std::system_error(code, std::generic_category(), metadata_path_);
    }
  }

  std::string path_, spikes_path_, metadata_path_;
  std::vector<std::string> variables_;
  std::size_t copies_, width_;
  bool batch_axis_;
  std::string open_metadata_;
  std::optional<text_file> samples_, spikes_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<result_file> open_csv(const std::string& path, const recording& layout, const std::string& metadata) {
  return std::make_unique<csv_result_file>(path, layout, metadata);
}

}  // namespace ionode::io::detail
