// An embedded Runge-Kutta pair over one system of any size (a whole network), with the error control of
// adaptive_rk.hpp: the maximum over components of |local error| / (atol + rtol * max(|y_old|, |y_new|)),
// step factor 0.9 * err^(-1/(q+1)) clamped to [0.2, 5], rejection, and a last substep that lands
// exactly on the end of the span. adaptive_rk.hpp does the same for one neuron with fixed-size arrays
// (every neuron its own step size); here every component shares the step, as in SciPy or CVODE.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "ionode/integrators/butcher.hpp"
#include "ionode/integrators/method.hpp"

namespace ionode::integrators {

struct system_outcome {
  long accepted = 0;
  long rejected = 0;
  bool failed = false;       // step size underflow or too many substeps
  std::size_t worst = 0;     // then: the component with the largest error (or the first non-finite one)
};

// Scratch kept between calls (sized on first use).
struct system_scratch {
  std::vector<std::vector<double>> k;  // the stages
  std::vector<double> stage, next, f_next;
};

// Integrates y over [0, span] of local time (the caller's f(tau, y, dydt) knows the origin). `h`
// carries the step-size proposal between calls (0: start with the whole span). After each accepted
// substep, on_substep(tau, h, y_old, f_old, y_new, f_new) (f at both ends: for dense output).
template <int S, class F, class OnSubstep>
system_outcome adaptive_advance_system(const tableaus::tableau<S>& tab, std::vector<double>& y, double span, double& h,
                                       const method_options& options, system_scratch& scratch, F&& f,
                                       OnSubstep&& on_substep) {
  constexpr double safety = 0.9, min_factor = 0.2, max_factor = 5.0;
  const double exponent = -1.0 / (tab.error_order + 1);
  const std::size_t n = y.size();
  std::array<double, S> c{};
  for (int i = 0; i < S; ++i) {
    for (int j = 0; j < i; ++j) c[i] += tab.a[i][j];
  }
  // First same as last (Dormand-Prince): the last stage is f at the new solution.
  bool fsal = c[S - 1] == 1.0;
  for (int j = 0; j < S - 1 && fsal; ++j) fsal = tab.a[S - 1][j] == tab.b[j];
  fsal = fsal && tab.b[S - 1] == 0.0;
  scratch.k.resize(S);
  for (auto& stage : scratch.k) stage.resize(n);
  scratch.stage.resize(n);
  scratch.next.resize(n);
  scratch.f_next.resize(n);
  auto& k = scratch.k;
  system_outcome outcome;
  double tau = 0.0;
  if (!(h > 0.0)) h = span;
  f(0.0, y.data(), k[0].data());
  while (tau < span) {
    const double remaining = span - tau;
    const bool lands = h >= remaining * (1.0 - 1e-12);
    const double h_try = lands ? remaining : h;
    for (int i = 1; i < S; ++i) {
      for (std::size_t v = 0; v < n; ++v) {
        double sum = 0.0;
        for (int j = 0; j < i; ++j) sum += tab.a[i][j] * k[j][v];
        scratch.stage[v] = y[v] + h_try * sum;
      }
      f(tau + c[i] * h_try, scratch.stage.data(), k[i].data());
    }
    double error_norm = 0.0;
    bool finite = true;
    for (std::size_t v = 0; v < n; ++v) {
      double increment = 0.0, error = 0.0;
      for (int i = 0; i < S; ++i) {
        increment += tab.b[i] * k[i][v];
        error += tab.e[i] * k[i][v];
      }
      scratch.next[v] = y[v] + h_try * increment;
      const double scale = options.atol + options.rtol * std::max(std::abs(y[v]), std::abs(scratch.next[v]));
      const double ratio = std::abs(h_try * error / scale);
      if (!std::isfinite(ratio) || !std::isfinite(scratch.next[v])) {
        if (finite) outcome.worst = v;
        finite = false;
      } else if (finite && ratio > error_norm) {
        error_norm = ratio;
        outcome.worst = v;
      }
    }
    if (!finite) {
      h = h_try * min_factor;
      ++outcome.rejected;
    } else if (error_norm <= 1.0) {
      const double factor =
          error_norm == 0.0 ? max_factor : std::clamp(safety * std::pow(error_norm, exponent), min_factor, max_factor);
      const double tau_next = lands ? span : tau + h_try;
      if (fsal) {
        scratch.f_next.swap(k[S - 1]);
      } else {
        f(tau_next, scratch.next.data(), scratch.f_next.data());
      }
      on_substep(tau, h_try, y.data(), k[0].data(), scratch.next.data(), scratch.f_next.data());
      y.swap(scratch.next);
      k[0].swap(scratch.f_next);
      tau = tau_next;
      // A substep shortened to land on the span's end says little about the step the solution allows.
      h = lands ? std::max(h, h_try * factor) : h_try * factor;
      ++outcome.accepted;
    } else {
      h = h_try * std::max(min_factor, safety * std::pow(error_norm, exponent));
      ++outcome.rejected;
    }
    if (h < 1e-14 * std::max(1.0, span) || outcome.accepted + outcome.rejected > options.max_substeps) {
      outcome.failed = true;
      return outcome;
    }
  }
  return outcome;
}

}  // namespace ionode::integrators
