// The .csv result layout, for small outputs read by people and spreadsheets: one row per sample
// (`t,V[0],V[1],...`), spikes in <stem>.spikes.csv, metadata in <stem>.metadata.json. Rows are
// appended as blocks come, so memory stays bounded; text is about 2.5 times the size of .npz.
#include <fmt/format.h>
#include <fmt/os.h>

#include <optional>
#include <system_error>

#include "ionode/error.hpp"
#include "result_formats.hpp"

namespace ionode::io::detail {

namespace {

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
      samples_.emplace(fmt::output_file(path_));
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
      spikes_.emplace(fmt::output_file(spikes_path_));
      spikes_->print("{}\n", batch_axis_ ? "time,neuron,batch" : "time,neuron");
    });
  }

  ~csv_result_file() override {
    if (samples_ || spikes_) {
      try {
        close(open_metadata_);
      } catch (...) {
        // A destructor must not throw; close() explicitly to see errors.
      }
    }
  }

  void write(const recording& block) override {
    if (!samples_) throw internal_error("csv_result_file::write after close");
    guarded("writing", [&] {
      const std::size_t row = copies_ * width_;
      for (std::size_t t = 0; t < block.ts.size(); ++t) {
        samples_->print("{}", block.ts[t]);  // the shortest text that reads back as the same double
        for (const auto& name : variables_) {
          const auto& values = block.values.at(name);
          for (std::size_t c = 0; c < row; ++c) samples_->print(",{}", values[t * row + c]);
        }
        samples_->print("\n");
      }
      for (std::size_t s = 0; s < block.spike_times.size(); ++s) {
        if (batch_axis_) {
          spikes_->print("{},{},{}\n", block.spike_times[s], block.spike_indices[s], block.spike_batch[s]);
        } else {
          spikes_->print("{},{}\n", block.spike_times[s], block.spike_indices[s]);
        }
      }
    });
  }

  void close(const std::string& metadata) override {
    if (!samples_) throw internal_error("csv_result_file::close called twice");
    guarded("writing", [&] {
      samples_->close();
      spikes_->close();
      samples_.reset();
      spikes_.reset();
      write_metadata(metadata);
    });
  }

 private:
  // fmt reports file errors as std::system_error; they become ionode::error naming the output.
  template <class F>
  void guarded(const char* what, F&& f) {
    try {
      f();
    } catch (const std::system_error& e) {
      samples_.reset();
      spikes_.reset();
      throw error(fmt::format("cannot write output '{}': {} it failed: {}", path_, what, e.what()));
    }
  }
  void write_metadata(const std::string& metadata) {
    auto out = fmt::output_file(metadata_path_);
    out.print("{}\n", metadata);
    out.close();
  }

  std::string path_, spikes_path_, metadata_path_;
  std::vector<std::string> variables_;
  std::size_t copies_, width_;
  bool batch_axis_;
  std::string open_metadata_;
  std::optional<fmt::ostream> samples_, spikes_;
};

}  // namespace

std::unique_ptr<result_file> open_csv(const std::string& path, const recording& layout, const std::string& metadata) {
  return std::make_unique<csv_result_file>(path, layout, metadata);
}

}  // namespace ionode::io::detail
