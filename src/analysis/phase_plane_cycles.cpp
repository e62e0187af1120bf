// The limit cycles of a phase plane, stable and unstable: simulations forward in time find the
// stable ones, simulations of the time-reversed field (reversed.hpp) the unstable ones, each
// refined by the shooting of cycles.cpp; the starts come from the fixed points and from the sides
// of every cycle found, so nested cycles are found one from the next.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>
#include <vector>

#include "ionode/analysis/cycles.hpp"
#include "ionode/analysis/phase_plane.hpp"
#include "ionode/analysis/reversed.hpp"

namespace ionode::analysis {

namespace {

using point = std::array<double, 2>;

struct start {
  point x;
  bool backward = false;  // simulate the reversed field (finds unstable cycles)
};

struct box {
  point lo, size;
};

// How far from a fixed point or a cycle a start is placed, as a fraction of the box: small enough
// not to jump over a neighbouring cycle, large enough to leave a weak focus within the time allowed.
constexpr double offset = 1e-3;
// Simulated before the shooting's own simulation (cycle_from_simulation: 1000 ms of transient): a
// weakly repelling focus needs a few thousand ms to reach the cycle around it.
constexpr double settle_ms = 4000.0;
constexpr std::size_t max_starts = 40, max_cycles = 8;
// rk4 steps over one period: for drawing, and as in cycle_options' shooting map.
constexpr std::size_t steps_per_period = 2000;

// The state after settle_ms of the flow of `dir` from x; nothing if it leaves the box widened by
// its size on every side (a trajectory escaping, as the reversed field's do) or comes to rest.
std::optional<std::vector<double>> settle(const system& dir, const std::vector<double>& theta, point x,
                                          const box& b) {
  std::vector<double> s{x[0], x[1]};
  constexpr double piece = 10.0;  // ms, with h = 0.01 ms as cycle_from_simulation
  for (double t = 0.0; t < settle_ms; t += piece) {
    const std::vector<double> before = s;
    dir.flow(s.data(), theta.data(), piece, 1000, 0, nullptr, nullptr, nullptr, nullptr);
    double moved = 0.0;
    for (std::size_t i = 0; i < 2; ++i) {
      if (!std::isfinite(s[i]) || s[i] < b.lo[i] - b.size[i] || s[i] > b.lo[i] + 2.0 * b.size[i]) {
        return std::nullopt;
      }
      moved = std::max(moved, std::abs(s[i] - before[i]) / b.size[i]);
    }
    if (moved < 1e-12) return std::nullopt;
  }
  return s;
}

// Starts next to a fixed point: in the direction of time that leaves it (a stable point is left
// backward, an unstable one forward, a saddle both ways along its eigenvectors).
void starts_near(const system& sys, const std::vector<double>& theta, const fixed_point_2d& fp, const box& b,
                 std::deque<start>& starts) {
  auto near = [&](point direction, bool backward) {
    // The direction in units of the box, normalized there.
    const double u = direction[0] / b.size[0], v = direction[1] / b.size[1];
    const double norm = std::hypot(u, v);
    if (!(norm > 0.0)) return;
    for (double sign : {1.0, -1.0}) {
      starts.push_back(
          {{fp.x[0] + sign * offset * b.size[0] * u / norm, fp.x[1] + sign * offset * b.size[1] * v / norm},
           backward});
    }
  };
  if (fp.type == "saddle") {
    point f{}, dummy{};
    std::array<double, 4> j{};  // column-major
    std::vector<double> x{fp.x[0], fp.x[1]};
    sys.linearize(x.data(), theta.data(), theta.size(), f.data(), j.data(), dummy.data());
    for (const auto& e : fp.eigenvalues) {
      const double l = e.real();
      // (J - l) v = 0: v from the row with the larger entries, for accuracy.
      const point v = std::abs(j[2]) + std::abs(l - j[0]) >= std::abs(l - j[3]) + std::abs(j[1])
                          ? point{j[2], l - j[0]}
                          : point{l - j[3], j[1]};
      near(v, l < 0.0);  // along the unstable direction forward, along the stable one backward
    }
    return;
  }
  const bool stable = fp.type.rfind("stable", 0) == 0, unstable = fp.type.rfind("unstable", 0) == 0;
  // A focus or a node is left in any direction; (1, 1) in box units is as good as any.
  if (stable || !unstable) near({b.size[0], b.size[1]}, true);
  if (unstable || !stable) near({b.size[0], b.size[1]}, false);
}

// The cycle at full length from a shooting solution found with `dir`.
limit_cycle describe(const system& sys, const system& dir, const std::vector<double>& theta,
                     const cycle_point& c, bool backward) {
  limit_cycle lc;
  lc.period = c.period;
  lc.stable = !backward;
  lc.x_min = {c.x_min[0], c.x_min[1]};
  lc.x_max = {c.x_max[0], c.x_max[1]};
  // Drawn with the field in which it attracts, so that rounding errors shrink along the way.
  std::vector<double> x = c.x0;
  lc.points.push_back({x[0], x[1]});
  for (std::size_t k = 0; k < steps_per_period; ++k) {
    dir.flow(x.data(), theta.data(), c.period / static_cast<double>(steps_per_period), 1, 0, nullptr, nullptr,
             nullptr, nullptr);
    lc.points.push_back({x[0], x[1]});
  }
  if (backward) std::reverse(lc.points.begin(), lc.points.end());
  // The forward monodromy matrix: its determinant is the product of the multipliers, the trivial
  // one being 1 (to the shooting map's accuracy).
  x = c.x0;
  Eigen::Matrix2d phi;
  sys.flow(x.data(), theta.data(), c.period, steps_per_period, theta.size(), phi.data(), nullptr, nullptr,
           nullptr);
  lc.multiplier = phi.determinant();
  return lc;
}

bool same_cycle(const limit_cycle& a, const limit_cycle& b, const box& bx) {
  if (a.stable != b.stable || std::abs(a.period - b.period) > 1e-4 * a.period) return false;
  for (std::size_t i = 0; i < 2; ++i) {
    if (std::abs(a.x_min[i] - b.x_min[i]) > 1e-3 * bx.size[i]) return false;
    if (std::abs(a.x_max[i] - b.x_max[i]) > 1e-3 * bx.size[i]) return false;
  }
  return true;
}

// Starts on both sides of a cycle, in the other direction of time: just right of its rightmost
// point (outside: nothing of a closed curve lies further right) and just left of it (inside).
void starts_beside(const limit_cycle& lc, const box& b, std::deque<start>& starts) {
  const auto rightmost = std::max_element(lc.points.begin(), lc.points.end(),
                                          [](const point& p, const point& q) { return p[0] < q[0]; });
  for (double sign : {1.0, -1.0}) {
    starts.push_back({{(*rightmost)[0] + sign * offset * b.size[0], (*rightmost)[1]}, lc.stable});
  }
}

}  // namespace

std::vector<limit_cycle> find_limit_cycles(const system& sys, const std::vector<double>& theta,
                                           const std::vector<fixed_point_2d>& fixed_points,
                                           std::array<double, 2> x_range, std::array<double, 2> y_range) {
  const reversed_system reversed(sys);
  const box b{{x_range[0], y_range[0]}, {x_range[1] - x_range[0], y_range[1] - y_range[0]}};
  const std::size_t control = theta.size() - 1;  // held fixed by the shooting
  const std::vector<double> initial = sys.default_state(theta.data());
  std::deque<start> starts{{{initial[0], initial[1]}, false}};
  for (const auto& fp : fixed_points) starts_near(sys, theta, fp, b, starts);

  std::vector<limit_cycle> cycles;
  for (std::size_t tried = 0; tried < max_starts && !starts.empty() && cycles.size() < max_cycles; ++tried) {
    const start s = starts.front();
    starts.pop_front();
    const system& dir = s.backward ? static_cast<const system&>(reversed) : sys;
    const auto x = settle(dir, theta, s.x, b);
    if (!x) continue;
    const auto c = cycle_from_simulation(dir, theta, control, *x, cycle_options{});
    // Newton converges to any cycle near the guess; only one that attracts in `dir` was reached.
    if (!c || !c->stable || !(c->period > 0.0)) continue;
    limit_cycle lc = describe(sys, dir, theta, *c, s.backward);
    if (std::any_of(cycles.begin(), cycles.end(),
                    [&](const limit_cycle& k) { return same_cycle(k, lc, b); })) {
      continue;
    }
    starts_beside(lc, b, starts);
    cycles.push_back(std::move(lc));
  }
  return cycles;
}

}  // namespace ionode::analysis
