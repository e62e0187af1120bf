// Phase planes against analytic facts: Morris-Lecar's nullclines in closed form, fixed points on
// both nullclines, types that agree with the eigenvalues, unstable cycles against the cycle branch
// continued from the Hopf point, the refusal of models with more variables.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ionode/analysis/cycles.hpp"
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

// Even-odd ray casting: whether p lies inside the closed polyline c.
bool inside(const analysis::curve& c, std::array<double, 2> p) {
  bool in = false;
  for (std::size_t i = 0, j = c.size() - 1; i < c.size(); j = i++) {
    const auto& a = c[i];
    const auto& b = c[j];
    if ((a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]) in = !in;
  }
  return in;
}

// The state after `duration` ms of rk4 (h = 0.01 ms) from x, and V's extremes over the last `last` ms.
struct simulated {
  std::vector<double> x;
  double v_min = 0.0, v_max = 0.0;
};
simulated simulate(const analysis::system& sys, const std::vector<double>& theta, std::array<double, 2> x0,
                   double duration, double last) {
  simulated s{{x0[0], x0[1]}};
  sys.flow(s.x.data(), theta.data(), duration - last, static_cast<std::size_t>(std::llround((duration - last) / 0.01)),
           0, nullptr, nullptr, nullptr, nullptr);
  std::vector<double> lo(2), hi(2);
  sys.flow(s.x.data(), theta.data(), last, static_cast<std::size_t>(std::llround(last / 0.01)), 0, nullptr, nullptr,
           lo.data(), hi.data());
  s.v_min = lo[0], s.v_max = hi[0];
  return s;
}

