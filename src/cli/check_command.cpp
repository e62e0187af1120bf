// `ionode check CONFIG` (check_command.hpp): the sample, the check, the report.
#include "check_command.hpp"

#include <fmt/format.h>

#include <fstream>

#include "config.hpp"
#include "network_config.hpp"
#include "partition.hpp"
#include "step_check.hpp"

#include "ionode/error.hpp"

namespace ionode::cli {

namespace {

// Up to `wanted` neurons in four contiguous runs spread over the population (a population whose
// values vary with the index, such as an f-I list of currents, is then sampled across its range).
std::vector<check_sample> sample_of(const run_config& config, std::size_t wanted) {
  const std::size_t n = neurons_of(config);
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  if (n <= wanted) {
    ranges.emplace_back(0, n);
  } else {
    const std::size_t runs = std::min<std::size_t>(4, wanted);
    for (std::size_t r = 0; r < runs; ++r) {
      const std::size_t count = wanted / runs + (r < wanted % runs ? 1 : 0);
      ranges.emplace_back(r * (n - count) / std::max<std::size_t>(runs - 1, 1), count);
    }
  }
  std::vector<check_sample> samples;
  for (const auto& [first, count] : ranges) {
    const run_config part = part_config(config, first, count);
    check_sample s{part.model, part.options, part.population, {}};
    for (const auto& in : part.inputs) s.inputs.push_back(in.in);
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace

void check_configuration(const check_request& request, std::ostream& out) {
  if (is_network_file(request.config, request.overrides)) {
    throw error(fmt::format("ionode check: {} is a network; check takes a single population's configuration (a "
                            "network's spike times depend on every neuron, and a sample of it is no longer the same "
                            "network). Check each population's cells with its inputs in a configuration of its own",
                            request.config));
  }
  if (request.sample == 0) throw error("--sample = 0 is not allowed; it must be >= 1");
  if (!(request.duration >= 0) || !std::isfinite(request.duration)) {
    throw error(fmt::format("--duration = {} ms is not allowed; it must be a finite number > 0", request.duration));
  }
  const run_config config = load_config(request.config, request.overrides);
  if (config.population.batch != 0) {
    throw error(fmt::format("ionode check: batch = {} is not allowed; check one copy's configuration (--set batch=0 "
                            "and that copy's values)",
                            config.population.batch));
  }
  check_settings settings;
  settings.duration = request.duration > 0 ? request.duration : config.duration;
  settings.runner = config.runner;
  settings.accuracy = request.accuracy;
  settings.whole_instances = neurons_of(config);
  settings.methods = request.methods;
  const auto result = check_result(sample_of(config, request.sample), settings);
  out << check_report(result);
  if (!request.json.empty()) {
    std::ofstream file(request.json);
    if (!file) throw error(fmt::format("--json {}: cannot open the file for writing", request.json));
    file << result.dump(2) << "\n";
    if (!file) throw error(fmt::format("--json {}: the write failed", request.json));
  }
}

}  // namespace ionode::cli
