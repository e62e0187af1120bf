// Wang-Buzsaki (1996) hippocampal interneuron model, with the seed's (BrainPy's) default parameters.
//   C dV/dt = -gNa m_inf(V)^3 h (V - ENa) - gK n^4 (V - EK) - gL (V - EL) + I
//   dx/dt = phi (alpha_x(V) (1 - x) - beta_x(V) x),  x in {h, n}
// Wang X.-J., Buzsaki G. (1996) J. Neurosci. 16:6402-6413. (The seed's parameter docs are copied
// from HH; its code defaults, used here, are the paper's.)
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "ionode/dual.hpp"
#include "ionode/math.hpp"
#include "ionode/model.hpp"

namespace ionode::models {

struct wang_buzsaki {
  static constexpr std::string_view name = "WangBuzsaki";
  static constexpr std::string_view reference =
      "Wang & Buzsaki (1996) J Neurosci 16:6402; parameters as BrainPy's brainpy.neurons.WangBuzsakiModel";

  enum var : std::size_t { V, h, n };
  enum par : std::size_t { ENa, gNa, EK, gK, EL, gL, V_th, phi, C };

  static constexpr std::array variables{
      variable_info{"V", "mV", "membrane potential", initial_kind::constant, -65.0},
      variable_info{"h", "1", "Na inactivation", initial_kind::constant, 0.6},
      variable_info{"n", "1", "K activation", initial_kind::constant, 0.32},
  };
  static constexpr std::array parameters{
      parameter_info{"ENa", 55.0, "mV", "sodium reversal potential"},
      parameter_info{"gNa", 35.0, "mS/cm^2", "maximal sodium conductance", constraint::non_negative},
      parameter_info{"EK", -90.0, "mV", "potassium reversal potential"},
      parameter_info{"gK", 9.0, "mS/cm^2", "maximal potassium conductance", constraint::non_negative},
      parameter_info{"EL", -65.0, "mV", "leak reversal potential"},
      parameter_info{"gL", 0.1, "mS/cm^2", "leak conductance", constraint::non_negative},
      parameter_info{"V_th", 20.0, "mV", "spike threshold (upward crossing of V)"},
      parameter_info{"phi", 5.0, "1", "temperature factor of the h and n kinetics", constraint::positive},
      parameter_info{"C", 1.0, "uF/cm^2", "membrane capacitance", constraint::positive},
  };
  static constexpr std::array inputs{
      input_info{"input", "uA/cm^2", "injected current density"},
  };
  static constexpr std::array membranes{membrane_port{"soma", V, C}};
  static constexpr std::size_t spike_variable = V;
  static constexpr std::size_t threshold_parameter = V_th;

  template <class T>
  static T m_inf(const T& v) {
    using namespace ionode::math;
    const T alpha = 1.0 / exprel(-0.1 * (v + 35.0));  // -0.1 (V+35) / (exp(-0.1 (V+35)) - 1)
    const T beta = 4.0 * exp(-(v + 60.0) / 18.0);
    return alpha / (alpha + beta);
  }
  template <class T>
  static T alpha_h(const T& v) {
    using namespace ionode::math;
    return 0.07 * exp(-(v + 58.0) / 20.0);
  }
  template <class T>
  static T beta_h(const T& v) {
    using namespace ionode::math;
    return 1.0 / (exp(-0.1 * (v + 28.0)) + 1.0);
  }
  template <class T>
  static T alpha_n(const T& v) {
    using namespace ionode::math;
    return 0.1 / exprel(-0.1 * (v + 34.0));  // -0.01 (V+34) / (exp(-0.1 (V+34)) - 1)
  }
  template <class T>
  static T beta_n(const T& v) {
    using namespace ionode::math;
    return 0.125 * exp(-(v + 44.0) / 80.0);
  }

