// The README's C++ example: 100 HH neurons with per-neuron leak, a constant current, V recorded.
#include <cstdio>
#include <ionode/ionode.hpp>

int main() {
  ionode::population_options options;
  options.shape = {100};
  options.seed = 7;
  options.params["gL"] = ionode::init::uniform{0.02, 0.04};  // mS/cm^2, drawn per neuron
  auto neurons = ionode::make_population("HH", options);

  ionode::runner run(neurons, {.dt = 0.01, .method = "rk4"});
  run.add_input({"input", 10.0});             // uA/cm^2, every step
  run.monitor({.variables = {"V"}, .indices = {0, 1}, .every = 10, .spikes = true});
  run.run(200.0);                             // ms

  const ionode::recording& r = run.result();
  std::printf("%zu samples, %zu spikes, first at %.4f ms (neuron %lld)\n", r.ts.size(), r.spike_times.size(),
              r.spike_times.at(0), static_cast<long long>(r.spike_indices.at(0)));
}
