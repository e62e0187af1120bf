// The time-reversed vector field dx/dt = -f(x; theta) of a system: its attractors are the
// original's repellers, so an unstable limit cycle of a planar system is found as a stable cycle of
// the reversed one, by simulation and the same shooting (cycles.hpp).
#pragma once

#include <vector>

#include "ionode/analysis/system.hpp"

namespace ionode::analysis {

// Views `base` (which must outlive it) with f, the Jacobian and df/dcontrol negated. Its flow over
// a duration T is the base's rk4 flow over -T (rk4 with step -h on f is rk4 with step h on -f,
// the same arithmetic), so the monodromy matrix and d/dcontrol stay exact for the shooting.
class reversed_system final : public system {
 public:
  explicit reversed_system(const system& base) : system(base.info()), base_(base) {}

  std::vector<double> default_state(const double* theta) const override { return base_.default_state(theta); }
  void rhs(const double* x, const double* theta, double* f) const override;
  void linearize(const double* x, const double* theta, std::size_t control, double* f, double* jacobian,
                 double* f_control) const override;
  void flow(double* x, const double* theta, double duration, std::size_t steps, std::size_t control,
            double* phi, double* x_control, double* x_min, double* x_max) const override;

 private:
  const system& base_;
};

}  // namespace ionode::analysis
