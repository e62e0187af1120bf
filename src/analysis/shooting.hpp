// Periodic orbits by multiple shooting: the orbit cut into M arcs of equal time, each integrated
// from its own start, so that an unstable orbit's growth (a Floquet multiplier mu) is spread as
// mu^(1/M) per arc instead of mu over one period. M = 1 is single shooting.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <vector>

#include "ionode/analysis/cycles.hpp"
#include "ionode/analysis/system.hpp"

namespace ionode::analysis::detail {

// Unknowns y = (u_0, ..., u_{M-1}, T, control) with u_i = x_i / sqrt(M), x_i the orbit's state at
// t = i T / M; equations phi_{T/M}(x_i) - x_{i+1 mod M} = 0 and the phase condition
// sum_i f(x_ref,i).(x_i - x_ref,i) = 0 over the reference orbit's arc starts x_ref,i. The scale 1/sqrt(M)
// makes |y| the root mean square over the arcs' starts, so the arclength norm (and so ds, ds_max)
// means what it means for single shooting.
class multiple_shooting {
 public:
  // `steps`: rk4 steps per period, spread over the arcs (at least one per arc).
  multiple_shooting(const system& sys, std::vector<double> theta, std::size_t control, std::size_t segments,
                    std::size_t steps);

  Eigen::Index n() const { return n_; }
  Eigen::Index segments() const { return m_; }
  Eigen::Index period_index() const { return n_ * m_; }
  Eigen::Index control_index() const { return n_ * m_ + 1; }
  std::vector<double> theta_at(double control) const;

  // F (n M + 1) and its Jacobian (n M + 1) x (n M + 2): the arcs' sensitivities from the rk4 map in
  // dual numbers; d/dT = f(x_end) / M (the flow's, not the discrete map's: a quasi-Newton term).
  void residual(const Eigen::VectorXd& y, const Eigen::VectorXd& reference, Eigen::VectorXd& F,
                Eigen::MatrixXd& J) const;

  // Unknowns for the orbit through x0 with this period: the arcs' starts by integrating from x0.
  Eigen::VectorXd unknowns(const std::vector<double>& x0, double period, double control) const;
  // Unknowns from arc starts given directly (the linear orbit at a Hopf point).
  Eigen::VectorXd unknowns(const std::vector<Eigen::VectorXd>& starts, double period, double control) const;
  // The arcs' starts x_i of y.
  Eigen::VectorXd start(const Eigen::VectorXd& y, Eigen::Index i) const {
    return y.segment(i * n_, n_) / scale_;
  }

  // sum_i (x_i(a) - mean_a).(x_i(b) - mean_b) over the arcs' starts (scaled like y): negative when b
  // is a's orbit half a period out of phase, as on either side of a Hopf point.
  double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) const;

  // The cycle: x_0, period, extremes over all arcs' step points, Floquet multipliers from the
  // monodromy matrix Phi_{M-1} ... Phi_0 (the plain product: it loses the small multipliers'
  // digits next to a large one, ~1e-16 |mu_max| absolute, harmless for |mu| up to ~1e4), stability.
  cycle_point describe(const Eigen::VectorXd& y) const;

 private:
  const system& sys_;
  std::vector<double> theta_;
  std::size_t control_;
  Eigen::Index n_, m_;
  std::size_t steps_per_arc_;
  double scale_;  // 1 / sqrt(M)
};

}  // namespace ionode::analysis::detail
