// Receptor states: exact decay over a step and the jumps of events (synapse.hpp has the equations).
#include "ionode/network/synapse.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <utility>

#include <cmath>
#include <numbers>

#include "ionode/error.hpp"
#include "ionode/suggest.hpp"

namespace ionode::network {

namespace {

constexpr std::array<std::pair<std::string_view, synapse_kind>, 4> kinds{{
    {"exponential", synapse_kind::exponential},
    {"dual_exponential", synapse_kind::dual_exponential},
    {"alpha", synapse_kind::alpha},
    {"graded", synapse_kind::graded},
}};

}  // namespace

std::string_view kind_name(synapse_kind kind) {
  for (const auto& [name, k] : kinds) {
    if (k == kind) return name;
  }
  return "?";
}

synapse_kind kind_from_name(std::string_view name, std::string_view context) {
  std::vector<std::string> names;
  for (const auto& [known, k] : kinds) {
    if (known == name) return k;
    names.emplace_back(known);
  }
  throw error(fmt::format("{}: synapse = '{}' is unknown{}; known: {}", context, name, did_you_mean(name, names),
                          fmt::join(names, ", ")));
}

void validate(const synapse_spec& spec, std::string_view context) {
  const auto positive = [&](double value, std::string_view key) {
    if (!(value > 0) || !std::isfinite(value)) {
      throw error(fmt::format("{}: {} = {} ms is not allowed; it must be a finite number > 0", context, key, value));
    }
  };
  if (spec.kind == synapse_kind::graded) {
    const auto rate = [&](double value, std::string_view key, bool strictly) {
      if (!std::isfinite(value) || value < 0 || (strictly && value == 0)) {
        throw error(fmt::format("{}: {} = {} is not allowed; it must be a finite number {}", context, key, value,
                                strictly ? "> 0" : ">= 0"));
      }
    };
    rate(spec.alpha, "alpha", false);
    rate(spec.beta, "beta", false);
    rate(spec.sigma, "sigma", true);
    if (!std::isfinite(spec.theta)) {
      throw error(fmt::format("{}: theta = {} mV is not allowed; it must be a finite number", context, spec.theta));
    }
  } else {
    positive(spec.tau, "tau");
  }
  if (spec.kind == synapse_kind::dual_exponential) {
    positive(spec.tau_rise, "tau_rise");
    if (!(spec.tau_rise < spec.tau)) {
      throw error(fmt::format("{}: tau_rise = {} ms must be shorter than tau = {} ms (the decay); equal time "
                              "constants are the alpha synapse",
                              context, spec.tau_rise, spec.tau));
    }
  }
  if (!std::isfinite(spec.E)) {
    throw error(fmt::format("{}: E = {} mV is not allowed; it must be a finite number", context, spec.E));
  }
}

receptor::receptor(const synapse_spec& spec, std::size_t size, double dt, std::size_t pre_size)
    : spec_(spec), size_(size), dt_(dt), a_(size, 0.0) {
  switch (spec.kind) {
    case synapse_kind::exponential: factor_a_ = std::exp(-dt / spec.tau); break;
    case synapse_kind::dual_exponential: {
      // NEURON's Exp2Syn: the peak of exp(-t/tau_decay) - exp(-t/tau_rise) is at t_peak; f scales it to 1.
      const double t_peak = spec.tau_rise * spec.tau / (spec.tau - spec.tau_rise) * std::log(spec.tau / spec.tau_rise);
      jump_ = 1.0 / (std::exp(-t_peak / spec.tau) - std::exp(-t_peak / spec.tau_rise));
      factor_a_ = std::exp(-dt / spec.tau_rise);
      factor_b_ = std::exp(-dt / spec.tau);
      b_.assign(size, 0.0);
      break;
    }
    case synapse_kind::alpha:
      jump_ = std::numbers::e / spec.tau;
      factor_a_ = factor_b_ = std::exp(-dt / spec.tau);
      b_.assign(size, 0.0);
      break;
    case synapse_kind::graded: b_.assign(pre_size, 0.0); break;
  }
}

void receptor::update_gates(const double* v_pre) {
  for (std::size_t j = 0; j < b_.size(); ++j) {
    const double f = 1.0 / (1.0 + std::exp(-(v_pre[j] - spec_.theta) / spec_.sigma));
    const double rate = spec_.alpha * f + spec_.beta;
    if (rate == 0.0) continue;
    const double s_inf = spec_.alpha * f / rate;
    b_[j] = s_inf + (b_[j] - s_inf) * std::exp(-rate * dt_);
  }
}

std::vector<std::string> receptor::variable_names() const {
  switch (spec_.kind) {
    case synapse_kind::exponential: return {"g"};
    case synapse_kind::dual_exponential: return {"g_rise", "g_decay"};
    case synapse_kind::alpha: return {"g", "h"};
    case synapse_kind::graded: return {"g", "s"};
  }
  return {};
}

void receptor::add_current(double* b, double* a, std::size_t begin, std::size_t end) const {
  const bool dual = spec_.kind == synapse_kind::dual_exponential;
  const double* g = dual ? b_.data() : a_.data();   // dual: g = B - A
  const double* rise = a_.data();
  if (spec_.output == synapse_output::conductance) {
    const double e = spec_.E;
    if (dual) {
      for (std::size_t j = begin; j < end; ++j) {
        const double value = g[j] - rise[j];
        b[j] += value;
        a[j] += value * e;
      }
    } else {
      for (std::size_t j = begin; j < end; ++j) {
        b[j] += g[j];
        a[j] += g[j] * e;
      }
    }
  } else if (dual) {
    for (std::size_t j = begin; j < end; ++j) a[j] += g[j] - rise[j];
  } else {
    for (std::size_t j = begin; j < end; ++j) a[j] += g[j];
  }
}

void receptor::add_current_at(double tau, double* b, double* a) const {
  if (tau == 0.0 || spec_.kind == synapse_kind::graded) {
    add_current(b, a);
    return;
  }
  const double decay = std::exp(-tau / spec_.tau);
  const double rise = spec_.kind == synapse_kind::dual_exponential ? std::exp(-tau / spec_.tau_rise) : decay;
  const bool conductance = spec_.output == synapse_output::conductance;
  for (std::size_t j = 0; j < size_; ++j) {
    double g = 0.0;
    switch (spec_.kind) {
      case synapse_kind::exponential: g = a_[j] * decay; break;
      case synapse_kind::dual_exponential: g = b_[j] * decay - a_[j] * rise; break;
      case synapse_kind::alpha: g = decay * (a_[j] + tau * b_[j]); break;  // as decay() over tau
      case synapse_kind::graded: break;
    }
    if (conductance) {
      b[j] += g;
      a[j] += g * spec_.E;
    } else {
      a[j] += g;
    }
  }
}

void receptor::gate_derivatives(const double* s, const double* v_pre, double* dsdt) const {
  for (std::size_t j = 0; j < b_.size(); ++j) {
    const double f = 1.0 / (1.0 + std::exp(-(v_pre[j] - spec_.theta) / spec_.sigma));
    dsdt[j] = spec_.alpha * f * (1.0 - s[j]) - spec_.beta * s[j];
  }
}

void receptor::decay(std::size_t begin, std::size_t end) {
  switch (spec_.kind) {
    case synapse_kind::exponential:
      for (std::size_t j = begin; j < end; ++j) a_[j] *= factor_a_;
      break;
    case synapse_kind::dual_exponential:
      for (std::size_t j = begin; j < end; ++j) {
        a_[j] *= factor_a_;
        b_[j] *= factor_b_;
      }
      break;
    case synapse_kind::graded: break;
    case synapse_kind::alpha:
      // g' = -g/tau + h, h' = -h/tau: over dt, g <- e (g + dt h), h <- e h with e = exp(-dt/tau).
      for (std::size_t j = begin; j < end; ++j) {
        a_[j] = factor_a_ * (a_[j] + dt_ * b_[j]);
        b_[j] *= factor_b_;
      }
      break;
  }
}

}  // namespace ionode::network
