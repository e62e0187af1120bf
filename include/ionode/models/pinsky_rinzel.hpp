// Pinsky-Rinzel (1994) two-compartment CA3 pyramidal cell, with the seed's (BrainPy's) defaults.
//   Cm dVs/dt = -INa - IKDR - IL + gc/p (Vd - Vs) + Is/p
//   Cm dVd/dt = -IL - ICa - IAHP - IC + gc/(1-p) (Vs - Vd) + Id/(1-p)
//   dCa/dt = -0.13 ICa - 0.075 Ca;  gates h, n (soma), s, c (dendrite), q (calcium)
// Pinsky P.F., Rinzel J. (1994) J. Comput. Neurosci. 1:39-60; rates from Traub et al. (1991).
//
// Two variants (docs/models.md):
//   paper: IC = gC c min(Ca/250, 1) (Vd - EK) with Traub's alpha_c = exp((u-10)/11 - (u-6.5)/27)/18.975
//          (u = Vd + 60, u <= 50). This is the model of the paper; it bursts.
//   seed:  the seed exactly: IC ignores c, and alpha_c is a DIFFERENCE of exponentials, so c starts
//          negative and can exceed 1. Kept so that BrainPy results can be reproduced; it never bursts.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "ionode/dual.hpp"
#include "ionode/math.hpp"
#include "ionode/model.hpp"

namespace ionode::models {

enum class pinsky_rinzel_variant { paper, seed };

template <pinsky_rinzel_variant Variant>
struct pinsky_rinzel {
  static constexpr std::string_view name = "PinskyRinzel";
  static constexpr std::string_view reference =
      "Pinsky & Rinzel (1994) J Comput Neurosci 1:39; Traub et al. (1991) J Neurophysiol 66:635";
  static constexpr pinsky_rinzel_variant variant = Variant;

  enum var : std::size_t { Vs, Vd, Ca, h, n, s, c, q };
  enum par : std::size_t { gNa, gK, gCa, gAHP, gC, gL, ENa, EK, ECa, EL, gc, V_th, Cm, p, A };

  static constexpr std::array variables{
      variable_info{"Vs", "mV", "somatic membrane potential", initial_kind::constant, -64.6},
      variable_info{"Vd", "mV", "dendritic membrane potential", initial_kind::constant, -64.5},
      variable_info{"Ca", "1", "dendritic calcium (arbitrary units)", initial_kind::constant, 0.2},
      variable_info{"h", "1", "somatic Na inactivation", initial_kind::steady_state},
      variable_info{"n", "1", "somatic K-DR activation", initial_kind::steady_state},
      variable_info{"s", "1", "dendritic Ca activation", initial_kind::steady_state},
      variable_info{"c", "1", "dendritic K(Ca) activation", initial_kind::steady_state},
      variable_info{"q", "1", "dendritic K-AHP activation", initial_kind::steady_state},
  };
  static constexpr std::array parameters{
      parameter_info{"gNa", 30.0, "mS/cm^2", "somatic sodium conductance", constraint::non_negative},
      parameter_info{"gK", 15.0, "mS/cm^2", "somatic delayed-rectifier conductance", constraint::non_negative},
      parameter_info{"gCa", 10.0, "mS/cm^2", "dendritic calcium conductance", constraint::non_negative},
      parameter_info{"gAHP", 0.8, "mS/cm^2", "dendritic K-AHP conductance", constraint::non_negative},
      parameter_info{"gC", 15.0, "mS/cm^2", "dendritic K(Ca) conductance", constraint::non_negative},
      parameter_info{"gL", 0.1, "mS/cm^2", "leak conductance (both compartments)", constraint::non_negative},
      parameter_info{"ENa", 60.0, "mV", "sodium reversal potential"},
      parameter_info{"EK", -75.0, "mV", "potassium reversal potential"},
      parameter_info{"ECa", 80.0, "mV", "calcium reversal potential"},
      parameter_info{"EL", -60.0, "mV", "leak reversal potential"},
      parameter_info{"gc", 2.1, "mS/cm^2", "soma-dendrite coupling conductance", constraint::non_negative},
      parameter_info{"V_th", 20.0, "mV", "spike threshold (upward crossing of Vs)"},
      parameter_info{"Cm", 3.0, "uF/cm^2", "membrane capacitance", constraint::positive},
      parameter_info{"p", 0.5, "1", "fraction of the cell area in the soma", constraint::fraction},
      parameter_info{"A", 1.0, "cm^2", "total area (unused by the equations; kept for BrainPy parity)",
                     constraint::positive},
  };
  static constexpr std::array inputs{
      input_info{"Is", "uA/cm^2", "current injected into the soma (enters as Is/p)"},
      input_info{"Id", "uA/cm^2", "current injected into the dendrite (enters as Id/(1-p))"},
  };
  // Synaptic currents per unit area of the whole cell, as the inputs Is and Id: on the soma divided by
  // p, on the dendrite by 1 - p (Pinsky & Rinzel's I_syn / p and I_syn / (1 - p)).
  static constexpr std::array membranes{membrane_port{"soma", Vs, Cm, p}, membrane_port{"dendrite", Vd, Cm, p, true}};
  static constexpr std::size_t spike_variable = Vs;
  static constexpr std::size_t threshold_parameter = V_th;

