// The .npz result layout written in bounded memory: each array grows in its own .npy spool file
// (beside the output) as blocks come, and the archive is made from those files at close. After each
// block the spool's files are flushed and its counts updated, so that a process killed at any moment
// leaves a spool `ionode recover` makes into the archive of every block written whole (npz_recovery.cpp).
#include <fmt/format.h>
#include <stdlib.h>  // mkdtemp

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include "ionode/error.hpp"
#include "npz_spool.hpp"
#include "result_formats.hpp"

namespace ionode::io::detail {

namespace {

class npz_result_file final : public result_file {
 public:
  npz_result_file(const std::string& path, const recording& layout, const std::string& metadata) {
    layout_.output = path;
    layout_.variables = layout.variables;
    layout_.copies = layout.copies;
    layout_.width = layout.indices.size();
    layout_.batch_axis = layout.batch_axis;
    layout_.metadata = metadata;
    // Beside the output: the same file system, so its free space is the one check_output_space saw.
    const std::filesystem::path target(path);
    // (Appended piece by piece: GCC 12 reports "." + string as a false -Wrestrict, its bug 105329.)
    std::string name(".");
    name.append(target.filename().string()).append(".ionode-XXXXXX");
    std::string pattern = (target.parent_path() / name).string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw error(fmt::format("cannot write output '{}': creating a spool folder beside it: {}", path,
                              std::strerror(errno)));
    }
    spool_dir_ = pattern;
    try {
      write_spool_layout(spool_dir_, layout_);
      for (const auto& member : spool_names(layout_)) {
        spools_.push_back(std::make_unique<npy_spool>(path, spool_member(spool_dir_, member)));
      }
    } catch (...) {
      remove_spool();
      throw;
    }
  }

  ~npz_result_file() override {
    if (!closed_) {
      try {
        close(layout_.metadata);  // what was recorded, marked with the metadata given at open
      } catch (...) {
        // A destructor must not throw; close() explicitly to see errors.
      }
    }
    remove_spool();
  }

  void write(const recording& block) override {
    if (closed_) throw internal_error("npz_result_file::write after close");
    if (block.first_sample != counts_.samples || block.first_spike != counts_.spikes) {
      throw internal_error(fmt::format("npz_result_file: a block starts at sample {} / spike {}, the file is at {} / {}",
                                       block.first_sample, block.first_spike, counts_.samples, counts_.spikes));
    }
    // In spool_names' order: ts, the variables, spike times, indices, batch copies.
    std::size_t k = 0;
    spools_[k++]->append(block.ts.data(), block.ts.size() * sizeof(double));
    for (const auto& variable : layout_.variables) {
      const auto& values = block.values.at(variable);
      spools_[k++]->append(values.data(), values.size() * sizeof(double));
    }
    spools_[k++]->append(block.spike_times.data(), block.spike_times.size() * sizeof(double));
    spools_[k++]->append(block.spike_indices.data(), block.spike_indices.size() * sizeof(std::int64_t));
    if (layout_.batch_axis) spools_[k++]->append(block.spike_batch.data(), block.spike_batch.size() * sizeof(std::int64_t));
    for (auto& spool : spools_) spool->flush();
    counts_.samples += block.ts.size();
    counts_.spikes += block.spike_times.size();
    write_spool_counts(spool_dir_, counts_);  // only now is the block whole on disk
  }

  void close(const std::string& metadata) override {
    if (closed_) throw internal_error("npz_result_file::close called twice");
    closed_ = true;  // even if writing fails: a second try would find the spools closed
    try {
      for (auto& spool : spools_) spool->close();
      assemble_npz(layout_.output, spool_dir_, layout_, counts_, metadata);
    } catch (const std::exception& e) {
      // Nothing recorded is lost: the spool stays for `ionode recover` once the cause is fixed.
      spools_.clear();
      const std::string kept = std::exchange(spool_dir_, std::string());
      throw error(fmt::format("{}; the recorded data are kept in '{}': `ionode recover {}` makes the archive from "
                              "them once the cause is fixed",
                              e.what(), kept, layout_.output));
    }
    remove_spool();
  }

 private:
  void remove_spool() {
    spools_.clear();  // close the files before removing them
    if (spool_dir_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(spool_dir_, ignored);
    spool_dir_.clear();
  }

  npz_spool_layout layout_;
  std::string spool_dir_;
  std::vector<std::unique_ptr<npy_spool>> spools_;
  npz_spool_counts counts_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<result_file> open_npz(const std::string& path, const recording& layout, const std::string& metadata) {
  return std::make_unique<npz_result_file>(path, layout, metadata);
}

}  // namespace ionode::io::detail
