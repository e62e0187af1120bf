// Pinsky & Rinzel (1994) bursting: the paper variant fires complex bursts of 3-5 spikelets for soma
// currents from about -0.25 to 1.5 uA/cm^2; the seed's equations (IC without the gate c, wrong
// alpha_c) never burst (../shared/reference/README.md).
#include <gtest/gtest.h>

#include <vector>

#include "ionode/ionode.hpp"

namespace {

// Spikelets peak near -20 to -25 mV, under the default V_th = 20, so events are counted at -30 mV.
// Crossings less than 10 ms apart belong to one event (a burst); returns the size of every event.
std::vector<int> event_sizes(const std::string& variant, double soma_current) {
  ionode::population_options options;
  options.params["V_th"] = -30.0;
  auto pop = ionode::make_population("PinskyRinzel", options, {{"variant", variant}});
  ionode::runner run(pop, {.dt = 0.05, .method = "rk4"});
  run.add_input({"Is", soma_current});
  run.run(2000.0);
  std::vector<int> sizes;
  double last = -1e9;
  for (double t : run.result().spike_times) {
    if (t - last > 10.0) {
      sizes.push_back(1);
    } else {
      ++sizes.back();
    }
    last = t;
  }
  return sizes;
}

class PinskyRinzelBursting : public ::testing::TestWithParam<double> {};

TEST_P(PinskyRinzelBursting, PaperVariantBurstsAndSeedVariantDoesNot) {
  const double current = GetParam();
  const auto paper = event_sizes("paper", current);
  ASSERT_FALSE(paper.empty()) << "the paper variant is silent at Is = " << current;
  int bursts = 0;
  for (int size : paper) {
    EXPECT_LE(size, 5);
    bursts += size >= 3 ? 1 : 0;
  }
  // Complex bursts of 3-5 spikelets make up most events (an isolated spike may occur at onset).
  EXPECT_GE(2 * bursts, static_cast<int>(paper.size())) << "Is = " << current;

  for (int size : event_sizes("seed", current)) EXPECT_EQ(size, 1) << "the seed variant burst at Is = " << current;
}

INSTANTIATE_TEST_SUITE_P(SomaCurrents, PinskyRinzelBursting, ::testing::Values(-0.25, 0.5, 0.75, 1.0, 1.5));

TEST(PinskyRinzel, DendriticInputDrivesTheSomaThroughTheCoupling) {
  // Held below firing at the soma (seed variant, Is = -0.25 is silent), a dendritic current makes
  // the soma fire: Id reaches Vs through the coupling gc, and spikes are detected on Vs.
  const auto count = [](double dendritic) {
    auto pop = ionode::make_population("PinskyRinzel", {}, {{"variant", "seed"}});
    ionode::runner run(pop, {.dt = 0.05, .method = "rk4"});
    run.add_input({"Is", -0.25});
    run.add_input({"Id", dendritic});
    run.run(1000.0);
    return run.result().spike_times.size();
  };
  EXPECT_EQ(count(0.0), 0u);
  EXPECT_GT(count(3.0), 0u);
}

}  // namespace