  // Somatic rates (Vs in mV, rates in 1/ms). The 0/0 points (-46.9, -19.9, -24.9 mV) go through exprel.
  template <class T>
  static T alpha_m(const T& vs) {
    using namespace ionode::math;
    return 1.28 / exprel((-46.9 - vs) / 4.0);  // 0.32 (-46.9 - Vs) / (exp((-46.9 - Vs)/4) - 1)
  }
  template <class T>
  static T beta_m(const T& vs) {
    using namespace ionode::math;
    return 1.4 / exprel((vs + 19.9) / 5.0);  // 0.28 (Vs + 19.9) / (exp((Vs + 19.9)/5) - 1)
  }
  template <class T>
  static T alpha_n(const T& vs) {
    using namespace ionode::math;
    return 0.08 / exprel((-24.9 - vs) / 5.0);  // 0.016 (-24.9 - Vs) / (exp((-24.9 - Vs)/5) - 1)
  }
  template <class T>
  static T beta_n(const T& vs) {
    using namespace ionode::math;
    return 0.25 * exp(0.5 - 0.025 * (vs + 60.0));
  }
  template <class T>
  static T alpha_h(const T& vs) {
    using namespace ionode::math;
    return 0.128 * exp((17.0 - (vs + 60.0)) / 18.0);
  }
  template <class T>
  static T beta_h(const T& vs) {
    using namespace ionode::math;
    return 4.0 / (1.0 + exp((40.0 - (vs + 60.0)) / 5.0));
  }
  // Dendritic rates (Vd in mV). beta_s is 0/0 at -8.9 mV.
  template <class T>
  static T alpha_s(const T& vd) {
    using namespace ionode::math;
    return 1.6 / (1.0 + exp(-0.072 * ((vd + 60.0) - 65.0)));
  }
  template <class T>
  static T beta_s(const T& vd) {
    using namespace ionode::math;
    return 0.1 / exprel((vd + 8.9) / 5.0);  // 0.02 (Vd + 8.9) / (exp((Vd + 8.9)/5) - 1)
  }
  // alpha_c below u = Vd + 60 = 50: the paper's exp of a difference, or the seed's difference of exps.
  template <class T>
  static T alpha_c_low(const T& u) {
    using namespace ionode::math;
    if constexpr (Variant == pinsky_rinzel_variant::paper) {
      return exp((u - 10.0) / 11.0 - (u - 6.5) / 27.0) / 18.975;
    } else {
      return (exp((u - 10.0) / 11.0) - exp((u - 6.5) / 27.0)) / 18.975;
    }
  }
  template <class T>
  static T alpha_c(const T& vd) {
    using namespace ionode::math;
    const T u = vd + 60.0;
    return select(u <= 50.0, alpha_c_low(u), T(2.0 * exp((6.5 - u) / 27.0)));
  }
  template <class T>
  static T beta_c(const T& vd) {
    using namespace ionode::math;
    const T u = vd + 60.0;
    return select(u <= 50.0, T(2.0 * exp((6.5 - u) / 27.0) - alpha_c_low(u)), T(0.0 * u));
  }
  template <class T>
  static T alpha_q(const T& ca) {
    using namespace ionode::math;
    return min(2e-5 * ca, 1e-2);
  }
  static constexpr double beta_q = 1e-3;

  template <class T>
  static T m_inf(const T& vs) {
    return alpha_m(vs) / (alpha_m(vs) + beta_m(vs));
  }

