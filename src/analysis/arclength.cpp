// The pseudo-arclength corrector, tangents, fold location, and a finite-difference Newton.
#include "arclength.hpp"

#include <cmath>

namespace ionode::analysis::detail {

std::optional<arc_point> arclength::correct(const VectorXd& y_pred, const VectorXd& t, const VectorXd& reference,
                                            int* iterations) const {
  const Eigen::Index m1 = y_pred.size();
  VectorXd y = y_pred, F;
  MatrixXd J, A(m1, m1);
  VectorXd rhs(m1);
  for (int it = 0; it < max_iterations_; ++it) {
    residual_(y, reference, F, J);
    if (!F.allFinite() || !J.allFinite()) return std::nullopt;
    A.topRows(m1 - 1) = J;
    A.row(m1 - 1) = t.transpose();
    rhs.head(m1 - 1) = -F;
    rhs(m1 - 1) = -t.dot(y - y_pred);
    const VectorXd dy = A.partialPivLu().solve(rhs);
    if (!dy.allFinite()) return std::nullopt;
    y += dy;
    if (dy.lpNorm<Eigen::Infinity>() < tolerance_ * (1.0 + y.lpNorm<Eigen::Infinity>())) {
      // The tangent with the point as its own reference: then tangents at successive points are
      // comparable (a periodic orbit's phase condition is anchored where each step starts).
      residual_(y, y, F, J);
      if (!F.allFinite() || !J.allFinite()) return std::nullopt;
      if (iterations != nullptr) *iterations = it + 1;
      return arc_point{y, tangent_of(J, t), J};
    }
  }
  return std::nullopt;
}

VectorXd arclength::tangent_of(const MatrixXd& J, const VectorXd& orientation) {
  const Eigen::Index m1 = J.cols();
  MatrixXd A(m1, m1);
  A.topRows(m1 - 1) = J;
  A.row(m1 - 1) = orientation.transpose();
  VectorXd rhs = VectorXd::Zero(m1);
  rhs(m1 - 1) = 1.0;
  VectorXd t = A.partialPivLu().solve(rhs);
  t.normalize();
  if (t.dot(orientation) < 0.0) t = -t;
  return t;
}

std::optional<arc_point> arclength::locate_fold(const arc_point& a, double s_b) const {
  const Eigen::Index last = a.y.size() - 1;
  // The control's tangent component as a function of s; sign change between 0 and s_b.
  double s0 = 0.0, g0 = a.tangent(last);
  auto b = at(a, s_b);
  if (!b) return std::nullopt;
  double s1 = s_b, g1 = b->tangent(last);
  if (g0 * g1 > 0.0) return std::nullopt;
  std::optional<arc_point> best = b;
  for (int it = 0; it < 60 && std::abs(s1 - s0) > 1e-12 * (1.0 + std::abs(s_b)); ++it) {
    double s = (s0 * g1 - s1 * g0) / (g1 - g0);
    if (!(s > std::min(s0, s1) && s < std::max(s0, s1))) s = 0.5 * (s0 + s1);
    auto p = at(a, s);
    if (!p) return best;
    const double g = p->tangent(last);
    best = p;
    if (g == 0.0) break;
    if (g * g1 < 0.0) {
      s0 = s1;
      g0 = g1;
      s1 = s;
      g1 = g;
    } else {
      s1 = s;
      g1 = g;
      g0 *= 0.5;  // Illinois: the retained end's value halves, so that it does not stay forever
    }
  }
  return best;
}

bool newton_fd(const std::function<VectorXd(const VectorXd&)>& G, VectorXd& z, double tolerance, int max_iterations) {
  const Eigen::Index m = z.size();
  MatrixXd J(m, m);
  for (int it = 0; it < max_iterations; ++it) {
    const VectorXd g = G(z);
    if (!g.allFinite()) return false;
    for (Eigen::Index j = 0; j < m; ++j) {
      const double h = 1e-7 * (1.0 + std::abs(z(j)));
      VectorXd zp = z, zm = z;
      zp(j) += h;
      zm(j) -= h;
      J.col(j) = (G(zp) - G(zm)) / (2.0 * h);
    }
    const VectorXd dz = J.fullPivLu().solve(-g);
    if (!dz.allFinite()) return false;
    z += dz;
    if (dz.lpNorm<Eigen::Infinity>() < tolerance * (1.0 + z.lpNorm<Eigen::Infinity>())) return true;
  }
  return false;
}

}  // namespace ionode::analysis::detail
