// One spike through each synapse model onto a passive cell (TraubMiles with gNa = gK = 0: C dV/dt =
// -gL (V - EL) - g(t) (V - E)), against an independent solution: the same ODE with the synapse's
// closed-form g(t), integrated here by classical RK4 with h = 1e-4 ms (its error, ~h^4, is below
// 1e-12 mV). The spike of a source in step n acts from step n + 1 (delay 0), so g jumps at t = (n+1) dt.
//
// ionode freezes g over each step (Brian2's exponential Euler: g at the start of the step), so the
// postsynaptic potential converges with order 1 in dt. The test checks that order (the error halves
// with dt: ratio within [1.8, 2.2], which rules out an O(1) error or a scheme of another order) and the
// size of the error at dt = 0.025 ms: below 0.5 % of the PSP's peak. Freezing g over a step shifts the
// drive by about dt/2, an error of about (dt/2) max|dV/dt| (0.075 mV for the exponential conductance
// case: w (E - V) / C = 6 mV/ms; measured 0.032 mV, 0.2 % of its 15.7 mV peak), while an event one step
// early or late shifts it by dt, twice that bound (0.15 mV, 1 %), so the bound catches a wrong delay.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "ionode/network/network.hpp"
#include "ionode/registry.hpp"

namespace {

using namespace ionode;
using network::synapse_kind;
using network::synapse_output;

struct psp_case {
  std::string name;
  synapse_kind kind;
  synapse_output output;
  double tau, tau_rise, weight;
};

constexpr double gL = 0.05, EL = -60.0, C = 1.0, E_syn = 0.0, spike_time = 5.0, duration = 60.0;

// g(s) for s >= 0 after the jump, closed form.
double kernel(const psp_case& c, double s) {
  switch (c.kind) {
    case synapse_kind::exponential: return c.weight * std::exp(-s / c.tau);
    case synapse_kind::dual_exponential: {
      const double peak = c.tau_rise * c.tau / (c.tau - c.tau_rise) * std::log(c.tau / c.tau_rise);
      const double f = 1.0 / (std::exp(-peak / c.tau) - std::exp(-peak / c.tau_rise));
      return c.weight * f * (std::exp(-s / c.tau) - std::exp(-s / c.tau_rise));
    }
    case synapse_kind::alpha: return c.weight * s / c.tau * std::exp(1.0 - s / c.tau);
    case synapse_kind::graded: break;  // not event-driven: not a case here
  }
  return 0.0;
}

double dvdt(const psp_case& c, double t, double v, double onset) {
  const double g = t >= onset ? kernel(c, t - onset) : 0.0;
  const double synaptic = c.output == synapse_output::conductance ? g * (E_syn - v) : g;
  return (-gL * (v - EL) + synaptic) / C;
}

// V at the given times by RK4 with step h from the onset (V = EL before it).
std::vector<double> reference(const psp_case& c, double onset, const std::vector<double>& times) {
  const double h = 1e-4;
  std::vector<double> out;
  double t = onset, v = EL;
  for (double target : times) {
    if (target <= onset) {
      out.push_back(EL);
      continue;
    }
    while (t < target - 1e-12) {
      const double step = std::min(h, target - t);
      const double k1 = dvdt(c, t, v, onset), k2 = dvdt(c, t + step / 2, v + step / 2 * k1, onset);
      const double k3 = dvdt(c, t + step / 2, v + step / 2 * k2, onset), k4 = dvdt(c, t + step, v + step * k3, onset);
      v += step / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
      t += step;
    }
    out.push_back(v);
  }
  return out;
}

struct trace {
  std::vector<double> ts, v;
};

trace run_ionode(const psp_case& c, double dt, const std::string& method = "exp_auto", double tolerance = 1e-6) {
  network::network net({.dt = dt, .threads = 1});
  net.add_source("pre", std::make_unique<network::spike_times_source>(1, std::vector<std::int64_t>{0},
                                                                      std::vector<double>{spike_time}, dt, "pre"));
  population_options options;
  options.shape = {1};
  options.params = {{"gNa", 0.0}, {"gK", 0.0}, {"gL", gL}, {"EL", EL}, {"C", C}};
  options.initial = {{"V", EL}};
  runner& run = net.add_population("post", make_population("TraubMiles", options),
                                   {.method = method, .tolerances = {.rtol = tolerance, .atol = tolerance}});
  run.monitor({.variables = {"V"}, .indices = {}, .every = 1, .spikes = false});
  network::projection_spec p;
  p.pre = "pre";
  p.post = "post";
  p.synapse = {.kind = c.kind, .tau = c.tau, .tau_rise = c.tau_rise, .output = c.output, .E = E_syn};
  p.rule.type = network::connection_rule::kind::one_to_one;
  p.weight.a = c.weight;
  net.connect(p);
  net.run(duration);
  const recording& rec = net.runner_of("post").result();
  return {rec.ts, rec.values.at("V")};
}

double max_error(const psp_case& c, double dt, double& peak, const std::string& method = "exp_auto") {
  const trace ours = run_ionode(c, dt, method, 1e-10);
  const double onset = (std::floor(spike_time / dt + 1e-9) + 1) * dt;
  const std::vector<double> exact = reference(c, onset, ours.ts);
  double error = 0.0;
  peak = 0.0;
  for (std::size_t k = 0; k < exact.size(); ++k) {
    error = std::max(error, std::abs(ours.v[k] - exact[k]));
    peak = std::max(peak, std::abs(exact[k] - EL));
  }
  return error;
}

class SynapsePsp : public ::testing::TestWithParam<psp_case> {};

TEST_P(SynapsePsp, ConvergesWithOrderOneToTheIndependentSolution) {
  const psp_case& c = GetParam();
  double peak = 0.0;
  const double coarse = max_error(c, 0.05, peak);
  const double fine = max_error(c, 0.025, peak);
  EXPECT_GT(peak, 0.5) << "the PSP should be of millivolts";
  EXPECT_LT(fine, 0.005 * peak) << c.name;
  EXPECT_GT(coarse / fine, 1.8) << c.name << ": errors " << coarse << " and " << fine;
  EXPECT_LT(coarse / fine, 2.2) << c.name << ": errors " << coarse << " and " << fine;
}

// With an adaptive method the network is integrated as one system and the receptor's exact g(t)
// enters every stage (whole_system.cpp), so nothing is frozen over a step: at rtol = atol = 1e-10 the
// PSP must equal the independent solution to 1e-6 mV (the reference's own error is ~1e-12 mV), on a
// coarse grid of dt = 0.1 ms as on a fine one.
TEST_P(SynapsePsp, AdaptiveMethodMatchesTheIndependentSolution) {
  const psp_case& c = GetParam();
  for (double dt : {0.1, 0.025}) {
    double peak = 0.0;
    const double error = max_error(c, dt, peak, "rkdp");
    EXPECT_GT(peak, 0.5);
    EXPECT_LT(error, 1e-6) << c.name << " at dt = " << dt;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, SynapsePsp,
    ::testing::Values(psp_case{"exponential_conductance", synapse_kind::exponential, synapse_output::conductance, 5.0, 0.0, 0.1},
                      psp_case{"exponential_current", synapse_kind::exponential, synapse_output::current, 5.0, 0.0, 2.0},
                      psp_case{"dual_exponential_conductance", synapse_kind::dual_exponential, synapse_output::conductance, 8.0, 1.5, 0.1},
                      psp_case{"alpha_conductance", synapse_kind::alpha, synapse_output::conductance, 3.0, 0.0, 0.1}),
    [](const auto& test) { return test.param.name; });

// The receptor's own state: dual exponential peaks at w (NEURON's Exp2Syn normalization), alpha at w at
// t = tau, exponential starts at w; each decays exactly (no dt error: g sampled at the steps equals the
// closed form to rounding).
TEST(SynapseKernels, ReceptorStatesFollowTheClosedFormsExactly) {
  for (const auto& c : {psp_case{"exp", synapse_kind::exponential, synapse_output::current, 5.0, 0.0, 1.0},
                        psp_case{"exp2", synapse_kind::dual_exponential, synapse_output::current, 8.0, 1.5, 1.0},
                        psp_case{"alpha", synapse_kind::alpha, synapse_output::current, 3.0, 0.0, 1.0}}) {
    const double dt = 0.01;
    network::receptor r({.kind = c.kind, .tau = c.tau, .tau_rise = c.tau_rise}, 1, dt);
    r.add(0, c.weight);
    double peak = 0.0;
    for (int k = 0; k <= 3000; ++k) {
      const double s = k * dt;
      EXPECT_NEAR(r.conductance(0), kernel(c, s), 1e-12) << c.name << " at " << s << " ms";
      peak = std::max(peak, r.conductance(0));
      r.decay();
    }
    EXPECT_NEAR(peak, c.weight, 1e-4) << c.name;  // sampled every 0.01 ms near a smooth maximum
  }
}

}  // namespace
