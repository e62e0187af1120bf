// BrainPy's input generators (brainpy.inputs), with argument checks and counter-based noise.
#include "ionode/generators.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "ionode/detail/checked.hpp"
#include "ionode/error.hpp"
#include "ionode/initializer.hpp"
#include "ionode/runner.hpp"

namespace ionode::inputs {

namespace {

void check_finite(double value, std::string_view what, std::string_view generator) {
  if (!std::isfinite(value)) {
    throw error(
        fmt::format("{}: {} = {} is not allowed; it must be a finite number", generator, what, value));
  }
}

void check_at_least(double value, double minimum, std::string_view what, std::string_view generator,
                    std::string_view unit = "") {
  check_finite(value, what, generator);
  if (value < minimum) {
    throw error(fmt::format("{}: {} = {}{} is not allowed; it must be >= {}{}", generator, what, value, unit,
                            minimum, unit));
  }
}

void check_dt(double dt, std::string_view generator) {
  if (!(dt > 0) || !std::isfinite(dt)) {
    throw error(fmt::format("{}: dt = {} ms is not allowed; it must be a finite number > 0", generator, dt));
  }
}

// int(t/dt), with a ratio within rounding of an integer counted as that integer (steps_for); t is a
// checked, finite time >= 0. A time past the int64 step counter is refused, naming it.
std::size_t floor_rows(double t, double dt, std::string_view what = "duration", std::string_view generator = "") {
  if (!(t / dt < 0x1p63)) {
    throw error(fmt::format("{}{}{} = {} ms with dt = {} ms is {} rows; the most a run can take is {} steps",
                            generator, generator.empty() ? "" : ": ", what, t, dt, t / dt, detail::max_steps));
  }
  return static_cast<std::size_t>(steps_for(t, dt));
}

// A row index int(t/dt), capped at `rows`: a time past the end of the series (a spike time, a pulse's
// length) selects nothing, however large it is.
std::size_t row_at_most(double t, double dt, std::size_t rows) {
  if (!(t / dt < static_cast<double>(rows))) return rows;
  return std::min(rows, floor_rows(t, dt));
}

// ceil(t/dt), with the same tolerance: 1.0000000000000002 rows is 1 row, not 2.
std::size_t ceil_rows(double t, double dt, std::string_view what = "duration", std::string_view generator = "") {
  const std::size_t rows = floor_rows(t, dt, what, generator);
  const bool whole = std::abs(static_cast<double>(rows) * dt - t) <= 1e-9 * std::max(std::abs(t), dt);
  return whole ? rows : rows + 1;
}

// A time series of `rows` rows, all zero, after checking that it has any and that it fits in memory.
time_series zeros(std::size_t rows, std::size_t columns, double duration, double dt,
                  std::string_view generator, std::string_view what = "duration") {
  if (rows == 0) {
    throw error(fmt::format("{}: {} = {} ms with dt = {} ms gives no rows; it must be at least dt", generator,
                            what, duration, dt));
  }
  detail::check_fits_memory({rows, columns, sizeof(double)},
                            fmt::format("{}: {} = {} ms with dt = {} ms is {} rows, x {} columns (n),", generator,
                                        what, duration, dt, rows, columns));
  return {rows, columns, std::vector<double>(rows * columns, 0.0)};
}

// The rows [first, last) that a window [t_start, t_end) of a signal covers, checked against the duration.
struct window {
  std::size_t first;
  std::size_t last;
};

window checked_window(double duration, double dt, double t_start, std::optional<double> t_end,
                      std::string_view generator) {
  check_dt(dt, generator);
  check_at_least(duration, 0, "duration", generator, " ms");
  check_at_least(t_start, 0, "t_start", generator, " ms");
  const double end = t_end.value_or(duration);
  check_finite(end, "t_end", generator);
  if (end < t_start || end > duration * (1 + 1e-12)) {
    throw error(fmt::format(
        "{}: t_end = {} ms is not allowed; it must lie between t_start = {} ms and duration = {} ms",
        generator, end, t_start, duration));
  }
  floor_rows(duration, dt, "duration", generator);
  return {floor_rows(t_start, dt, "t_start", generator), floor_rows(end, dt, "t_end", generator)};
}

// The number of columns a list of values asks for: 1 if all are scalars or single values, else the one
// length N > 1 they share.
std::size_t columns_of(const std::vector<one_or_many>& values, std::string_view generator) {
  std::size_t columns = 1;
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::size_t n = values[k].values.size();
    if (n == 0) {
      throw error(
          fmt::format("{}: values[{}] is an empty list; give one number, or one per neuron", generator, k));
    }
    for (double v : values[k].values) check_finite(v, fmt::format("values[{}]", k), generator);
    if (n == 1) continue;
    if (columns != 1 && columns != n) {
      throw error(
          fmt::format("{}: values[{}] has {} entries but an earlier value has {}; a value is one number or "
                      "one per neuron, the same number of neurons throughout",
                      generator, k, n, columns));
    }
    columns = n;
  }
  return columns;
}

// A per-pulse quantity: a scalar repeats, a list must have one entry per pulse (BrainPy's zip would
// silently drop the pulses beyond the shorter list).
std::vector<double> per_pulse(const one_or_many& given, std::size_t pulses, std::string_view what) {
  if (given.scalar) return std::vector<double>(pulses, given.values.at(0));
  if (given.values.size() != pulses) {
    throw error(
        fmt::format("spike_input: {} has {} entries but there are {} spike times; give one number, or one "
                    "per spike time",
                    what, given.values.size(), pulses));
  }
  return given.values;
}

// Fills a window of one column with f(time since t_start).
template <class F>
time_series oscillation(double duration, double dt, double t_start, std::optional<double> t_end,
                        std::string_view generator, F&& f) {
  const window w = checked_window(duration, dt, t_start, t_end, generator);
  time_series out = zeros(floor_rows(duration, dt, "duration", generator), 1, duration, dt, generator);
  for (std::size_t row = w.first; row < w.last; ++row) {
    out.values[row] = f(static_cast<double>(row - w.first) * dt);
  }
  return out;
}

void check_oscillation(double amplitude, double frequency_hz, std::string_view generator) {
  check_finite(amplitude, "amplitude", generator);
  check_at_least(frequency_hz, 0, "frequency", generator, " Hz");
}

void check_columns(std::size_t n, std::string_view generator) {
  if (n == 0) {
    throw error(fmt::format(
        "{}: n = 0 is not allowed; it must be >= 1 (columns: 1 shared, or one per neuron)", generator));
  }
}

}  // namespace

