// Convergence orders measured, not assumed: the spike-time error against the reference over the
// first 60 ms, fitted against dt on a log-log scale, must have the method's order.
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "reference_cases.hpp"

namespace {

using ionode_validation::load_case;
using ionode_validation::run_case;

constexpr double window = 60.0;  // ms: a few spikes, long enough for errors to accumulate

double worst_spike_error(const ionode_validation::reference_case& c, const std::string& method, double dt) {
  const auto result = run_case(c, method, dt, 1e-6, window);
  std::size_t expected = 0;
  while (expected < c.spike_times.size() && c.spike_times[expected] < window) ++expected;
  EXPECT_EQ(result.spike_times.size(), expected) << c.key << " " << method << " dt " << dt;
  double worst = 0;
  for (std::size_t k = 0; k < std::min(expected, result.spike_times.size()); ++k) {
    worst = std::max(worst, std::abs(result.spike_times[k] - c.spike_times[k]));
  }
  return worst;
}

// Least-squares slope of log2(error) against log2(dt).
double fitted_order(const std::vector<double>& dts, const std::vector<double>& errors) {
  double mx = 0, my = 0;
  const auto n = static_cast<double>(dts.size());
  for (std::size_t k = 0; k < dts.size(); ++k) {
    mx += std::log2(dts[k]) / n;
    my += std::log2(errors[k]) / n;
  }
  double sxy = 0, sxx = 0;
  for (std::size_t k = 0; k < dts.size(); ++k) {
    sxy += (std::log2(dts[k]) - mx) * (std::log2(errors[k]) - my);
    sxx += (std::log2(dts[k]) - mx) * (std::log2(dts[k]) - mx);
  }
  return sxy / sxx;
}

struct order_case {
  std::string reference;
  std::string method;
  int order;
  std::vector<double> dts;  // in the asymptotic range, above the reference's and rounding's floor
};

class ConvergenceOrder : public ::testing::TestWithParam<order_case> {};

// Tolerance on the fitted order: 0.25. Spike-time errors of a fixed-step method follow
// C dt^p (1 + O(dt)); over a factor 8 in dt the O(dt) term moves the slope by well under 0.25.
TEST_P(ConvergenceOrder, SpikeTimeErrorShrinksAtTheMethodsOrder) {
  const auto& param = GetParam();
  const auto c = load_case(param.reference);
  std::vector<double> errors;
  for (double dt : param.dts) errors.push_back(worst_spike_error(c, param.method, dt));
  const double order = fitted_order(param.dts, errors);
  std::cout << param.reference << " " << param.method << ": errors";
  for (double e : errors) std::cout << " " << e;
  std::cout << " -> order " << order << "\n";
  EXPECT_NEAR(order, param.order, 0.25);
  // The statement, per halving: about 2x for first-order methods, about 16x for rk4.
  const double halving = errors[errors.size() - 2] / errors.back();
  EXPECT_NEAR(std::log2(halving), param.order, 0.4) << "error ratio for the last halving: " << halving;
}

const std::vector<double> coarse{0.02, 0.01, 0.005, 0.0025};
const std::vector<double> ml_high_order{0.04, 0.02, 0.01};  // ML's rk4 error reaches 1e-12 below that
const std::vector<double> users{0.1, 0.05, 0.025};           // BrainPy's default dt and two halvings

INSTANTIATE_TEST_SUITE_P(
    FixedStepMethods, ConvergenceOrder,
    ::testing::Values(order_case{"HH", "exp_auto", 1, coarse}, order_case{"HH", "euler", 1, coarse},
                      order_case{"HH", "midpoint", 2, coarse}, order_case{"HH", "heun2", 2, coarse},
                      order_case{"HH", "ralston2", 2, coarse}, order_case{"HH", "rk2", 2, coarse},
                      order_case{"HH", "rk3", 3, coarse}, order_case{"HH", "heun3", 3, coarse},
                      order_case{"HH", "ralston3", 3, coarse}, order_case{"HH", "ssprk3", 3, coarse},
                      order_case{"HH", "rk4", 4, coarse}, order_case{"HH", "ralston4", 4, coarse},
                      order_case{"HH", "rk4_38rule", 4, coarse}, order_case{"WB", "exp_auto", 1, coarse},
                      order_case{"WB", "rk4", 4, coarse}, order_case{"ML", "exp_auto", 1, coarse},
                      order_case{"ML", "euler", 1, coarse}, order_case{"ML", "rk4", 4, ml_high_order},
                      order_case{"PR_seed", "exp_auto", 1, coarse}, order_case{"PR_seed", "rk4", 4, coarse},
                      // The second-order exponential method on every model, over the step sizes users
                      // take (0.1 ms down), where its order must already show.
                      order_case{"HH", "exp_midpoint", 2, coarse}, order_case{"HH", "exp_midpoint", 2, users},
                      order_case{"WB", "exp_midpoint", 2, coarse}, order_case{"ML", "exp_midpoint", 2, coarse},
                      order_case{"PR_seed", "exp_midpoint", 2, coarse},
                      order_case{"PR_paper", "exp_midpoint", 2, coarse}),
    [](const auto& test) {
      return test.param.reference + "_" + test.param.method + (test.param.dts.front() >= 0.1 ? "_users_dt" : "");
    });

// The second-order exponential method over each case's whole duration (200 ms for HH and WB, 1 s for
// ML and Pinsky-Rinzel), the spike-time error of every spike: the same spike count as the reference at
// every step, and order 2 between the steps. ML's first spike alone (the 60 ms window above) is off by
// only 1e-5 ms at these steps; over the whole second the phase error has grown into the asymptotic
// range. The paper's bursting Pinsky-Rinzel reaches it below 0.01 ms (at 0.05 and 0.025 ms a burst's
// spikes shift by a few tenths of a ms without converging yet: docs/numerics.md).
class WholeDurationOrder : public ::testing::TestWithParam<order_case> {};

TEST_P(WholeDurationOrder, ExpMidpointConvergesAtOrderTwoOverTheWholeCase) {
  const auto& param = GetParam();
  const auto c = load_case(param.reference);
  std::vector<double> errors;
  for (double dt : param.dts) {
    const auto result = run_case(c, param.method, dt, 1e-6, c.duration);
    ASSERT_EQ(result.spike_times.size(), c.spike_times.size()) << c.key << " dt " << dt;
    double worst = 0;
    for (std::size_t k = 0; k < c.spike_times.size(); ++k) {
      worst = std::max(worst, std::abs(result.spike_times[k] - c.spike_times[k]));
    }
    errors.push_back(worst);
  }
  const double order = fitted_order(param.dts, errors);
  std::cout << param.reference << " " << param.method << " over " << c.duration << " ms: errors";
  for (double e : errors) std::cout << " " << e;
  std::cout << " -> order " << order << "\n";
  EXPECT_NEAR(order, param.order, 0.25);
}

INSTANTIATE_TEST_SUITE_P(
    SecondOrderExponential, WholeDurationOrder,
    ::testing::Values(order_case{"HH", "exp_midpoint", 2, {0.05, 0.025, 0.0125}},
                      order_case{"WB", "exp_midpoint", 2, {0.05, 0.025, 0.0125}},
                      order_case{"ML", "exp_midpoint", 2, {0.1, 0.05, 0.025}},
                      order_case{"PR_paper", "exp_midpoint", 2, {0.01, 0.005, 0.0025}}),
    [](const auto& test) { return test.param.reference + "_" + test.param.method; });

// Every adaptive pair reaches the reference at a tight tolerance, and tightening the tolerance
// tightens the answer (error control that works, not a fixed step in disguise). Global error is not
// exactly proportional to the tolerance for embedded pairs, so the check spans five decades of
// tolerance and asks for at least two decades of accuracy.
class AdaptiveMethod : public ::testing::TestWithParam<std::string> {};

TEST_P(AdaptiveMethod, TighterToleranceGivesSmallerSpikeTimeError) {
  const auto c = load_case("HH");
  std::vector<double> errors;
  for (double tol : {1e-5, 1e-10}) {
    const auto result = run_case(c, GetParam(), 0.1, tol, window);
    double worst = 0;
    for (std::size_t k = 0; k < result.spike_times.size(); ++k) {
      worst = std::max(worst, std::abs(result.spike_times[k] - c.spike_times[k]));
    }
    errors.push_back(worst);
  }
  std::cout << GetParam() << ": worst error at rtol 1e-5: " << errors[0] << ", at 1e-10: " << errors[1] << "\n";
  EXPECT_LT(errors[1], errors[0] / 100);
  EXPECT_LT(errors[1], 1e-4);
}

INSTANTIATE_TEST_SUITE_P(EmbeddedPairs, AdaptiveMethod,
                         ::testing::Values("heun_euler", "rkf12", "bs", "rkf45", "ck", "rkdp"));

}  // namespace
