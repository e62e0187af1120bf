// The equilibrium branch: Newton for the first point, pseudo-arclength continuation, stability,
// folds (sign change of the control's tangent component) and Hopf points (a complex pair crossing).
#include "ionode/analysis/equilibria.hpp"

#include <fmt/format.h>

#include <cmath>

#include "arclength.hpp"
#include "hopf.hpp"
#include "ionode/error.hpp"
#include "linear.hpp"

namespace ionode::analysis {

using detail::arc_point;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

std::optional<VectorXd> newton_equilibrium(const system& sys, const std::vector<double>& theta, VectorXd x) {
  for (int it = 0; it < 60; ++it) {
    const detail::linearization l = detail::linearize(sys, x, theta, 0);
    if (!l.f.allFinite() || !l.jacobian.allFinite()) return std::nullopt;
    const VectorXd dx = l.jacobian.fullPivLu().solve(-l.f);
    if (!dx.allFinite()) return std::nullopt;
    // Damped: halve the step until the residual decreases.
    double step = 1.0;
    VectorXd trial = x + dx;
    VectorXd f_trial(x.size());
    for (int k = 0; k < 30; ++k) {
      trial = x + step * dx;
      sys.rhs(trial.data(), theta.data(), f_trial.data());
      if (f_trial.allFinite() && f_trial.norm() < l.f.norm() * (1.0 - 1e-4 * step)) break;
      step *= 0.5;
    }
    x = trial;
    if (step == 1.0 && dx.lpNorm<Eigen::Infinity>() < 1e-12 * (1.0 + x.lpNorm<Eigen::Infinity>())) return x;
    if (f_trial.lpNorm<Eigen::Infinity>() < 1e-13) return x;
  }
  return std::nullopt;
}

std::size_t count_unstable(const std::vector<std::complex<double>>& values, bool complex_only) {
  std::size_t count = 0;
  for (const auto& v : values) count += v.real() > 0.0 && (!complex_only || v.imag() != 0.0) ? 1 : 0;
  return count;
}

equilibrium_point make_point(const system& sys, const VectorXd& y, const std::vector<double>& theta) {
  const auto n = static_cast<Eigen::Index>(sys.dimension());
  equilibrium_point p;
  p.param = y(n);
  p.x = detail::to_std(y.head(n));
  const detail::linearization l = detail::linearize(sys, y.head(n), theta, 0);
  p.eigenvalues = detail::sorted_eigenvalues(l.jacobian);
  p.unstable = count_unstable(p.eigenvalues, false);
  p.stable = p.unstable == 0;
  return p;
}

// The complex eigenvalue with positive imaginary part nearest the imaginary axis, and its eigenvector.
std::pair<std::complex<double>, Eigen::VectorXcd> critical_pair(const MatrixXd& A) {
  Eigen::EigenSolver<MatrixXd> solver(A);
  Eigen::Index best = -1;
  for (Eigen::Index i = 0; i < A.rows(); ++i) {
    const auto v = solver.eigenvalues()(i);
    if (v.imag() > 0.0 && (best < 0 || std::abs(v.real()) < std::abs(solver.eigenvalues()(best).real()))) best = i;
  }
  if (best < 0) return {{0.0, 0.0}, Eigen::VectorXcd()};
  return {solver.eigenvalues()(best), solver.eigenvectors().col(best)};
}

}  // namespace

std::vector<std::complex<double>> eigenvalues_at(const system& sys, const std::vector<double>& x,
                                                 const std::vector<double>& theta) {
  const VectorXd xv = Eigen::Map<const VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
  return detail::sorted_eigenvalues(detail::linearize(sys, xv, theta, 0).jacobian);
}

std::optional<std::vector<double>> find_equilibrium(const system& sys, const std::vector<double>& theta,
                                                    std::vector<double> guess) {
  const auto n = static_cast<Eigen::Index>(sys.dimension());
  const VectorXd x0 = Eigen::Map<VectorXd>(guess.data(), n);
  // First let the dynamics settle (0.5 s of model time), so that Newton finds the attracting rest
  // state when there is one rather than whichever equilibrium is nearest the initial state.
  VectorXd x = x0;
  sys.flow(x.data(), theta.data(), 500.0, 20000, 0, nullptr, nullptr, nullptr, nullptr);
  if (x.allFinite()) {
    if (auto found = newton_equilibrium(sys, theta, x)) return detail::to_std(*found);
  }
  if (auto found = newton_equilibrium(sys, theta, x0)) return detail::to_std(*found);
  return std::nullopt;
}

