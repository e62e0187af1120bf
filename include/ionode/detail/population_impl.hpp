// The kernels of a population of model M: one loop over instances per step, with the state of one
// instance gathered into registers, integrated by the chosen method, and scattered back. No virtual
// call and no allocation per neuron: the virtual call is per step, for the whole population.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

#include "ionode/detail/population_base.hpp"
#include "ionode/integrators/adaptive_rk.hpp"
#include "ionode/integrators/butcher.hpp"
#include "ionode/integrators/exp_auto.hpp"
#include "ionode/integrators/explicit_rk.hpp"
#include "ionode/integrators/spike_time.hpp"
#include "ionode/model.hpp"

namespace ionode::detail {

template <class M>
class population_impl final : public population_base {
  static constexpr std::size_t nv = num_variables<M>;
  static constexpr std::size_t np = num_parameters<M>;
  static constexpr std::size_t ni = num_inputs<M>;

 public:
  population_impl(model_info info, population_options options)
      : population_base(std::move(info), std::move(options)) {
    reset();  // here, not in the base constructor: initialization calls the model's steady_state
  }

  step_report step(const step_request& request) override {
    switch (request.method) {
      case method_id::exp_auto:
        return sweep(request, [](double* x, const double* p, const double* in, double h, double* f_old) {
          integrators::exp_auto_step<M>(x, p, in, h, f_old);
        });
      case method_id::euler: return fixed(request, tableaus::euler);
      case method_id::midpoint: return fixed(request, tableaus::midpoint);
      case method_id::heun2: return fixed(request, tableaus::heun2);
      case method_id::ralston2: return fixed(request, tableaus::ralston2);
      case method_id::rk2: return fixed(request, tableaus::rk2);
      case method_id::rk3: return fixed(request, tableaus::rk3);
      case method_id::heun3: return fixed(request, tableaus::heun3);
      case method_id::ralston3: return fixed(request, tableaus::ralston3);
      case method_id::ssprk3: return fixed(request, tableaus::ssprk3);
      case method_id::rk4: return fixed(request, tableaus::rk4);
      case method_id::ralston4: return fixed(request, tableaus::ralston4);
      case method_id::rk4_38rule: return fixed(request, tableaus::rk4_38rule);
      case method_id::heun_euler: return adaptive(request, tableaus::heun_euler);
      case method_id::rkf12: return adaptive(request, tableaus::rkf12);
      case method_id::bs: return adaptive(request, tableaus::bs);
      case method_id::rkf45: return adaptive(request, tableaus::rkf45);
      case method_id::ck: return adaptive(request, tableaus::ck);
      case method_id::rkdp: return adaptive(request, tableaus::rkdp);
    }
    return {};
  }

  void derivative(std::size_t instance, double* dxdt) const override {
    std::array<double, nv> x;
    std::array<double, np> p;
    std::array<double, ni> in;
    load(instance, x.data(), p.data(), in.data());
    M::derivative(x.data(), p.data(), in.data(), dxdt);
  }

 protected:
  double steady_state(std::size_t variable, const double* x, const double* p) const override {
    return M::steady_state(variable, x, p);
  }

 private:
  void load(std::size_t j, double* x, double* p, double* in) const {
    const std::size_t count = instances();
    for (std::size_t v = 0; v < nv; ++v) x[v] = state_[v * count + j];
    gather_parameters(j, p);
    for (std::size_t k = 0; k < ni; ++k) in[k] = inputs_[k * count + j];
  }
  void store(std::size_t j, const double* x) {
    const std::size_t count = instances();
    for (std::size_t v = 0; v < nv; ++v) state_[v * count + j] = x[v];
  }
  static bool all_finite(const double* x) {
    double sum = 0.0;
    for (std::size_t v = 0; v < nv; ++v) sum += x[v] * 0.0;  // NaN if any x is NaN or infinite
    return sum == 0.0;
  }
  static std::size_t first_non_finite(const double* x) {
    for (std::size_t v = 0; v < nv; ++v) {
      if (!std::isfinite(x[v])) return v;
    }
    return 0;
  }

