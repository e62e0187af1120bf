// A rank's records of a batch run over MPI ranks (batch_ranks.cpp), kept in a hidden HDF5 file beside
// the output until rank 0 merges every rank's into the output: the samples as rows of the part's
// copies x neurons, and the spikes with their steps (which the result files do not keep).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ionode/recording.hpp"
#include "ionode/recording_sink.hpp"

namespace ionode::cli {

// Appends blocks as a runner hands them over.
class part_writer final : public recording_sink {
 public:
  // width: the values of one sample of one variable (copies x recorded neurons).
  part_writer(std::string path, std::vector<std::string> variables, std::size_t width);
  ~part_writer() override;
  part_writer(const part_writer&) = delete;
  part_writer& operator=(const part_writer&) = delete;
  void write(const recording& block) override;
  void close();  // flushes and closes; the destructor does it too (quietly)

 private:
  struct handles;
  std::string path_;
  std::vector<std::string> variables_;
  std::size_t width_;
  handles* h_;
};

// Reads a part file in pieces.
class part_reader {
 public:
  explicit part_reader(const std::string& path);
  ~part_reader();
  part_reader(const part_reader&) = delete;
  part_reader& operator=(const part_reader&) = delete;
  std::size_t samples() const { return samples_; }
  std::size_t spikes() const { return spikes_; }
  // Rows [first, first + count) of ts or of a variable (count x width values).
  std::vector<double> rows(const std::string& name, std::size_t first, std::size_t count, std::size_t width) const;
  // Spikes [first, first + count): times, neurons, copies (of the part), steps.
  void spikes(std::size_t first, std::size_t count, recording& out) const;

 private:
  std::string path_;
  std::int64_t file_ = -1;
  std::size_t samples_ = 0, spikes_ = 0;
};

}  // namespace ionode::cli