time_series section_input(const std::vector<one_or_many>& values, const std::vector<double>& durations,
                          double dt) {
  constexpr std::string_view name = "section_input";
  check_dt(dt, name);
  if (values.size() != durations.size()) {
    throw error(fmt::format("{}: values has {} entries and durations {}; they must have the same length",
                            name, values.size(), durations.size()));
  }
  if (values.empty()) {
    throw error(fmt::format("{}: values and durations are empty; give at least one section", name));
  }
  double total = 0;
  for (std::size_t k = 0; k < durations.size(); ++k) {
    check_at_least(durations[k], 0, fmt::format("durations[{}]", k), name, " ms");
    total += durations[k];
  }
  const std::size_t columns = columns_of(values, name);
  time_series out =
      zeros(ceil_rows(total, dt, "the sum of durations", name), columns, total, dt, name, "the sum of durations");
  std::size_t start = 0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::size_t end = std::min(out.rows, start + floor_rows(durations[k], dt));
    const auto& v = values[k].values;
    for (std::size_t row = start; row < end; ++row) {
      for (std::size_t c = 0; c < columns; ++c) out.values[row * columns + c] = v.size() == 1 ? v[0] : v[c];
    }
    start = end;
  }
  return out;
}

time_series constant_input(const std::vector<std::pair<one_or_many, double>>& values_and_durations,
                           double dt) {
  std::vector<one_or_many> values;
  std::vector<double> durations;
  for (const auto& [value, duration] : values_and_durations) {
    values.push_back(value);
    durations.push_back(duration);
  }
  return section_input(values, durations, dt);
}

time_series spike_input(const std::vector<double>& times, const one_or_many& lens, const one_or_many& sizes,
                        double duration, double dt) {
  constexpr std::string_view name = "spike_input";
  check_dt(dt, name);
  check_at_least(duration, 0, "duration", name, " ms");
  const std::vector<double> lengths = per_pulse(lens, times.size(), "lens");
  const std::vector<double> amplitudes = per_pulse(sizes, times.size(), "sizes");
  time_series out = zeros(ceil_rows(duration, dt, "duration", name), 1, duration, dt, name);
  for (std::size_t k = 0; k < times.size(); ++k) {
    // BrainPy slices with a negative start from the end of the array; a time before 0 is an error here.
    check_at_least(times[k], 0, fmt::format("times[{}]", k), name, " ms");
    check_at_least(lengths[k], 0, fmt::format("lens[{}]", k), name, " ms");
    check_finite(amplitudes[k], fmt::format("sizes[{}]", k), name);
    const std::size_t first = row_at_most(times[k], dt, out.rows);
    const std::size_t last = first + row_at_most(lengths[k], dt, out.rows - first);
    std::fill(out.values.begin() + static_cast<std::ptrdiff_t>(first),
              out.values.begin() + static_cast<std::ptrdiff_t>(last), amplitudes[k]);
  }
  return out;
}

