// Periodic orbits along a parameter: multiple shooting (shooting.hpp) corrected and continued by
// pseudo-arclength like the equilibria; folds of cycles where the control's tangent component
// changes sign; the starts from a Hopf point or a simulated orbit.
#include "ionode/analysis/cycles.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <utility>

#include "arclength.hpp"
#include "ionode/error.hpp"
#include "shooting.hpp"

namespace ionode::analysis {

using detail::arc_point;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

class cycle_continuation {
 public:
  cycle_continuation(const system& sys, std::vector<double> theta, std::size_t control,
                     const cycle_options& options)
      : sys_(sys),
        shooting_(sys, std::move(theta), control, options.segments, options.steps),
        control_(control),
        options_(options) {}

  const detail::multiple_shooting& shooting() const { return shooting_; }

  cycle_branch follow(arc_point a) const {
    const Eigen::Index period = shooting_.period_index(), last = shooting_.control_index();
    const detail::arclength engine = make_engine(12);
    const std::string name(control_name(sys_.info(), control_));
    cycle_branch branch;
    branch.points.push_back(shooting_.describe(a.y));
    double ds = options_.ds;
    while (true) {
      if (branch.points.size() >= options_.max_points) {
        branch.note = fmt::format("stopped after {} cycles (max_points)", options_.max_points);
        break;
      }
      int iterations = 0;
      auto b = engine.at(a, ds, &iterations);
      // Rejected: no convergence, a sharp turn, or a corrector that moved further than the step
      // (towards the trivial solutions: an equilibrium is a "cycle" of any period).
      if (!b || b->tangent.dot(a.tangent) < 0.7 || !(b->y(period) > 0.0) ||
          (b->y - a.y - ds * a.tangent).norm() > ds) {
        ds *= 0.5;
        if (ds < options_.ds_min) {
          branch.note = fmt::format(
              "stopped at {} = {}: the shooting corrector failed with the smallest step", name, a.y(last));
          break;
        }
        continue;
      }
      // Through a Hopf point the branch goes on smoothly into the same cycles half a period out of
      // phase (x - x_h ~ epsilon Re(q e^(i omega t)), epsilon changing sign): the end of the branch.
      if (shooting_.correlation(a.y, b->y) < 0.0) {
        const auto hopf = a.tangent(last) * b->tangent(last) < 0.0 ? engine.locate_fold(a, ds) : std::nullopt;
        branch.hopf_end = hopf ? hopf->y(last) : 0.5 * (a.y(last) + b->y(last));
        branch.note = fmt::format("the cycles shrink into an equilibrium at {} = {} (a Hopf point)", name,
                                  *branch.hopf_end);
        break;
      }
      if (a.tangent(last) * b->tangent(last) < 0.0) {
        if (auto fold = engine.locate_fold(a, ds)) {
          const double p = fold->y(last);
          if (p >= options_.lo && p <= options_.hi) {
            cycle_point c = shooting_.describe(fold->y);
            branch.folds.push_back({c.param, c.period, std::move(c)});
          }
        }
      }
      const double p = b->y(last);
      if (p < options_.lo || p > options_.hi) break;
      cycle_point c = shooting_.describe(b->y);
      if (c.period > options_.max_period) {
        branch.note = fmt::format("stopped at {} = {}: the period exceeds {} ms (a homoclinic orbit?)", name,
                                  p, options_.max_period);
        break;
      }
      const bool collapsed = amplitude(c) < options_.min_amplitude;
      branch.points.push_back(std::move(c));
      if (collapsed) {
        branch.hopf_end = p;
        branch.note = fmt::format("the cycles shrink into an equilibrium at {} = {} (a Hopf point)", name, p);
        break;
      }
      a = std::move(*b);
      if (iterations <= 4) ds = std::min(ds * 1.5, options_.ds_max);
      if (iterations >= 6) ds *= 0.5;
    }
    return branch;
  }

  // The first point: Newton on the hyperplane t.(y - y_pred) = 0, with more iterations than a step.
  std::optional<arc_point> first(const VectorXd& y_pred, const VectorXd& t) const {
    return make_engine(30).correct(y_pred, t, y_pred);
  }

 private:
  detail::arclength make_engine(int max_iterations) const {
    return detail::arclength([this](const VectorXd& y, const VectorXd& ref, VectorXd& F,
                                    MatrixXd& J) { shooting_.residual(y, ref, F, J); },
                             options_.tolerance, max_iterations);
  }

  double amplitude(const cycle_point& c) const {
    const std::size_t v = sys_.info().spike_variable;
    return c.x_max[v] - c.x_min[v];
  }

  const system& sys_;
  detail::multiple_shooting shooting_;
  std::size_t control_;
  cycle_options options_;
};

void check_options(const system& sys, std::size_t control, const cycle_options& options) {
  if (!std::isfinite(options.lo) || !std::isfinite(options.hi) || !(options.lo < options.hi)) {
    throw error(fmt::format("the range of {} is empty or reversed ([{}, {}]); give LO < HI",
                            control_name(sys.info(), control), options.lo, options.hi));
  }
  if (options.segments == 0 || options.steps < options.segments) {
    throw error(fmt::format(
        "cycle_options: {} rk4 steps per period over {} shooting arcs; give 1 <= segments <= steps",
        options.steps, options.segments));
  }
}

// A branch with no points, and why.
cycle_branch empty_branch(std::string note) {
  cycle_branch branch;
  branch.note = std::move(note);
  return branch;
}

}  // namespace

