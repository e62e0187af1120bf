// "Is my dt good enough?" (step_check.hpp).
#include "step_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "ionode/error.hpp"
#include "ionode/integrators/method.hpp"
#include "ionode/population.hpp"
#include "ionode/population_part.hpp"

namespace ionode::cli {

namespace {

using trains = std::vector<std::vector<double>>;  // spike times per instance

struct run_outcome {
  trains spikes;
  double seconds = 0.0;
  std::int64_t steps = 0;
  std::string divergence;  // empty: the run finished
};

// A time series holds one row per step of the configured dt; at dt / factor each row is held for
// `factor` steps, which is the same input as a function of time.
input at_finer_steps(const input& in, std::size_t factor) {
  const auto* series = std::get_if<time_series>(&in.value);
  if (series == nullptr || factor == 1) return in;
  time_series finer;
  finer.rows = series->rows * factor;
  finer.columns = series->columns;
  finer.values.reserve(series->values.size() * factor);
  for (std::size_t row = 0; row < series->rows; ++row) {
    const auto begin = series->values.begin() + static_cast<std::ptrdiff_t>(row * series->columns);
    for (std::size_t k = 0; k < factor; ++k) {
      finer.values.insert(finer.values.end(), begin, begin + static_cast<std::ptrdiff_t>(series->columns));
    }
  }
  input out = in;
  out.value = std::move(finer);
  return out;
}

run_outcome run_sample(const check_sample& sample, double duration, runner_options options, std::size_t factor) {
  options.progress = {};
  options.threads = 1;  // the run time is measured per thread
  options.pool.reset();
  population pop = make_population(sample.model, sample.population, sample.options);
  runner run(pop, options);
  for (const auto& in : sample.inputs) run.add_input(at_finer_steps(in, factor));
  run.monitor({.variables = {}, .indices = {}, .every = 1, .spikes = true});
  run_outcome out;
  out.spikes.resize(pop.impl().instances());
  const auto start = std::chrono::steady_clock::now();
  try {
    run.run(duration);
  } catch (const divergence_error& e) {
    out.divergence = e.what();
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.steps = steps_for(duration, options.dt);
  const recording& rec = run.result();
  for (std::size_t k = 0; k < rec.spike_times.size(); ++k) {
    out.spikes[static_cast<std::size_t>(rec.spike_indices[k])].push_back(rec.spike_times[k]);
  }
  return out;
}

// Every sample's run, concatenated into one list of instances.
run_outcome run_all(const std::vector<check_sample>& samples, double duration, const runner_options& options,
                    std::size_t factor) {
  run_outcome all;
  for (const auto& sample : samples) {
    run_outcome one = run_sample(sample, duration, options, factor);
    all.seconds += one.seconds;
    all.steps = one.steps;
    if (all.divergence.empty()) all.divergence = one.divergence;
    for (auto& train : one.spikes) all.spikes.push_back(std::move(train));
  }
  return all;
}

struct comparison {
  std::size_t spikes = 0;
  std::size_t count_error = 0;  // sum over instances of |spikes - reference spikes|
  double worst = 0.0;           // largest |t - t_ref| over the k-th spikes both have
  double median = 0.0;
};

comparison compare(const trains& got, const trains& reference) {
  comparison c;
  std::vector<double> errors;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const auto& a = got[i];
    const auto& b = reference[i];
    c.spikes += a.size();
    c.count_error += a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) errors.push_back(std::abs(a[k] - b[k]));
  }
  if (!errors.empty()) {
    c.worst = *std::max_element(errors.begin(), errors.end());
    auto middle = errors.begin() + static_cast<std::ptrdiff_t>(errors.size() / 2);
    std::nth_element(errors.begin(), middle, errors.end());
    c.median = *middle;
  }
  return c;
}

std::size_t total_spikes(const trains& t) {
  std::size_t n = 0;
  for (const auto& train : t) n += train.size();
  return n;
}

// Least-squares slope of log(y) against log(x) over the points with y > 0.
double fitted_slope(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<std::pair<double, double>> points;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (y[k] > 0 && std::isfinite(y[k])) points.emplace_back(std::log(x[k]), std::log(y[k]));
  }
  if (points.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double mx = 0, my = 0;
  for (const auto& [px, py] : points) {
    mx += px / static_cast<double>(points.size());
    my += py / static_cast<double>(points.size());
  }
  double sxy = 0, sxx = 0;
  for (const auto& [px, py] : points) {
    sxy += (px - mx) * (py - my);
    sxx += (px - mx) * (px - mx);
  }
  return sxy / sxx;
}

nlohmann::json json_number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

using neuron_ranges = std::vector<std::pair<std::size_t, std::size_t>>;  // (first, count)

// Up to `wanted` neurons in four contiguous runs spread over the population (a population whose values
// vary with the index, such as a list of currents, is then sampled across its range).
neuron_ranges sample_ranges(std::size_t n, std::size_t wanted) {
  neuron_ranges ranges;
  if (n <= wanted) {
    ranges.emplace_back(0, n);
    return ranges;
  }
  const std::size_t runs = std::min<std::size_t>(4, wanted);
  for (std::size_t r = 0; r < runs; ++r) {
    const std::size_t count = wanted / runs + (r < wanted % runs ? 1 : 0);
    ranges.emplace_back(r * (n - count) / std::max<std::size_t>(runs - 1, 1), count);
  }
  return ranges;
}

std::vector<check_sample> samples_of(const check_sample& whole, const neuron_ranges& ranges, std::size_t n) {
  std::vector<check_sample> samples;
  for (const auto& [first, count] : ranges) {
    check_sample part{whole.model, whole.options, part_of(whole.population, first, count), {}};
    for (const auto& in : whole.inputs) {
      part.inputs.push_back(part_of(in, n, first, count, in.origin.empty() ? "given" : in.origin));
    }
    samples.push_back(std::move(part));
  }
  return samples;
}

}  // namespace

