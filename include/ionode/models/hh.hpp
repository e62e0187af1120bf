// Hodgkin-Huxley (1952) squid axon model, with the seed's (BrainPy's) default parameters.
//   C dV/dt = -gNa m^3 h (V - ENa) - gK n^4 (V - EK) - gL (V - EL) + I
//   dx/dt = alpha_x(V) (1 - x) - beta_x(V) x,  x in {m, h, n}
// Hodgkin A.L., Huxley A.F. (1952) J. Physiol. 117:500-544.
// The seed's default gL is 0.03 mS/cm^2, a tenth of Hodgkin and Huxley's 0.3 (rest near -70.7 mV);
// the "classic" preset restores gL = 0.3 (rest -65 mV).
#pragma once

#include <array>
#include <cstddef>

#include "ionode/math.hpp"
#include "ionode/model.hpp"

namespace ionode::models {

struct hh {
  static constexpr std::string_view name = "HH";
  static constexpr std::string_view reference =
      "Hodgkin & Huxley (1952) J Physiol 117:500; parameters as BrainPy's brainpy.neurons.HH";

  enum var : std::size_t { V, m, h, n };
  enum par : std::size_t { ENa, gNa, EK, gK, EL, gL, V_th, C };

  static constexpr std::array variables{
      variable_info{"V", "mV", "membrane potential", initial_kind::uniform, -70.0, -60.0},
      variable_info{"m", "1", "Na activation", initial_kind::steady_state},
      variable_info{"h", "1", "Na inactivation", initial_kind::steady_state},
      variable_info{"n", "1", "K activation", initial_kind::steady_state},
  };
  static constexpr std::array parameters{
      parameter_info{"ENa", 50.0, "mV", "sodium reversal potential"},
      parameter_info{"gNa", 120.0, "mS/cm^2", "maximal sodium conductance", constraint::non_negative},
      parameter_info{"EK", -77.0, "mV", "potassium reversal potential"},
      parameter_info{"gK", 36.0, "mS/cm^2", "maximal potassium conductance", constraint::non_negative},
      parameter_info{"EL", -54.387, "mV", "leak reversal potential"},
      parameter_info{"gL", 0.03, "mS/cm^2", "leak conductance", constraint::non_negative},
      parameter_info{"V_th", 20.0, "mV", "spike threshold (upward crossing of V)"},
      parameter_info{"C", 1.0, "uF/cm^2", "membrane capacitance", constraint::positive},
  };
  static constexpr std::array inputs{
      input_info{"input", "uA/cm^2", "injected current density"},
  };
  static constexpr std::array membranes{membrane_port{"soma", V, C}};
  static constexpr std::size_t spike_variable = V;
  static constexpr std::size_t threshold_parameter = V_th;

  // Hodgkin and Huxley's own leak (gL = 0.3): rest at -65 mV, Hopf point near 9.78 uA/cm^2.
  static constexpr std::array preset_classic{preset_value{"gL", 0.3}};

  // Rates in 1/ms. alpha_m and alpha_n are 0/0 at -40 and -55 mV in their textbook form.
  template <class T>
  static T alpha_m(const T& v) {
    using namespace ionode::math;
    return 1.0 / exprel(-(v + 40.0) / 10.0);  // 0.1 (V+40) / (1 - exp(-(V+40)/10))
  }
  template <class T>
  static T beta_m(const T& v) {
    using namespace ionode::math;
    return 4.0 * exp(-(v + 65.0) / 18.0);
  }
  template <class T>
  static T alpha_h(const T& v) {
    using namespace ionode::math;
    return 0.07 * exp(-(v + 65.0) / 20.0);
  }
  template <class T>
  static T beta_h(const T& v) {
    using namespace ionode::math;
    return 1.0 / (1.0 + exp(-(v + 35.0) / 10.0));
  }
  template <class T>
  static T alpha_n(const T& v) {
    using namespace ionode::math;
    return 0.1 / exprel(-(v + 55.0) / 10.0);  // 0.01 (V+55) / (1 - exp(-(V+55)/10))
  }
  template <class T>
  static T beta_n(const T& v) {
    using namespace ionode::math;
    return 0.125 * exp(-(v + 65.0) / 80.0);
  }