  // The six somatic rates from two exponentials: with u = exp(-(Vs + 60)/40),
  //   beta_n = 0.25 e^0.5 u,  exp((-46.9 - Vs)/4) = e^3.275 u^10 (alpha_m),
  //   exp((-24.9 - Vs)/5) = e^7.02 u^8 (alpha_n),  exp((40 - (Vs + 60))/5) = e^8 u^8 (beta_h),
  //   and beta_m = 1.4 / exprel(y) = 1.4 e^-y / exprel(-y) with e^-y = e^8.02 u^8, y = (Vs + 19.9)/5
  //   (exprel(y) = e^y exprel(-y)); alpha_h's exp((17 - (Vs + 60))/18) is not a power of u.
  // tests/unit/test_models.cpp bounds the difference from the one-exponential-each forms above.
  template <class T>
  struct soma_rates {
    T alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n;
  };
  template <class T>
  static T u_of(const T& vs) {
    using namespace ionode::math;
    return exp(-(vs + 60.0) / 40.0);
  }
  // alpha_m and beta_m given u (m_inf's rates: the only ones the diagonal differentiates).
  template <class T>
  static std::pair<T, T> m_rates(const T& vs, const T& u) {
    using namespace ionode::math;
    constexpr double e_3_275 = 26.44322548056279;    // e^3.275
    constexpr double e_8_02 = 3041.1773329434304;    // e^8.02
    const T u2 = u * u, u4 = u2 * u2, u8 = u4 * u4;
    const T exp_minus_y = e_8_02 * u8;
    return {1.28 * inverse_exprel_given_exp((-46.9 - vs) / 4.0, T(e_3_275 * (u8 * u2))),
            1.4 * exp_minus_y * inverse_exprel_given_exp(-(vs + 19.9) / 5.0, exp_minus_y)};
  }
  // alpha_h, beta_h, alpha_n, beta_n given u.
  template <class T>
  static std::array<T, 4> hn_rates(const T& vs, const T& u) {
    using namespace ionode::math;
    constexpr double e_7_02 = 1118.7866177464866;      // e^7.02
    constexpr double e_8 = 2980.9579870417283;         // e^8
    constexpr double quarter_e_0_5 = 0.41218031767503205;  // 0.25 e^0.5
    const T u2 = u * u, u4 = u2 * u2, u8 = u4 * u4;
    return {alpha_h(vs), 4.0 / (1.0 + e_8 * u8), 0.08 * inverse_exprel_given_exp((-24.9 - vs) / 5.0, T(e_7_02 * u8)),
            quarter_e_0_5 * u};
  }
  template <class T>
  static soma_rates<T> rates(const T& vs) {
    const T u = u_of(vs);
    const auto [a_m, b_m] = m_rates(vs, u);
    const auto [a_h, b_h, a_n, b_n] = hn_rates(vs, u);
    return {a_m, b_m, a_h, b_h, a_n, b_n};
  }

  template <class T, class P>
  static void derivative(const T* x, const P* p_, const P* in, T* dx) {
    using namespace ionode::math;
    const P& area_soma = p_[p];
    const soma_rates<T> r = rates(x[Vs]);
    const T m_i = r.alpha_m / (r.alpha_m + r.beta_m);
    const T i_na = p_[gNa] * m_i * m_i * x[h] * (x[Vs] - p_[ENa]);
    const T i_kdr = p_[gK] * x[n] * (x[Vs] - p_[EK]);
    const T i_leak_s = p_[gL] * (x[Vs] - p_[EL]);
    dx[Vs] = (-i_na - i_kdr - i_leak_s + p_[gc] / area_soma * (x[Vd] - x[Vs]) + in[0] / area_soma) / p_[Cm];

    const T i_leak_d = p_[gL] * (x[Vd] - p_[EL]);
    const T i_ca = p_[gCa] * x[s] * x[s] * (x[Vd] - p_[ECa]);
    const T i_ahp = p_[gAHP] * x[q] * (x[Vd] - p_[EK]);
    const T chi = min(x[Ca] / 250.0, 1.0);
    T i_c;
    if constexpr (Variant == pinsky_rinzel_variant::paper) {
      i_c = p_[gC] * x[c] * chi * (x[Vd] - p_[EK]);
    } else {
      i_c = p_[gC] * chi * (x[Vd] - p_[EK]);
    }
    const P area_dendrite = 1.0 - area_soma;
    dx[Vd] = (-i_leak_d - i_ca - i_ahp - i_c + p_[gc] / area_dendrite * (x[Vs] - x[Vd]) +
              in[1] / area_dendrite) /
             p_[Cm];
    dx[Ca] = -0.13 * i_ca - 0.075 * x[Ca];
    dx[h] = r.alpha_h * (1.0 - x[h]) - r.beta_h * x[h];
    dx[n] = r.alpha_n * (1.0 - x[n]) - r.beta_n * x[n];
    dx[s] = alpha_s(x[Vd]) * (1.0 - x[s]) - beta_s(x[Vd]) * x[s];
    dx[c] = alpha_c(x[Vd]) * (1.0 - x[c]) - beta_c(x[Vd]) * x[c];
    dx[q] = alpha_q(x[Ca]) * (1.0 - x[q]) - beta_q * x[q];
  }

