// One output for a network run over several ranks: each rank's runners and sources hand their records
// to a relay; at the end of an epoch in which some rank's relays hold a block's worth (and at the end),
// every rank sends its records to rank 0, which puts each population's columns and spikes in the
// one-process order and writes them to the population's file. Memory stays bounded: a rank holds its
// relays' block, rank 0 also one merged block.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ionode/distributed/context.hpp"
#include "ionode/io/result_file.hpp"
#include "ionode/network/network.hpp"
#include "ionode/recording.hpp"
#include "ionode/recording_sink.hpp"

namespace ionode::cli {

class gathered_output {
 public:
  // Per member: the variables recorded, and for each rank the positions in the whole's columns of its
  // part's columns (partition.hpp's part_columns); `width` the whole's columns.
  struct layout {
    std::vector<std::string> variables;
    std::size_t width = 0;
    std::vector<std::vector<std::size_t>> columns_of_rank;
  };

  // files: rank 0's open result files, one per member (null on the other ranks).
  gathered_output(network::network& net, distributed::context& ctx, std::vector<layout> layouts,
                  std::vector<io::result_file*> files, std::size_t block_bytes = default_block_bytes);
  gathered_output(const gathered_output&) = delete;
  gathered_output& operator=(const gathered_output&) = delete;

  bool wants_flush() const;
  // Collective: every member's records since the last flush, written by rank 0. A failed write is kept
  // (failure()) and the rest is dropped, so that every rank still takes part.
  void flush();
  // The runners and sources back to keeping their records (after the last flush).
  void detach();
  // Rank 0: the spikes written per member; the first write's error, if any.
  std::size_t spikes_written(std::size_t k) const { return spikes_[k]; }
  std::size_t samples_written(std::size_t k) const { return samples_[k]; }
  // A resumed run: the files already hold these (copied from the run before).
  void resume_at(const std::vector<std::size_t>& samples, const std::vector<std::size_t>& spikes) {
    samples_ = samples;
    spikes_ = spikes;
  }
  const std::string& failure() const { return failure_; }

 private:
  class relay final : public recording_sink {
   public:
    void write(const recording& block) override;
    recording pending;
    std::size_t doubles = 0;
  };
  void hand_over(std::size_t k);  // member k's runner or source empties its buffer into its relay
  std::vector<double> pack(std::size_t k);
  void merge_and_write(std::size_t k, const std::vector<double>& all, const std::vector<std::size_t>& counts);

  network::network& net_;
  distributed::context& ctx_;
  std::vector<layout> layouts_;
  std::vector<io::result_file*> files_;
  std::size_t block_bytes_;
  std::vector<std::unique_ptr<relay>> relays_;
  std::vector<std::size_t> samples_, spikes_;  // rank 0: written so far, per member
  std::string failure_;
};

}  // namespace ionode::cli
