// The configuration of test_bitwise.py run through the C++ API, printed as exact hexadecimal floats
// ("%a"), so the test can check that the Python module gives the same bits. Keep it in step with
// API_CONFIG in test_bitwise.py.
#include <cstdio>
#include <exception>

#include "ionode/ionode.hpp"

int main() {
  try {
    constexpr double duration = 60.0, dt = 0.02;  // ms
    ionode::population_options options;
    options.shape = {3};
    options.seed = 5;
    options.params["gNa"] = std::vector<double>{110.0, 120.0, 130.0};
    options.params["gL"] = ionode::init::uniform{0.02, 0.04};
    options.initial["V"] = ionode::init::normal{-65.0, 2.0};
    options.noise["V"] = 0.5;
    auto neurons = ionode::make_population("HH", options);

    ionode::runner run(neurons, {.dt = dt, .method = "exp_auto"});
    run.add_input({"input", 6.0});
    run.add_input({"input", ionode::inputs::spike_input({10.0, 30.0}, 2.0, 10.0, duration, dt)});
    run.monitor({.variables = {"V", "n"}});
    run.run(duration);

    const ionode::recording& r = run.result();
    for (std::size_t j = 0; j < r.ts.size(); ++j) {
      std::printf("sample %a", r.ts[j]);
      for (const char* variable : {"V", "n"}) {
        for (std::size_t k = 0; k < r.indices.size(); ++k) std::printf(" %a", r.value(variable, j, 0, k));
      }
      std::printf("\n");
    }
    for (std::size_t s = 0; s < r.spike_times.size(); ++s) {
      std::printf("spike %a %lld\n", r.spike_times[s], static_cast<long long>(r.spike_indices[s]));
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "api_reference: %s\n", e.what());
    return 2;
  }
}
