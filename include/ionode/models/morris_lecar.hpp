// Morris-Lecar (1981) barnacle muscle fiber model, with the seed's (BrainPy's) default parameters.
//   C dV/dt = -g_Ca M_inf(V) (V - V_Ca) - g_K W (V - V_K) - g_leak (V - V_leak) + I
//   dW/dt = phi cosh((V - V3) / (2 V4)) (W_inf(V) - W)
// Morris C., Lecar H. (1981) Biophys. J. 35:193-213. The seed's V_Ca is 130 mV (Rinzel-Ermentrout
// use 120 mV); phi is per ms (the seed's docstring says 1/s).
#pragma once

#include <array>
#include <cstddef>

#include "ionode/math.hpp"
#include "ionode/model.hpp"

namespace ionode::models {

struct morris_lecar {
  static constexpr std::string_view name = "MorrisLecar";
  static constexpr std::string_view reference =
      "Morris & Lecar (1981) Biophys J 35:193; parameters as BrainPy's brainpy.neurons.MorrisLecar";

  enum var : std::size_t { V, W };
  enum par : std::size_t { V_Ca, g_Ca, V_K, g_K, V_leak, g_leak, C, V1, V2, V3, V4, phi, V_th };

  static constexpr std::array variables{
      variable_info{"V", "mV", "membrane potential", initial_kind::uniform, -70.0, -60.0},
      variable_info{"W", "1", "K channel open fraction", initial_kind::constant, 0.02},
  };
  static constexpr std::array parameters{
      parameter_info{"V_Ca", 130.0, "mV", "calcium reversal potential"},
      parameter_info{"g_Ca", 4.4, "mS/cm^2", "maximal calcium conductance", constraint::non_negative},
      parameter_info{"V_K", -84.0, "mV", "potassium reversal potential"},
      parameter_info{"g_K", 8.0, "mS/cm^2", "maximal potassium conductance", constraint::non_negative},
      parameter_info{"V_leak", -60.0, "mV", "leak reversal potential"},
      parameter_info{"g_leak", 2.0, "mS/cm^2", "leak conductance", constraint::non_negative},
      parameter_info{"C", 20.0, "uF/cm^2", "membrane capacitance", constraint::positive},
      parameter_info{"V1", -1.2, "mV", "potential at which M_inf = 0.5"},
      parameter_info{"V2", 18.0, "mV", "reciprocal slope of M_inf", constraint::positive},
      parameter_info{"V3", 2.0, "mV", "potential at which W_inf = 0.5"},
      parameter_info{"V4", 30.0, "mV", "reciprocal slope of W_inf", constraint::positive},
      parameter_info{"phi", 0.04, "1/ms", "rate factor of W", constraint::positive},
      parameter_info{"V_th", 10.0, "mV", "spike threshold (upward crossing of V)"},
  };
  static constexpr std::array inputs{
      input_info{"input", "uA/cm^2", "injected current density"},
  };
  static constexpr std::array membranes{membrane_port{"soma", V, C}};
  static constexpr std::size_t spike_variable = V;
  static constexpr std::size_t threshold_parameter = V_th;

  template <class T, class P>
  static void derivative(const T* x, const P* p, const P* in, T* dx) {
    using namespace ionode::math;
    const T& v = x[V];
    const T m_inf = 0.5 * (1.0 + tanh((v - p[V1]) / p[V2]));
    const T i_ca = p[g_Ca] * m_inf * (v - p[V_Ca]);
    const T i_k = p[g_K] * x[W] * (v - p[V_K]);
    const T i_leak = p[g_leak] * (v - p[V_leak]);
    dx[V] = (-i_ca - i_k - i_leak + in[0]) / p[C];
    const T w_inf = 0.5 * (1.0 + tanh((v - p[V3]) / p[V4]));
    const T inverse_tau = p[phi] * cosh((v - p[V3]) / (2.0 * p[V4]));
    dx[W] = (w_inf - x[W]) * inverse_tau;
  }

  static double steady_state(std::size_t variable, const double* x, const double* /*p*/) {
    return x[variable];  // no variable starts at steady state by default
  }
};

}  // namespace ionode::models
