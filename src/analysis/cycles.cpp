// Periodic orbits by single shooting: y = (x0, T, control), F(y) = (phi_T(x0) - x0, f(x_ref).(x0 - x_ref)),
// with the flow and its sensitivities (monodromy matrix, d/dcontrol) from the rk4 map integrated in
// dual numbers, and d phi_T / dT = f(phi_T(x0)). Continued by pseudo-arclength like the equilibria.
#include "ionode/analysis/cycles.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "arclength.hpp"
#include "ionode/error.hpp"
#include "linear.hpp"

namespace ionode::analysis {

using detail::arc_point;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

class shooting {
 public:
  shooting(const system& sys, std::vector<double> theta, std::size_t control, const cycle_options& options)
      : sys_(sys), theta_(std::move(theta)), control_(control), options_(options),
        n_(static_cast<Eigen::Index>(sys.dimension())) {}

  std::vector<double> theta_at(double lambda) const {
    std::vector<double> th = theta_;
    th[control_] = lambda;
    return th;
  }

  void residual(const VectorXd& y, const VectorXd& ref, VectorXd& F, MatrixXd& J) const {
    const Eigen::Index n = n_;
    const std::vector<double> th = theta_at(y(n + 1));
    VectorXd x = y.head(n), x_control(n), f_end(n), f_ref(n);
    MatrixXd phi(n, n);
    sys_.flow(x.data(), th.data(), y(n), options_.steps, control_, phi.data(), x_control.data(), nullptr, nullptr);
    sys_.rhs(x.data(), th.data(), f_end.data());
    const std::vector<double> th_ref = theta_at(ref(n + 1));
    sys_.rhs(ref.data(), th_ref.data(), f_ref.data());
    F.resize(n + 1);
    F << x - y.head(n), f_ref.dot(y.head(n) - ref.head(n));
    J.setZero(n + 1, n + 2);
    J.topLeftCorner(n, n) = phi - MatrixXd::Identity(n, n);
    J.col(n).head(n) = f_end;
    J.col(n + 1).head(n) = x_control;
    J.row(n).head(n) = f_ref.transpose();
  }

  cycle_point describe(const VectorXd& y) const {
    const Eigen::Index n = n_;
    cycle_point c;
    c.param = y(n + 1);
    c.period = y(n);
    c.x0 = detail::to_std(y.head(n));
    c.x_min.resize(n);
    c.x_max.resize(n);
    VectorXd x = y.head(n);
    MatrixXd phi(n, n);
    const std::vector<double> th = theta_at(c.param);
    sys_.flow(x.data(), th.data(), c.period, options_.steps, control_, phi.data(), nullptr, c.x_min.data(),
              c.x_max.data());
    Eigen::EigenSolver<MatrixXd> solver(phi, false);
    c.multipliers.assign(solver.eigenvalues().begin(), solver.eigenvalues().end());
    std::sort(c.multipliers.begin(), c.multipliers.end(), [](auto a, auto b) { return std::abs(a) > std::abs(b); });
    // The trivial multiplier (along the orbit) is the one closest to 1; the others decide stability.
    std::size_t trivial = 0;
    for (std::size_t i = 1; i < c.multipliers.size(); ++i) {
      if (std::abs(c.multipliers[i] - 1.0) < std::abs(c.multipliers[trivial] - 1.0)) trivial = i;
    }
    c.stable = true;
    for (std::size_t i = 0; i < c.multipliers.size(); ++i) {
      if (i != trivial && std::abs(c.multipliers[i]) >= 1.0) c.stable = false;
    }
    return c;
  }

  double amplitude(const cycle_point& c) const {
    const std::size_t v = sys_.info().spike_variable;
    return c.x_max[v] - c.x_min[v];
  }