equilibrium_branch continue_equilibria(const system& sys, std::vector<double> theta, std::size_t control,
                                       const continuation_options& options,
                                       std::optional<std::vector<double>> start) {
  const std::string name(control_name(sys.info(), control));
  if (!std::isfinite(options.lo) || !std::isfinite(options.hi) || !(options.lo < options.hi)) {
    throw error(fmt::format("the range of {} is empty or reversed ([{}, {}]); give LO < HI", name, options.lo,
                            options.hi));
  }
  const auto n = static_cast<Eigen::Index>(sys.dimension());
  equilibrium_branch branch;
  theta[control] = options.lo;
  const auto x0 = find_equilibrium(sys, theta, start ? *start : sys.default_state(theta.data()));
  if (!x0) {
    branch.note = fmt::format("no equilibrium found at {} = {} (Newton after 0.5 s of simulation, and from the "
                              "initial state, did not converge)", name, options.lo);
    return branch;
  }

  detail::residual_fn residual = [&](const VectorXd& y, const VectorXd&, VectorXd& F, MatrixXd& J) {
    std::vector<double> th = theta;
    th[control] = y(n);
    const detail::linearization l = detail::linearize(sys, y.head(n), th, control);
    F = l.f;
    J.resize(n, n + 1);
    J << l.jacobian, l.f_control;
  };
  const detail::arclength engine(residual, options.tolerance);
  auto theta_at = [&](const VectorXd& y) {
    std::vector<double> th = theta;
    th[control] = y(n);
    return th;
  };

  VectorXd y0(n + 1);
  y0 << Eigen::Map<const VectorXd>(x0->data(), n), options.lo;
  VectorXd along = VectorXd::Zero(n + 1);
  along(n) = 1.0;
  auto first = engine.correct(y0, along, y0);
  if (!first) {
    branch.note = fmt::format("the equilibrium at {} = {} is singular; continuation cannot start", name, options.lo);
    return branch;
  }
  arc_point a = *first;
  equilibrium_point pa = make_point(sys, a.y, theta_at(a.y));
  branch.points.push_back(pa);
  double ds = options.ds;
  const double tiny = 1e-9 * (options.hi - options.lo);
  while (branch.points.size() < options.max_points) {
    int iterations = 0;
    auto b = engine.at(a, ds, &iterations);
    // A step that turns the tangent by more than ~25 degrees may have jumped to another branch.
    if (!b || b->tangent.dot(a.tangent) < 0.9) {
      ds *= 0.5;
      if (ds < options.ds_min) {
        branch.note = fmt::format("continuation stopped at {} = {}: the corrector failed with the smallest step",
                                  name, a.y(n));
        break;
      }
      continue;
    }
    equilibrium_point pb = make_point(sys, b->y, theta_at(b->y));
    if (a.tangent(n) * b->tangent(n) < 0.0) {
      if (auto fold = engine.locate_fold(a, ds)) {
        const double p = fold->y(n);
        if (p >= options.lo - tiny && p <= options.hi + tiny) {
          const equilibrium_point pf = make_point(sys, fold->y, theta_at(fold->y));
          branch.folds.push_back({pf.param, pf.x, pf.eigenvalues});
        }
      }
    }
    const std::size_t ua = count_unstable(pa.eigenvalues, true), ub = count_unstable(pb.eigenvalues, true);
    const std::size_t ta = pa.unstable, tb = pb.unstable;
    if (ua != ub && (ta > tb ? ta - tb : tb - ta) == 2) {
      // Interpolate the crossing of the critical pair's real part for the first guess.
      const auto [ea, va] = critical_pair(detail::linearize(sys, a.y.head(n), theta_at(a.y), 0).jacobian);
      const auto [eb, vb] = critical_pair(detail::linearize(sys, b->y.head(n), theta_at(b->y), 0).jacobian);
      const double r = ea.real() != eb.real() ? ea.real() / (ea.real() - eb.real()) : 0.5;
      const VectorXd y = a.y + std::clamp(r, 0.0, 1.0) * (b->y - a.y);
      const auto [e, v] = critical_pair(detail::linearize(sys, y.head(n), theta_at(y), 0).jacobian);
      if (v.size() == n) {
        auto h = detail::locate_hopf(sys, theta, control, y.head(n), y(n), e.imag(), v);
        const double lo = std::min(a.y(n), b->y(n)), hi = std::max(a.y(n), b->y(n)), margin = hi - lo + tiny;
        if (h && h->param >= lo - margin && h->param <= hi + margin && h->param >= options.lo - tiny &&
            h->param <= options.hi + tiny) {
          branch.hopf.push_back(std::move(*h));
        }
      }
    }
    const bool leaves = b->y(n) < options.lo - tiny || b->y(n) > options.hi + tiny;
    if (leaves) break;
    branch.points.push_back(pb);
    a = std::move(*b);
    pa = std::move(pb);
    if (iterations <= 3) ds = std::min(ds * 1.5, options.ds_max);
    if (iterations >= 6) ds *= 0.5;
  }
  if (branch.points.size() >= options.max_points) {
    branch.note = fmt::format("continuation stopped after {} points (max_points)", options.max_points);
  }
  return branch;
}

}  // namespace ionode::analysis
