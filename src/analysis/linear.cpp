// The Jacobian as an Eigen matrix and sorted eigenvalues (Eigen's EigenSolver).
#include "linear.hpp"

#include <algorithm>

namespace ionode::analysis::detail {

linearization linearize(const system& sys, const Eigen::VectorXd& x, const std::vector<double>& theta,
                        std::size_t control) {
  const auto n = static_cast<Eigen::Index>(sys.dimension());
  linearization l{Eigen::VectorXd(n), Eigen::VectorXd(n), Eigen::MatrixXd(n, n)};
  sys.linearize(x.data(), theta.data(), control, l.f.data(), l.jacobian.data(), l.f_control.data());
  return l;
}

std::vector<std::complex<double>> sorted_eigenvalues(const Eigen::MatrixXd& A) {
  Eigen::EigenSolver<Eigen::MatrixXd> solver(A, false);
  std::vector<std::complex<double>> values(solver.eigenvalues().begin(), solver.eigenvalues().end());
  std::sort(values.begin(), values.end(), [](auto a, auto b) {
    return a.real() != b.real() ? a.real() > b.real() : a.imag() > b.imag();
  });
  return values;
}

std::vector<double> to_std(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

}  // namespace ionode::analysis::detail
