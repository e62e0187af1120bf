// The input library against its definitions (BrainPy's brainpy.inputs, SEMANTICS.md "Inputs"):
// lengths, onsets at int(t/dt), amplitudes, periods, ramp ends, noise statistics, argument errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "expect_error.hpp"
#include "ionode/error.hpp"
#include "ionode/generators.hpp"

namespace {

namespace in = ionode::inputs;
using ionode::time_series;

double at(const time_series& s, std::size_t row, std::size_t column = 0) {
  return s.values.at(row * s.columns + column);
}

void expect_shape(const time_series& s, std::size_t rows, std::size_t columns) {
  EXPECT_EQ(s.rows, rows);
  EXPECT_EQ(s.columns, columns);
  EXPECT_EQ(s.values.size(), rows * columns);
}

// --- section_input / constant_input -----------------------------------------------------------------

TEST(SectionInput, HoldsEachValueForItsDuration) {
  const auto s = in::section_input({0, 5, 0}, {10, 50, 40}, 0.1);
  expect_shape(s, 1000, 1);
  for (std::size_t r = 0; r < 1000; ++r) EXPECT_EQ(at(s, r), r >= 100 && r < 600 ? 5.0 : 0.0) << "row " << r;
}

TEST(SectionInput, TruncatesEachSectionAndLeavesTheRestZero) {
  // ceil(0.5 / 0.1) = 5 rows; each section int(0.25 / 0.1) = 2 rows; the fifth row stays 0.
  const auto s = in::section_input({1, 2}, {0.25, 0.25}, 0.1);
  expect_shape(s, 5, 1);
  EXPECT_EQ(s.values, (std::vector<double>{1, 1, 2, 2, 0}));
  // ceil(0.5) = 1 row, but the section is int(0.5) = 0 rows long.
  EXPECT_EQ(in::section_input({1}, {0.05}, 0.1).values, (std::vector<double>{0}));
}

TEST(SectionInput, CountsADurationThatIsAWholeNumberOfStepsExactly) {
  // 0.3 / 0.1 is 2.9999999999999996 in floating point; it is 3 steps.
  const auto s = in::section_input({4}, {0.3}, 0.1);
  EXPECT_EQ(s.values, (std::vector<double>{4, 4, 4}));
}

TEST(SectionInput, PerNeuronValuesGiveOneColumnEachAndScalarsAreBroadcast) {
  const auto s = in::section_input({{1.0, 2.0, 3.0}, 7}, {1, 1}, 0.5);
  expect_shape(s, 4, 3);
  EXPECT_EQ(s.values, (std::vector<double>{1, 2, 3, 1, 2, 3, 7, 7, 7, 7, 7, 7}));
}

TEST(ConstantInput, IsSectionInputFromPairs) {
  const auto pairs = in::constant_input({{0, 10}, {5, 50}}, 0.5);
  const auto sections = in::section_input({0, 5}, {10, 50}, 0.5);
  expect_shape(pairs, 120, 1);
  EXPECT_EQ(pairs.values, sections.values);
  const auto per_neuron = in::constant_input({{{1.0, 2.0}, 1}, {3, 1}}, 1.0);
  EXPECT_EQ(per_neuron.values, (std::vector<double>{1, 2, 3, 3}));
}

TEST(SectionInput, RejectsBadArguments) {
  expect_error(
      [] {
        in::section_input({0, 5, 0}, {10, 50}, 0.1);
      },
      {"values", "3", "durations", "2", "same length"});
  expect_error([] { in::section_input({0, 5}, {10, -5}, 0.1); }, {"durations[1]", "-5", ">= 0"});
  expect_error([] { in::section_input({0}, {10}, 0); }, {"dt", "0", "> 0"});
  expect_error([] { in::section_input({0}, {10}, -0.1); }, {"dt", "-0.1"});
  expect_error(
      [] {
        in::section_input({{1.0, 2.0}, {1.0, 2.0, 3.0}}, {1, 1}, 0.1);
      },
      {"values[1]", "3", "2"});
  expect_error([] { in::section_input({}, {}, 0.1); }, {"values", "empty"});
  expect_error([] { in::section_input({NAN}, {1}, 0.1); }, {"values[0]", "nan", "finite"});
  expect_error([] { in::section_input({1}, {0}, 0.1); }, {"sum of durations", "0 ms", "dt"});
  expect_error([] { in::constant_input({{1, -2}}, 0.1); }, {"durations[0]", "-2"});
}

// --- spike_input ------------------------------------------------------------------------------------

TEST(SpikeInput, PulsesStartAtIntOfTimeOverDtAndLastIntOfLenOverDtRows) {
  const auto s = in::spike_input({10, 20}, 5, 3, 30, 0.1);
  expect_shape(s, 300, 1);
  for (std::size_t r = 0; r < 300; ++r) {
    const bool on = (r >= 100 && r < 150) || (r >= 200 && r < 250);
    EXPECT_EQ(at(s, r), on ? 3.0 : 0.0) << "row " << r;
  }
}

TEST(SpikeInput, TruncatesOnsetsAndLengthsButNotWholeNumbersOfSteps) {
  // int(1.05 / 0.1) = 10 and int(0.25 / 0.1) = 2; 0.3 / 0.1 counts as 3 and 0.2 / 0.1 as 2.
  const auto a = in::spike_input({1.05}, 0.25, 1, 2, 0.1);
  for (std::size_t r = 0; r < a.rows; ++r) EXPECT_EQ(at(a, r), r == 10 || r == 11 ? 1.0 : 0.0) << "row " << r;
  const auto b = in::spike_input({0.3}, 0.2, 1, 1, 0.1);
  EXPECT_EQ(b.values, (std::vector<double>{0, 0, 0, 1, 1, 0, 0, 0, 0, 0}));
}

TEST(SpikeInput, ListsGiveEachPulseItsOwnLengthAndSize) {
  const auto s = in::spike_input({1, 5}, {1, 2}, {4, -2}, 10, 1);
  EXPECT_EQ(s.values, (std::vector<double>{0, 4, 0, 0, 0, -2, -2, 0, 0, 0}));
}

TEST(SpikeInput, ALaterPulseOverwritesAnEarlierOneAndPulsesEndWithTheSeries) {
  EXPECT_EQ(in::spike_input({0, 2}, {5, 1}, {1, 9}, 6, 1).values, (std::vector<double>{1, 1, 9, 1, 1, 0}));
  EXPECT_EQ(in::spike_input({8}, 5, 2, 10, 1).values, (std::vector<double>{0, 0, 0, 0, 0, 0, 0, 0, 2, 2}));
  EXPECT_EQ(in::spike_input({20}, 5, 2, 3, 1).values, (std::vector<double>{0, 0, 0}));
}

TEST(SpikeInput, HasCeilOfDurationOverDtRows) {
  EXPECT_EQ(in::spike_input({}, 1, 1, 10.05, 0.1).rows, 101u);
  EXPECT_EQ(in::spike_input({}, 1, 1, 10.0, 0.1).rows, 100u);
}

TEST(SpikeInput, RejectsBadArguments) {
  expect_error([] { in::spike_input({10, 20}, {5.0}, 1, 30, 0.1); }, {"lens", "1", "2", "spike times"});
  expect_error([] { in::spike_input({10, 20}, 5, {1.0, 2.0, 3.0}, 30, 0.1); }, {"sizes", "3", "2"});
  expect_error([] { in::spike_input({-1}, 5, 1, 30, 0.1); }, {"times[0]", "-1", ">= 0"});
  expect_error([] { in::spike_input({1}, -5, 1, 30, 0.1); }, {"lens[0]", "-5", ">= 0"});
  expect_error([] { in::spike_input({1}, 5, 1, -30, 0.1); }, {"duration", "-30"});
  expect_error([] { in::spike_input({1}, 5, 1, 30, 0); }, {"dt", "0"});
}

// --- ramp_input -------------------------------------------------------------------------------------

TEST(RampInput, RisesLinearlyToExactlyCEndOnItsLastRow) {
  const auto s = in::ramp_input(0, 10, 10, 1);
  expect_shape(s, 10, 1);
  for (std::size_t r = 0; r < 9; ++r) EXPECT_NEAR(at(s, r), 10.0 * static_cast<double>(r) / 9.0, 1e-12);
  EXPECT_EQ(at(s, 9), 10.0);
}

TEST(RampInput, IsZeroOutsideItsWindowWhichIsRoundedUp) {
  // rows ceil(2.5) = 3 to ceil(6) - 1 = 5: linspace(-1, 1, 3).
  const auto s = in::ramp_input(-1, 1, 10, 1, 2.5, 6);
  EXPECT_EQ(s.values, (std::vector<double>{0, 0, 0, -1, 0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(in::ramp_input(5, 7, 4, 1, 3, 4).values,
            (std::vector<double>{0, 0, 0, 5}));  // one point: c_start
  EXPECT_EQ(in::ramp_input(5, 7, 10.5, 1).rows, 11u);
}

TEST(RampInput, RejectsBadArguments) {
  expect_error([] { in::ramp_input(0, 1, 10, 0.1, 0, 12); }, {"t_end", "12", "duration", "10"});
  expect_error([] { in::ramp_input(0, 1, 10, 0.1, 6, 5); }, {"t_end", "5", "t_start", "6"});
  expect_error([] { in::ramp_input(0, 1, 10, 0.1, -1); }, {"t_start", "-1", ">= 0"});
  expect_error([] { in::ramp_input(NAN, 1, 10, 0.1); }, {"c_start", "nan"});
  expect_error([] { in::ramp_input(0, INFINITY, 10, 0.1); }, {"c_end", "inf"});
  expect_error([] { in::ramp_input(0, 1, 10, 0); }, {"dt", "0"});
}

// --- sinusoidal_input / square_input ----------------------------------------------------------------

TEST(SinusoidalInput, HasTheAmplitudeAndPeriodOfItsFrequencyInHertz) {
  // 100 Hz: a period of 10 ms = 20 rows of 0.5 ms.
  const auto s = in::sinusoidal_input(2, 100, 20, 0.5);
  expect_shape(s, 40, 1);
  for (std::size_t r = 0; r < 40; ++r) {
    const double t = 0.5 * static_cast<double>(r);
    EXPECT_NEAR(at(s, r), 2 * std::sin(2 * std::numbers::pi * t / 10.0), 1e-12) << "row " << r;
  }
  EXPECT_NEAR(at(s, 5), 2.0, 1e-12);
  EXPECT_NEAR(at(s, 15), -2.0, 1e-12);
  EXPECT_NEAR(at(s, 25), 2.0, 1e-12);
}

TEST(SinusoidalInput, BiasLiftsItToNonNegativeAndTheWindowRestartsThePhase) {
  const auto biased = in::sinusoidal_input(2, 100, 20, 0.5, 0, {}, true);
  EXPECT_NEAR(at(biased, 5), 4.0, 1e-12);
  EXPECT_NEAR(at(biased, 15), 0.0, 1e-12);
  // Window [5, 15) ms: rows 10..29, phase 0 at row 10, a quarter period later (row 15) the crest, at
  // three quarters (row 25) the trough.
  const auto windowed = in::sinusoidal_input(2, 100, 20, 0.5, 5, 15);
  for (std::size_t r = 0; r < 10; ++r) EXPECT_EQ(at(windowed, r), 0.0);
  for (std::size_t r = 30; r < 40; ++r) EXPECT_EQ(at(windowed, r), 0.0);
  EXPECT_NEAR(at(windowed, 10), 0.0, 1e-12);
  EXPECT_NEAR(at(windowed, 15), 2.0, 1e-12);
  EXPECT_NEAR(at(windowed, 25), -2.0, 1e-12);
  // int(duration / dt) rows, not ceil.
  EXPECT_EQ(in::sinusoidal_input(1, 10, 10.05, 0.1).rows, 100u);
}

TEST(SquareInput, IsPlusAmplitudeForHalfAPeriodThenMinus) {
  // 125 Hz: a period of 8 ms = 32 rows of 0.25 ms.
  const auto s = in::square_input(1.5, 125, 16, 0.25);
  expect_shape(s, 64, 1);
  for (std::size_t r = 0; r < 64; ++r) EXPECT_EQ(at(s, r), (r / 16) % 2 == 0 ? 1.5 : -1.5) << "row " << r;
  const auto biased = in::square_input(1.5, 125, 16, 0.25, 0, {}, true);
  for (std::size_t r = 0; r < 64; ++r) EXPECT_EQ(at(biased, r), (r / 16) % 2 == 0 ? 3.0 : 0.0) << "row " << r;
}

TEST(SquareInput, StartsItsFirstHalfPeriodAtTStart) {
  const auto s = in::square_input(1, 125, 16, 0.25, 4, 12);
  for (std::size_t r = 0; r < 64; ++r) {
    const double expected = r < 16 || r >= 48 ? 0.0 : (r < 32 ? 1.0 : -1.0);
    EXPECT_EQ(at(s, r), expected) << "row " << r;
  }
}

TEST(OscillatoryInputs, RejectBadArguments) {
  expect_error([] { in::sinusoidal_input(1, -10, 10, 0.1); }, {"frequency", "-10", "Hz", ">= 0"});
  expect_error([] { in::square_input(NAN, 10, 10, 0.1); }, {"amplitude", "nan"});
  expect_error([] { in::square_input(1, 10, 10, 0.1, 3, 2); }, {"t_end", "2", "t_start", "3"});
  expect_error([] { in::sinusoidal_input(1, 10, 0.05, 0.1); }, {"duration", "0.05", "no rows"});
  expect_error([] { in::square_input(1, 10, 10, -1); }, {"dt", "-1"});
}

// --- wiener_process ---------------------------------------------------------------------------------

struct moments {
  double mean = 0, variance = 0, kurtosis = 0;
};

moments moments_of(const std::vector<double>& x) {
  moments m;
  const double n = static_cast<double>(x.size());
  for (double v : x) m.mean += v / n;
  double m2 = 0, m4 = 0;
  for (double v : x) {
    m2 += (v - m.mean) * (v - m.mean) / n;
    m4 += std::pow(v - m.mean, 4) / n;
  }
  m.variance = m2 * n / (n - 1);
  m.kurtosis = m4 / (m2 * m2);
  return m;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const moments ma = moments_of(a), mb = moments_of(b);
  double c = 0;
  for (std::size_t i = 0; i < a.size(); ++i) c += (a[i] - ma.mean) * (b[i] - mb.mean);
  return c / static_cast<double>(a.size() - 1) / std::sqrt(ma.variance * mb.variance);
}

std::vector<double> column(const time_series& s, std::size_t c, std::size_t first_row = 0,
                           std::size_t last_row = 0) {
  std::vector<double> out;
  for (std::size_t r = first_row; r < (last_row == 0 ? s.rows : last_row); ++r) out.push_back(at(s, r, c));
  return out;
}

std::vector<double> row_values(const time_series& s, std::size_t r) {
  return {s.values.begin() + static_cast<std::ptrdiff_t>(r * s.columns),
          s.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * s.columns)};
}

TEST(WienerProcess, HasIntOfDurationOverDtRowsAndNColumnsAndIsZeroOutsideItsWindow) {
  const auto s = in::wiener_process(10, 0.1, 3, 2, 5);
  expect_shape(s, 100, 3);
  for (std::size_t r = 0; r < 100; ++r) {
    for (std::size_t c = 0; c < 3; ++c) {
      if (r < 20 || r >= 50) {
        EXPECT_EQ(at(s, r, c), 0.0) << r;
      } else {
        EXPECT_NE(at(s, r, c), 0.0) << r;
      }
    }
  }
}

TEST(WienerProcess, IncrementsAreNormalWithVarianceDt) {
  // 100,000 values / sqrt(dt) should be N(0, 1): mean, variance and kurtosis within 4 standard errors
  // (1/sqrt(N), sqrt(2/N), sqrt(24/N)); uniform numbers (kurtosis 1.8) would fail the last.
  const double dt = 0.04;
  const auto s = in::wiener_process(4, dt, 1000, 0, {}, {11, "test"});
  expect_shape(s, 100, 1000);
  std::vector<double> z;
  for (double v : s.values) z.push_back(v / std::sqrt(dt));
  const double n = static_cast<double>(z.size());
  const moments m = moments_of(z);
  EXPECT_NEAR(m.mean, 0.0, 4 / std::sqrt(n));
  EXPECT_NEAR(m.variance, 1.0, 4 * std::sqrt(2 / n));
  EXPECT_NEAR(m.kurtosis, 3.0, 4 * std::sqrt(24 / n));
}

TEST(WienerProcess, IsIndependentBetweenNeuronsAndSteps) {
  // Sample correlations of independent series: standard error 1/sqrt(N); 4 of them allowed.
  const auto s = in::wiener_process(2000, 0.1, 2, 0, {}, {3, "test"});
  const auto a = column(s, 0), b = column(s, 1);
  const double tolerance = 4 / std::sqrt(static_cast<double>(a.size()));
  EXPECT_NEAR(correlation(a, b), 0.0, tolerance);
  const std::vector<double> now(a.begin(), a.end() - 1), next(a.begin() + 1, a.end());
  EXPECT_NEAR(correlation(now, next), 0.0, tolerance);
}

TEST(WienerProcess, SameSeedAndStreamSameValuesOtherwiseDifferent) {
  const auto a = in::wiener_process(1, 0.1, 4, 0, {}, {5, "input"});
  EXPECT_EQ(a.values, in::wiener_process(1, 0.1, 4, 0, {}, {5, "input"}).values);
  EXPECT_NE(a.values, in::wiener_process(1, 0.1, 4, 0, {}, {6, "input"}).values);
  EXPECT_NE(a.values, in::wiener_process(1, 0.1, 4, 0, {}, {5, "other"}).values);
  // A value is fixed by its row and column: a window keeps the values it covers.
  const auto windowed = in::wiener_process(1, 0.1, 4, 0.5, {}, {5, "input"});
  for (std::size_t i = 20; i < 40; ++i) EXPECT_EQ(windowed.values[i], a.values[i]);
}

// --- ou_process -------------------------------------------------------------------------------------

TEST(OuProcess, MeanAndVarianceFollowTheDiscreteRecurrence) {
  // x_0 = mean, x_k = x_{k-1} + a (mean - x_{k-1}) + s xi with a = dt/tau, s = sigma sqrt(dt): E x_k = mean,
  // Var x_k = s^2 (1 - (1-a)^(2k)) / (1 - (1-a)^2), Cov(x_k, x_{k+j}) = (1-a)^j Var x_k. Row r holds x_{r+1}.
  const double mean = 2, sigma = 0.5, tau = 5, dt = 0.1, a = dt / tau, s = sigma * std::sqrt(dt);
  const std::size_t n = 4000;
  const auto series = in::ou_process(mean, sigma, tau, 20, dt, n, 0, {}, {9, "test"});
  expect_shape(series, 200, n);
  const auto variance_at = [&](double k) {
    return s * s * (1 - std::pow(1 - a, 2 * k)) / (1 - (1 - a) * (1 - a));
  };
  for (std::size_t row : {0u, 49u, 199u}) {
    const moments m = moments_of(row_values(series, row));
    const double v = variance_at(static_cast<double>(row + 1));
    EXPECT_NEAR(m.mean, mean, 4 * std::sqrt(v / static_cast<double>(n))) << "row " << row;
    EXPECT_NEAR(m.variance, v, 4 * v * std::sqrt(2.0 / static_cast<double>(n - 1))) << "row " << row;
  }
  // Correlation across 20 rows between rows 149 and 169: (1-a)^20 sqrt(Var_150 / Var_170).
  // Standard error of a sample correlation rho over n pairs: (1 - rho^2) / sqrt(n).
  const double rho = std::pow(1 - a, 20) * std::sqrt(variance_at(150) / variance_at(170));
  EXPECT_NEAR(correlation(row_values(series, 149), row_values(series, 169)), rho,
              4 * (1 - rho * rho) / std::sqrt(static_cast<double>(n)));
}

TEST(OuProcess, WithoutNoiseStaysAtTheMeanAndStartsItsWindowThere) {
  const auto quiet = in::ou_process(-3, 0, 5, 2, 0.1, 2);
  for (double v : quiet.values) EXPECT_EQ(v, -3.0);
  // Window from 5 ms: rows 0..49 are 0; row 50 is one step from mean.
  const double dt = 0.1, sigma = 1, tau = 2, mean = 1;
  const auto s = in::ou_process(mean, sigma, tau, 10, dt, 1000, 5, {}, {2, "test"});
  for (std::size_t r = 0; r < 50; ++r) EXPECT_EQ(at(s, r, 0), 0.0);
  const moments first = moments_of(row_values(s, 50));
  EXPECT_NEAR(first.mean, mean, 4 * sigma * std::sqrt(dt / 1000));
  EXPECT_NEAR(first.variance, sigma * sigma * dt, 4 * sigma * sigma * dt * std::sqrt(2.0 / 999));
}

TEST(OuProcess, ColumnsAreIndependentAndSeedsReproduce) {
  const auto a = in::ou_process(0, 1, 1, 200, 0.1, 2, 0, {}, {4, "ou"});
  // Two independent AR(1) series with coefficient phi = 1 - dt/tau over N rows: their sample
  // correlation has standard error sqrt((1 + phi^2) / ((1 - phi^2) N)) (Bartlett); 4 of them allowed.
  const double phi = 1 - 0.1 / 1, rows = static_cast<double>(a.rows);
  EXPECT_NEAR(correlation(column(a, 0), column(a, 1)), 0.0,
              4 * std::sqrt((1 + phi * phi) / ((1 - phi * phi) * rows)));
  EXPECT_EQ(a.values, in::ou_process(0, 1, 1, 200, 0.1, 2, 0, {}, {4, "ou"}).values);
  EXPECT_NE(a.values, in::ou_process(0, 1, 1, 200, 0.1, 2, 0, {}, {5, "ou"}).values);
}

TEST(RandomInputs, RejectBadArguments) {
  expect_error([] { in::ou_process(0, 1, 0, 10, 0.1); }, {"tau", "0", "> 0"});
  expect_error([] { in::ou_process(0, 1, -2, 10, 0.1); }, {"tau", "-2"});
  expect_error([] { in::ou_process(0, -1, 2, 10, 0.1); }, {"sigma", "-1", ">= 0"});
  expect_error([] { in::ou_process(NAN, 1, 2, 10, 0.1); }, {"mean", "nan"});
  expect_error([] { in::ou_process(0, 1, 2, 10, 0.1, 0); }, {"n = 0", ">= 1"});
  expect_error([] { in::wiener_process(10, 0.1, 0); }, {"n = 0", ">= 1"});
  expect_error([] { in::wiener_process(10, 0); }, {"dt", "0"});
  expect_error([] { in::wiener_process(10, 0.1, 1, 0, 20); }, {"t_end", "20", "duration"});
}

}  // namespace
