// The model concept: what a conductance-based neuron model declares so that ionode can integrate,
// batch, drive, record and run it from the command line. See docs/models.md for a worked example.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>

namespace ionode {

// What values a parameter may take. Checked when a population is built.
enum class constraint {
  any,           // any finite number
  positive,      // > 0 (capacitances, rate factors, slope widths)
  non_negative,  // >= 0 (maximal conductances)
  fraction,      // strictly between 0 and 1 (Pinsky-Rinzel's somatic area fraction p)
};

struct parameter_info {
  std::string_view name;
  double default_value;
  std::string_view unit;
  std::string_view description;
  constraint allowed = constraint::any;
};

// How a state variable starts when the user gives no initializer.
enum class initial_kind {
  constant,      // the value `a`
  uniform,       // Uniform(a, b), drawn per neuron from the population's seed
  steady_state,  // computed by the model from the variables already set (gates at x_inf(V0))
};

struct variable_info {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  initial_kind initial = initial_kind::constant;
  double a = 0.0;
  double b = 0.0;
};

struct input_info {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
};

// A named set of parameter defaults (HH's "classic" preset). Values override the model's defaults.
struct preset_value {
  std::string_view parameter;
  double value;
};

// A conductance-based model, written once:
//   - name, variables, parameters, inputs: metadata arrays (order = index used in the equations);
//   - spike_variable: index of the variable whose upward crossing of `threshold_parameter` is a spike;
//   - derivative(x, p, in, dxdt): the right-hand side, a template over the scalar type of the state
//     (double, float, ad::dual<...>, later SIMD types) and of the parameters;
//   - steady_state(var, x, p): the default initial value of a variable marked steady_state,
//     given the variables that are not (only called for those).
template <class M>
concept neuron_model = requires {
  { M::name } -> std::convertible_to<std::string_view>;
  M::variables.size();
  M::parameters.size();
  M::inputs.size();
  { M::spike_variable } -> std::convertible_to<std::size_t>;
  { M::threshold_parameter } -> std::convertible_to<std::size_t>;
} && requires(const double* x, const double* p, const double* in, double* dx) {
  M::derivative(x, p, in, dx);
  { M::steady_state(std::size_t{0}, x, p) } -> std::convertible_to<double>;
};

// Optional: derivative_and_diagonal(x, p, in, dxdt, diagonal) gives the right-hand side and the
// diagonal of its Jacobian in one pass, for exp_auto. Without it the diagonal comes from dual
// numbers; with it the model must compute the same f as derivative() up to rounding (tests compare
// both, and the diagonal with the dual numbers' one). Worth it when the dual numbers would
// differentiate much that the diagonal never uses (every rate of HH with respect to V).
template <class M, class T>
concept provides_diagonal = requires(const T* x, const T* p, const T* in, T* dx, T* diagonal) {
  M::derivative_and_diagonal(x, p, in, dx, diagonal);
};

// Optional: where synaptic currents enter the model (its membrane ports). A model that declares
//   static constexpr std::array membranes{membrane_port{"soma", V, C}};
// can be the target of projections: the engine adds (E - V) g / (C a) per port to dV/dt inside the
// step, V being the variable integrated (so exp_auto's diagonal gets -g / (C a)), where a is the
// compartment's share of the cell's area (1, or Pinsky-Rinzel's p and 1 - p): a conductance or
// current given per unit area of the whole cell acts on its compartment as the model's own inputs do.
inline constexpr std::size_t no_parameter = static_cast<std::size_t>(-1);
struct membrane_port {
  std::string_view name;                       // the compartment ("soma", "dendrite")
  std::size_t variable;                        // its membrane potential (mV)
  std::size_t capacitance;                     // parameter: specific capacitance (uF/cm^2)
  std::size_t area_fraction = no_parameter;    // parameter p: the compartment's share of the area
  bool complement = false;                     // the share is 1 - p
};

template <class M>
concept has_membrane_ports = requires { M::membranes.size(); };

// The number of membrane ports of M (0 for a model that declares none).
template <class M>
constexpr std::size_t num_membrane_ports() {
  if constexpr (has_membrane_ports<M>) {
    return M::membranes.size();
  } else {
    return 0;
  }
}

template <class M>
inline constexpr std::size_t num_variables = M::variables.size();
template <class M>
inline constexpr std::size_t num_parameters = M::parameters.size();
template <class M>
inline constexpr std::size_t num_inputs = M::inputs.size();

}  // namespace ionode
