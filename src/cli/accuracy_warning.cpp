// The accuracy warning of `ionode run` (accuracy_warning.hpp).
#include "accuracy_warning.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string_view>

namespace ionode::cli {

namespace {

// Measured by `bench/work_precision.py` (bench/work_precision.jsonl, 2026-12-06) on the reference cases of ../shared/reference (one neuron from
// the case's initial state at the case's constant current over the case's duration; docs/numerics.md,
// "Known errors"): the largest spike-time error and the spikes lost (or gained) at each step.
struct known_error {
  std::string_view model;    // registry name
  std::string_view variant;  // PinskyRinzel's variant; empty for the others
  std::string_view method;
  double case_duration;      // ms
  int order;
  std::array<double, 4> error_ms;     // at dt = 0.1, 0.05, 0.025, 0.01 ms; -1: the run diverges
  std::array<int, 4> count_error;     // |spikes - reference spikes| at the same steps
};

constexpr std::array<double, 4> table_steps{0.1, 0.05, 0.025, 0.01};

constexpr std::array<known_error, 25> known{{
{"HH", "", "exp_auto", 200.0, 1, {8.88, 4.42, 2.2, 0.88}, {0, 0, 0, 0}},
    {"HH", "", "exp_midpoint", 200.0, 2, {1.62, 0.488, 0.136, 0.0233}, {0, 0, 0, 0}},
    {"HH", "", "euler", 200.0, 1, {-1, 0.192, 0.104, 0.0433}, {14, 0, 0, 0}},
    {"HH", "", "rk2", 200.0, 2, {-1, 0.0697, 0.0187, 0.00312}, {14, 0, 0, 0}},
    {"HH", "", "rk4", 200.0, 4, {-1, 0.000269, 1.9e-05, 5.23e-07}, {14, 0, 0, 0}},
    {"WangBuzsaki", "", "exp_auto", 200.0, 1, {46.1, 26.8, 15.4, 6.26}, {3, 2, 1, 1}},
    {"WangBuzsaki", "", "exp_midpoint", 200.0, 2, {7.44, 1.09, 0.232, 0.0329}, {1, 0, 0, 0}},
    {"WangBuzsaki", "", "euler", 200.0, 1, {46.6, 24.8, 13.2, 5.17}, {3, 2, 1, 1}},
    {"WangBuzsaki", "", "rk2", 200.0, 2, {5.95, 1.86, 0.498, 0.082}, {0, 0, 0, 0}},
    {"WangBuzsaki", "", "rk4", 200.0, 4, {0.00783, 0.0124, 0.000859, 2.29e-05}, {0, 0, 0, 0}},
    {"MorrisLecar", "", "exp_auto", 1000.0, 1, {1.68, 0.845, 0.424, 0.17}, {0, 0, 0, 0}},
    {"MorrisLecar", "", "exp_midpoint", 1000.0, 2, {0.0191, 0.00478, 0.0012, 0.000192}, {0, 0, 0, 0}},
    {"MorrisLecar", "", "euler", 1000.0, 1, {0.768, 0.38, 0.189, 0.0754}, {0, 0, 0, 0}},
    {"MorrisLecar", "", "rk2", 1000.0, 2, {0.0234, 0.00592, 0.00149, 0.000239}, {0, 0, 0, 0}},
    {"MorrisLecar", "", "rk4", 1000.0, 4, {2.3e-06, 1.44e-07, 9.03e-09, 2.38e-10}, {0, 0, 0, 0}},
    {"PinskyRinzel", "seed", "exp_auto", 1000.0, 1, {467, 129, 49.4, 20.3}, {5, 1, 1, 0}},
    {"PinskyRinzel", "seed", "exp_midpoint", 1000.0, 2, {45, 9.32, 1.56, 0.227}, {0, 0, 0, 0}},
    {"PinskyRinzel", "seed", "euler", 1000.0, 1, {106, 52.6, 24.9, 9.7}, {1, 0, 0, 0}},
    {"PinskyRinzel", "seed", "rk2", 1000.0, 2, {297, 4.85, 1.67, 0.271}, {5, 0, 0, 0}},
    {"PinskyRinzel", "seed", "rk4", 1000.0, 4, {3.19, 0.207, 0.00633, 0.000701}, {0, 0, 0, 0}},
    {"PinskyRinzel", "paper", "exp_auto", 1000.0, 1, {168, 15.4, 4.37, 3.27}, {1, 0, 0, 0}},
    {"PinskyRinzel", "paper", "exp_midpoint", 1000.0, 2, {6.41, 0.714, 0.325, 0.047}, {0, 0, 0, 0}},
    {"PinskyRinzel", "paper", "euler", 1000.0, 1, {12, 9.69, 6.13, 2.99}, {0, 0, 0, 0}},
    {"PinskyRinzel", "paper", "rk2", 1000.0, 2, {1.32, 3.1, 0.64, 0.131}, {1, 0, 0, 0}},
    {"PinskyRinzel", "paper", "rk4", 1000.0, 4, {1.39, 0.388, 0.0102, 0.00119}, {0, 0, 0, 0}},
}};

// The error at dt: interpolated in log-log between the measured steps, extrapolated beyond them with
// the method's order.
double error_at(const known_error& row, double dt) {
  if (dt >= table_steps.front()) return row.error_ms.front() * std::pow(dt / table_steps.front(), row.order);
  if (dt <= table_steps.back()) return row.error_ms.back() * std::pow(dt / table_steps.back(), row.order);
  for (std::size_t k = 0; k + 1 < table_steps.size(); ++k) {
    if (dt <= table_steps[k] && dt >= table_steps[k + 1]) {
      if (row.error_ms[k] < 0) return row.error_ms[k + 1] * std::pow(dt / table_steps[k + 1], row.order);
      const double s = std::log(dt / table_steps[k + 1]) / std::log(table_steps[k] / table_steps[k + 1]);
      return std::exp(std::log(row.error_ms[k + 1]) * (1 - s) + std::log(row.error_ms[k]) * s);
    }
  }
  return 0.0;
}

// Whether the case diverges at a measured step at or below dt.
bool diverges_at(const known_error& row, double dt) {
  for (std::size_t k = 0; k < table_steps.size(); ++k) {
    if (table_steps[k] <= dt * (1 + 1e-9) && row.error_ms[k] < 0) return true;
  }
  return false;
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
    if (diverges_at(row, dt)) {
      return fmt::format("warning: {} with {} at dt = {:g} ms is known to diverge on its reference case "
                         "(docs/numerics.md, \"Known errors\"); exp_midpoint and exp_auto stay stable at dt = 0.1 ms. "
                         "`ionode check CONFIG` measures this configuration's error",
                         model, method, dt);
    }
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
