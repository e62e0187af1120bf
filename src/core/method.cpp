// The table of integration methods and name lookup.
#include "ionode/integrators/method.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "ionode/error.hpp"
#include "ionode/suggest.hpp"

namespace ionode {

namespace {

// With additive noise (the only kind ionode has) the SDE methods' diffusion terms reduce to
// sigma dW: Milstein's correction 1/2 g g' (dW^2 - dt) vanishes (g' = 0) and Euler-Heun's
// 1/2 (g(x) + g(x_bar)) dW is g dW. Their orders are strong orders for additive noise.
constexpr std::array<method_info, 23> methods{{
    {method_id::exp_auto, "exp_auto", 1, false,
     "exponential Euler per variable with the automatic diagonal Jacobian (BrainPy's default; alias exp_euler); "
     "with noise: the same drift step plus sigma dW (Ito)",
     noise_support::optional},
    {method_id::exp_midpoint, "exp_midpoint", 2, false,
     "second-order exponential method: generalized Rush-Larsen 2 (Sundnes et al. 2009), exp_auto's update "
     "linearized at an exp_auto half step; two evaluations per step, as stable on stiff gates as exp_auto "
     "(recommended: docs/numerics.md); with noise: the same drift step plus sigma dW (Ito)",
     noise_support::optional},
    {method_id::euler, "euler", 1, false, "forward Euler; with noise: Euler-Maruyama (Ito)", noise_support::optional},
    {method_id::midpoint, "midpoint", 2, false, "explicit midpoint"},
    {method_id::heun2, "heun2", 2, false, "Heun's second-order method"},
    {method_id::ralston2, "ralston2", 2, false, "Ralston's second-order method"},
    {method_id::rk2, "rk2", 2, false, "generic second-order Runge-Kutta, beta = 2/3 (BrainPy's default)"},
    {method_id::rk3, "rk3", 3, false, "Kutta's third-order method"},
    {method_id::heun3, "heun3", 3, false, "Heun's third-order method"},
    {method_id::ralston3, "ralston3", 3, false, "Ralston's third-order method"},
    {method_id::ssprk3, "ssprk3", 3, false, "strong-stability-preserving third-order Runge-Kutta"},
    {method_id::rk4, "rk4", 4, false, "classical fourth-order Runge-Kutta"},
    {method_id::ralston4, "ralston4", 4, false, "Ralston's fourth-order method"},
    {method_id::rk4_38rule, "rk4_38rule", 4, false, "Kutta's 3/8-rule fourth-order method"},
    {method_id::heun_euler, "heun_euler", 2, true, "adaptive Heun-Euler 2(1)"},
    {method_id::rkf12, "rkf12", 2, true, "adaptive Runge-Kutta-Fehlberg 1(2)"},
    {method_id::bs, "bs", 3, true, "adaptive Bogacki-Shampine 3(2)"},
    {method_id::rkf45, "rkf45", 5, true, "adaptive Runge-Kutta-Fehlberg 4(5)"},
    {method_id::ck, "ck", 5, true, "adaptive Cash-Karp 4(5)"},
    {method_id::rkdp, "rkdp", 5, true, "adaptive Dormand-Prince 5(4)"},
    {method_id::cvode, "cvode", 5, true,
     "CVODE (SUNDIALS): variable-order BDF (orders 1-5) with its own error control (rtol, atol), Newton iterations "
     "with the exact Jacobian (dual numbers), spikes by its root finding; each neuron of a population on its own "
     "(not in networks)"},
    {method_id::milstein, "milstein", 1, false, "Milstein (Ito; SDE only; equals Euler-Maruyama for additive noise)",
     noise_support::required},
    {method_id::heun, "heun", 1, false,
     "stochastic Euler-Heun (Stratonovich; SDE only; equals Euler-Maruyama for additive noise)",
     noise_support::required},
}};

}  // namespace

std::span<const method_info> all_methods() { return methods; }

const method_info& find_method(std::string_view name) {
  const std::string_view wanted = name == "exp_euler" ? std::string_view("exp_auto") : name;
  std::vector<std::string> names;
  for (const auto& m : methods) {
    if (m.name == wanted) return m;
    names.emplace_back(m.name);
  }
  throw error(fmt::format("unknown method '{}'{}; known: {} (and exp_euler, an alias of exp_auto)", name,
                          did_you_mean(name, names), fmt::join(names, ", ")));
}

const method_info& method_by_id(method_id id) {
  for (const auto& m : methods) {
    if (m.id == id) return m;
  }
  throw internal_error("method_by_id: unknown method id");
}

void validate(const method_options& options) {
  if (!(options.rtol > 0) || !std::isfinite(options.rtol)) {
    throw error(fmt::format("method_options.rtol = {} is not allowed; it must be a finite number > 0", options.rtol));
  }
  if (!(options.atol > 0) || !std::isfinite(options.atol)) {
    throw error(fmt::format("method_options.atol = {} is not allowed; it must be a finite number > 0", options.atol));
  }
  if (options.max_substeps < 1) {
    throw error(fmt::format("method_options.max_substeps = {} is not allowed; it must be >= 1",
                            options.max_substeps));
  }
}

}  // namespace ionode
