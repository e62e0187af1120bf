// Validation of a population's options and evaluation of its parameters and initial state.
#include "ionode/detail/population_base.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ionode/detail/checked.hpp"
#include "ionode/error.hpp"

namespace ionode::detail {

namespace {

// A shape as the configuration writes it: 4, or [3, 4].
std::string shape_text(const std::vector<std::size_t>& shape) {
  return shape.size() == 1 ? fmt::format("{}", shape[0]) : fmt::format("{}", shape);
}

void check_constraint(const parameter_info& info, double value, std::size_t instance) {
  const auto fail = [&](std::string_view allowed) {
    throw error(fmt::format("parameter {} = {} (neuron {}) is not allowed; it must be {}", info.name, value,
                            instance, allowed));
  };
  if (!std::isfinite(value)) fail("a finite number");
  switch (info.allowed) {
    case constraint::any: break;
    case constraint::positive:
      if (!(value > 0)) fail("> 0");
      break;
    case constraint::non_negative:
      if (!(value >= 0)) fail(">= 0");
      break;
    case constraint::fraction:
      if (!(value > 0 && value < 1)) fail("strictly between 0 and 1");
      break;
  }
}

}  // namespace

population_base::population_base(model_info info, population_options options)
    : info_(std::move(info)), options_(std::move(options)) {
  if (options_.shape.empty()) throw error("size: the shape is empty; give a positive int or a list of them");
  neurons_ = 1;
  for (std::size_t extent : options_.shape) {
    if (extent == 0) {
      throw error(fmt::format("size: got {}; every dimension must be a positive integer", options_.shape));
    }
    const auto product = checked_mul(neurons_, extent);
    if (!product) {
      throw error(fmt::format("size = {} is not allowed: the number of neurons (the product of the shape) exceeds "
                              "{}",
                              shape_text(options_.shape), std::numeric_limits<std::size_t>::max()));
    }
    neurons_ = *product;
  }
  copies_ = options_.batch == 0 ? 1 : options_.batch;
  const auto count = checked_mul(neurons_, copies_);
  // Room for the padding too, so that padded() cannot wrap.
  if (!count || !checked_add(*count, column_padding)) {
    throw error(fmt::format("size = {} with batch = {} is not allowed: {} neurons x {} batch copies exceeds {} "
                            "instances",
                            shape_text(options_.shape), options_.batch, neurons_, copies_,
                            std::numeric_limits<std::size_t>::max() - column_padding));
  }
  for (const auto& [name, spec] : options_.params) info_.parameter_index(name);
  for (const auto& [name, spec] : options_.initial) info_.variable_index(name);
  if (options_.first % 4 != 0 && !options_.noise.empty()) {
    // The noise draws 4 instances' normals at once (noise.hpp): a part starts at one of them.
    throw error(fmt::format("first = {} is not allowed with noise; a part of a noisy population starts at a multiple "
                            "of 4 instances",
                            options_.first));
  }
  stride_ = padded(instances());
  // The state, the per-instance parameter and noise columns and one column of scratch (initial values).
  const std::size_t columns = info_.variables.size() + options_.params.size() + options_.noise.size() + 1;
  check_fits_memory({stride_, columns, sizeof(double)},
                    fmt::format("size = {}{}: the state of {} instances ({} columns of doubles)",
                                shape_text(options_.shape),
                                options_.batch > 0 ? fmt::format(" with batch = {}", options_.batch) : "",
                                instances(), columns));
  build_parameters();
  build_noise();
  state_.assign(info_.variables.size() * stride_, 0.0);
}

double population_base::bytes_per_instance() const {
  double bytes = static_cast<double>(state_.size() * sizeof(double));
  for (const auto& column : parameters_) bytes += static_cast<double>(column.values.size() * sizeof(double));
  for (const auto& column : noise_) bytes += static_cast<double>(column.sigma.values.size() * sizeof(double));
  return bytes / static_cast<double>(instances());
}

void population_base::build_parameters() {
  parameters_.clear();
  for (const auto& info : info_.parameters) {
    parameter_column column;
    const auto given = options_.params.find(std::string(info.name));
    if (given == options_.params.end()) {
      column.value = info.default_value;
      check_constraint(info, column.value, 0);
    } else if (const double* v = std::get_if<double>(&given->second)) {
      column.value = *v;
      check_constraint(info, column.value, 0);
    } else {
      column.shared = false;
      const std::vector<double> values = evaluate_spec(given->second, instances(), neurons_, options_.seed,
                                                       fmt::format("parameter {}", info.name), options_.first);
      for (std::size_t j = 0; j < values.size(); ++j) check_constraint(info, values[j], options_.first + j);
      // Padding lanes repeat the last instance, so that whole SIMD packs compute finite values.
      column.values.assign(stride_, values.back());
      std::copy(values.begin(), values.end(), column.values.begin());
    }
    parameters_.push_back(std::move(column));
  }
}

void population_base::build_noise() {
  noise_.clear();
  for (const auto& [name, spec] : options_.noise) {
    noise_column column;
    try {
      column.variable = info_.variable_index(name);
    } catch (const error& e) {
      throw error(fmt::format("noise: {}", e.what()));
    }
    const auto check = [&](double sigma, std::string_view where) {
      if (!(sigma >= 0) || !std::isfinite(sigma)) {
        throw error(fmt::format("noise on {} = {}{} is not allowed; it must be a finite number >= 0 ({} per sqrt(ms))",
                                name, sigma, where, info_.variables[column.variable].unit));
      }
    };
    if (const double* v = std::get_if<double>(&spec)) {
      check(*v, "");
      if (*v == 0) continue;  // no noise: keep the deterministic path
      column.sigma.value = *v;
    } else {
      column.sigma.shared = false;
      const std::vector<double> values =
          evaluate_spec(spec, instances(), neurons_, options_.seed, fmt::format("noise {}", name), options_.first);
      for (std::size_t j = 0; j < values.size(); ++j) check(values[j], fmt::format(" (neuron {})", options_.first + j));
      column.sigma.values.assign(stride_, values.back());
      std::copy(values.begin(), values.end(), column.sigma.values.begin());
    }
    noise_.push_back(std::move(column));
  }
  std::sort(noise_.begin(), noise_.end(), [](const auto& a, const auto& b) { return a.variable < b.variable; });
}

void population_base::reset() {
  const std::size_t count = instances();
  const std::size_t nv = info_.variables.size();
  std::vector<bool> derived(nv, false);
  for (std::size_t v = 0; v < nv; ++v) {
    const auto& var = info_.variables[v];
    const auto given = options_.initial.find(std::string(var.name));
    const std::string stream = fmt::format("initial {}", var.name);
    std::vector<double> values;
    if (given != options_.initial.end()) {
      values = evaluate_spec(given->second, count, neurons_, options_.seed, stream, options_.first);
    } else if (var.initial == initial_kind::constant) {
      values.assign(count, var.a);
    } else if (var.initial == initial_kind::uniform) {
      values = evaluate_spec(init::uniform{var.a, var.b}, count, neurons_, options_.seed, stream, options_.first);
    } else {
      derived[v] = true;
      continue;
    }
    std::copy(values.begin(), values.end(), state_.begin() + static_cast<std::ptrdiff_t>(v * stride_));
  }
  std::vector<double> x(nv), p(parameters_.size());
  for (std::size_t j = 0; j < count; ++j) {
    for (std::size_t v = 0; v < nv; ++v) x[v] = state_[v * stride_ + j];
    gather_parameters(j, p.data());
    for (std::size_t v = 0; v < nv; ++v) {
      if (!derived[v]) continue;
      const double value = steady_state(v, x.data(), p.data());
      if (!std::isfinite(value)) {
        throw error(fmt::format("the steady-state initial value of {} for neuron {} is {}; give [initial] {} "
                                "explicitly",
                                info_.variables[v].name, j, value, info_.variables[v].name));
      }
      state_[v * stride_ + j] = value;
    }
  }
  // Padding lanes repeat the last instance (finite values for whole SIMD packs; never reported).
  for (std::size_t v = 0; v < nv; ++v) {
    for (std::size_t j = count; j < stride_; ++j) state_[v * stride_ + j] = state_[v * stride_ + count - 1];
  }
}

}  // namespace ionode::detail