cycle_branch continue_cycles_from_hopf(const system& sys, std::vector<double> theta, std::size_t control,
                                       const hopf_point& hopf, const cycle_options& options) {
  check_options(sys, control, options);
  const cycle_continuation c(sys, std::move(theta), control, options);
  const auto& shooting = c.shooting();
  const Eigen::Index n = shooting.n(), m = shooting.segments();
  const auto q = Eigen::Map<const Eigen::VectorXcd>(hopf.eigenvector.data(), n);
  const double qv = std::abs(q(static_cast<Eigen::Index>(sys.info().spike_variable)));
  const double epsilon = options.first_amplitude / std::max(qv, 1e-12);
  // The linearized orbit x_h + epsilon Re(q exp(i omega t)) at the arcs' starts.
  const double period = 2.0 * std::numbers::pi / hopf.omega;
  std::vector<VectorXd> starts;
  for (Eigen::Index i = 0; i < m; ++i) {
    const std::complex<double> turn =
        std::polar(1.0, 2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(m));
    starts.emplace_back(Eigen::Map<const VectorXd>(hopf.x.data(), n) + epsilon * (q * turn).real());
  }
  const VectorXd y_pred = shooting.unknowns(starts, period, hopf.param);
  // The hyperplane holds the first arc start's component along Re q: the amplitude.
  VectorXd t = VectorXd::Zero(y_pred.size());
  t.head(n) = q.real().normalized();
  auto a = c.first(y_pred, t);
  if (!a) {
    return empty_branch(fmt::format("no cycle found near the Hopf point at {} = {}",
                                    control_name(sys.info(), control), hopf.param));
  }
  return c.follow(*a);
}

cycle_branch continue_cycles(const system& sys, std::vector<double> theta, std::size_t control,
                             const cycle_point& start, int direction, const cycle_options& options) {
  check_options(sys, control, options);
  const cycle_continuation c(sys, std::move(theta), control, options);
  const auto& shooting = c.shooting();
  const VectorXd y = shooting.unknowns(start.x0, start.period, start.param);
  VectorXd along = VectorXd::Zero(y.size());
  along(shooting.control_index()) = direction >= 0 ? 1.0 : -1.0;
  // The arcs' starts come from integrating start.x0: correct them before taking the tangent.
  auto a = c.first(y, along);
  if (!a) {
    return empty_branch(fmt::format("the cycle at {} = {} did not converge under shooting",
                                    control_name(sys.info(), control), start.param));
  }
  a->tangent = detail::arclength::tangent_of(a->jacobian, along);
  return c.follow(*a);
}

std::optional<cycle_point> cycle_from_simulation(const system& sys, const std::vector<double>& theta,
                                                 std::size_t control, std::vector<double> x,
                                                 const cycle_options& options) {
  check_options(sys, control, {.lo = 0.0, .hi = 1.0, .steps = options.steps, .segments = options.segments});
  const std::size_t v = sys.info().spike_variable;
  constexpr double h = 0.01;                                                                // ms
  sys.flow(x.data(), theta.data(), 1000.0, 100000, 0, nullptr, nullptr, nullptr, nullptr);  // transient
  std::vector<double> lo(x.size()), hi(x.size());
  std::vector<double> probe = x;
  sys.flow(probe.data(), theta.data(), 1000.0, 100000, 0, nullptr, nullptr, lo.data(), hi.data());
  if (!(hi[v] - lo[v] > 1.0)) return std::nullopt;  // no oscillation of at least 1 (mV)
  const double mid = 0.5 * (lo[v] + hi[v]);
  std::vector<double> crossing_state;
  double previous_crossing = -1.0;
  double period = 0.0;
  for (std::size_t step = 0; step < 200000 && period == 0.0; ++step) {
    const double before = x[v];
    sys.flow(x.data(), theta.data(), h, 1, 0, nullptr, nullptr, nullptr, nullptr);
    if (before < mid && x[v] >= mid) {
      const double t = (static_cast<double>(step) + (mid - before) / (x[v] - before)) * h;
      if (previous_crossing >= 0.0) period = t - previous_crossing;
      previous_crossing = t;
      crossing_state = x;
    }
  }
  if (period == 0.0) return std::nullopt;
  const cycle_continuation c(sys, theta, control, options);
  const VectorXd y = c.shooting().unknowns(crossing_state, period, theta[control]);
  VectorXd along = VectorXd::Zero(y.size());
  along(c.shooting().control_index()) = 1.0;  // the hyperplane holds the control fixed
  auto a = c.first(y, along);
  if (!a) return std::nullopt;
  return c.shooting().describe(a->y);
}

}  // namespace ionode::analysis
