// f-I curves against the literature and analytic facts: the square-root onset of a saddle-node on
// an invariant circle (Wang-Buzsaki), HH's bistability between the fold of cycles and the Hopf point.
#include <gtest/gtest.h>

#include <cmath>

#include "ionode/analysis/equilibria.hpp"
#include "ionode/analysis/fi_curve.hpp"
#include "ionode/error.hpp"
#include "ionode/models/wang_buzsaki.hpp"
#include "ionode/registry.hpp"

namespace {

using namespace ionode;

TEST(FiCurves, FiringRateIsTheInverseMeanInterval) {
  EXPECT_DOUBLE_EQ(analysis::firing_rate({10.0, 30.0, 50.0, 70.0}, 0.0, 100.0), 50.0);  // 20 ms ISI
  EXPECT_DOUBLE_EQ(analysis::firing_rate({10.0, 30.0, 50.0, 70.0}, 25.0, 100.0), 50.0);
  EXPECT_EQ(analysis::firing_rate({10.0}, 0.0, 100.0), 0.0);
  EXPECT_EQ(analysis::firing_rate({}, 0.0, 100.0), 0.0);
}

// Wang & Buzsaki (1996): the rheobase is a saddle-node on an invariant circle, where the period of
// the orbit grows like pi / sqrt(a (I - I_c)), so the rate goes to zero like (I - I_c)^(1/2).
TEST(FiCurves, WangBuzsakiRateGoesToZeroLikeSquareRoot) {
  auto sys = analysis::make_system<models::wang_buzsaki>(describe_model<models::wang_buzsaki>());
  const auto branch = analysis::continue_equilibria(
      *sys, sys->default_theta(), analysis::control_index(sys->info(), "I"), {.lo = 0.0, .hi = 1.0});
  ASSERT_EQ(branch.folds.size(), 1u) << branch.note;
  const double ic = branch.folds[0].param;
  EXPECT_NEAR(ic, 0.16, 0.005);
  const std::vector<double> d{0.0025, 0.005, 0.01, 0.02};
  std::vector<double> currents;
  for (double x : d) currents.push_back(ic + x);
  // V_th = 0: a crossing well below the spikes' peaks; the rate does not depend on it.
  analysis::fi_options fi{.params = {{"V_th", 0.0}}, .transient = 500.0, .window = 4000.0};
  const auto curve = analysis::fi_from_state(model_registry::global().find("WangBuzsaki"), {}, currents, fi);
  ASSERT_EQ(curve.rate_hz.size(), d.size());
  // Least-squares slope of log(rate) on log(I - I_c).
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t k = 0; k < d.size(); ++k) {
    ASSERT_GE(curve.spikes[k], 4u) << "I = " << currents[k];
    const double x = std::log(d[k]), y = std::log(curve.rate_hz[k]);
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  const double n = static_cast<double>(d.size());
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  // The time spent outside the bottleneck (the spike itself) lowers the apparent exponent a little.
  EXPECT_NEAR(slope, 0.5, 0.05) << "rates " << curve.rate_hz[0] << " " << curve.rate_hz[1] << " "
                                << curve.rate_hz[2] << " " << curve.rate_hz[3];
  // Just below I_c: no firing.
  const auto below =
      analysis::fi_from_state(model_registry::global().find("WangBuzsaki"), {}, {ic - 0.01}, fi);
  EXPECT_EQ(below.rate_hz[0], 0.0);
}

// Hodgkin-Huxley's own parameters (gL = 0.3, EL = -54.4): the rest state loses stability at the
// subcritical Hopf point 9.7795 (Hassard 1978); repetitive firing exists from the fold of cycles at
// 6.26 (Rinzel & Miller 1980) at about 50 Hz. Sweeping up from rest, the neuron stays silent up to
// the Hopf point; sweeping down from firing, it keeps firing down to the fold. (Just above the Hopf
// point the rest state grows unstable slowly, so the up sweep is checked from 11 on.)
TEST(FiCurves, HodgkinHuxleyClassicHysteresis) {
  const model_entry& hh = model_registry::global().find("HH");
  const model_options classic{{"preset", "classic"}};
  const analysis::fi_options fi{.params = {{"gL", 0.3}, {"EL", -54.4}}, .transient = 500.0, .window = 500.0};
  const std::vector<double> up{5.0, 6.0, 6.2, 6.27, 6.3, 6.5, 7.0, 8.0, 9.0, 9.5, 11.0, 12.0};
  std::vector<double> down(up.rbegin(), up.rend());
  const auto rising = analysis::fi_sweep(hh, classic, up, fi);
  const auto falling = analysis::fi_sweep(hh, classic, down, fi);
  for (std::size_t k = 0; k < up.size(); ++k) {
    const double i = up[k];
    if (i < 9.7795) {
      EXPECT_EQ(rising.rate_hz[k], 0.0) << "up sweep, I = " << i;
    }
    if (i > 10.5) {
      EXPECT_GT(rising.rate_hz[k], 40.0) << "up sweep, I = " << i;
    }
    const double r = falling.rate_hz[up.size() - 1 - k];
    if (i > 6.26) {
      EXPECT_GT(r, 40.0) << "down sweep, I = " << i;
    }
    if (i < 6.26) {
      EXPECT_EQ(r, 0.0) << "down sweep, I = " << i;
    }
  }
  // Just above the fold of cycles (at 6.264 with EL = -54.4, 6.26 with EL = -54.387): about 50 Hz.
  EXPECT_EQ(falling.param[up.size() - 4], 6.27);
  EXPECT_NEAR(falling.rate_hz[up.size() - 4], 50.0, 2.0);
}

TEST(FiCurves, BadInputIsRefused) {
  const model_entry& hh = model_registry::global().find("HH");
  EXPECT_THROW(analysis::fi_from_state(hh, {}, {}, {}), error);
  EXPECT_THROW(analysis::fi_from_state(hh, {}, {1.0}, {.param = "nope"}), error);
  EXPECT_THROW(analysis::fi_sweep(hh, {}, {1.0}, {.window = 0.0}), error);
}

}  // namespace
