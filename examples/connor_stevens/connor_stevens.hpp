// The Connor-Stevens model: a user-defined ionode model, written outside the library.
//
// Source of every formula and number below (one source, stated once here; each function repeats
// the textbook form it implements):
//   Dayan P. & Abbott L.F. (2001) Theoretical Neuroscience, MIT Press, section 6.2 "The
//   Connor-Stevens Model": the membrane current (their equation 6.1), the parameter values, and the
//   gating kinetics given there (alpha/beta rate functions for m, h, n; a_inf, tau_a, b_inf, tau_b
//   for the A-current gates a, b). Dayan & Abbott's version of the model of
//   Connor J.A., Walter D. & McKown R. (1977) Biophys. J. 18:81-102.
//
//   C dV/dt = -i_m + I,  i_m = gL (V - EL) + gNa m^3 h (V - ENa) + gK n^4 (V - EK) + gA a^3 b (V - EA)
//   dx/dt = alpha_x(V) (1 - x) - beta_x(V) x   for x in {m, h, n}
//   dx/dt = (x_inf(V) - x) / tau_x(V)          for x in {a, b}
//
// Units: Dayan & Abbott give c_m = 10 nF/mm^2 and conductances in mS/mm^2 (gL 0.003, gNa 1.2,
// gK 0.2, gA 0.477); here everything is per cm^2 (x 100): C = 1 uF/cm^2, gL = 0.3, gNa = 120,
// gK = 20, gA = 47.7 mS/cm^2, so the input is a current density in uA/cm^2 (as for ionode's HH).
// Voltages in mV, time in ms, rates in 1/ms.
//
// With these defaults the model rests near -68 mV (steady-state gates there: m, h, n, a, b = 0.010,
// 0.966, 0.156, 0.540, 0.289) and fires repetitively from about
// 8 uA/cm^2, at arbitrarily low rates just above that (type I excitability, from the A-current).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "ionode/math.hpp"
#include "ionode/model.hpp"

namespace ionode_examples {

struct connor_stevens {
  static constexpr std::string_view name = "ConnorStevens";
  static constexpr std::string_view reference =
      "Connor, Walter & McKown (1977) Biophys J 18:81; as in Dayan & Abbott (2001) Theoretical "
      "Neuroscience, section 6.2";
  // The one-line summary `models` lists, for the programs that register it.
  static constexpr std::string_view summary =
      "Connor-Stevens (1977): Na, delayed-rectifier K and A-current; type I excitability "
      "(Dayan & Abbott section 6.2)";

  enum var : std::size_t { V, m, h, n, a, b };
  enum par : std::size_t { C, gNa, gK, gA, gL, ENa, EK, EA, EL, V_th };

  static constexpr std::array variables{
      ionode::variable_info{"V", "mV", "membrane potential", ionode::initial_kind::constant, -68.0},
      ionode::variable_info{"m", "1", "Na activation", ionode::initial_kind::steady_state},
      ionode::variable_info{"h", "1", "Na inactivation", ionode::initial_kind::steady_state},
      ionode::variable_info{"n", "1", "delayed-rectifier K activation", ionode::initial_kind::steady_state},
      ionode::variable_info{"a", "1", "A-current activation", ionode::initial_kind::steady_state},
      ionode::variable_info{"b", "1", "A-current inactivation", ionode::initial_kind::steady_state},
  };
  static constexpr std::array parameters{
      ionode::parameter_info{"C", 1.0, "uF/cm^2", "membrane capacitance", ionode::constraint::positive},
      ionode::parameter_info{"gNa", 120.0, "mS/cm^2", "maximal sodium conductance",
                             ionode::constraint::non_negative},
      ionode::parameter_info{"gK", 20.0, "mS/cm^2", "maximal delayed-rectifier K conductance",
                             ionode::constraint::non_negative},
      ionode::parameter_info{"gA", 47.7, "mS/cm^2", "maximal A-current conductance",
                             ionode::constraint::non_negative},
      ionode::parameter_info{"gL", 0.3, "mS/cm^2", "leak conductance", ionode::constraint::non_negative},
      ionode::parameter_info{"ENa", 55.0, "mV", "sodium reversal potential"},
      ionode::parameter_info{"EK", -72.0, "mV", "delayed-rectifier K reversal potential"},
      ionode::parameter_info{"EA", -75.0, "mV", "A-current reversal potential"},
      ionode::parameter_info{"EL", -17.0, "mV", "leak reversal potential"},
      // -20 mV: spikes peak near +46 mV, while V stays below about -55 mV between spikes and for
      // every subthreshold current; -20 mV lies on the steep upstroke (dV/dt of a few hundred
      // mV/ms), so each spike crosses it exactly once and its crossing time is well conditioned.
      ionode::parameter_info{"V_th", -20.0, "mV", "spike threshold (upward crossing of V)"},
  };
  static constexpr std::array inputs{
      ionode::input_info{"input", "uA/cm^2", "injected current density"},
  };
  static constexpr std::size_t spike_variable = V;
  static constexpr std::size_t threshold_parameter = V_th;