  // The six rates from two exponentials, as HH's: with q = exp(-(V+44)/80),
  //   beta_n = 0.125 q,  alpha_h = 0.07 e^-0.7 q^4,  exp(-0.1 (V+28)) = e^1.6 q^8 (beta_h),
  //   exp(-0.1 (V+35)) = e^0.9 q^8 (alpha_m),  exp(-0.1 (V+34)) = e q^8 (alpha_n);
  // beta_m's exp(-(V+60)/18) is not a power of q. tests/unit/test_models.cpp bounds the difference
  // from the one-exponential-each forms above (a few ulp; the powers of q cost most of it).
  template <class T>
  struct rate_set {
    T alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n;
  };
  template <class T>
  static T q_of(const T& v) {
    using namespace ionode::math;
    return exp(-(v + 44.0) / 80.0);
  }
  // alpha_m and beta_m given q (m_inf's rates: the only ones the diagonal differentiates).
  template <class T>
  static std::pair<T, T> m_rates(const T& v, const T& q) {
    using namespace ionode::math;
    constexpr double e_0_9 = 2.4596031111569496638;  // e^0.9
    const T q2 = q * q, q4 = q2 * q2, q8 = q4 * q4;
    return {inverse_exprel_given_exp(-0.1 * (v + 35.0), T(e_0_9 * q8)), 4.0 * exp(-(v + 60.0) / 18.0)};
  }
  // alpha_h, beta_h, alpha_n, beta_n given q.
  template <class T>
  static std::array<T, 4> hn_rates(const T& v, const T& q) {
    using namespace ionode::math;
    constexpr double e_1_6 = 4.9530324243951148776;    // e^1.6
    constexpr double e_1 = 2.7182818284590452354;      // e
    constexpr double e_m0_7 = 0.49658530379140951470;  // e^-0.7
    const T q2 = q * q, q4 = q2 * q2, q8 = q4 * q4;
    return {(0.07 * e_m0_7) * q4, 1.0 / (T(e_1_6 * q8) + 1.0),
            0.1 * inverse_exprel_given_exp(-0.1 * (v + 34.0), T(e_1 * q8)), 0.125 * q};
  }
  template <class T>
  static rate_set<T> rates(const T& v) {
    const T q = q_of(v);
    const auto [a_m, b_m] = m_rates(v, q);
    const auto [a_h, b_h, a_n, b_n] = hn_rates(v, q);
    return {a_m, b_m, a_h, b_h, a_n, b_n};
  }

  template <class T, class P>
  static void derivative(const T* x, const P* p, const P* in, T* dx) {
    using namespace ionode::math;
    const T& v = x[V];
    const rate_set<T> r = rates(v);
    const T m_i = r.alpha_m / (r.alpha_m + r.beta_m);
    const T i_na = p[gNa] * ipow<3>(m_i) * x[h] * (v - p[ENa]);
    const T i_k = p[gK] * ipow<4>(x[n]) * (v - p[EK]);
    const T i_leak = p[gL] * (v - p[EL]);
    dx[V] = (-i_na - i_k - i_leak + in[0]) / p[C];
    dx[h] = p[phi] * (r.alpha_h * (1.0 - x[h]) - r.beta_h * x[h]);
    dx[n] = p[phi] * (r.alpha_n * (1.0 - x[n]) - r.beta_n * x[n]);
  }

  // f and the diagonal of its Jacobian for exp_auto (model.hpp): gates -phi (alpha + beta); V minus
  // the total conductance over C, where the instantaneous m_inf(V) adds its slope term
  // 3 gNa m_inf^2 m_inf'(V) h (V - ENa) (m_inf and m_inf' from a one-slot dual number: only the
  // rates of m are differentiated, not those of h and n).
  template <class T, class P>
  static void derivative_and_diagonal(const T* x, const P* p, const P* in, T* dx, T* diagonal) {
    using namespace ionode::math;
    const T& v = x[V];
    // q as a one-slot dual number in V, so that m_inf's rates carry their slopes; the rates of h
    // and n take q's value only.
    using slope = ad::dual<T, 1>;
    const slope v_slope = slope::variable(v, 0);
    const slope q = q_of(v_slope);
    const auto [a_m, b_m] = m_rates(v_slope, q);
    const slope m_inf_v = a_m / (a_m + b_m);
    const T& m_i = m_inf_v.v;
    const T& m_i_slope = m_inf_v.d[0];
    const T n4 = ipow<4>(x[n]);
    const T i_na = p[gNa] * ipow<3>(m_i) * x[h] * (v - p[ENa]);
    const T i_k = p[gK] * n4 * (v - p[EK]);
    const T i_leak = p[gL] * (v - p[EL]);
    const P inverse_c = 1.0 / p[C];
    dx[V] = (-i_na - i_k - i_leak + in[0]) * inverse_c;
    const T d_i_na = p[gNa] * x[h] * m_i * m_i * (m_i + 3.0 * m_i_slope * (v - p[ENa]));
    diagonal[V] = -(d_i_na + p[gK] * n4 + p[gL]) * inverse_c;
    const auto [a_h, b_h, a_n, b_n] = hn_rates(v, q.v);
    dx[h] = p[phi] * (a_h * (1.0 - x[h]) - b_h * x[h]);
    dx[n] = p[phi] * (a_n * (1.0 - x[n]) - b_n * x[n]);
    diagonal[h] = -p[phi] * (a_h + b_h);
    diagonal[n] = -p[phi] * (a_n + b_n);
  }

  static double steady_state(std::size_t variable, const double* x, const double* /*p*/) {
    return x[variable];  // the seed starts every variable at a constant
  }
};

}  // namespace ionode::models
