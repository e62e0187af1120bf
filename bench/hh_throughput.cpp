// Throughput of the HH model through the public C++ API: N independent neurons, constant input
// I = 10 uA/cm^2, dt = 0.01 ms, one thread. Only runner::run is timed (steady_clock); building the
// population and the runner is not. Prints neuron-steps per second, microseconds per step and the
// number of spikes, in one line that bench/run_foundation.sh parses.
//
// Usage: ionode_bench_hh N STEPS [METHOD] [MONITOR] [INIT]
//   METHOD   an integration method name (default exp_auto)
//   MONITOR  0: spikes only (default); 1: also record V of 10 neurons spread over the group each step
//   INIT     default: the model's initial state (V uniform in [-70, -60] from seed 0, gates at steady
//            state); probe: the state ../shared/bench/hh_roofline.cpp starts from (V = -70 + 10 i / N,
//            m = 0.05, h = 0.6, n = 0.32), so that the two spike counts can be compared.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ionode/ionode.hpp"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: ionode_bench_hh N STEPS [METHOD=exp_auto] [MONITOR=0|1] [INIT=default|probe]\n");
}

bool parse_count(const char* text, std::int64_t& out) {
  char* end = nullptr;
  const double value = std::strtod(text, &end);  // accepts 1e5 as well as 100000
  if (end == text || *end != '\0' || !(value >= 1) || value > 1e15) return false;
  out = static_cast<std::int64_t>(value);
  return static_cast<double>(out) == value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 6) {
    usage();
    return 2;
  }
  std::int64_t n = 0, steps = 0;
  if (!parse_count(argv[1], n) || !parse_count(argv[2], steps)) {
    usage();
    return 2;
  }
  const std::string method = argc > 3 ? argv[3] : "exp_auto";
  const std::string_view monitor_arg = argc > 4 ? argv[4] : "0";
  const std::string_view init = argc > 5 ? argv[5] : "default";
  if ((monitor_arg != "0" && monitor_arg != "1") || (init != "default" && init != "probe")) {
    usage();
    return 2;
  }
  const bool monitor_v = monitor_arg == "1";
  const auto neurons = static_cast<std::size_t>(n);
  constexpr double dt = 0.01;

  try {
    ionode::population_options opts;
    opts.shape = {neurons};
    if (init == "probe") {
      std::vector<double> v(neurons);
      for (std::size_t i = 0; i < neurons; ++i) {
        v[i] = -70.0 + 10.0 * static_cast<double>(i) / static_cast<double>(neurons);
      }
      opts.initial["V"] = std::move(v);
      opts.initial["m"] = 0.05;
      opts.initial["h"] = 0.6;
      opts.initial["n"] = 0.32;
    }
    auto pop = ionode::population::create<ionode::models::hh>(opts);
    // Members set by name, not {.dt = dt, .method = method}: with -Wextra an aggregate initializer that
    // omits a member (here `tolerances`) warns (-Wmissing-field-initializers, GCC 12).
    ionode::runner_options run_opts;
    run_opts.dt = dt;
    run_opts.method = method;
    run_opts.threads = 1;  // one thread unless IONODE_THREADS says otherwise
    if (const char* threads = std::getenv("IONODE_THREADS")) run_opts.threads = std::strtoul(threads, nullptr, 10);
    ionode::runner r(pop, run_opts);
    ionode::input current;  // named members, not {"input", 10.0}: see the note on run_opts above
    current.target = "input";
    current.value = 10.0;
    r.add_input(std::move(current));
    ionode::monitor_spec spec;
    if (monitor_v) {
      spec.variables = {"V"};
      const std::size_t k = neurons < 10 ? neurons : 10;
      for (std::size_t i = 0; i < k; ++i) spec.indices.push_back(i * neurons / k);
    }
    r.monitor(spec);

    const double duration = static_cast<double>(steps) * dt;
    const auto t0 = std::chrono::steady_clock::now();
    r.run(duration);
    const auto t1 = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(t1 - t0).count();

    if (r.steps_done() != steps) {
      std::fprintf(stderr, "error: asked for %lld steps, the runner made %lld\n", static_cast<long long>(steps),
                   static_cast<long long>(r.steps_done()));
      return 1;
    }
    const double work = static_cast<double>(n) * static_cast<double>(steps);
    std::printf(
        "ionode HH method=%s N=%lld steps=%lld monitor=%d init=%s: %.3f s, %.3g neuron-steps/s, %.3f us/step, "
        "spikes=%zu, samples=%zu\n",
        method.c_str(), static_cast<long long>(n), static_cast<long long>(steps), monitor_v ? 1 : 0,
        std::string(init).c_str(), seconds, work / seconds, seconds / static_cast<double>(steps) * 1e6,
        r.result().spike_times.size(), r.result().ts.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
