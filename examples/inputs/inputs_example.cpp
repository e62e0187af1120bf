// The input library from C++: a pulse train shared by 10 HH neurons plus independent noise for each.
#include <cstdio>
#include <ionode/ionode.hpp>

int main() {
  const double dt = 0.01, duration = 200.0;  // ms
  ionode::population_options options;
  options.shape = {10};
  auto neurons = ionode::make_population("HH", options);
  ionode::runner run(neurons, {.dt = dt});

  namespace in = ionode::inputs;
  // 5 ms pulses of 20 uA/cm^2 at 20, 80 and 140 ms: one column, shared by every neuron.
  run.add_input({"input", in::spike_input({20, 80, 140}, 5.0, 20.0, duration, dt)});
  // Ornstein-Uhlenbeck noise, one column per neuron: mean 0, sigma 2 uA/cm^2 per sqrt(ms), tau 5 ms.
  run.add_input({"input", in::ou_process(0.0, 2.0, 5.0, duration, dt, 10, 0, {}, {.seed = 7, .stream = "noise"})});
  run.monitor({.spikes = true});
  run.run(duration);

  std::printf("%zu spikes\n", run.result().spike_times.size());
}