double nice_step_below(double x) {
  if (!(x > 0) || !std::isfinite(x)) return x;
  const double decade = std::pow(10.0, std::floor(std::log10(x)));
  for (double mantissa : {5.0, 2.5, 2.0, 1.0}) {
    if (mantissa * decade <= x * (1 + 1e-12)) return mantissa * decade;
  }
  return decade;
}

nlohmann::json check_result(const check_sample& whole, const check_settings& settings) {
  if (!whole.population.noise.empty()) {
    throw error("check: the population has noise; a noisy run's path changes with dt, so its spike times have no "
                "dt-independent answer to compare with. Check it without the noise, which measures the "
                "deterministic part's error");
  }
  if (whole.population.batch != 0) {
    throw error(fmt::format("check: batch = {} is not allowed; check one copy (without a batch axis, with that "
                            "copy's values)",
                            whole.population.batch));
  }
  if (settings.sample == 0) throw error("check: sample = 0 is not allowed; it must be >= 1");
  if (!(settings.duration > 0) || !std::isfinite(settings.duration)) {
    throw error(fmt::format("check: duration = {} ms is not allowed; it must be a finite number > 0",
                            settings.duration));
  }
  if (!(settings.accuracy > 0) || !std::isfinite(settings.accuracy)) {
    throw error(fmt::format("check: accuracy = {} ms is not allowed; it must be a finite number > 0", settings.accuracy));
  }
  std::size_t n = 1;
  for (std::size_t extent : whole.population.shape) n *= extent;
  const neuron_ranges ranges = sample_ranges(n, settings.sample);
  const std::vector<check_sample> samples = samples_of(whole, ranges, n);
  const double dt = settings.runner.dt;
  runner_options reference_options = settings.runner;
  reference_options.method = "rkdp";
  reference_options.tolerances = {.rtol = settings.reference_tolerance, .atol = settings.reference_tolerance,
                                  .max_substeps = 10000000};
  const run_outcome reference = run_all(samples, settings.duration, reference_options, 1);
  if (!reference.divergence.empty()) {
    throw error(fmt::format("ionode check: the reference run (rkdp, rtol = atol = {:g}) diverged: {}; the "
                            "configuration has no finite solution to check against",
                            settings.reference_tolerance, reference.divergence));
  }
  // The reference's own uncertainty: against a run ten times looser.
  runner_options looser = reference_options;
  looser.tolerances.rtol = looser.tolerances.atol = settings.reference_tolerance * 10;
  const comparison self = compare(run_all(samples, settings.duration, looser, 1).spikes, reference.spikes);

  const std::size_t instances = reference.spikes.size();
  nlohmann::json result;
  result["model"] = samples.front().model;
  result["duration_ms"] = settings.duration;
  result["dt_ms"] = dt;
  result["configured_method"] = settings.runner.method;
  result["accuracy_ms"] = settings.accuracy;
  result["sample_instances"] = instances;
  result["whole_instances"] = n;
  result["sample_neurons"] = ranges;
  result["reference"] = {{"method", "rkdp"},
                         {"rtol", settings.reference_tolerance},
                         {"spikes", total_spikes(reference.spikes)},
                         {"against_ten_times_looser_ms", self.worst},
                         {"count_difference_against_looser", self.count_error}};

  std::vector<std::string> methods{settings.runner.method};
  for (const auto& m : settings.methods) {
    if (std::find(methods.begin(), methods.end(), find_method(m).name) == methods.end()) {
      methods.emplace_back(find_method(m).name);
    }
  }
  result["methods"] = nlohmann::json::array();
  for (const auto& name : methods) {
    const method_info& info = find_method(name);
    nlohmann::json entry;
    entry["method"] = std::string(info.name);
    entry["order"] = info.order;
    entry["adaptive"] = info.adaptive;
    std::vector<double> knobs, worsts, seconds_per_step;
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t k = 0; k < 3; ++k) {
      runner_options options = settings.runner;
      options.method = std::string(info.name);
      std::size_t factor = 1;
      if (info.adaptive) {
        options.tolerances.rtol = settings.runner.tolerances.rtol / std::pow(10.0, static_cast<double>(k));
        options.tolerances.atol = settings.runner.tolerances.atol / std::pow(10.0, static_cast<double>(k));
      } else {
        factor = std::size_t{1} << k;
        options.dt = dt / static_cast<double>(factor);
      }
      const run_outcome got = run_all(samples, settings.duration, options, factor);
      nlohmann::json row;
      row["dt_ms"] = options.dt;
      if (info.adaptive) row["rtol"] = options.tolerances.rtol;
      row["seconds"] = got.seconds;
      if (!got.divergence.empty()) {
        row["diverged"] = got.divergence;
        rows.push_back(row);
        continue;
      }
      const comparison c = compare(got.spikes, reference.spikes);
      row["spikes"] = c.spikes;
      row["count_error"] = c.count_error;
      row["worst_error_ms"] = c.worst;
      row["median_error_ms"] = c.median;
      rows.push_back(row);
      knobs.push_back(info.adaptive ? options.tolerances.rtol : options.dt);
      worsts.push_back(c.worst);
      // Seconds per instance and step on one thread (per simulated ms for adaptive methods).
      seconds_per_step.push_back(got.seconds / static_cast<double>(instances) /
                                 (info.adaptive ? settings.duration : static_cast<double>(got.steps)));
    }
    entry["rows"] = rows;
    const double fitted = fitted_slope(knobs, worsts);
    entry["fitted_order"] = json_number(fitted);
    const auto& first = rows[0];
    const bool good = !first.contains("diverged") && first["count_error"].get<std::size_t>() == 0 &&
                      first["worst_error_ms"].get<double>() <= settings.accuracy;
    entry["good_enough"] = good;
    // The step (or tolerance) that reaches the accuracy: from the finest row, with the method's own
    // order for a fixed step (the fitted order is shown, not trusted: three points can mislead) and
    // error proportional to the tolerance for an adaptive method.
    double needed = std::numeric_limits<double>::quiet_NaN();
    double seconds_needed = std::numeric_limits<double>::quiet_NaN();
    if (good) {
      needed = info.adaptive ? settings.runner.tolerances.rtol : dt;
    } else if (!knobs.empty() && worsts.back() > 0) {
      const double ratio = settings.accuracy / worsts.back();
      needed = info.adaptive ? knobs.back() * ratio : nice_step_below(knobs.back() * std::pow(ratio, 1.0 / info.order));
      if (!info.adaptive && needed > dt) needed = dt;
    } else if (!knobs.empty()) {
      needed = knobs.back();  // exact to rounding at the finest row
    }
    if (std::isfinite(needed) && !seconds_per_step.empty()) {
      const double all = static_cast<double>(n);
      if (info.adaptive) {
        // Cost grows as the tolerance shrinks; extrapolated in log-log from the rows measured.
        const double slope = fitted_slope(knobs, seconds_per_step);
        const double per_ms = seconds_per_step.back() * (std::isfinite(slope) ? std::pow(needed / knobs.back(), slope) : 1.0);
        seconds_needed = per_ms * all * settings.duration;
      } else {
        seconds_needed = seconds_per_step.back() * all * static_cast<double>(steps_for(settings.duration, needed));
      }
    }
    entry[info.adaptive ? "rtol_needed" : "dt_needed_ms"] = json_number(needed);
    entry["seconds_needed_one_thread"] = json_number(seconds_needed);
    result["methods"].push_back(entry);
  }
  return result;
}

