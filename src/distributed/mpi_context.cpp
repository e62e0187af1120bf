// The MPI context (mpi.hpp): MPI_COMM_WORLD's collectives for the network's exchanges.
#include <mpi.h>

#include <fmt/format.h>

#include <cstdlib>
#include <limits>
#include <numeric>

#include "ionode/distributed/mpi.hpp"
#include "ionode/error.hpp"

namespace ionode::distributed {

namespace {

void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw error(fmt::format("MPI: {} failed: {}", what, std::string(text, static_cast<std::size_t>(length))));
}

int as_count(std::size_t bytes) {
  if (bytes > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw error(fmt::format("MPI: one exchange of {} bytes is more than MPI's counts allow (2^31 - 1)", bytes));
  }
  return static_cast<int>(bytes);
}

class mpi_context final : public context {
 public:
  mpi_context() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      int provided = 0;
      check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
      std::atexit([] {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (!finalized) MPI_Finalize();
      });
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string describe() const override { return fmt::format("{} MPI rank{}", size_, size_ == 1 ? "" : "s"); }

  std::vector<std::byte> all_gather(std::span<const std::byte> mine, std::vector<std::size_t>& counts) override {
    const int n = as_count(mine.size());
    std::vector<int> sizes(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    std::size_t total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      offsets[r] = as_count(total);
      total += static_cast<std::size_t>(sizes[r]);
    }
    as_count(total);
    std::vector<std::byte> out(total);
    check(MPI_Allgatherv(mine.data(), n, MPI_BYTE, out.data(), sizes.data(), offsets.data(), MPI_BYTE, MPI_COMM_WORLD),
          "MPI_Allgatherv");
    counts.assign(sizes.begin(), sizes.end());
    return out;
  }

  std::vector<std::byte> gather(std::span<const std::byte> mine, std::vector<std::size_t>& counts, int root) override {
    const int n = as_count(mine.size());
    std::vector<int> sizes(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
    check(MPI_Gather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, root, MPI_COMM_WORLD), "MPI_Gather");
    std::vector<std::byte> out;
    if (rank_ == root) {
      std::size_t total = 0;
      for (std::size_t r = 0; r < sizes.size(); ++r) {
        offsets[r] = as_count(total);
        total += static_cast<std::size_t>(sizes[r]);
      }
      as_count(total);
      out.resize(total);
      counts.assign(sizes.begin(), sizes.end());
    } else {
      counts.clear();
    }
    check(MPI_Gatherv(mine.data(), n, MPI_BYTE, out.data(), sizes.data(), offsets.data(), MPI_BYTE, root,
                      MPI_COMM_WORLD),
          "MPI_Gatherv");
    return out;
  }

  std::string broadcast(const std::string& text, int root) override {
    long long n = rank_ == root ? static_cast<long long>(text.size()) : 0;
    check(MPI_Bcast(&n, 1, MPI_LONG_LONG, root, MPI_COMM_WORLD), "MPI_Bcast");
    std::string out = rank_ == root ? text : std::string(static_cast<std::size_t>(n), '\0');
    check(MPI_Bcast(out.data(), as_count(out.size()), MPI_CHAR, root, MPI_COMM_WORLD), "MPI_Bcast");
    return out;
  }

  std::int64_t min(std::int64_t value) override { return reduce(value, MPI_MIN); }
  std::int64_t max(std::int64_t value) override { return reduce(value, MPI_MAX); }
  void barrier() override { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

 private:
  std::int64_t reduce(std::int64_t value, MPI_Op op) {
    long long in = value, out = 0;
    check(MPI_Allreduce(&in, &out, 1, MPI_LONG_LONG, op, MPI_COMM_WORLD), "MPI_Allreduce");
    return out;
  }
  int rank_ = 0, size_ = 1;
};

}  // namespace

bool have_mpi() { return true; }

std::shared_ptr<context> mpi_world() {
  static std::shared_ptr<context> world = std::make_shared<mpi_context>();
  return world;
}

}  // namespace ionode::distributed