  // A spike is an upward crossing of the threshold between the ends of a (sub)step. Its time is
  // located to the accuracy of the method itself, not of an interpolant: a first guess from the cubic
  // Hermite interpolant, then Newton iterations on g(s) = V(t0 + s) - threshold, where V(t0 + s) is one
  // step of the same method of length s from the step's start (as the reference's event location
  // re-integrates), kept inside a bracket that shrinks with every iterate.
  template <class Stepper>
  void detect_spike(std::size_t j, double t0, double h, const double* x_old, const double* f_old,
                    const double* x_new, const double* p, const double* in, std::vector<spike_event>& spikes,
                    Stepper& partial_step) {
    constexpr std::size_t sv = M::spike_variable;
    const double threshold = p[M::threshold_parameter];
    if (!(x_old[sv] < threshold && x_new[sv] >= threshold)) return;
    std::array<double, nv> f, x_s, f_scratch;
    M::derivative(x_new, p, in, f.data());
    double s = integrators::hermite_crossing(t0, h, x_old[sv], x_new[sv], f_old[sv], f[sv], threshold) - t0;
    double lo = 0.0, hi = h;  // V(t0 + lo) < threshold <= V(t0 + hi)
    for (int iteration = 0; iteration < 8 && s > 0.0 && s < h; ++iteration) {
      std::copy(x_old, x_old + nv, x_s.begin());
      partial_step(x_s.data(), p, in, s, f_scratch.data());
      const double g = x_s[sv] - threshold;
      if (g == 0.0) break;  // s is the crossing; the bracket test below would bisect away from it
      (g < 0.0 ? lo : hi) = s;
      M::derivative(x_s.data(), p, in, f.data());
      double next = s - g / f[sv];
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const bool converged = std::abs(next - s) <= 1e-13 * std::max(1.0, std::abs(t0));
      s = next;
      if (converged) break;
    }
    spikes.push_back({t0 + s, j});
  }

  template <class Stepper>
  step_report sweep(const step_request& request, Stepper&& advance) {
    step_report report;
    std::array<double, nv> x, x_old, f_old;
    std::array<double, np> p;
    std::array<double, ni> in;
    for (std::size_t j = 0; j < instances(); ++j) {
      load(j, x.data(), p.data(), in.data());
      x_old = x;
      advance(x.data(), p.data(), in.data(), request.dt, f_old.data());
      if (!all_finite(x.data())) {
        if (report.ok) report = {false, j, first_non_finite(x.data()), false};
      } else {
        detect_spike(j, request.t, request.dt, x_old.data(), f_old.data(), x.data(), p.data(), in.data(),
                     *request.spikes, advance);
      }
      store(j, x.data());
    }
    return report;
  }

  template <int S>
  step_report fixed(const step_request& request, const tableaus::tableau<S>& tab) {
    return sweep(request, [&tab](double* x, const double* p, const double* in, double h, double* f_old) {
      integrators::rk_step<M, S>(tab, x, p, in, h, f_old);
    });
  }

  template <int S>
  step_report adaptive(const step_request& request, const tableaus::tableau<S>& tab) {
    step_report report;
    std::vector<double>& step_sizes = *request.step_sizes;
    step_sizes.resize(instances(), 0.0);
    std::array<double, nv> x;
    std::array<double, np> p;
    std::array<double, ni> in;
    auto partial_step = [&tab](double* xs, const double* ps, const double* ins, double h, double* f_old) {
      integrators::rk_step<M, S>(tab, xs, ps, ins, h, f_old);
    };
    for (std::size_t j = 0; j < instances(); ++j) {
      load(j, x.data(), p.data(), in.data());
      const auto on_substep = [&](double t0, double h, const double* x_old, const double* f_old,
                                  const double* x_new) {
        detect_spike(j, t0, h, x_old, f_old, x_new, p.data(), in.data(), *request.spikes, partial_step);
      };
      const auto outcome = integrators::adaptive_advance<M, S>(tab, x.data(), p.data(), in.data(), request.t,
                                                               request.dt, step_sizes[j], *request.options,
                                                               on_substep);
      if ((outcome.failed || !all_finite(x.data())) && report.ok) {
        report = {false, j, first_non_finite(x.data()), outcome.failed};
      }
      store(j, x.data());
    }
    return report;
  }
};

}  // namespace ionode::detail

namespace ionode {

template <class M>
population population::create(const population_options& options, model_info info) {
  static_assert(neuron_model<M>, "M does not satisfy ionode::neuron_model (see include/ionode/model.hpp)");
  return population(std::make_shared<detail::population_impl<M>>(std::move(info), options));
}

template <class M>
population population::create(const population_options& options) {
  return create<M>(options, describe_model<M>());
}

}  // namespace ionode
