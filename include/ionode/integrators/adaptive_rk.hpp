// Adaptive embedded Runge-Kutta pairs (rkf45, rkdp, ...) with error control and step rejection.
// Error norm: the maximum over variables of |local error| / (atol + rtol * max(|x_old|, |x_new|)), so
// every variable meets its own tolerance (Boost.odeint's choice; SciPy's RMS norm lets one variable
// of eight take sqrt(8) times the tolerance). Step factor 0.9 * err^(-1/(q+1)), clamped to [0.2, 5].
// Unlike BrainPy, which never rejects a step, a step whose error estimate exceeds the tolerance is
// retried with a smaller h; the last substep is shortened so that the solution lands exactly on
// the end of the output step.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "ionode/integrators/butcher.hpp"
#include "ionode/integrators/explicit_rk.hpp"
#include "ionode/integrators/method.hpp"
#include "ionode/model.hpp"

namespace ionode::integrators {

struct adaptive_outcome {
  long accepted = 0;
  long rejected = 0;
  bool failed = false;  // step size underflow, non-finite error estimate or too many substeps
};

// Integrates x from t0 to t0 + span with an embedded pair. `h` carries the step size proposal from
// one call to the next (0 on the first call: start with the whole span). `on_substep(t, h, x_old,
// f_old, x_new)` is called after each accepted substep, for spike detection.
template <neuron_model M, int S, class OnSubstep>
inline adaptive_outcome adaptive_advance(const tableaus::tableau<S>& tab, double* x, const double* p,
                                         const double* in, double t0, double span, double& h,
                                         const method_options& options, OnSubstep&& on_substep) {
  constexpr std::size_t nv = num_variables<M>;
  constexpr double safety = 0.9, min_factor = 0.2, max_factor = 5.0;
  const double exponent = -1.0 / (tab.error_order + 1);
  adaptive_outcome outcome;
  std::array<std::array<double, nv>, S> k;
  std::array<double, nv> x_new;
  const double t_end = t0 + span;
  double t = t0;
  if (!(h > 0.0)) h = span;
  while (t < t_end) {
    const double remaining = t_end - t;
    const bool lands = h >= remaining * (1.0 - 1e-12);
    const double h_try = lands ? remaining : h;
    rk_stages<M, S>(tab, x, p, in, h_try, k);
    double error_norm = 0.0;  // max over variables: every variable meets its own tolerance
    for (std::size_t v = 0; v < nv; ++v) {
      double increment = 0.0, error = 0.0;
      for (int i = 0; i < S; ++i) {
        increment += tab.b[i] * k[i][v];
        error += tab.e[i] * k[i][v];
      }
      x_new[v] = x[v] + h_try * increment;
      const double scale = options.atol + options.rtol * std::max(std::abs(x[v]), std::abs(x_new[v]));
      const double ratio = h_try * error / scale;
      error_norm = std::max(error_norm, std::abs(ratio));
    }
    if (!std::isfinite(error_norm)) {
      h = h_try * min_factor;
      ++outcome.rejected;
    } else if (error_norm <= 1.0) {
      const double factor =
          error_norm == 0.0 ? max_factor : std::clamp(safety * std::pow(error_norm, exponent), min_factor, max_factor);
      on_substep(t, h_try, x, k[0].data(), x_new.data());
      for (std::size_t v = 0; v < nv; ++v) x[v] = x_new[v];
      t = lands ? t_end : t + h_try;
      // A substep shortened to land on t_end says little about the step the solution allows.
      h = lands ? std::max(h, h_try * factor) : h_try * factor;
      ++outcome.accepted;
    } else {
      h = h_try * std::max(min_factor, safety * std::pow(error_norm, exponent));
      ++outcome.rejected;
    }
    if (h < 1e-14 * std::max(1.0, std::abs(t)) || outcome.accepted + outcome.rejected > options.max_substeps) {
      outcome.failed = true;
      return outcome;
    }
  }
  return outcome;
}

}  // namespace ionode::integrators
