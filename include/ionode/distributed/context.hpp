// Where a run's processes meet: the ranks of a distributed run (MPI), or one process alone. The
// network uses only these collectives, so it runs the same over MPI (mpi.hpp, built with IONODE_MPI),
// alone (local()), or under any other transport that implements them.
//
// The partition (part_of): every population is split over the ranks in contiguous ranges of its
// neuron indices, rank 0 first, each a multiple of 16 neurons long except the last; a population of
// fewer than 16 P neurons spreads over fewer ranks (ranks 0, 1, ... keep the parts; the others hold
// none of it; rank 0 always holds one). So every rank does 1/P of every population's work, whatever
// each model costs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace ionode::distributed {

class context {
 public:
  virtual ~context() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual std::string describe() const = 0;  // "1 process", "4 MPI ranks"
  // Every rank's bytes, concatenated in rank order; counts[r] = the bytes of rank r. Collective.
  virtual std::vector<std::byte> all_gather(std::span<const std::byte> mine, std::vector<std::size_t>& counts) = 0;
  // Rank `root` gets every rank's bytes in rank order (counts as all_gather); the others get nothing.
  virtual std::vector<std::byte> gather(std::span<const std::byte> mine, std::vector<std::size_t>& counts, int root) = 0;
  // Rank `root`'s text on every rank.
  virtual std::string broadcast(const std::string& text, int root) = 0;
  virtual std::int64_t min(std::int64_t value) = 0;
  virtual std::int64_t max(std::int64_t value) = 0;
  virtual void barrier() = 0;
  // True for a dry run: one process plays rank 0 of size() ranks, and the others' data are made from
  // its own (the network shifts its spikes into each other part), so that the exchange's volume and a
  // rank's memory at any P can be measured on one machine.
  virtual bool emulated() const { return false; }
};

// One process: every collective returns this rank's own data.
std::shared_ptr<context> local();

// A dry run of `ranks` ranks (Arbor's dry_run): rank 0 of them, alone; all_gather and gather hand back
// this rank's bytes once per rank; min, max and broadcast are this rank's. docs/scaling.md.
std::shared_ptr<context> dry_run(int ranks);

// The range [first, first + count) of a population of `neurons` that rank `rank` of `ranks` holds.
struct part {
  std::size_t first = 0, count = 0;
};
part part_of(std::size_t neurons, int rank, int ranks);

// The errors of a collective phase, agreed: if any rank failed (local is set), every rank throws the
// error of the lowest failing rank (that rank its own exception; the others one of the same kind with
// its message), so no rank goes on to a collective that the failed one will never reach. Collective.
void agree(context& ctx, std::exception_ptr local);
// Runs `phase` here, then agrees (above) on whatever it threw on any rank. Collective.
void agreed(context& ctx, const std::function<void()>& phase);

// Typed views of the byte collectives, for trivially copyable values.
template <class T>
std::vector<T> all_gather(context& ctx, std::span<const T> mine, std::vector<std::size_t>& counts) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::vector<std::byte> bytes = ctx.all_gather(std::as_bytes(mine), counts);
  for (auto& c : counts) c /= sizeof(T);
  std::vector<T> out(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}
template <class T>
std::vector<T> gather(context& ctx, std::span<const T> mine, std::vector<std::size_t>& counts, int root) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::vector<std::byte> bytes = ctx.gather(std::as_bytes(mine), counts, root);
  for (auto& c : counts) c /= sizeof(T);
  std::vector<T> out(bytes.size() / sizeof(T));
  if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace ionode::distributed
