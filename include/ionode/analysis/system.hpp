// A model seen as a vector field dx/dt = f(x; theta) for the analysis: f, its exact Jacobian from
// dual numbers, and the rk4 flow with its sensitivities, behind one virtual interface so that the
// analysis algorithms are compiled once for every model (built-in or user-defined).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "ionode/dual.hpp"
#include "ionode/integrators/butcher.hpp"
#include "ionode/integrators/explicit_rk.hpp"
#include "ionode/model.hpp"
#include "ionode/model_info.hpp"

namespace ionode::analysis {

// theta: the model's parameters, then its inputs (a constant injected current is a parameter of the
// vector field). A continuation "control" is an index into theta; see control_index().
class system {
 public:
  virtual ~system() = default;

  const model_info& info() const { return info_; }
  std::size_t dimension() const { return info_.variables.size(); }
  std::size_t num_theta() const { return info_.parameters.size() + info_.inputs.size(); }
  // The parameters' defaults (after any preset), inputs 0.
  std::vector<double> default_theta() const;
  // The state a simulation starts from by default (uniform: the midpoint; steady_state: the model's).
  virtual std::vector<double> default_state(const double* theta) const = 0;

  virtual void rhs(const double* x, const double* theta, double* f) const = 0;
  // f(x), jacobian = df/dx (column-major n x n), f_control = df/dtheta[control].
  virtual void linearize(const double* x, const double* theta, std::size_t control, double* f, double* jacobian,
                         double* f_control) const = 0;
  // Advances x over `duration` in `steps` rk4 steps. If `phi` is given: phi = dx(end)/dx(start)
  // (column-major n x n, the variational equations integrated as dual numbers) and x_control =
  // dx(end)/dtheta[control]. If `x_min`/`x_max` are given they receive each variable's extremes
  // over the step points.
  virtual void flow(double* x, const double* theta, double duration, std::size_t steps, std::size_t control,
                    double* phi, double* x_control, double* x_min, double* x_max) const = 0;

 protected:
  explicit system(model_info info) : info_(std::move(info)) {}
  model_info info_;
};

// The index in theta of a parameter name, an input name, or "I" (the first input). Throws
// ionode::error naming the unknown name and listing the allowed ones.
std::size_t control_index(const model_info& info, std::string_view name);
// The name of theta[index] (a parameter's or an input's).
std::string_view control_name(const model_info& info, std::size_t index);

template <neuron_model M>
class model_system final : public system {
  static constexpr std::size_t n = num_variables<M>;
  static constexpr std::size_t np = num_parameters<M>;
  static constexpr std::size_t ni = num_inputs<M>;
  using dual = ad::dual<double, static_cast<int>(n + 1)>;

 public:
  explicit model_system(model_info info) : system(std::move(info)) {}

  std::vector<double> default_state(const double* theta) const override {
    std::vector<double> x(n);
    for (std::size_t v = 0; v < n; ++v) {
      const variable_info& var = info_.variables[v];
      x[v] = var.initial == initial_kind::uniform ? 0.5 * (var.a + var.b) : var.a;
    }
    for (std::size_t v = 0; v < n; ++v) {
      if (info_.variables[v].initial == initial_kind::steady_state) x[v] = M::steady_state(v, x.data(), theta);
    }
    return x;
  }

  void rhs(const double* x, const double* theta, double* f) const override {
    M::derivative(x, theta, theta + np, f);
  }

  void linearize(const double* x, const double* theta, std::size_t control, double* f, double* jacobian,
                 double* f_control) const override {
    std::array<dual, n> xd, fd;
    std::array<dual, np + ni> td;
    seed(x, theta, control, xd, td);
    M::derivative(xd.data(), td.data(), td.data() + np, fd.data());
    for (std::size_t i = 0; i < n; ++i) {
      f[i] = fd[i].v;
      for (std::size_t j = 0; j < n; ++j) jacobian[j * n + i] = fd[i].d[j];
      f_control[i] = fd[i].d[n];
    }
  }

  void flow(double* x, const double* theta, double duration, std::size_t steps, std::size_t control, double* phi,
            double* x_control, double* x_min, double* x_max) const override {
    const double h = duration / static_cast<double>(steps);
    auto extremes = [&](const auto& value) {
      if (x_min == nullptr) return;
      for (std::size_t i = 0; i < n; ++i) {
        x_min[i] = std::min(x_min[i], value(i));
        x_max[i] = std::max(x_max[i], value(i));
      }
    };
    if (x_min != nullptr) {
      for (std::size_t i = 0; i < n; ++i) x_min[i] = x_max[i] = x[i];
    }
    if (phi == nullptr) {
      std::array<double, n> f_old;
      for (std::size_t s = 0; s < steps; ++s) {
        integrators::rk_step<M>(tableaus::rk4, x, theta, theta + np, h, f_old.data());
        extremes([&](std::size_t i) { return x[i]; });
      }
      return;
    }
    std::array<dual, n> xd, f_old;
    std::array<dual, np + ni> td;
    seed(x, theta, control, xd, td);
    for (std::size_t s = 0; s < steps; ++s) {
      integrators::rk_step<M>(tableaus::rk4, xd.data(), td.data(), td.data() + np, h, f_old.data());
      extremes([&](std::size_t i) { return xd[i].v; });
    }
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = xd[i].v;
      for (std::size_t j = 0; j < n; ++j) phi[j * n + i] = xd[i].d[j];
      if (x_control != nullptr) x_control[i] = xd[i].d[n];
    }
  }

 private:
  static void seed(const double* x, const double* theta, std::size_t control, std::array<dual, n>& xd,
                   std::array<dual, np + ni>& td) {
    for (std::size_t i = 0; i < n; ++i) xd[i] = dual::variable(x[i], static_cast<int>(i));
    for (std::size_t k = 0; k < np + ni; ++k) td[k] = dual(theta[k]);
    if (control < np + ni) td[control] = dual::variable(theta[control], static_cast<int>(n));
  }
};

template <neuron_model M>
std::unique_ptr<system> make_system(model_info info) {
  return std::make_unique<model_system<M>>(std::move(info));
}

}  // namespace ionode::analysis
