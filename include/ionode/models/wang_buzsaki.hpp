// Wang-Buzsaki (1996) hippocampal interneuron model, with the seed's (BrainPy's) default parameters.
//   C dV/dt = -gNa m_inf(V)^3 h (V - ENa) - gK n^4 (V - EK) - gL (V - EL) + I
//   dx/dt = phi (alpha_x(V) (1 - x) - beta_x(V) x),  x in {h, n}
// Wang X.-J., Buzsaki G. (1996) J. Neurosci. 16:6402-6413. (The seed's parameter docs are copied
// from HH; its code defaults, used here, are the paper's.)
#pragma once

#include <array>
#include <cstddef>

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

  template <class T, class P>
  static void derivative(const T* x, const P* p, const P* in, T* dx) {
    using namespace ionode::math;
    const T& v = x[V];
    const T i_na = p[gNa] * ipow<3>(m_inf(v)) * x[h] * (v - p[ENa]);
    const T i_k = p[gK] * ipow<4>(x[n]) * (v - p[EK]);
    const T i_leak = p[gL] * (v - p[EL]);
    dx[V] = (-i_na - i_k - i_leak + in[0]) / p[C];
    dx[h] = p[phi] * (alpha_h(v) * (1.0 - x[h]) - beta_h(v) * x[h]);
    dx[n] = p[phi] * (alpha_n(v) * (1.0 - x[n]) - beta_n(v) * x[n]);
  }

  // f and the diagonal of its Jacobian for exp_auto (model.hpp): gates -phi (alpha + beta); V minus
  // the total conductance over C, where the instantaneous m_inf(V) adds its slope term
  // 3 gNa m_inf^2 m_inf'(V) h (V - ENa) (m_inf and m_inf' from a one-slot dual number: only the
  // rates of m are differentiated, not those of h and n).
  template <class T, class P>
  static void derivative_and_diagonal(const T* x, const P* p, const P* in, T* dx, T* diagonal) {
    using namespace ionode::math;
    const T& v = x[V];
    using slope = ad::dual<T, 1>;
    const slope m_inf_v = m_inf(slope::variable(v, 0));
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
    const T a_h = alpha_h(v), b_h = beta_h(v), a_n = alpha_n(v), b_n = beta_n(v);
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
