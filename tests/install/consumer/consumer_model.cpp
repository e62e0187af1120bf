// A model defined outside the library (the Connor-Stevens example's header), run through an installed ionode.
#include <cstdio>
#include <ionode/ionode.hpp>

#include "connor_stevens.hpp"

int main() {
  auto neuron = ionode::population::create<ionode_examples::connor_stevens>();
  ionode::runner run(neuron, {.dt = 0.01, .method = "rk4"});
  run.add_input({"input", 10.0});
  run.monitor({.spikes = true});
  run.run(200.0);
  std::printf("spikes %zu\n", run.result().spike_times.size());
}
