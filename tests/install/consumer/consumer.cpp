// Simulates the seed's HH example through an installed ionode and prints what the test checks.
#include <cstdio>
#include <ionode/ionode.hpp>

int main() {
  ionode::population_options options;
  options.shape = {2};
  auto neurons = ionode::make_population("HH", options);
  ionode::runner run(neurons, {.dt = 0.1, .method = "exp_auto"});  // `ionode run`'s default
  run.add_input({"input", 10.0});
  run.monitor({.variables = {"V"}, .spikes = true});
  run.run(200.0);
  const ionode::recording& r = run.result();
  std::printf("spikes %zu first %.17g\n", r.spike_times.size(), r.spike_times.empty() ? -1.0 : r.spike_times[0]);
}
