// The integration methods by BrainPy's names, and their options.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ionode {

enum class method_id {
  exp_auto,
  exp_midpoint,
  euler,
  midpoint,
  heun2,
  ralston2,
  rk2,
  rk3,
  heun3,
  ralston3,
  ssprk3,
  rk4,
  ralston4,
  rk4_38rule,
  heun_euler,
  rkf12,
  bs,
  rkf45,
  ck,
  rkdp,
  cvode,     // SUNDIALS CVODE (BDF), when built with it
  milstein,  // SDE only
  heun,      // SDE only (Stratonovich Euler-Heun)
};

// What a method integrates: ODEs only, ODEs and SDEs (with noise), or SDEs only.
enum class noise_support { none, optional, required };

struct method_info {
  method_id id;
  std::string_view name;
  int order;         // order of the propagated solution
  bool adaptive;     // embedded pair with error control
  std::string_view description;
  noise_support noise = noise_support::none;
};

// Every method, in the order `ionode methods` lists them.
std::span<const method_info> all_methods();

// Looks a method up by name (aliases: exp_euler -> exp_auto). Throws ionode::error listing the names.
const method_info& find_method(std::string_view name);
const method_info& method_by_id(method_id id);

// Tolerances of the adaptive methods; ignored by fixed-step ones.
struct method_options {
  double rtol = 1e-6;
  double atol = 1e-8;
  // Upper bound on accepted plus rejected substeps per neuron within one output step.
  long max_substeps = 100000;
};

void validate(const method_options& options);

}  // namespace ionode
