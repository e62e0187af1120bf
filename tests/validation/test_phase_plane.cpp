// Phase planes against analytic facts: Morris-Lecar's nullclines in closed form, fixed points on
// both nullclines, types that agree with the eigenvalues, the refusal of models with more variables.
#include <gtest/gtest.h>

#include <cmath>

#include "ionode/analysis/equilibria.hpp"
#include "ionode/analysis/phase_plane.hpp"
#include "ionode/error.hpp"
#include "ionode/models/hh.hpp"
#include "ionode/models/morris_lecar.hpp"

namespace {

using namespace ionode;
using ml = models::morris_lecar;

struct ml_formulas {
  std::vector<double> p;
  double current;
  double m_inf(double v) const { return 0.5 * (1.0 + std::tanh((v - p[ml::V1]) / p[ml::V2])); }
  double w_inf(double v) const { return 0.5 * (1.0 + std::tanh((v - p[ml::V3]) / p[ml::V4])); }
  // dV/dt = 0 solved for W.
  double v_nullcline(double v) const {
    return (current - p[ml::g_Ca] * m_inf(v) * (v - p[ml::V_Ca]) - p[ml::g_leak] * (v - p[ml::V_leak])) /
           (p[ml::g_K] * (v - p[ml::V_K]));
  }
};

void check_plane(const std::vector<double>& theta, std::size_t expected_fixed_points_min) {
  auto sys = analysis::make_system<ml>(describe_model<ml>());
  const double current = theta.back();
  const ml_formulas formulas{theta, current};
  const auto pp = analysis::compute_phase_plane(*sys, theta, {});
  ASSERT_FALSE(pp.nullclines[0].empty());
  ASSERT_FALSE(pp.nullclines[1].empty());
  std::size_t checked = 0;
  for (const auto& piece : pp.nullclines[0]) {
    for (const auto& [v, w] : piece) {
      EXPECT_NEAR(w, formulas.v_nullcline(v), 1e-10) << "V = " << v;
      ++checked;
    }
  }
  for (const auto& piece : pp.nullclines[1]) {
    for (const auto& [v, w] : piece) {
      EXPECT_NEAR(w, formulas.w_inf(v), 1e-10) << "V = " << v;
      ++checked;
    }
  }
  EXPECT_GT(checked, 300u);
  // The fixed points are where the two nullclines cross: count the sign changes of their difference.
  std::size_t crossings = 0;
  for (std::size_t k = 0; k + 1 < 20000; ++k) {
    auto h = [&](double v) { return formulas.v_nullcline(v) - formulas.w_inf(v); };
    const double a = pp.x_range[0] + (pp.x_range[1] - pp.x_range[0]) * static_cast<double>(k) / 20000.0;
    const double b = pp.x_range[0] + (pp.x_range[1] - pp.x_range[0]) * static_cast<double>(k + 1) / 20000.0;
    const double wa = formulas.w_inf(a);
    // (Not the pole of the V-nullcline at V = V_K, where h changes sign through infinity.)
    const bool finite = std::abs(h(a)) < 1.0 && std::abs(h(b)) < 1.0;
    if (finite && (h(a) < 0.0) != (h(b) < 0.0) && wa > pp.y_range[0] && wa < pp.y_range[1]) ++crossings;
  }
  EXPECT_EQ(pp.fixed_points.size(), crossings);
  EXPECT_GE(pp.fixed_points.size(), expected_fixed_points_min);
  for (const auto& fp : pp.fixed_points) {
    const double v = fp.x[0], w = fp.x[1];
    EXPECT_NEAR(w, formulas.v_nullcline(v), 1e-10);
    EXPECT_NEAR(w, formulas.w_inf(v), 1e-10);
    // The type against the signs of Eigen's eigenvalues of the exact Jacobian.
    const auto e = analysis::eigenvalues_at(*sys, {v, w}, theta);
    ASSERT_EQ(e.size(), 2u);
    const bool saddle = (e[0].real() > 0.0) != (e[1].real() > 0.0);
    const bool stable = e[0].real() < 0.0 && e[1].real() < 0.0;
    const bool focus = std::abs(e[0].imag()) > 0.0;
    if (saddle) {
      EXPECT_EQ(fp.type, "saddle");
    } else {
      EXPECT_EQ(fp.type, std::string(stable ? "stable " : "unstable ") + (focus ? "focus" : "node"))
          << "V = " << v;
    }
  }
}

// The seed's parameters at I = 100: above the Hopf point (88.57), below the upper one (190.7):
// one unstable fixed point inside a stable limit cycle.
TEST(PhasePlane, MorrisLecarSeedNullclinesFixedPointsCycle) {
  auto sys = analysis::make_system<ml>(describe_model<ml>());
  std::vector<double> theta = sys->default_theta();
  theta.back() = 100.0;
  check_plane(theta, 1);
  analysis::phase_plane_options o;
  o.starts = {{-60.0, 0.0}, {20.0, 0.4}};
  const auto pp = analysis::compute_phase_plane(*sys, theta, o);
  ASSERT_EQ(pp.fixed_points.size(), 1u);
  EXPECT_EQ(pp.fixed_points[0].type.rfind("unstable", 0), 0u) << pp.fixed_points[0].type;
  ASSERT_TRUE(pp.cycle.has_value()) << pp.note;
  EXPECT_GT(pp.cycle_period, 0.0);
  // One period: the orbit closes.
  EXPECT_NEAR(pp.cycle->front()[0], pp.cycle->back()[0], 1e-4);
  EXPECT_NEAR(pp.cycle->front()[1], pp.cycle->back()[1], 1e-6);
  ASSERT_EQ(pp.trajectories.size(), 2u);
  EXPECT_EQ(pp.trajectories[0].size(), 4001u);  // 200 ms / 0.05 ms + the start
  EXPECT_EQ(pp.field.size(), pp.grid_x.size() * pp.grid_y.size());
}

// Rinzel & Ermentrout's (1989) class-I set (g_Ca = 4, V3 = 12, V4 = 17.4, phi = 1/15, V_Ca = 120),
// at I = 30: three fixed points (below the saddle-node near I = 40), one of them a saddle.
TEST(PhasePlane, MorrisLecarClassOneThreeFixedPoints) {
  auto sys = analysis::make_system<ml>(describe_model<ml>());
  std::vector<double> theta = sys->default_theta();
  theta[ml::g_Ca] = 4.0, theta[ml::V3] = 12.0, theta[ml::V4] = 17.4, theta[ml::phi] = 1.0 / 15.0;
  theta[ml::V_Ca] = 120.0, theta.back() = 30.0;
  check_plane(theta, 3);
  const auto pp = analysis::compute_phase_plane(*sys, theta, {});
  std::size_t saddles = 0;
  for (const auto& fp : pp.fixed_points) saddles += fp.type == "saddle" ? 1 : 0;
  EXPECT_EQ(saddles, 1u);
}

TEST(PhasePlane, FixedPointTypes) {
  using c = std::complex<double>;
  EXPECT_EQ(analysis::fixed_point_type({c(-1, 0), c(-2, 0)}), "stable node");
  EXPECT_EQ(analysis::fixed_point_type({c(1, 0), c(2, 0)}), "unstable node");
  EXPECT_EQ(analysis::fixed_point_type({c(1, 0), c(-2, 0)}), "saddle");
  EXPECT_EQ(analysis::fixed_point_type({c(-1, 3), c(-1, -3)}), "stable focus");
  EXPECT_EQ(analysis::fixed_point_type({c(0.5, 3), c(0.5, -3)}), "unstable focus");
  EXPECT_EQ(analysis::fixed_point_type({c(0, 3), c(0, -3)}), "degenerate");
}

TEST(PhasePlane, RefusesModelsWithMoreThanTwoVariables) {
  auto sys = analysis::make_system<models::hh>(describe_model<models::hh>());
  try {
    analysis::compute_phase_plane(*sys, sys->default_theta(), {});
    FAIL() << "no error";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("two variables"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("has 4"), std::string::npos) << e.what();
  }
}

}  // namespace
