// The one-process context, the partition and the agreement on errors (context.hpp).
#include "ionode/distributed/context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "ionode/distributed/mpi.hpp"
#include "ionode/error.hpp"

namespace ionode::distributed {

namespace {

class local_context : public context {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string describe() const override { return "1 process"; }
  std::vector<std::byte> all_gather(std::span<const std::byte> mine, std::vector<std::size_t>& counts) override {
    counts.assign(1, mine.size());
    return {mine.begin(), mine.end()};
  }
  std::vector<std::byte> gather(std::span<const std::byte> mine, std::vector<std::size_t>& counts, int) override {
    return all_gather(mine, counts);
  }
  std::string broadcast(const std::string& text, int) override { return text; }
  std::int64_t min(std::int64_t value) override { return value; }
  std::int64_t max(std::int64_t value) override { return value; }
  void barrier() override {}
};

// Alone, as local_context, but size() ranks of which it plays rank 0: every gather hands its bytes back
// once per rank.
class dry_run_context final : public local_context {
 public:
  explicit dry_run_context(int ranks) : ranks_(ranks) {}
  int size() const override { return ranks_; }
  std::string describe() const override { return fmt::format("a dry run of {} ranks (rank 0 computed)", ranks_); }
  std::vector<std::byte> all_gather(std::span<const std::byte> mine, std::vector<std::size_t>& counts) override {
    counts.assign(static_cast<std::size_t>(ranks_), mine.size());
    std::vector<std::byte> out;
    out.reserve(mine.size() * static_cast<std::size_t>(ranks_));
    for (int r = 0; r < ranks_; ++r) out.insert(out.end(), mine.begin(), mine.end());
    return out;
  }
  bool emulated() const override { return true; }

 private:
  int ranks_;
};

enum class failure_kind : int { error, divergence, interrupted, other };

}  // namespace

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

std::shared_ptr<context> local() { return std::make_shared<local_context>(); }

std::shared_ptr<context> dry_run(int ranks) {
  if (ranks < 1 || ranks > (1 << 24)) {
    throw error(fmt::format("--dry-run {} is not allowed; give a number of ranks from 1 to {}", ranks, 1 << 24));
  }
  return std::make_shared<dry_run_context>(ranks);
}

part part_of(std::size_t neurons, int rank, int ranks) {
  // Parts of whole 16-neuron chunks (the threads' chunks, and the noise's packs stay whole), as equal
  // as that allows: chunk c goes to the rank r with c in [ceil(C r / P), ceil(C (r + 1) / P)), so rank 0
  // always holds a part (it writes the files) and fewer chunks than ranks go to the first ranks.
  const std::size_t chunks = (neurons + 15) / 16;
  const auto r = static_cast<std::size_t>(rank), p = static_cast<std::size_t>(ranks);
  const std::size_t first_chunk = (chunks * r + p - 1) / p, last_chunk = (chunks * (r + 1) + p - 1) / p;
  const std::size_t first = std::min(neurons, 16 * first_chunk), last = std::min(neurons, 16 * last_chunk);
  return {first, last - first};
}

void agree(context& ctx, std::exception_ptr local) {
  const int p = ctx.size();
  const std::int64_t failed = ctx.min(local ? ctx.rank() : p);
  if (failed == p) return;
  if (failed == ctx.rank()) {
    // Tell the others what happened, then throw the original.
    std::ostringstream text;
    try {
      std::rethrow_exception(local);
    } catch (const divergence_error& e) {
      text << static_cast<int>(failure_kind::divergence) << '\n' << e.neuron() << '\n' << e.batch_index() << '\n'
           << e.variable() << '\n' << fmt::format("{:.17g}", e.time()) << '\n' << e.what();
    } catch (const interrupted& e) {
      text << static_cast<int>(failure_kind::interrupted) << '\n' << e.what();
    } catch (const error& e) {
      text << static_cast<int>(failure_kind::error) << '\n' << e.what();
    } catch (const std::exception& e) {
      text << static_cast<int>(failure_kind::other) << '\n' << e.what();
    } catch (...) {
      text << static_cast<int>(failure_kind::other) << '\n' << "an unknown error";
    }
    ctx.broadcast(text.str(), static_cast<int>(failed));
    std::rethrow_exception(local);
  }
  const std::string text = ctx.broadcast({}, static_cast<int>(failed));
  std::istringstream in(text);
  int kind = 0;
  in >> kind;
  in.get();
  if (kind == static_cast<int>(failure_kind::divergence)) {
    std::size_t neuron = 0, batch = 0;
    std::string variable, time;
    in >> neuron >> batch;
    in.get();
    std::getline(in, variable);
    std::getline(in, time);
    std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    throw divergence_error(message, neuron, batch, variable, std::stod(time));
  }
  std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (kind == static_cast<int>(failure_kind::interrupted)) throw interrupted(message);
  throw error(message);
}

void agreed(context& ctx, const std::function<void()>& phase) {
  std::exception_ptr failure;
  try {
    phase();
  } catch (...) {
    failure = std::current_exception();
  }
  agree(ctx, failure);
}

}  // namespace ionode::distributed