  // All six rates from two exponentials. With q = exp(-(V+65)/80):
  //   alpha_h = 0.07 q^4,  beta_n = 0.125 q,  exp(-(V+35)/10) = e^3 q^8 (beta_h),
  //   exp(-(V+40)/10) = e^2.5 q^8 (alpha_m),  exp(-(V+55)/10) = e^1 q^8 (alpha_n);
  // beta_m's exp(-(V+65)/18) is not an integer power of q and gets its own exponential. The powers
  // cost a few ulp (q^8 about 10); the rates agree with the one-exponential-each forms above to
  // 32 ulp (tests/unit/test_models.cpp), against 6 exponentials and 2 expm1 saved per neuron-step.
  template <class T>
  struct rate_set {
    T alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n;
  };
  template <class T>
  static rate_set<T> rates(const T& v) {
    using namespace ionode::math;
    constexpr double e_3 = 20.085536923187667741;    // e^3
    constexpr double e_2_5 = 12.182493960703473438;  // e^2.5
    constexpr double e_1 = 2.7182818284590452354;    // e
    // (V + c) * (-1/k) rather than -(V + c) / k: the same value for packs (which divide by a constant
    // as a product with its reciprocal), one operation fewer.
    const T q = exp((v + 65.0) * (-1.0 / 80.0));
    const T q2 = q * q;
    const T q4 = q2 * q2;
    const T q8 = q4 * q4;
    return {inverse_exprel_given_exp((v + 40.0) * -0.1, T(e_2_5 * q8)),
            4.0 * exp((v + 65.0) * (-1.0 / 18.0)),
            0.07 * q4,
            1.0 / (1.0 + e_3 * q8),
            0.1 * inverse_exprel_given_exp((v + 55.0) * -0.1, T(e_1 * q8)),
            0.125 * q};
  }

  // A gate's dx/dt = a (1 - x) - b x = a - (a + b) x, and its diagonal entry -(a + b): one sum serves both.
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

  // The right-hand side and the diagonal of its Jacobian together, for exp_auto: a gate's
  // d/dx (a (1 - x) - b x) = -(a + b), and V's d/dV is minus the total conductance over C. Written by
  // hand because the dual numbers would also differentiate every rate with respect to V, which the
  // diagonal never uses (half of exp_auto's time). tests/unit/test_models.cpp checks it against the
  // dual numbers.
  template <class T, class P>
  static void derivative_and_diagonal(const T* x, const P* p, const P* in, T* dx, T* diagonal) {
    using namespace ionode::math;
    const T& v = x[V];
    const T g_na = p[gNa] * ipow<3>(x[m]) * x[h];
    const T g_k = p[gK] * ipow<4>(x[n]);
    const P inverse_c = 1.0 / p[C];  // one division for two quotients
    // Each current as g (V - E): written as I + sum g E - g_total V it would save two operations but
    // cancel terms ten times larger than the currents near rest.
    dx[V] = (-(g_na * (v - p[ENa])) - g_k * (v - p[EK]) - p[gL] * (v - p[EL]) + in[0]) * inverse_c;
    diagonal[V] = -(g_na + g_k + p[gL]) * inverse_c;
    const rate_set<T> r = rates(v);
    gate(r.alpha_m, r.beta_m, x[m], dx[m], diagonal[m]);
    gate(r.alpha_h, r.beta_h, x[h], dx[h], diagonal[h]);
    gate(r.alpha_n, r.beta_n, x[n], dx[n], diagonal[n]);
  }

  // Gates start at steady state for the initial voltage: x_inf = alpha / (alpha + beta).
  static double steady_state(std::size_t variable, const double* x, const double* /*p*/) {
    const double v = x[V];
    switch (variable) {
      case m: return alpha_m(v) / (alpha_m(v) + beta_m(v));
      case h: return alpha_h(v) / (alpha_h(v) + beta_h(v));
      case n: return alpha_n(v) / (alpha_n(v) + beta_n(v));
      default: return x[variable];
    }
  }
};

}  // namespace ionode::models
