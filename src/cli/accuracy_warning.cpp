// The accuracy warning of `ionode run` (accuracy_warning.hpp).
#include "accuracy_warning.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string_view>

namespace ionode::cli {

namespace {

// Measured by `bench/work_precision.py` on the reference cases of ../shared/reference (one neuron from
// the case's initial state at the case's constant current over the case's duration; docs/numerics.md,
// "Known errors"): the largest spike-time error and the spikes lost (or gained) at each step.
struct known_error {
  std::string_view model;    // registry name
  std::string_view variant;  // PinskyRinzel's variant; empty for the others
  std::string_view method;
  double case_duration;      // ms
  int order;
  std::array<double, 4> error_ms;     // at dt = 0.1, 0.05, 0.025, 0.01 ms
  std::array<int, 4> count_error;     // |spikes - reference spikes| at the same steps
};

constexpr std::array<double, 4> table_steps{0.1, 0.05, 0.025, 0.01};

constexpr std::array<known_error, 0> known{{}};

// The error at dt: interpolated in log-log between the measured steps, extrapolated beyond them with
// the method's order.
double error_at(const known_error& row, double dt) {
  if (dt >= table_steps.front()) return row.error_ms.front() * std::pow(dt / table_steps.front(), row.order);
  if (dt <= table_steps.back()) return row.error_ms.back() * std::pow(dt / table_steps.back(), row.order);
  for (std::size_t k = 0; k + 1 < table_steps.size(); ++k) {
    if (dt <= table_steps[k] && dt >= table_steps[k + 1]) {
      const double s = std::log(dt / table_steps[k + 1]) / std::log(table_steps[k] / table_steps[k + 1]);
      return std::exp(std::log(row.error_ms[k + 1]) * (1 - s) + std::log(row.error_ms[k]) * s);
    }
  }
  return 0.0;
}

// Spikes lost or gained at the measured steps at or below dt (a coarser step loses at least as many).
int lost_at(const known_error& row, double dt) {
  int lost = 0;
  for (std::size_t k = 0; k < table_steps.size(); ++k) {
    if (table_steps[k] <= dt * (1 + 1e-9)) lost = std::max(lost, row.count_error[k]);
  }
  return lost;
}

}  // namespace

std::optional<std::string> accuracy_warning(const std::string& model_name, const model_options& given,
                                            const std::string& method, double dt, double duration,
                                            double threshold_ms) {
  const model_entry& entry = model_registry::global().find(model_name);
  const std::string& model = entry.name;
  const model_options options = resolve_options(entry, given);
  const auto variant = options.find("variant");
  const std::string_view wanted_variant = variant == options.end() ? std::string_view() : variant->second;
  const auto preset = options.find("preset");
  if (preset != options.end() && preset->second != "seed") return std::nullopt;  // measured for the seed's HH only
  for (const auto& row : known) {
    if (row.model != model || row.method != method || row.variant != wanted_variant) continue;
    const double error = error_at(row, dt);
    const int lost = lost_at(row, dt);
    // A phase error grows about linearly with the time simulated.
    const double here = error * duration / row.case_duration;
    if (here < threshold_ms && lost == 0) return std::nullopt;
    std::string better;
    for (const auto& other : known) {
      if (other.model == row.model && other.variant == row.variant && other.method == "exp_midpoint" &&
          method != "exp_midpoint") {
        const int other_lost = lost_at(other, dt);
        better = fmt::format("; exp_midpoint at this dt: about {:.2g} ms{}", error_at(other, dt) * duration / row.case_duration,
                             other_lost > 0 ? fmt::format(", {} spikes off", other_lost) : "");
      }
    }
    return fmt::format("warning: {} with {} at dt = {:g} ms is known to be far off: on its reference case spike times "
                       "drift by about {:.2g} ms per {:g} ms{} (docs/numerics.md, \"Known errors\"); expect about "
                       "{:.2g} ms over this run's {:g} ms{}. `ionode check CONFIG` measures this configuration's error",
                       model, method, dt, error, row.case_duration,
                       lost > 0 ? fmt::format(" and {} spike{} are lost or gained", lost, lost == 1 ? "" : "s") : "",
                       here, duration, better);
  }
  return std::nullopt;
}

}  // namespace ionode::cli
