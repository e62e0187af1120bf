// Small helpers shared by the analysis files: the Jacobian as an Eigen matrix, eigenvalues sorted.
#pragma once

#include <Eigen/Dense>

#include <complex>
#include <vector>

#include "ionode/analysis/system.hpp"

namespace ionode::analysis::detail {

// f, df/dx and df/dtheta[control] at (x, theta).
struct linearization {
  Eigen::VectorXd f, f_control;
  Eigen::MatrixXd jacobian;
};
linearization linearize(const system& sys, const Eigen::VectorXd& x, const std::vector<double>& theta,
                        std::size_t control);

// Eigenvalues sorted by decreasing real part (ties: decreasing imaginary part).
std::vector<std::complex<double>> sorted_eigenvalues(const Eigen::MatrixXd& A);

std::vector<double> to_std(const Eigen::VectorXd& v);

}  // namespace ionode::analysis::detail
