// Pseudo-arclength continuation of F(y) = 0, F: R^(m+1) -> R^m, shared by the equilibrium and the
// periodic-orbit branches: Newton corrector on the hyperplane orthogonal to the tangent, tangent
// from the bordered Jacobian, fold location by regula falsi on the control's tangent component.
#pragma once

#include <Eigen/Dense>

#include <functional>
#include <optional>

namespace ionode::analysis::detail {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// F(y) and its Jacobian (m x (m+1)). `reference` is the point the step started from (periodic
// orbits take their phase condition from it; equilibria ignore it).
using residual_fn = std::function<void(const VectorXd& y, const VectorXd& reference, VectorXd& F, MatrixXd& J)>;

struct arc_point {
  VectorXd y;        // unknowns; the control is the last one
  VectorXd tangent;  // unit tangent, oriented along the direction of travel
  MatrixXd jacobian;  // F's Jacobian at y
};

class arclength {
 public:
  arclength(residual_fn residual, double tolerance, int max_iterations = 12)
      : residual_(std::move(residual)), tolerance_(tolerance), max_iterations_(max_iterations) {}

  // Newton on [F(y); t.(y - y_pred)] = 0 from y_pred; the tangent at the result is oriented like t.
  std::optional<arc_point> correct(const VectorXd& y_pred, const VectorXd& t, const VectorXd& reference,
                                   int* iterations = nullptr) const;
  // The corrected point at arclength s from `from` along its tangent.
  std::optional<arc_point> at(const arc_point& from, double s, int* iterations = nullptr) const {
    return correct(from.y + s * from.tangent, from.tangent, from.y, iterations);
  }
  // The unit null vector of J (m x (m+1)) oriented like `orientation`.
  static VectorXd tangent_of(const MatrixXd& J, const VectorXd& orientation);
  // Between a and b = at(a, s_b), where the control's tangent component changes sign: the fold,
  // by regula falsi (Illinois) on s.
  std::optional<arc_point> locate_fold(const arc_point& a, double s_b) const;

 private:
  residual_fn residual_;
  double tolerance_;
  int max_iterations_;
};

// Newton with a forward-difference Jacobian on a square system G(z) = 0 (the augmented systems of
// Hopf points). Returns whether max|dz| fell below the tolerance.
bool newton_fd(const std::function<VectorXd(const VectorXd&)>& G, VectorXd& z, double tolerance, int max_iterations);

}  // namespace ionode::analysis::detail
