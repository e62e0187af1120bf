// Work against precision on the reference cases (../shared/reference/reference.json): for each model,
// method and step (or tolerance), the largest spike-time error over the case's whole duration, the spike
// count, the largest soma voltage, and the run time per neuron per simulated second (N identical
// neurons on one thread, median of REPS runs). One JSON object per line; bench/work_precision.py
// draws the figure and the table of docs/numerics.md from it.
// Usage: ionode_bench_work_precision [N 64] [REPS 3] [CASES HH,WB,ML,PR_seed,PR_paper] [METHODS ...]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "ionode/ionode.hpp"
#include "reference_cases.hpp"

namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

struct measured {
  std::vector<double> spikes;  // neuron 0's
  double v_max = -1e300;
  double seconds = 0.0;
  std::string diverged;
};

measured run_once(const ionode_validation::reference_case& c, const std::string& method, double dt, double tol,
                  std::size_t n) {
  ionode::population_options options;
  options.shape = {n};
  for (std::size_t k = 0; k < c.state_names.size(); ++k) options.initial[c.state_names[k]] = c.initial_state[k];
  auto pop = ionode::make_population(c.model, options, c.options);
  ionode::runner_options ro;
  ro.dt = dt;
  ro.method = method;
  ro.threads = 1;
  ro.tolerances.rtol = ro.tolerances.atol = tol > 0 ? tol : 1e-6;  // fixed steps ignore them
  ro.tolerances.max_substeps = 10000000;
  ionode::runner run(pop, ro);
  run.add_input({c.input_target, c.current});
  run.monitor({.variables = {c.state_names.front()}, .indices = {0}, .every = 1, .spikes = true});
  measured m;
  const auto start = std::chrono::steady_clock::now();
  try {
    run.run(c.duration);
  } catch (const ionode::divergence_error& e) {
    m.diverged = e.what();
  }
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& rec = run.result();
  for (std::size_t k = 0; k < rec.spike_times.size(); ++k) {
    if (rec.spike_indices[k] == 0) m.spikes.push_back(rec.spike_times[k]);
  }
  for (double v : rec.values.at(c.state_names.front())) m.v_max = std::max(m.v_max, v);
  return m;
}

void measure(const ionode_validation::reference_case& c, const std::string& method, double dt, double tol,
             std::size_t n, int reps) {
  std::vector<double> seconds;
  measured m;
  for (int r = 0; r < reps; ++r) {
    m = run_once(c, method, dt, tol, n);
    seconds.push_back(m.seconds);
    if (!m.diverged.empty()) break;
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  double worst = 0.0;
  for (std::size_t k = 0; k < std::min(m.spikes.size(), c.spike_times.size()); ++k) {
    worst = std::max(worst, std::abs(m.spikes[k] - c.spike_times[k]));
  }
  std::printf(
      "{\"case\": \"%s\", \"method\": \"%s\", \"dt\": %g, \"rtol\": %g, \"spikes\": %zu, \"reference_spikes\": %zu, "
      "\"worst_error_ms\": %.6g, \"v_max\": %.6g, \"seconds_per_neuron_per_simulated_s\": %.6g, \"diverged\": %s}\n",
      c.key.c_str(), method.c_str(), dt, tol, m.spikes.size(), c.spike_times.size(), worst, m.v_max,
      median / static_cast<double>(n) / (c.duration / 1000.0), m.diverged.empty() ? "false" : "true");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 64;
    const int reps = argc > 2 ? std::atoi(argv[2]) : 3;
    const auto cases = split(argc > 3 ? argv[3] : "HH,WB,ML,PR_seed,PR_paper");
    const auto methods = split(argc > 4 ? argv[4] : "exp_auto,exp_midpoint,rk4,rkdp,cvode");
    const std::vector<double> steps{0.1, 0.05, 0.025, 0.01, 0.005, 0.0025};
    const std::vector<double> tolerances{1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11};
    for (const auto& key : cases) {
      const auto c = ionode_validation::load_case(key);
      for (const auto& method : methods) {
        if (ionode::find_method(method).adaptive) {
          for (double tol : tolerances) measure(c, method, 0.1, tol, n, reps);
        } else {
          for (double dt : steps) measure(c, method, dt, 0.0, n, reps);
        }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