  cycle_branch follow(arc_point a) const {
    const Eigen::Index n = n_;
    const detail::arclength engine(
        [this](const VectorXd& y, const VectorXd& ref, VectorXd& F, MatrixXd& J) { residual(y, ref, F, J); },
        options_.tolerance);
    const std::string name(control_name(sys_.info(), control_));
    cycle_branch branch;
    branch.points.push_back(describe(a.y));
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
      if (!b || b->tangent.dot(a.tangent) < 0.7 || !(b->y(n) > 0.0) ||
          (b->y - a.y - ds * a.tangent).norm() > ds) {
        ds *= 0.5;
        if (ds < options_.ds_min) {
          branch.note = fmt::format("stopped at {} = {}: the shooting corrector failed with the smallest step",
                                    name, a.y(n + 1));
          break;
        }
        continue;
      }
      if (a.tangent(n + 1) * b->tangent(n + 1) < 0.0) {
        if (auto fold = engine.locate_fold(a, ds)) {
          const double p = fold->y(n + 1);
          if (p >= options_.lo && p <= options_.hi) {
            cycle_point c = describe(fold->y);
            branch.folds.push_back({c.param, c.period, std::move(c)});
          }
        }
      }
      const double p = b->y(n + 1);
      if (p < options_.lo || p > options_.hi) break;
      cycle_point c = describe(b->y);
      if (c.period > options_.max_period) {
        branch.note = fmt::format("stopped at {} = {}: the period exceeds {} ms (a homoclinic orbit?)", name, p,
                                  options_.max_period);
        break;
      }
      const bool collapsed = amplitude(c) < options_.min_amplitude;
      branch.points.push_back(std::move(c));
      if (collapsed) {
        branch.note = fmt::format("the cycles shrink into an equilibrium at {} = {} (a Hopf point)", name, p);
        break;
      }
      a = std::move(*b);
      if (iterations <= 4) ds = std::min(ds * 1.5, options_.ds_max);
      if (iterations >= 6) ds *= 0.5;
    }
    return branch;
  }

  std::optional<arc_point> first(const VectorXd& y_pred, const VectorXd& t) const {
    const detail::arclength engine(
        [this](const VectorXd& y, const VectorXd& ref, VectorXd& F, MatrixXd& J) { residual(y, ref, F, J); },
        options_.tolerance, 30);
    return engine.correct(y_pred, t, y_pred);
  }

  Eigen::Index n() const { return n_; }

 private:
  const system& sys_;
  std::vector<double> theta_;
  std::size_t control_;
  cycle_options options_;
  Eigen::Index n_;
};

void check_range(const system& sys, std::size_t control, const cycle_options& options) {
  if (!std::isfinite(options.lo) || !std::isfinite(options.hi) || !(options.lo < options.hi)) {
    throw error(fmt::format("the range of {} is empty or reversed ([{}, {}]); give LO < HI",
                            control_name(sys.info(), control), options.lo, options.hi));
  }
}

}  // namespace

cycle_branch continue_cycles_from_hopf(const system& sys, std::vector<double> theta, std::size_t control,
                                       const hopf_point& hopf, const cycle_options& options) {
  check_range(sys, control, options);
  const shooting s(sys, theta, control, options);
  const Eigen::Index n = s.n();
  const auto q = Eigen::Map<const Eigen::VectorXcd>(hopf.eigenvector.data(), n);
  const double qv = std::abs(q(static_cast<Eigen::Index>(sys.info().spike_variable)));
  const double epsilon = options.first_amplitude / std::max(qv, 1e-12);
  VectorXd y_pred(n + 2), t = VectorXd::Zero(n + 2);
  y_pred << Eigen::Map<const VectorXd>(hopf.x.data(), n) + epsilon * q.real(), 2.0 * std::numbers::pi / hopf.omega,
      hopf.param;
  t.head(n) = q.real().normalized();
  auto a = s.first(y_pred, t);
  if (!a) {
    cycle_branch empty;
    empty.note = fmt::format("no cycle found near the Hopf point at {} = {}", control_name(sys.info(), control),
                             hopf.param);
    return empty;
  }
  return s.follow(*a);
}

cycle_branch continue_cycles(const system& sys, std::vector<double> theta, std::size_t control,
                             const cycle_point& start, int direction, const cycle_options& options) {
  check_range(sys, control, options);
  const shooting s(sys, theta, control, options);
  const Eigen::Index n = s.n();
  VectorXd y(n + 2), along = VectorXd::Zero(n + 2);
  y << Eigen::Map<const VectorXd>(start.x0.data(), n), start.period, start.param;
  along(n + 1) = direction >= 0 ? 1.0 : -1.0;
  VectorXd F;
  MatrixXd J;
  s.residual(y, y, F, J);
  return s.follow({y, detail::arclength::tangent_of(J, along), J});
}

std::optional<cycle_point> cycle_from_simulation(const system& sys, const std::vector<double>& theta,
                                                 std::size_t control, std::vector<double> x,
                                                 const cycle_options& options) {
  const auto n = static_cast<Eigen::Index>(sys.dimension());
  const std::size_t v = sys.info().spike_variable;
  constexpr double h = 0.01;  // ms
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
  const shooting s(sys, theta, control, options);
  VectorXd y(n + 2), along = VectorXd::Zero(n + 2);
  y << Eigen::Map<const VectorXd>(crossing_state.data(), n), period, theta[control];
  along(n + 1) = 1.0;  // the hyperplane holds the control fixed
  auto a = s.first(y, along);
  if (!a) return std::nullopt;
  return s.describe(a->y);
}

}  // namespace ionode::analysis
