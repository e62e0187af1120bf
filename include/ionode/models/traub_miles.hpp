// Traub & Miles (1991) Hodgkin-Huxley cell as in the COBAHH benchmark of Brette et al. (2007),
// Brian2's examples/COBAHH.py, in density units (membrane area 20000 um^2: 10 nS = 0.05 mS/cm^2):
//   C dV/dt = -gNa m^3 h (V - ENa) - gK n^4 (V - EK) - gL (V - EL) + I
//   dx/dt = alpha_x(u) (1 - x) - beta_x(u) x,  x in {m, h, n},  u = V - VT
// with (1/ms) alpha_m = 0.32 (13 - u) / (exp((13 - u)/4) - 1), beta_m = 0.28 (u - 40) / (exp((u - 40)/5) - 1),
// alpha_h = 0.128 exp((17 - u)/18), beta_h = 4 / (1 + exp((40 - u)/5)),
// alpha_n = 0.032 (15 - u) / (exp((15 - u)/5) - 1), beta_n = 0.5 exp((10 - u)/40).
// Traub R.D., Miles R. (1991) Neuronal Networks of the Hippocampus; Brette R. et al. (2007)
// J Comput Neurosci 23:349. Defaults: ../shared/reference/networks/README.md.
#pragma once

#include <array>
#include <cstddef>

#include "ionode/math.hpp"
#include "ionode/model.hpp"

namespace ionode::models {

struct traub_miles {
  static constexpr std::string_view name = "TraubMiles";
  static constexpr std::string_view reference =
      "Traub & Miles (1991); COBAHH of Brette et al. (2007) J Comput Neurosci 23:349, as Brian2's examples/COBAHH.py";

  enum var : std::size_t { V, m, h, n };
  enum par : std::size_t { ENa, gNa, EK, gK, EL, gL, VT, V_th, C };

  static constexpr std::array variables{
      variable_info{"V", "mV", "membrane potential", initial_kind::constant, -65.0},
      variable_info{"m", "1", "Na activation", initial_kind::steady_state},
      variable_info{"h", "1", "Na inactivation", initial_kind::steady_state},
      variable_info{"n", "1", "K activation", initial_kind::steady_state},
  };
  static constexpr std::array parameters{
      parameter_info{"ENa", 50.0, "mV", "sodium reversal potential"},
      parameter_info{"gNa", 100.0, "mS/cm^2", "maximal sodium conductance", constraint::non_negative},
      parameter_info{"EK", -90.0, "mV", "potassium reversal potential"},
      parameter_info{"gK", 30.0, "mS/cm^2", "maximal potassium conductance", constraint::non_negative},
      parameter_info{"EL", -60.0, "mV", "leak reversal potential"},
      parameter_info{"gL", 0.05, "mS/cm^2", "leak conductance", constraint::non_negative},
      parameter_info{"VT", -63.0, "mV", "shift of the rate functions (u = V - VT)"},
      parameter_info{"V_th", -20.0, "mV", "spike threshold (upward crossing of V)"},
      parameter_info{"C", 1.0, "uF/cm^2", "membrane capacitance", constraint::positive},
  };
  static constexpr std::array inputs{
      input_info{"input", "uA/cm^2", "injected current density"},
  };
  static constexpr std::array membranes{membrane_port{"soma", V, C}};
  static constexpr std::size_t spike_variable = V;
  static constexpr std::size_t threshold_parameter = V_th;

  // Rates in 1/ms of u = V - VT, one exponential each (the reference forms; 0/0 points through exprel).
  template <class T>
  static T alpha_m(const T& u) {
    using namespace ionode::math;
    return 1.28 / exprel((13.0 - u) / 4.0);
  }
  template <class T>
  static T beta_m(const T& u) {
    using namespace ionode::math;
    return 1.4 / exprel((u - 40.0) / 5.0);
  }
  template <class T>
  static T alpha_h(const T& u) {
    using namespace ionode::math;
    return 0.128 * exp((17.0 - u) / 18.0);
  }
  template <class T>
  static T beta_h(const T& u) {
    using namespace ionode::math;
    return 4.0 / (1.0 + exp((40.0 - u) / 5.0));
  }
  template <class T>
  static T alpha_n(const T& u) {
    using namespace ionode::math;
    return 0.16 / exprel((15.0 - u) / 5.0);
  }
  template <class T>
  static T beta_n(const T& u) {
    using namespace ionode::math;
    return 0.5 * exp((10.0 - u) / 40.0);
  }

