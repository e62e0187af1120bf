// `ionode check CONFIG` (check_command.hpp): the configuration's population, the check, the report.
#include "check_command.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "config.hpp"
#include "network_config.hpp"
#include "step_check.hpp"

#include "ionode/error.hpp"

namespace ionode::cli {

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
  check_sample whole{config.model, config.options, config.population, {}};
  for (const auto& in : config.inputs) {
    whole.inputs.push_back(in.in);
    if (whole.inputs.back().origin.empty()) whole.inputs.back().origin = in.description;
  }
  check_settings settings;
  settings.duration = request.duration > 0 ? request.duration : config.duration;
  settings.runner = config.runner;
  settings.accuracy = request.accuracy;
  settings.sample = request.sample;
  // --compare none: the configured method alone.
  if (!(request.methods.size() == 1 && request.methods.front() == "none")) settings.methods = request.methods;
  const auto result = check_result(whole, settings);
  out << check_report(result);
  if (!request.json.empty()) {
    std::ofstream file(request.json);
    if (!file) throw error(fmt::format("--json {}: cannot open the file for writing", request.json));
    file << result.dump(2) << "\n";
    if (!file) throw error(fmt::format("--json {}: the write failed", request.json));
  }
}

}  // namespace ionode::cli