std::string check_report(const nlohmann::json& r) {
  std::string out = fmt::format(
      "ionode check: {}, {} of {} neurons, {:g} ms; configured: {} at dt = {:g} ms; asked: spike times within {:g} ms\n",
      r["model"].get<std::string>(), r["sample_instances"].get<std::size_t>(), r["whole_instances"].get<std::size_t>(),
      r["duration_ms"].get<double>(), r["configured_method"].get<std::string>(), r["dt_ms"].get<double>(),
      r["accuracy_ms"].get<double>());
  const auto& ref = r["reference"];
  out += fmt::format("reference: rkdp at rtol = atol = {:g}: {} spikes (a run 10x looser differs by {:.2g} ms, {} spikes)\n",
                     ref["rtol"].get<double>(), ref["spikes"].get<std::size_t>(),
                     ref["against_ten_times_looser_ms"].get<double>(),
                     ref["count_difference_against_looser"].get<std::size_t>());
  out += fmt::format("  {:<14} {:>10} {:>8} {:>8} {:>14} {:>14} {:>10}\n", "method", "dt (ms)", "spikes", "off",
                     "worst (ms)", "median (ms)", "time (s)");
  for (const auto& m : r["methods"]) {
    const bool adaptive = m["adaptive"].get<bool>();
    for (const auto& row : m["rows"]) {
      const std::string knob = adaptive ? fmt::format("rtol {:g}", row["rtol"].get<double>())
                                        : fmt::format("{:g}", row["dt_ms"].get<double>());
      if (row.contains("diverged")) {
        out += fmt::format("  {:<14} {:>10} diverged\n", m["method"].get<std::string>(), knob);
        continue;
      }
      out += fmt::format("  {:<14} {:>10} {:>8} {:>8} {:>14.3g} {:>14.3g} {:>10.3g}\n", m["method"].get<std::string>(),
                         knob, row["spikes"].get<std::size_t>(), row["count_error"].get<std::size_t>(),
                         row["worst_error_ms"].get<double>(), row["median_error_ms"].get<double>(),
                         row["seconds"].get<double>());
    }
  }
  for (const auto& m : r["methods"]) {
    const std::string name = m["method"].get<std::string>();
    const bool adaptive = m["adaptive"].get<bool>();
    const std::string order = m["fitted_order"].is_null() ? "not measurable"
                                                          : fmt::format("{:.2f}", m["fitted_order"].get<double>());
    const auto& needed = m[adaptive ? "rtol_needed" : "dt_needed_ms"];
    const auto& seconds = m["seconds_needed_one_thread"];
    const std::string cost = seconds.is_null() ? std::string()
                                               : fmt::format(" (about {:.2g} s for the whole configuration on one thread)",
                                                             seconds.get<double>());
    std::string verdict;
    if (m["good_enough"].get<bool>()) {
      verdict = adaptive ? fmt::format("rtol = {:g} is good enough", needed.get<double>())
                         : fmt::format("dt = {:g} ms is good enough", needed.get<double>());
    } else if (needed.is_null()) {
      verdict = "no step measured here reaches it";
    } else {
      verdict = adaptive ? fmt::format("rtol = {:g} reaches it", needed.get<double>())
                         : fmt::format("dt = {:g} ms reaches it", needed.get<double>());
    }
    out += fmt::format("{}: fitted order {} (nominal {}); {}{}\n", name, order, m["order"].get<int>(), verdict, cost);
  }
  return out;
}

}  // namespace ionode::cli