  // The six rates from two exponentials. With q = exp(-u/40):
  //   beta_n = 0.5 e^0.25 q,  exp((13 - u)/4) = e^3.25 q^10 (alpha_m),  exp((15 - u)/5) = e^3 q^8 (alpha_n),
  //   exp((40 - u)/5) = e^8 q^8 (beta_h, and beta_m as (-x) / (e^-x - 1) = e^x (x / (e^x - 1)) with
  //   x = (40 - u)/5, which needs no reciprocal of q); exp((17 - u)/18) (alpha_h) gets its own.
  // The powers cost a few ulp (q^10 about 12); tests/unit/test_traub_miles.cpp bounds the difference
  // from the one-exponential forms above.
  template <class T>
  struct rate_set {
    T alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n;
  };
  template <class T>
  static rate_set<T> rates(const T& u) {
    using namespace ionode::math;
    constexpr double e_3 = 20.085536923187667741;        // e^3
    constexpr double e_3_25 = 25.790339917193062089;     // e^3.25
    constexpr double e_8 = 2980.9579870417282747;        // e^8
    constexpr double e_0_25 = 1.2840254166877414841;     // e^0.25
    const T q = exp(u * (-1.0 / 40.0));
    const T q2 = q * q;
    const T q4 = q2 * q2;
    const T q8 = q4 * q4;
    const T e8q8 = e_8 * q8;  // exp((40 - u)/5)
    return {1.28 * inverse_exprel_given_exp((13.0 - u) * 0.25, T(e_3_25 * (q8 * q2))),
            1.4 * e8q8 * inverse_exprel_given_exp((40.0 - u) * 0.2, e8q8),
            0.128 * exp((17.0 - u) * (1.0 / 18.0)),
            4.0 / (1.0 + e8q8),
            0.16 * inverse_exprel_given_exp((15.0 - u) * 0.2, T(e_3 * q8)),
            (0.5 * e_0_25) * q};
  }

  template <class T>
  static void gate(const T& a, const T& b, const T& x, T& dx, T& diagonal) {
    const T k = a + b;
    dx = a - k * x;
    diagonal = -k;
  }

  template <class T, class P>
  static void derivative(const T* x, const P* p, const P* in, T* dx) {
    std::array<T, 4> unused;
    derivative_and_diagonal(x, p, in, dx, unused.data());
  }

  // f and the diagonal of its Jacobian for exp_auto, as HH's (hh.hpp): the gates' -(a + b), V's minus
  // the total conductance over C.
  template <class T, class P>
  static void derivative_and_diagonal(const T* x, const P* p, const P* in, T* dx, T* diagonal) {
    using namespace ionode::math;
    const T& v = x[V];
    const T g_na = p[gNa] * ipow<3>(x[m]) * x[h];
    const T g_k = p[gK] * ipow<4>(x[n]);
    const P inverse_c = 1.0 / p[C];
    dx[V] = (-(g_na * (v - p[ENa])) - g_k * (v - p[EK]) - p[gL] * (v - p[EL]) + in[0]) * inverse_c;
    diagonal[V] = -(g_na + g_k + p[gL]) * inverse_c;
    const rate_set<T> r = rates(T(v - p[VT]));
    gate(r.alpha_m, r.beta_m, x[m], dx[m], diagonal[m]);
    gate(r.alpha_h, r.beta_h, x[h], dx[h], diagonal[h]);
    gate(r.alpha_n, r.beta_n, x[n], dx[n], diagonal[n]);
  }

  // Gates start at steady state for the initial voltage: x_inf = alpha / (alpha + beta).
  static double steady_state(std::size_t variable, const double* x, const double* p) {
    const double u = x[V] - p[VT];
    switch (variable) {
      case m: return alpha_m(u) / (alpha_m(u) + beta_m(u));
      case h: return alpha_h(u) / (alpha_h(u) + beta_h(u));
      case n: return alpha_n(u) / (alpha_n(u) + beta_n(u));
      default: return x[variable];
    }
  }
};

}  // namespace ionode::models
