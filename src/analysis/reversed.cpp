// The time-reversed field (reversed.hpp): the base system's values negated, its flow run backwards.
#include "ionode/analysis/reversed.hpp"

namespace ionode::analysis {

void reversed_system::rhs(const double* x, const double* theta, double* f) const {
  base_.rhs(x, theta, f);
  for (std::size_t i = 0; i < dimension(); ++i) f[i] = -f[i];
}

void reversed_system::linearize(const double* x, const double* theta, std::size_t control, double* f,
                                double* jacobian, double* f_control) const {
  base_.linearize(x, theta, control, f, jacobian, f_control);
  const std::size_t n = dimension();
  for (std::size_t i = 0; i < n; ++i) f[i] = -f[i], f_control[i] = -f_control[i];
  for (std::size_t k = 0; k < n * n; ++k) jacobian[k] = -jacobian[k];
}

void reversed_system::flow(double* x, const double* theta, double duration, std::size_t steps,
                           std::size_t control, double* phi, double* x_control, double* x_min,
                           double* x_max) const {
  base_.flow(x, theta, -duration, steps, control, phi, x_control, x_min, x_max);
}

}  // namespace ionode::analysis