  // Rate functions (1/ms) and A-current kinetics, as in Dayan & Abbott section 6.2.
  // alpha_m and alpha_n have the form c (V + V0) / (1 - exp(-(V + V0)/10)), which is 0/0 at
  // V = -V0; with x = V + V0 and k = 10, x / (1 - exp(-x/k)) = k / exprel(-x/k), exact everywhere.
  template <class T>
  static T alpha_m(const T& v) {
    using namespace ionode::math;
    return 3.8 / exprel(-(v + 29.7) / 10.0);  // 0.38 (V+29.7) / (1 - exp(-0.1 (V+29.7)))
  }
  template <class T>
  static T beta_m(const T& v) {
    using namespace ionode::math;
    return 15.2 * exp(-0.0556 * (v + 54.7));
  }
  template <class T>
  static T alpha_h(const T& v) {
    using namespace ionode::math;
    return 0.266 * exp(-0.05 * (v + 48.0));
  }
  template <class T>
  static T beta_h(const T& v) {
    using namespace ionode::math;
    return 3.8 / (1.0 + exp(-0.1 * (v + 18.0)));
  }
  template <class T>
  static T alpha_n(const T& v) {
    using namespace ionode::math;
    return 0.2 / exprel(-(v + 45.7) / 10.0);  // 0.02 (V+45.7) / (1 - exp(-0.1 (V+45.7)))
  }
  template <class T>
  static T beta_n(const T& v) {
    using namespace ionode::math;
    return 0.25 * exp(-0.0125 * (v + 55.7));
  }
  // a_inf = (0.0761 exp(0.0314 (V+94.22)) / (1 + exp(0.0346 (V+1.17))))^(1/3). The cube root is
  // written exp(log(.)/3) (the base is always > 0), which dual numbers support.
  template <class T>
  static T a_inf(const T& v) {
    using namespace ionode::math;
    const T base = 0.0761 * exp(0.0314 * (v + 94.22)) / (1.0 + exp(0.0346 * (v + 1.17)));
    return exp(log(base) / 3.0);
  }
  template <class T>
  static T tau_a(const T& v) {  // ms
    using namespace ionode::math;
    return 0.3632 + 1.158 / (1.0 + exp(0.0497 * (v + 55.96)));
  }
  // b_inf = (1 / (1 + exp(0.0688 (V+53.3))))^4
  template <class T>
  static T b_inf(const T& v) {
    using namespace ionode::math;
    return ipow<4>(1.0 / (1.0 + exp(0.0688 * (v + 53.3))));
  }
  template <class T>
  static T tau_b(const T& v) {  // ms
    using namespace ionode::math;
    return 1.24 + 2.678 / (1.0 + exp(0.0624 * (v + 50.0)));
  }

  template <class T, class P>
  static void derivative(const T* x, const P* p, const P* in, T* dx) {
    using namespace ionode::math;
    const T& v = x[V];
    const T i_na = p[gNa] * ipow<3>(x[m]) * x[h] * (v - p[ENa]);
    const T i_k = p[gK] * ipow<4>(x[n]) * (v - p[EK]);
    const T i_a = p[gA] * ipow<3>(x[a]) * x[b] * (v - p[EA]);
    const T i_leak = p[gL] * (v - p[EL]);
    dx[V] = (-i_na - i_k - i_a - i_leak + in[0]) / p[C];
    dx[m] = alpha_m(v) * (1.0 - x[m]) - beta_m(v) * x[m];
    dx[h] = alpha_h(v) * (1.0 - x[h]) - beta_h(v) * x[h];
    dx[n] = alpha_n(v) * (1.0 - x[n]) - beta_n(v) * x[n];
    dx[a] = (a_inf(v) - x[a]) / tau_a(v);
    dx[b] = (b_inf(v) - x[b]) / tau_b(v);
  }

  // Gates start at steady state for the initial voltage: alpha / (alpha + beta), a_inf, b_inf.
  static double steady_state(std::size_t variable, const double* x, const double* /*p*/) {
    const double v = x[V];
    switch (variable) {
      case m: return alpha_m(v) / (alpha_m(v) + beta_m(v));
      case h: return alpha_h(v) / (alpha_h(v) + beta_h(v));
      case n: return alpha_n(v) / (alpha_n(v) + beta_n(v));
      case a: return a_inf(v);
      case b: return b_inf(v);
      default: return x[variable];
    }
  }
};

static_assert(ionode::neuron_model<connor_stevens>);

}  // namespace ionode_examples
