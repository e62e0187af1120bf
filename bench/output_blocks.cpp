// How the runner's block size (runner::stream_to) changes the write rate of .h5 and .npz files:
// N HH neurons, V recorded at every step, for each block size and format, against the same run
// recording nothing, measured in the same process. Prints a markdown table of medians.
//
//   ionode_bench_output_blocks FOLDER [N=10000] [STEPS=5000] [REPS=3]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "ionode/io/result_file.hpp"
#include "ionode/ionode.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One run: build, stream to `path` (empty: record nothing), close. Returns the seconds of run + close.
double timed_run(std::size_t neurons, std::size_t steps, const std::string& path, std::size_t block_bytes) {
  ionode::population_options options;
  options.shape = {neurons};
  options.seed = 1;
  auto pop = ionode::population::create<ionode::models::hh>(options);
  ionode::runner run(pop, {.dt = 0.01});
  run.add_input({"input", 10.0});
  run.monitor({.variables = path.empty() ? std::vector<std::string>{} : std::vector<std::string>{"V"},
               .indices = {},
               .every = 1,
               .spikes = true});
  const auto start = std::chrono::steady_clock::now();
  if (path.empty()) {
    run.run(static_cast<double>(steps) * 0.01);
    return seconds_since(start);
  }
  auto file = ionode::io::open_result_file(path, run.result(), "{}");
  run.stream_to(file.get(), block_bytes);
  run.run(static_cast<double>(steps) * 0.01);
  run.stream_to(nullptr);
  file->close("{}");
  const double wall = seconds_since(start);
  std::filesystem::remove(path);
  return wall;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FOLDER [N=10000] [STEPS=5000] [REPS=3]\n", argv[0]);
    return 2;
  }
  const std::string folder = argv[1];
  const std::size_t neurons = argc > 2 ? std::stoul(argv[2]) : 10000;
  const std::size_t steps = argc > 3 ? std::stoul(argv[3]) : 5000;
  const int reps = argc > 4 ? std::stoi(argv[4]) : 3;
  const double bytes = 8.0 * static_cast<double>(neurons) * static_cast<double>(steps);
  std::vector<double> base;
  for (int r = 0; r < reps; ++r) base.push_back(timed_run(neurons, steps, "", 0));
  const double baseline = median(base);
  std::printf("N = %zu, %zu steps, V every step: %.0f MB per file; run recording nothing: %.3f s (median of %d)\n\n",
              neurons, steps, bytes / 1e6, baseline, reps);
  std::printf("| format | block | median wall (s) | values/s | MB/s (whole run) | MB/s (writing: wall - baseline) |\n");
  std::printf("|---|---|---|---|---|---|\n");
  for (const char* ext : {".h5", ".npz"}) {
    for (std::size_t kib : {16, 64, 256, 1024, 4096, 16384, 65536}) {
      std::vector<double> walls;
      for (int r = 0; r < reps; ++r) walls.push_back(timed_run(neurons, steps, folder + "/blocks" + ext, kib << 10));
      const double wall = median(walls);
      std::printf("| %s | %zu KiB | %.3f | %.3g | %.0f | %.0f |\n", ext + 1, kib, wall, bytes / 8.0 / wall,
                  bytes / 1e6 / wall, bytes / 1e6 / std::max(wall - baseline, 1e-9));
      std::fflush(stdout);
    }
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("\npeak RSS of this process (all runs): %.0f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
}
