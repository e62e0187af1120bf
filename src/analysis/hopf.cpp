// Hopf points located by Newton on the augmented system, and their first Lyapunov coefficient.
#include "hopf.hpp"

#include <cmath>
#include <numbers>

#include "arclength.hpp"
#include "linear.hpp"

namespace ionode::analysis::detail {

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXcd;
using Eigen::VectorXd;
using cplx = std::complex<double>;

// Index of the eigenvalue closest to `target`.
Eigen::Index closest(const Eigen::VectorXcd& values, cplx target) {
  Eigen::Index best = 0;
  for (Eigen::Index i = 1; i < values.size(); ++i) {
    if (std::abs(values(i) - target) < std::abs(values(best) - target)) best = i;
  }
  return best;
}

// The multilinear forms of f at x, from differences of the exact Jacobian.
class forms {
 public:
  forms(const system& sys, const std::vector<double>& theta, const VectorXd& x) : sys_(sys), theta_(theta), x_(x) {}

  VectorXd B(const VectorXd& u, const VectorXd& v) const {
    constexpr double h = 1e-5;
    return (jac(h * u) - jac(-h * u)) * v / (2.0 * h);
  }
  VectorXd C(const VectorXd& u, const VectorXd& v, const VectorXd& w) const {
    constexpr double h = 1e-3;
    return (jac(h * (u + v)) - jac(h * (u - v)) - jac(h * (v - u)) + jac(-h * (u + v))) * w / (4.0 * h * h);
  }
  // Extended to complex vectors by multilinearity.
  VectorXcd B(const VectorXcd& u, const VectorXcd& v) const {
    const VectorXd ur = u.real(), ui = u.imag(), vr = v.real(), vi = v.imag();
    return (B(ur, vr) - B(ui, vi)).cast<cplx>() + cplx(0, 1) * (B(ur, vi) + B(ui, vr)).cast<cplx>();
  }
  VectorXcd C(const VectorXcd& u, const VectorXcd& v, const VectorXcd& w) const {
    const VectorXd ur = u.real(), ui = u.imag(), vr = v.real(), vi = v.imag(), wr = w.real(), wi = w.imag();
    const VectorXd re = C(ur, vr, wr) - C(ur, vi, wi) - C(ui, vr, wi) - C(ui, vi, wr);
    const VectorXd im = C(ur, vr, wi) + C(ur, vi, wr) + C(ui, vr, wr) - C(ui, vi, wi);
    return re.cast<cplx>() + cplx(0, 1) * im.cast<cplx>();
  }

 private:
  MatrixXd jac(const VectorXd& dx) const { return linearize(sys_, x_ + dx, theta_, 0).jacobian; }
  const system& sys_;
  const std::vector<double>& theta_;
  VectorXd x_;
};

}  // namespace

double first_lyapunov_coefficient(const system& sys, const std::vector<double>& theta, const VectorXd& x,
                                  double omega, VectorXcd* eigenvector) {
  const auto n = x.size();
  const MatrixXd A = linearize(sys, x, theta, 0).jacobian;
  Eigen::EigenSolver<MatrixXd> right(A), left(A.transpose());
  VectorXcd q = right.eigenvectors().col(closest(right.eigenvalues(), cplx(0, omega)));
  VectorXcd p = left.eigenvectors().col(closest(left.eigenvalues(), cplx(0, -omega)));
  q.normalize();
  // The spike variable's component real and positive: a reproducible phase for the eigenvector.
  const cplx qv = q(static_cast<Eigen::Index>(sys.info().spike_variable));
  if (std::abs(qv) > 0.0) q *= std::conj(qv) / std::abs(qv);
  p /= std::conj(p.dot(q));  // <p, q> = p^H q = 1
  const forms f(sys, theta, x);
  const VectorXcd qbar = q.conjugate();
  const VectorXcd h11 = A.cast<cplx>().partialPivLu().solve(f.B(q, qbar));
  const MatrixXd I = MatrixXd::Identity(n, n);
  const VectorXcd h20 = (cplx(0, 2.0 * omega) * I.cast<cplx>() - A.cast<cplx>()).partialPivLu().solve(f.B(q, q));
  const cplx sum = p.dot(f.C(q, q, qbar)) - 2.0 * p.dot(f.B(q, h11)) + p.dot(f.B(qbar, h20));
  if (eigenvector != nullptr) *eigenvector = q;
  return sum.real() / (2.0 * omega);
}

std::optional<hopf_point> locate_hopf(const system& sys, std::vector<double> theta, std::size_t control,
                                      const VectorXd& x, double lambda, double omega, const VectorXcd& q_guess) {
  const Eigen::Index n = x.size();
  // Rotate q so that its real and imaginary parts are orthogonal; then c = a / |a|^2 gives c.a = 1, c.b = 0.
  VectorXd a = q_guess.real(), b = q_guess.imag();
  const double angle = 0.5 * std::atan2(-2.0 * a.dot(b), a.squaredNorm() - b.squaredNorm());
  const VectorXd a1 = a * std::cos(angle) - b * std::sin(angle);
  const VectorXd b1 = a * std::sin(angle) + b * std::cos(angle);
  const VectorXd c = a1 / a1.squaredNorm();
  // z = (x, lambda, omega, a, b)
  VectorXd z(3 * n + 2);
  z << x, lambda, omega, a1, b1;
  auto G = [&](const VectorXd& zz) {
    std::vector<double> th = theta;
    th[control] = zz(n);
    const linearization l = linearize(sys, zz.head(n), th, control);
    const double w = zz(n + 1);
    const VectorXd aa = zz.segment(n + 2, n), bb = zz.segment(2 * n + 2, n);
    VectorXd g(3 * n + 2);
    g << l.f, l.jacobian * aa + w * bb, l.jacobian * bb - w * aa, c.dot(aa) - 1.0, c.dot(bb);
    return g;
  };
  if (!newton_fd(G, z, 1e-12, 40)) return std::nullopt;
  hopf_point h;
  h.param = z(n);
  h.omega = std::abs(z(n + 1));
  theta[control] = h.param;
  h.x = to_std(z.head(n));
  h.frequency_hz = h.omega / (2.0 * std::numbers::pi) * 1000.0;
  const linearization l = linearize(sys, z.head(n), theta, control);
  h.eigenvalues = sorted_eigenvalues(l.jacobian);
  VectorXcd q;
  h.lyapunov = first_lyapunov_coefficient(sys, theta, z.head(n), h.omega, &q);
  h.eigenvector.assign(q.data(), q.data() + n);
  h.criticality = h.lyapunov > 0.0 ? "subcritical" : h.lyapunov < 0.0 ? "supercritical" : "degenerate";
  return h;
}

}  // namespace ionode::analysis::detail
