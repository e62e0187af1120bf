// The input library: BrainPy's `brainpy.inputs` generators, each returning a time series (one row per
// step) for a runner input of kind iter. Definitions and the BrainPy quirks ionode fixes: docs/inputs.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "ionode/input.hpp"

namespace ionode::inputs {

// A number given once for all elements (a scalar), or a list with one number per element. BrainPy
// accepts either for a section's value (elements: neurons) and for spike_input's lengths and sizes
// (elements: pulses); the scalar form is what a plain double or int converts to.
struct one_or_many {
  one_or_many(double value) : values{value}, scalar(true) {}
  one_or_many(std::vector<double> list) : values(std::move(list)), scalar(false) {}
  one_or_many(std::initializer_list<double> list) : values(list), scalar(false) {}
  std::vector<double> values;
  bool scalar;
};

// Times (ms) are turned into rows as BrainPy does, with int(t/dt) or ceil(t/dt) as noted, except that
// a ratio within rounding of an integer counts as that integer (as ionode::steps_for does), so a pulse
// at 0.3 ms with dt = 0.1 starts at row 3, not 2. Every function throws ionode::error naming the bad
// argument. A window [t_start, t_end) must lie in [0, duration]; t_end defaults to duration.

// Piecewise constant: section k holds values[k] for int(durations[k]/dt) rows, one after another, in
// ceil(sum(durations)/dt) rows (rows that rounding leaves over stay 0). A value with N entries gives N
// columns (one per neuron); scalar values are then broadcast.
time_series section_input(const std::vector<one_or_many>& values, const std::vector<double>& durations,
                          double dt);

// The same from (value, duration) pairs.
time_series constant_input(const std::vector<std::pair<one_or_many, double>>& values_and_durations,
                           double dt);

// Rectangular pulses: pulse k is sizes[k] from row int(times[k]/dt) for int(lens[k]/dt) rows, in
// ceil(duration/dt) rows, otherwise 0; a later pulse overwrites an earlier one where they overlap.
// Scalar lens or sizes apply to every pulse; lists must have one entry per pulse. One column.
time_series spike_input(const std::vector<double>& times, const one_or_many& lens, const one_or_many& sizes,
                        double duration, double dt);

// A linear ramp from c_start at row ceil(t_start/dt) to exactly c_end at row ceil(t_end/dt) - 1
// (numpy.linspace), 0 elsewhere, in ceil(duration/dt) rows. One column.
time_series ramp_input(double c_start, double c_end, double duration, double dt, double t_start = 0,
                       std::optional<double> t_end = {});

// amplitude * sin(2 pi f t) with f in Hz and t = (row - int(t_start/dt)) * dt in ms, the time since
// t_start, in rows [int(t_start/dt), int(t_end/dt)) of int(duration/dt) rows; 0 elsewhere. bias adds
// amplitude, so the signal lies in [0, 2 amplitude]. One column.
time_series sinusoidal_input(double amplitude, double frequency_hz, double duration, double dt,
                             double t_start = 0, std::optional<double> t_end = {}, bool bias = false);

// The same with a square wave of duty 0.5: +amplitude in the first half of each period (t mod
// 1000/f < 500/f), -amplitude in the second (0 and 2 amplitude with bias). BrainPy puts bias before
// t_start; here all four oscillatory and random generators share the order (t_start, t_end, ...).
time_series square_input(double amplitude, double frequency_hz, double duration, double dt,
                         double t_start = 0, std::optional<double> t_end = {}, bool bias = false);

// Where the random generators draw from: random_stream(seed, stream), with counter row * n + column
// (row = step from 0, including rows outside the window), so each value is fixed by its place,
// whatever the evaluation order. Two inputs that should be independent need different streams.
struct noise_key {
  std::uint64_t seed = 0;
  std::string_view stream;
};

// Increments of a Wiener process: sqrt(dt) * N(0, 1), independent per row and column, in rows
// [int(t_start/dt), int(t_end/dt)) of int(duration/dt) rows; 0 elsewhere. n columns.
time_series wiener_process(double duration, double dt, std::size_t n = 1, double t_start = 0,
                           std::optional<double> t_end = {}, noise_key key = {0, "wiener_process"});

// Ornstein-Uhlenbeck: x starts at mean and each row of the window holds x after
// x += dt * (mean - x) / tau + sigma * sqrt(dt) * N(0, 1) (Euler-Maruyama; BrainPy up to 2.6 drew
// uniform numbers in [0, 1) here). Rows as wiener_process; n independent columns.
time_series ou_process(double mean, double sigma, double tau, double duration, double dt, std::size_t n = 1,
                       double t_start = 0, std::optional<double> t_end = {},
                       noise_key key = {0, "ou_process"});

}  // namespace ionode::inputs
