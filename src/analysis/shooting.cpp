// Multiple shooting for periodic orbits: residual, Jacobian, starting unknowns, Floquet multipliers.
#include "shooting.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ionode/error.hpp"
#include "linear.hpp"

namespace ionode::analysis::detail {

using Eigen::MatrixXd;
using Eigen::VectorXd;

multiple_shooting::multiple_shooting(const system& sys, std::vector<double> theta, std::size_t control,
                                     std::size_t segments, std::size_t steps)
    : sys_(sys),
      theta_(std::move(theta)),
      control_(control),
      n_(static_cast<Eigen::Index>(sys.dimension())),
      m_(static_cast<Eigen::Index>(std::max<std::size_t>(segments, 1))),
      steps_per_arc_(std::max<std::size_t>(1, (steps + segments / 2) / std::max<std::size_t>(segments, 1))),
      scale_(1.0 / std::sqrt(static_cast<double>(m_))) {}

std::vector<double> multiple_shooting::theta_at(double control) const {
  std::vector<double> th = theta_;
  th[control_] = control;
  return th;
}

void multiple_shooting::residual(const VectorXd& y, const VectorXd& reference, VectorXd& F,
                                 MatrixXd& J) const {
  const Eigen::Index n = n_, last = period_index();
  const double arc = y(last) / static_cast<double>(m_);
  const std::vector<double> th = theta_at(y(last + 1));
  F.resize(last + 1);
  J.setZero(last + 1, last + 2);
  VectorXd x(n), x_control(n), f_end(n), f_ref(n);
  MatrixXd phi(n, n);
  for (Eigen::Index i = 0; i < m_; ++i) {
    const Eigen::Index next = (i + 1) % m_;
    x = start(y, i);
    sys_.flow(x.data(), th.data(), arc, steps_per_arc_, control_, phi.data(), x_control.data(), nullptr,
              nullptr);
    sys_.rhs(x.data(), th.data(), f_end.data());
    F.segment(i * n, n) = x - start(y, next);
    // += and -=: with one arc (single shooting) both blocks are the same one, phi - I.
    J.block(i * n, i * n, n, n) += phi / scale_;
    J.block(i * n, next * n, n, n) -= MatrixXd::Identity(n, n) / scale_;
    J.col(last).segment(i * n, n) = f_end / static_cast<double>(m_);
    J.col(last + 1).segment(i * n, n) = x_control;
  }
  // The phase condition summed over the arcs' starts (a discretized integral phase condition):
  // one point's Poincare section is crossed twice by every orbit, and after a large step x_0 can
  // land on the wrong crossing, half a period away; the sum keeps the orbit's phase near the
  // reference's as a whole.
  const std::vector<double> th_ref = theta_at(reference(last + 1));
  F(last) = 0.0;
  for (Eigen::Index i = 0; i < m_; ++i) {
    const VectorXd x_ref = start(reference, i);
    sys_.rhs(x_ref.data(), th_ref.data(), f_ref.data());
    F(last) += f_ref.dot(start(y, i) - x_ref);
    J.row(last).segment(i * n, n) = f_ref.transpose() / scale_;
  }
}

VectorXd multiple_shooting::unknowns(const std::vector<double>& x0, double period, double control) const {
  const std::vector<double> th = theta_at(control);
  std::vector<VectorXd> starts;
  VectorXd x = Eigen::Map<const VectorXd>(x0.data(), n_);
  for (Eigen::Index i = 0; i < m_; ++i) {
    starts.push_back(x);
    sys_.flow(x.data(), th.data(), period / static_cast<double>(m_), steps_per_arc_, control_, nullptr,
              nullptr, nullptr, nullptr);
  }
  return unknowns(starts, period, control);
}

VectorXd multiple_shooting::unknowns(const std::vector<VectorXd>& starts, double period,
                                     double control) const {
  if (static_cast<Eigen::Index>(starts.size()) != m_) {
    throw internal_error(fmt::format("multiple shooting: {} arc starts for {} arcs", starts.size(), m_));
  }
  VectorXd y(period_index() + 2);
  for (Eigen::Index i = 0; i < m_; ++i) y.segment(i * n_, n_) = starts[static_cast<std::size_t>(i)] * scale_;
  y(period_index()) = period;
  y(control_index()) = control;
  return y;
}

double multiple_shooting::correlation(const VectorXd& a, const VectorXd& b) const {
  const auto ua = Eigen::Map<const MatrixXd>(a.data(), n_, m_),
             ub = Eigen::Map<const MatrixXd>(b.data(), n_, m_);
  return ((ua.colwise() - ua.rowwise().mean()).cwiseProduct(ub.colwise() - ub.rowwise().mean())).sum();
}

cycle_point multiple_shooting::describe(const VectorXd& y) const {
  const Eigen::Index n = n_;
  cycle_point c;
  c.param = y(control_index());
  c.period = y(period_index());
  c.x0 = to_std(start(y, 0));
  c.x_min.assign(c.x0.begin(), c.x0.end());
  c.x_max.assign(c.x0.begin(), c.x0.end());
  const std::vector<double> th = theta_at(c.param);
  MatrixXd monodromy = MatrixXd::Identity(n, n), phi(n, n);
  std::vector<double> lo(static_cast<std::size_t>(n)), hi(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < m_; ++i) {
    VectorXd x = start(y, i);
    sys_.flow(x.data(), th.data(), c.period / static_cast<double>(m_), steps_per_arc_, control_, phi.data(),
              nullptr, lo.data(), hi.data());
    monodromy = phi * monodromy;
    for (std::size_t k = 0; k < lo.size(); ++k) {
      c.x_min[k] = std::min(c.x_min[k], lo[k]);
      c.x_max[k] = std::max(c.x_max[k], hi[k]);
    }
  }
  Eigen::EigenSolver<MatrixXd> solver(monodromy, false);
  c.multipliers.assign(solver.eigenvalues().begin(), solver.eigenvalues().end());
  std::sort(c.multipliers.begin(), c.multipliers.end(),
            [](auto a, auto b) { return std::abs(a) > std::abs(b); });
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

}  // namespace ionode::analysis::detail
