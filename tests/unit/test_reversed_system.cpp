// The time-reversed field (analysis::reversed_system): -f and -J exactly, its flow the rk4 of -f
// written out here, and its monodromy matrix the derivative of that flow (finite differences).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "ionode/analysis/reversed.hpp"
#include "ionode/models/morris_lecar.hpp"

namespace {

using namespace ionode;
using ml = models::morris_lecar;

struct fixture {
  std::unique_ptr<analysis::system> base = analysis::make_system<ml>(describe_model<ml>());
  analysis::reversed_system reversed{*base};
  std::vector<double> theta = [this] {
    auto t = base->default_theta();
    t.back() = 86.0;
    return t;
  }();
  std::vector<double> x{-30.0, 0.2};
};

TEST(ReversedSystem, NegatesTheFieldAndItsDerivatives) {
  fixture s;
  const std::size_t control = s.theta.size() - 1;
  std::array<double, 2> f{}, g{}, fc{}, gc{};
  std::array<double, 4> j{}, k{};
  s.base->linearize(s.x.data(), s.theta.data(), control, f.data(), j.data(), fc.data());
  s.reversed.linearize(s.x.data(), s.theta.data(), control, g.data(), k.data(), gc.data());
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(g[i], -f[i]);
    EXPECT_EQ(gc[i], -fc[i]);
    EXPECT_NE(f[i], 0.0);  // (a point where the check means something)
  }
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(k[i], -j[i]);
  // (rhs is evaluated in doubles, linearize in dual numbers: compared with the base's rhs.)
  s.base->rhs(s.x.data(), s.theta.data(), f.data());
  s.reversed.rhs(s.x.data(), s.theta.data(), g.data());
  EXPECT_EQ(g[0], -f[0]);
  EXPECT_EQ(g[1], -f[1]);
  EXPECT_EQ(s.reversed.dimension(), 2u);
  EXPECT_EQ(s.reversed.default_state(s.theta.data()), s.base->default_state(s.theta.data()));
}

TEST(ReversedSystem, FlowIsRk4OfTheNegatedField) {
  fixture s;
  const double h = 0.05;
  const std::size_t steps = 200;
  std::vector<double> expected = s.x;
  auto g = [&](const std::vector<double>& y) {
    std::vector<double> f(2);
    s.base->rhs(y.data(), s.theta.data(), f.data());
    return std::vector<double>{-f[0], -f[1]};
  };
  for (std::size_t n = 0; n < steps; ++n) {
    auto along = [&](const std::vector<double>& k, double c) {
      return std::vector<double>{expected[0] + c * h * k[0], expected[1] + c * h * k[1]};
    };
    const auto k1 = g(expected), k2 = g(along(k1, 0.5)), k3 = g(along(k2, 0.5)), k4 = g(along(k3, 1.0));
    for (std::size_t i = 0; i < 2; ++i) expected[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
  }
  std::vector<double> x = s.x;
  s.reversed.flow(x.data(), s.theta.data(), h * static_cast<double>(steps), steps, 0, nullptr, nullptr,
                  nullptr, nullptr);
  EXPECT_NEAR(x[0], expected[0], 1e-11 * std::abs(expected[0]));
  EXPECT_NEAR(x[1], expected[1], 1e-11);
  EXPECT_GT(std::abs(x[0] - s.x[0]), 1.0);  // it moved
}

TEST(ReversedSystem, MonodromyIsTheFlowsDerivative) {
  fixture s;
  const double duration = 10.0;
  const std::size_t steps = 200, control = s.theta.size() - 1;
  std::vector<double> x = s.x, phi(4), x_control(2);
  s.reversed.flow(x.data(), s.theta.data(), duration, steps, control, phi.data(), x_control.data(), nullptr,
                  nullptr);
  auto end = [&](std::vector<double> y, std::vector<double> theta) {
    s.reversed.flow(y.data(), theta.data(), duration, steps, 0, nullptr, nullptr, nullptr, nullptr);
    return y;
  };
  const std::array<double, 2> eps{1e-5, 1e-7};
  for (std::size_t j = 0; j < 2; ++j) {
    std::vector<double> up = s.x, down = s.x;
    up[j] += eps[j], down[j] -= eps[j];
    const auto a = end(up, s.theta), b = end(down, s.theta);
    for (std::size_t i = 0; i < 2; ++i) {
      const double fd = (a[i] - b[i]) / (2.0 * eps[j]);
      EXPECT_NEAR(phi[j * 2 + i], fd, 1e-5 * (1.0 + std::abs(fd))) << i << ", " << j;
    }
  }
  std::vector<double> up = s.theta, down = s.theta;
  up[control] += 1e-4, down[control] -= 1e-4;
  const auto a = end(s.x, up), b = end(s.x, down);
  for (std::size_t i = 0; i < 2; ++i) {
    const double fd = (a[i] - b[i]) / 2e-4;
    EXPECT_NEAR(x_control[i], fd, 1e-5 * (1.0 + std::abs(fd))) << i;
  }
}

}  // namespace