// The seed's Morris-Lecar at I = 86, between the fold of cycles (83.4127) and the subcritical Hopf
// point (88.5697): a stable focus inside an unstable cycle inside a stable cycle.
TEST(PhasePlane, MorrisLecarBistableUnstableCycle) {
  auto sys = analysis::make_system<ml>(describe_model<ml>());
  std::vector<double> theta = sys->default_theta();
  const double current = 86.0;
  theta.back() = current;
  const auto pp = analysis::compute_phase_plane(*sys, theta, {});
  ASSERT_EQ(pp.fixed_points.size(), 1u);
  EXPECT_EQ(pp.fixed_points[0].type, "stable focus");
  const auto focus = pp.fixed_points[0].x;
  ASSERT_EQ(pp.cycles.size(), 2u);
  const auto& unstable = pp.cycles[0];  // sorted by size
  const auto& stable = pp.cycles[1];
  ASSERT_FALSE(unstable.stable);
  ASSERT_TRUE(stable.stable);
  EXPECT_GT(unstable.multiplier, 1.0);
  EXPECT_LT(stable.multiplier, 1.0);
  // Nested: the focus inside the unstable cycle, the unstable cycle inside the stable one.
  EXPECT_TRUE(inside(unstable.points, focus));
  for (const auto& p : unstable.points) ASSERT_TRUE(inside(stable.points, p)) << p[0] << ", " << p[1];
  ASSERT_TRUE(pp.cycle.has_value());
  EXPECT_EQ(pp.cycle_period, stable.period);
  // One period: the drawn orbit closes.
  EXPECT_NEAR(unstable.points.front()[0], unstable.points.back()[0], 1e-4);
  EXPECT_NEAR(unstable.points.front()[1], unstable.points.back()[1], 1e-6);

  // Independently: the branch of cycles continued from the Hopf point, unstable from there down to
  // the fold of cycles; its period at I = 86 by quadratic interpolation between its points.
  const std::size_t control = analysis::control_index(sys->info(), "I");
  analysis::continuation_options eo;
  eo.lo = 80.0, eo.hi = 95.0, eo.ds = 0.3, eo.ds_max = 0.75;
  const auto eq = analysis::continue_equilibria(*sys, theta, control, eo);
  ASSERT_EQ(eq.hopf.size(), 1u);
  EXPECT_NEAR(eq.hopf[0].param, 88.5697, 1e-3);
  analysis::cycle_options co;
  co.lo = 80.0, co.hi = 95.0, co.ds_max = 1.0;
  const auto branch = analysis::continue_cycles_from_hopf(*sys, theta, control, eq.hopf[0], co);
  std::vector<const analysis::cycle_point*> down;  // the unstable part, I decreasing from the Hopf point
  for (const auto& c : branch.points) {
    if (c.stable || (!down.empty() && c.param > down.back()->param)) break;
    down.push_back(&c);
  }
  std::size_t k = 0;  // down[k - 1], down[k], down[k + 1] around I = 86
  while (k + 1 < down.size() && down[k]->param > current) ++k;
  ASSERT_TRUE(k >= 1 && k + 1 < down.size()) << "the branch does not pass I = 86 on its unstable part";
  const double i0 = down[k - 1]->param, i1 = down[k]->param, i2 = down[k + 1]->param;
  const double t0 = down[k - 1]->period, t1 = down[k]->period, t2 = down[k + 1]->period;
  const double continued = t0 * (current - i1) * (current - i2) / ((i0 - i1) * (i0 - i2)) +
                           t1 * (current - i0) * (current - i2) / ((i1 - i0) * (i1 - i2)) +
                           t2 * (current - i0) * (current - i1) / ((i2 - i0) * (i2 - i1));
  std::printf("unstable cycle at I = 86: %.9g ms (reversed time), %.9g ms (continued; points at %.6g %.6g %.6g)\n",
              unstable.period, continued, i0, i1, i2);
  std::printf("stable %.9g ms multiplier %.6g; unstable multiplier %.6g; focus eigenvalue %.6g%+.6gi\n", stable.period,
              stable.multiplier, unstable.multiplier, pp.fixed_points[0].eigenvalues[0].real(),
              pp.fixed_points[0].eigenvalues[0].imag());
  // Found 96.88996 and 96.88983 ms: 1.3e-4 ms apart (the interpolation and the shooting's tolerance).
  EXPECT_NEAR(unstable.period, continued, 1e-3);

  // Forward simulations from just inside and just outside the unstable cycle's rightmost point (2% of
  // its distance to the focus): to the focus, and to the stable cycle.
  const auto right = *std::max_element(unstable.points.begin(), unstable.points.end(),
                                       [](const auto& a, const auto& b) { return a[0] < b[0]; });
  const std::array<double, 2> step{0.02 * (focus[0] - right[0]), 0.02 * (focus[1] - right[1])};
  const simulated in = simulate(*sys, theta, {right[0] + step[0], right[1] + step[1]}, 8000.0, stable.period);
  const simulated out = simulate(*sys, theta, {right[0] - step[0], right[1] - step[1]}, 8000.0, stable.period);
  std::printf("inside: end (%.9g, %.9g), V range %.6g; outside: V in [%.9g, %.9g], stable cycle [%.9g, %.9g]\n",
              in.x[0], in.x[1], in.v_max - in.v_min, out.v_min, out.v_max, stable.x_min[0], stable.x_max[0]);
  // The focus attracts at Re(lambda) = -0.007 / ms: after 8000 ms, to rounding (found: equal to 9
  // digits). The extremes over one period differ by their sampling (h = 0.01 ms here, the period /
  // 2000 on the cycle): found 1.5e-5 and 7.4e-5 mV apart.
  EXPECT_NEAR(in.x[0], focus[0], 1e-6);
  EXPECT_NEAR(in.x[1], focus[1], 1e-8);
  EXPECT_NEAR(out.v_min, stable.x_min[0], 1e-3);
  EXPECT_NEAR(out.v_max, stable.x_max[0], 1e-3);
}

// Planes without unstable cycles find none: the seed at I = 100 (an unstable focus inside a stable
// cycle) and at I = 0 (a stable focus alone: the reversed field's orbits escape), the class-I set at
// I = 30 (node, saddle and unstable focus, no cycle).
TEST(PhasePlane, MorrisLecarNoUnstableCycle) {
  auto sys = analysis::make_system<ml>(describe_model<ml>());
  std::vector<double> theta = sys->default_theta();
  theta.back() = 100.0;
  auto pp = analysis::compute_phase_plane(*sys, theta, {});
  ASSERT_EQ(pp.cycles.size(), 1u);
  EXPECT_TRUE(pp.cycles[0].stable);
  EXPECT_NEAR(pp.cycles[0].period, 84.98, 0.01);  // docs/analysis.md
  theta.back() = 0.0;
  pp = analysis::compute_phase_plane(*sys, theta, {});
  EXPECT_TRUE(pp.cycles.empty());
  EXPECT_FALSE(pp.note.empty());
  theta[ml::g_Ca] = 4.0, theta[ml::V3] = 12.0, theta[ml::V4] = 17.4, theta[ml::phi] = 1.0 / 15.0;
  theta[ml::V_Ca] = 120.0, theta.back() = 30.0;
  pp = analysis::compute_phase_plane(*sys, theta, {});
  EXPECT_TRUE(pp.cycles.empty());
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
