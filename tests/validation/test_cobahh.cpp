// COBAHH (Brette et al. 2007) against Brian2 2.5.1: the same connectivity, weights, delays and initial
// state (../shared/reference/networks/), integrated by ionode's exp_auto (Brian2's exponential Euler,
// the same scheme) with Brian2's order of a step. The reference README measured that a relative 1e-6
// change of the initial voltages changes no spike of Brian2's raster over the whole second, while
// 1e-4 parts it after 2 ms: an implementation of the same scheme with its own rounding (1e-16
// relative per operation) must give the same raster, spike for spike: the same neuron in the same step.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "ionode/io/npy.hpp"
#include "ionode/network/network.hpp"
#include "ionode/registry.hpp"

namespace {

using namespace ionode;
using network::projection_spec;
using network::synapse_values;

struct raster {
  std::vector<std::pair<std::int64_t, std::int64_t>> spikes;  // (step, global neuron), sorted
  std::size_t excitatory = 0, inhibitory = 0;
};

std::vector<double> slice(const std::vector<double>& v, std::size_t begin, std::size_t end) {
  return {v.begin() + static_cast<std::ptrdiff_t>(begin), v.begin() + static_cast<std::ptrdiff_t>(end)};
}

std::vector<std::int64_t> as_indices(const std::vector<double>& v) {
  std::vector<std::int64_t> out(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) out[k] = static_cast<std::int64_t>(v[k]);
  return out;
}

// Runs the reference file's network in ionode for `duration` ms with `threads` threads.
raster run_cobahh(const std::map<std::string, io::npy_array>& ref, double duration, std::size_t threads) {
  const auto NE = static_cast<std::size_t>(ref.at("NE").values[0]);
  const auto NI = static_cast<std::size_t>(ref.at("NI").values[0]);
  const double dt = ref.at("dt").values[0];
  network::network net({.dt = dt, .threads = threads});
  const std::map<std::string, std::pair<std::size_t, std::size_t>> ranges{{"E", {0, NE}}, {"I", {NE, NE + NI}}};
  for (const auto& [name, range] : ranges) {
    population_options options;
    options.shape = {range.second - range.first};
    runner& run = net.add_population(name, make_population("TraubMiles", options), {.method = "exp_auto"});
    run.monitor({.variables = {}, .indices = {}, .every = 1, .spikes = true});
  }
  const bool delays = ref.count("EE_delay") > 0;
  for (const std::string name : {"EE", "EI", "IE", "II"}) {
    projection_spec p;
    p.name = name;
    p.pre = name.substr(0, 1);
    p.post = name.substr(1, 1);
    p.synapse.kind = network::synapse_kind::exponential;
    p.synapse.tau = name[0] == 'E' ? 5.0 : 10.0;
    p.synapse.E = name[0] == 'E' ? 0.0 : -80.0;
    p.rule.type = network::connection_rule::kind::explicit_list;
    p.rule.pre = as_indices(ref.at(name + "_pre").values);
    p.rule.post = as_indices(ref.at(name + "_post").values);
    if (delays) {
      p.weight = {.type = synapse_values::kind::given, .values = ref.at(name + "_weight").values};
      p.delay = {.type = synapse_values::kind::given, .values = ref.at(name + "_delay").values};
    } else {
      p.weight.a = ref.at(name[0] == 'E' ? "we" : "wi").values[0];
    }
    net.connect(p);
  }
  for (const auto& [name, range] : ranges) {
    population& pop = net.population_at(net.population_index(name));
    for (const auto& [variable, key] : std::map<std::string, std::string>{{"V", "v0"}, {"m", "m0"}, {"h", "h0"}, {"n", "n0"}}) {
      pop.set_values(variable, slice(ref.at(key).values, range.first, range.second));
    }
  }
  // ge collects the E sources (EE onto E, EI onto I), gi the I sources.
  net.receptor_of(net.projection_index("EE")).variable(0) = slice(ref.at("ge0").values, 0, NE);
  net.receptor_of(net.projection_index("EI")).variable(0) = slice(ref.at("ge0").values, NE, NE + NI);
  net.receptor_of(net.projection_index("IE")).variable(0) = slice(ref.at("gi0").values, 0, NE);
  net.receptor_of(net.projection_index("II")).variable(0) = slice(ref.at("gi0").values, NE, NE + NI);
  net.run(duration);
  raster out;
  for (const auto& [name, range] : ranges) {
    const recording& rec = net.runner_of(name).result();
    for (std::size_t s = 0; s < rec.spike_steps.size(); ++s) {
      out.spikes.emplace_back(rec.spike_steps[s], static_cast<std::int64_t>(range.first) + rec.spike_indices[s]);
    }
    (name == "E" ? out.excitatory : out.inhibitory) = rec.spike_steps.size();
  }
  std::sort(out.spikes.begin(), out.spikes.end());
  return out;
}

raster brian2_raster(const std::map<std::string, io::npy_array>& ref, double duration) {
  const double dt = ref.at("dt").values[0];
  const auto NE = static_cast<std::int64_t>(ref.at("NE").values[0]);
  raster out;
  const auto& t = ref.at("spike_times").values;
  const auto& i = ref.at("spike_indices").values;
  for (std::size_t s = 0; s < t.size(); ++s) {
    const auto step = static_cast<std::int64_t>(std::llround(t[s] / dt));  // Brian2: the step's start time
    if (static_cast<double>(step) * dt >= duration - 1e-9) continue;
    const auto neuron = static_cast<std::int64_t>(i[s]);
    out.spikes.emplace_back(step, neuron);
    ++(neuron < NE ? out.excitatory : out.inhibitory);
  }
  std::sort(out.spikes.begin(), out.spikes.end());
  return out;
}

std::string first_difference(const raster& ours, const raster& theirs) {
  const std::size_t n = std::min(ours.spikes.size(), theirs.spikes.size());
  for (std::size_t k = 0; k < n; ++k) {
    if (ours.spikes[k] != theirs.spikes[k]) {
      return "spike " + std::to_string(k) + ": ionode (step " + std::to_string(ours.spikes[k].first) + ", neuron " +
             std::to_string(ours.spikes[k].second) + "), Brian2 (step " + std::to_string(theirs.spikes[k].first) +
             ", neuron " + std::to_string(theirs.spikes[k].second) + ")";
    }
  }
  return "counts differ: ionode " + std::to_string(ours.spikes.size()) + ", Brian2 " + std::to_string(theirs.spikes.size());
}

void expect_same_raster(const std::string& file) {
  const auto ref = io::read_npz(std::string(IONODE_NETWORK_REFERENCES) + "/" + file);
  const double duration = ref.at("duration").values[0];
  const raster theirs = brian2_raster(ref, duration);
  const raster ours = run_cobahh(ref, duration, 1);
  ASSERT_GT(theirs.spikes.size(), 100000u);
  EXPECT_TRUE(ours.spikes == theirs.spikes) << file << ": " << first_difference(ours, theirs);
  // The rates are equal as a consequence.
  EXPECT_EQ(ours.excitatory, theirs.excitatory);
  EXPECT_EQ(ours.inhibitory, theirs.inhibitory);
}

TEST(Cobahh, SameRasterAsBrian2) { expect_same_raster("cobahh_seed11.npz"); }

TEST(Cobahh, SameRasterAsBrian2WithWeightsAndDelaysPerSynapse) { expect_same_raster("cobahh_delays_seed11.npz"); }

// Threads change who computes what, never the result: bitwise the same raster for 1, 2 and 3 threads.
TEST(Cobahh, SameRasterForAnyThreadCount) {
  const auto ref = io::read_npz(std::string(IONODE_NETWORK_REFERENCES) + "/cobahh_delays_seed11.npz");
  const raster one = run_cobahh(ref, 200.0, 1);
  EXPECT_GT(one.spikes.size(), 10000u);
  for (std::size_t threads : {2u, 3u}) {
    const raster many = run_cobahh(ref, 200.0, threads);
    EXPECT_TRUE(one.spikes == many.spikes) << threads << " threads: " << first_difference(many, one);
  }
}

}  // namespace
