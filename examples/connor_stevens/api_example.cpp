// The Connor-Stevens model through the C++ API: one neuron, a constant current, rk4 at dt = 0.01 ms
// for 200 ms; prints the spikes. Usage: connor_stevens_api [current in uA/cm^2, default 10]
#include <fmt/format.h>
#include <cstdlib>
#include <exception>

#include "connor_stevens.hpp"
#include "ionode/ionode.hpp"

int main(int argc, char** argv) {
  try {
    double current = 10.0;  // uA/cm^2
    if (argc > 1) {
      char* end = nullptr;
      current = std::strtod(argv[1], &end);
      if (end == argv[1] || *end != '\0') throw ionode::error("the current must be a number in uA/cm^2");
    }

    ionode::population neuron = ionode::population::create<ionode_examples::connor_stevens>();
    ionode::runner_options options;
    options.dt = 0.01;  // ms
    options.method = "rk4";
    ionode::runner run(neuron, options);
    run.add_input({.target = "input", .value = current, .op = ionode::input_op::add});

    ionode::monitor_spec monitors;
    monitors.variables = {"V"};
    monitors.spikes = true;
    run.monitor(monitors);
    run.run(200.0);

    const ionode::recording& result = run.result();
    fmt::print("ConnorStevens, input {} uA/cm^2, {} ms: {} spikes\n", current, run.time(),
               result.spike_times.size());
    for (const double t : result.spike_times) fmt::print("{:.6f}\n", t);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "connor_stevens_api: {}\n", e.what());
    return 2;
  }
}