time_series ramp_input(double c_start, double c_end, double duration, double dt, double t_start,
                       std::optional<double> t_end) {
  constexpr std::string_view name = "ramp_input";
  check_finite(c_start, "c_start", name);
  check_finite(c_end, "c_end", name);
  checked_window(duration, dt, t_start, t_end, name);
  time_series out = zeros(ceil_rows(duration, dt, "duration", name), 1, duration, dt, name);
  // BrainPy rounds this window up (ceil), unlike the others.
  const std::size_t first = std::min(out.rows, ceil_rows(t_start, dt));
  const std::size_t last = std::min(out.rows, ceil_rows(t_end.value_or(duration), dt));
  const std::size_t count = last > first ? last - first : 0;
  // numpy.linspace(c_start, c_end, count), step for step: k * step + c_start, the last point exactly c_end.
  const double step = count > 1 ? (c_end - c_start) / static_cast<double>(count - 1) : 0.0;
  for (std::size_t k = 0; k < count; ++k) out.values[first + k] = static_cast<double>(k) * step + c_start;
  if (count > 1) out.values[last - 1] = c_end;
  return out;
}

time_series sinusoidal_input(double amplitude, double frequency_hz, double duration, double dt,
                             double t_start, std::optional<double> t_end, bool bias) {
  check_oscillation(amplitude, frequency_hz, "sinusoidal_input");
  const double offset = bias ? amplitude : 0.0;
  return oscillation(duration, dt, t_start, t_end, "sinusoidal_input", [&](double t) {
    return amplitude * std::sin(2 * std::numbers::pi * t * (frequency_hz / 1000.0)) + offset;
  });
}

time_series square_input(double amplitude, double frequency_hz, double duration, double dt, double t_start,
                         std::optional<double> t_end, bool bias) {
  check_oscillation(amplitude, frequency_hz, "square_input");
  const double offset = bias ? amplitude : 0.0;
  return oscillation(duration, dt, t_start, t_end, "square_input", [&](double t) {
    // The phase in periods rather than radians: the same test as BrainPy's mod(2 pi f t, 2 pi) < pi
    // without rounding 2 pi at every half period.
    const double periods = t * (frequency_hz / 1000.0);
    return (periods - std::floor(periods) < 0.5 ? amplitude : -amplitude) + offset;
  });
}

time_series wiener_process(double duration, double dt, std::size_t n, double t_start,
                           std::optional<double> t_end, noise_key key) {
  constexpr std::string_view name = "wiener_process";
  check_columns(n, name);
  const window w = checked_window(duration, dt, t_start, t_end, name);
  time_series out = zeros(floor_rows(duration, dt, "duration", name), n, duration, dt, name);
  const random_stream stream(key.seed, key.stream);
  const double scale = std::sqrt(dt);
  for (std::size_t row = w.first; row < w.last; ++row) {
    for (std::size_t c = 0; c < n; ++c) out.values[row * n + c] = scale * stream.normal(row * n + c);
  }
  return out;
}

time_series ou_process(double mean, double sigma, double tau, double duration, double dt, std::size_t n,
                       double t_start, std::optional<double> t_end, noise_key key) {
  constexpr std::string_view name = "ou_process";
  check_finite(mean, "mean", name);
  check_at_least(sigma, 0, "sigma", name);
  if (!(tau > 0) || !std::isfinite(tau)) {
    throw error(fmt::format("{}: tau = {} ms is not allowed; it must be a finite number > 0", name, tau));
  }
  check_columns(n, name);
  const window w = checked_window(duration, dt, t_start, t_end, name);
  time_series out = zeros(floor_rows(duration, dt, "duration", name), n, duration, dt, name);
  const random_stream stream(key.seed, key.stream);
  const double noise_scale = sigma * std::sqrt(dt);
  std::vector<double> x(n, mean);
  for (std::size_t row = w.first; row < w.last; ++row) {
    for (std::size_t c = 0; c < n; ++c) {
      x[c] += dt * (mean - x[c]) / tau + noise_scale * stream.normal(row * n + c);
      out.values[row * n + c] = x[c];
    }
  }
  return out;
}

}  // namespace ionode::inputs