  // f and the diagonal of its Jacobian for exp_auto (model.hpp). Gates: -(alpha + beta); Ca: -0.075
  // (I_Ca does not involve Ca); Vd: minus its total conductance, coupling included, over Cm; Vs:
  // likewise plus the slope term of the instantaneous m_inf(Vs), from a one-slot dual number.
  // f is derivative()'s, term by term.
  template <class T, class P>
  static void derivative_and_diagonal(const T* x, const P* p_, const P* in, T* dx, T* diagonal) {
    using namespace ionode::math;
    const P& area_soma = p_[p];
    const P area_dendrite = 1.0 - area_soma;
    const P inverse_cm = 1.0 / p_[Cm];
    // u as a one-slot dual number in Vs, so that m_inf's rates carry their slopes; the rates of h
    // and n take u's value only.
    using slope = ad::dual<T, 1>;
    const slope vs_slope = slope::variable(x[Vs], 0);
    const slope u = u_of(vs_slope);
    const auto [a_m, b_m] = m_rates(vs_slope, u);
    const slope m_inf_vs = a_m / (a_m + b_m);
    const T& m_i = m_inf_vs.v;
    const T g_na = p_[gNa] * m_i * m_i * x[h];
    const T i_na = g_na * (x[Vs] - p_[ENa]);
    const T i_kdr = p_[gK] * x[n] * (x[Vs] - p_[EK]);
    const T i_leak_s = p_[gL] * (x[Vs] - p_[EL]);
    const P g_coupling_s = p_[gc] / area_soma;
    dx[Vs] = (-i_na - i_kdr - i_leak_s + g_coupling_s * (x[Vd] - x[Vs]) + in[0] / area_soma) * inverse_cm;
    const T d_i_na = g_na + 2.0 * p_[gNa] * m_i * m_inf_vs.d[0] * x[h] * (x[Vs] - p_[ENa]);
    diagonal[Vs] = -(d_i_na + p_[gK] * x[n] + p_[gL] + g_coupling_s) * inverse_cm;

    const T i_leak_d = p_[gL] * (x[Vd] - p_[EL]);
    const T g_ca = p_[gCa] * x[s] * x[s];
    const T i_ca = g_ca * (x[Vd] - p_[ECa]);
    const T g_ahp = p_[gAHP] * x[q];
    const T i_ahp = g_ahp * (x[Vd] - p_[EK]);
    const T chi = min(x[Ca] / 250.0, 1.0);
    T g_c;
    if constexpr (Variant == pinsky_rinzel_variant::paper) {
      g_c = p_[gC] * x[c] * chi;
    } else {
      g_c = p_[gC] * chi;
    }
    const T i_c = g_c * (x[Vd] - p_[EK]);
    const P g_coupling_d = p_[gc] / area_dendrite;
    dx[Vd] = (-i_leak_d - i_ca - i_ahp - i_c + g_coupling_d * (x[Vs] - x[Vd]) + in[1] / area_dendrite) * inverse_cm;
    diagonal[Vd] = -(p_[gL] + g_ca + g_ahp + g_c + g_coupling_d) * inverse_cm;
    dx[Ca] = -0.13 * i_ca - 0.075 * x[Ca];
    diagonal[Ca] = T(-0.075);

    const auto gate = [&](std::size_t var, const T& alpha, const T& beta) {
      dx[var] = alpha * (1.0 - x[var]) - beta * x[var];
      diagonal[var] = -(alpha + beta);
    };
    const auto [a_h, b_h, a_n, b_n] = hn_rates(x[Vs], u.v);
    gate(h, a_h, b_h);
    gate(n, a_n, b_n);
    gate(s, alpha_s(x[Vd]), beta_s(x[Vd]));
    gate(c, alpha_c(x[Vd]), beta_c(x[Vd]));
    gate(q, alpha_q(x[Ca]), T(beta_q));
  }

  static double steady_state(std::size_t variable, const double* x, const double* /*p*/) {
    const auto ratio = [](double a, double b) { return a / (a + b); };
    switch (variable) {
      case h: return ratio(alpha_h(x[Vs]), beta_h(x[Vs]));
      case n: return ratio(alpha_n(x[Vs]), beta_n(x[Vs]));
      case s: return ratio(alpha_s(x[Vd]), beta_s(x[Vd]));
      case c: return ratio(alpha_c(x[Vd]), beta_c(x[Vd]));
      case q: return ratio(alpha_q(x[Ca]), beta_q);
      default: return x[variable];
    }
  }
};

using pinsky_rinzel_paper = pinsky_rinzel<pinsky_rinzel_variant::paper>;
using pinsky_rinzel_seed = pinsky_rinzel<pinsky_rinzel_variant::seed>;

}  // namespace ionode::models
