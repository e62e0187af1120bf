// Throughput of any registered model through the public API: neuron-steps per second of runner::run.
// Usage: ionode_bench_model MODEL N STEPS [METHOD exp_auto] [THREADS 1] [MONITOR 0|1] [PRECISION float64|float32]
//                            [NOISE sigma on the first variable, 0: none]
// The input is each model's reference current (HH 10, WangBuzsaki 1, MorrisLecar 100, PinskyRinzel Is 0.75).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "ionode/ionode.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s MODEL N STEPS [METHOD] [THREADS] [MONITOR] [PRECISION] [NOISE]\n", argv[0]);
    return 2;
  }
  try {
    const std::string model = argv[1];
    const auto neurons = std::strtoull(argv[2], nullptr, 10);
    const auto steps = std::strtoll(argv[3], nullptr, 10);
    const std::string method = argc > 4 ? argv[4] : "exp_auto";
    const auto threads = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
    const bool monitor = argc > 6 && std::string(argv[6]) == "1";
    const bool single = argc > 7 && std::string(argv[7]) == "float32";
    const double noise = argc > 8 ? std::strtod(argv[8], nullptr) : 0.0;
    ionode::population_options options;
    if (noise > 0) {
      const auto& entry = ionode::model_registry::global().find(model);
      options.noise[std::string(entry.describe(ionode::resolve_options(entry, {})).variables.front().name)] = noise;
    }
    options.shape = {neurons};
    if (single) options.precision = ionode::precision::float32;
    auto pop = ionode::make_population(model, options);
    const double dt = 0.01;
    ionode::runner run(pop, {.dt = dt, .method = method, .threads = threads});
    const bool pinsky = pop.model().name == "PinskyRinzel";
    const double current = pinsky ? 0.75 : model == "MorrisLecar" ? 100.0 : model.rfind("Wang", 0) == 0 ? 1.0 : 10.0;
    run.add_input({pinsky ? "Is" : "input", current});
    ionode::monitor_spec spec;
    spec.spikes = true;
    if (monitor) {
      spec.variables = {pinsky ? "Vs" : "V"};
      spec.indices = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    }
    run.monitor(spec);
    const auto start = std::chrono::steady_clock::now();
    run.run(dt * static_cast<double>(steps));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("ionode %s %s method=%s N=%llu steps=%lld threads=%llu monitor=%d noise=%g: %.3f s, %.3g neuron-steps/s, %.3f us/step, "
                "spikes=%zu, %.1f bytes/neuron\n",
                model.c_str(), single ? "float32" : "float64", method.c_str(), neurons, steps, threads, monitor ? 1 : 0, noise, seconds,
                static_cast<double>(neurons) * static_cast<double>(steps) / seconds,
                seconds / static_cast<double>(steps) * 1e6, run.result().spike_times.size(),
                pop.impl().bytes_per_instance());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
