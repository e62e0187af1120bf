// Hopf points: Newton on the augmented system {f = 0, J q = i omega q, normalization} and the first
// Lyapunov coefficient (sub- or supercritical).
#pragma once

#include <Eigen/Dense>

#include <optional>

#include "ionode/analysis/equilibria.hpp"

namespace ionode::analysis::detail {

// From a guess of the point (x, lambda), the frequency omega (rad/ms) and the critical eigenvector q.
std::optional<hopf_point> locate_hopf(const system& sys, std::vector<double> theta, std::size_t control,
                                      const Eigen::VectorXd& x, double lambda, double omega,
                                      const Eigen::VectorXcd& q);

// Kuznetsov's first Lyapunov coefficient at a Hopf point (x, theta) with J q = i omega q, the
// multilinear forms B and C by central differences of the exact (dual-number) Jacobian.
double first_lyapunov_coefficient(const system& sys, const std::vector<double>& theta, const Eigen::VectorXd& x,
                                  double omega, Eigen::VectorXcd* eigenvector = nullptr);

}  // namespace ionode::analysis::detail
