// `ionode run NET.toml`: a network configuration -> network -> one result file per population.
#include "network_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <chrono>
#include <algorithm>
#include <exception>
#include <variant>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "interrupt.hpp"
#include "ionode/error.hpp"
#include "ionode/io/result_file.hpp"
#include "ionode/version.hpp"
#include "run_command.hpp"

namespace ionode::cli {

std::string population_output(const std::string& output, const std::string& population) {
  const std::filesystem::path path(output);
  return (path.parent_path() / (path.stem().string() + "." + population + path.extension().string())).string();
}

namespace {

void set_receptor_state(network::network& net, const projection_config& p) {
  const std::size_t k = net.projection_index(p.spec.name);
  for (const auto& [name, spec] : p.initial) net.set_receptor_state(k, name, spec);
}

std::unique_ptr<network::spike_source> make_source(const population_config& p, double dt) {
  const auto& s = p.source;
  if (s.kind == "poisson") return std::make_unique<network::poisson_source>(s.size, s.rates, s.seed);
  return std::make_unique<network::spike_times_source>(s.size, s.indices, s.times, dt, "population " + p.name);
}

std::vector<std::string> names_of(const network_config& config) {
  std::vector<std::string> names;
  for (const auto& p : config.populations) names.push_back(p.name);
  return names;
}

std::string source_metadata(const network_config& config, std::size_t k, const network::network& net,
                            const recording& fired, bool finished) {
  const population_config& p = config.populations[k];
  nlohmann::ordered_json meta;
  meta["ionode_version"] = ionode::version;
  meta["population"] = p.name;
  meta["population_index"] = k;
  meta["network_populations"] = names_of(config);
  meta["source"] = p.source.kind;
  meta["neurons"] = p.source.size;
  if (p.source.kind == "poisson") {
    meta["rate_hz"] = p.source.rates.size() == 1 ? nlohmann::ordered_json(p.source.rates[0]) : nlohmann::ordered_json(p.source.rates);
    meta["seed"] = p.source.seed;
  }
  meta["dt"] = net.dt();
  meta["steps"] = net.steps_done();
  meta["t_end"] = net.time();
  meta["spike_time_convention"] = "a source's spike in the step from t_n to t_n + dt is recorded at t_n";
  meta["complete"] = finished && fired.complete;
  if (!finished) {
    meta["stop_reason"] = "the run had not finished when this metadata was written";
  } else if (!fired.complete) {
    meta["stop_reason"] = fired.stop_reason;
  }
  return meta.dump();
}

}  // namespace

void run_network_configuration(const network_config& config, bool quiet, std::ostream& out,
                               const std::function<void(std::int64_t, std::int64_t)>& progress) {
  std::vector<std::string> outputs;
  for (const auto& p : config.populations) {
    outputs.push_back(population_output(config.output, p.name));
    io::check_output_path(outputs.back());
  }
  network::network net({.dt = config.dt, .threads = config.threads});
  for (const auto& p : config.populations) {
    if (!p.source.kind.empty()) {
      net.add_source(p.name, make_source(p, config.dt));
      continue;
    }
    runner_options options = p.run.runner;
    runner& run = net.add_population(p.name, make_population(p.run.model, p.run.population, p.run.options), options);
    try {
      for (const auto& in : p.run.inputs) run.add_input(in.in);
      run.monitor(p.run.monitors);
    } catch (const error& e) {
      throw error(fmt::format("population {}: {}", p.name, e.what()));
    }
  }
  const auto build_start = std::chrono::steady_clock::now();
  for (const auto& p : config.projections) net.connect(p.spec);
  const double build_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
  for (const auto& p : config.projections) set_receptor_state(net, p);
  for (std::size_t k = 0; k < config.populations.size(); ++k) {
    if (net.is_source(k)) continue;
    try {
      net.runner_at(k).check_run(config.duration);
    } catch (const error& e) {
      throw error(fmt::format("population {}: {}", config.populations[k].name, e.what()));
    }
  }

  interrupt_guard interrupt;  // before the files exist: a Ctrl-C from now on leaves them finalized
  net.stop_when(&interrupt.flag());
  if (progress) net.on_progress(progress);
  std::vector<std::unique_ptr<io::result_file>> files;
  std::vector<std::string> initial_states;
  for (std::size_t k = 0; k < config.populations.size(); ++k) {
    if (net.is_source(k)) {
      initial_states.emplace_back();
      files.push_back(io::open_result_file(outputs[k], net.source_result(k),
                                           source_metadata(config, k, net, net.source_result(k), false)));
      net.stream_source_to(k, files.back().get());
      continue;
    }
    run_config run_cfg = config.populations[k].run;
    run_cfg.population_name = config.populations[k].name;
    run_cfg.population_index = k;
    run_cfg.network_populations = names_of(config);
    initial_states.push_back(initial_state_json(net.population_at(k)));
    files.push_back(io::open_result_file(
        outputs[k], net.runner_at(k).result(),
        result_metadata(run_cfg, net.population_at(k), net.runner_at(k), false, initial_states.back())));
    net.runner_at(k).stream_to(files.back().get());
  }
  const auto start = std::chrono::steady_clock::now();
  std::exception_ptr stopped;
  try {
    net.run(config.duration);
  } catch (...) {
    stopped = std::current_exception();
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string close_failure;
  for (std::size_t k = 0; k < files.size(); ++k) {
    run_config run_cfg = config.populations[k].run;
    run_cfg.population_name = config.populations[k].name;
    run_cfg.population_index = k;
    run_cfg.network_populations = names_of(config);
    try {
      if (net.is_source(k)) {
        net.stream_source_to(k, nullptr);
        files[k]->close(source_metadata(config, k, net, net.source_result(k), true));
        continue;
      }
      net.runner_at(k).stream_to(nullptr);
      files[k]->close(result_metadata(run_cfg, net.population_at(k), net.runner_at(k), true, initial_states[k]));
    } catch (const std::exception& e) {
      if (close_failure.empty()) close_failure = fmt::format("writing {} failed: {}", outputs[k], e.what());
    }
  }
  if (stopped) {
    try {
      std::rethrow_exception(stopped);
    } catch (const interrupted& e) {
      throw run_interrupted(fmt::format("{}; the files {} hold it, with metadata complete: false", e.what(),
                                        fmt::join(outputs, ", ")),
                            interrupt.signal());
    } catch (const std::exception& e) {
      if (close_failure.empty()) throw;
      throw error(fmt::format("{}; then {}", e.what(), close_failure));
    }
  }
  if (!close_failure.empty()) throw error(close_failure);
  if (quiet) return;

  std::size_t neurons = 0;
  for (std::size_t k = 0; k < config.populations.size(); ++k) neurons += net.size_of(k);
  std::size_t synapses = 0;
  for (std::size_t k = 0; k < net.projection_count(); ++k) synapses += net.synapses(k).size();
  fmt::print(out, "ionode {}: network of {} populations, {} neurons, {} projections, {} synapses, dt = {} ms\n",
             ionode::version, config.populations.size(), neurons, net.projection_count(), synapses, config.dt);
  double synapse_bytes = 0;
  for (std::size_t k = 0; k < net.projection_count(); ++k) synapse_bytes += net.synapses(k).bytes();
  fmt::print(out, "  build:  {:.4g} s ({:.3g} synapses/s), {:.3g} bytes per synapse\n", build_wall,
             static_cast<double>(synapses) / std::max(build_wall, 1e-9),
             synapses == 0 ? 0.0 : synapse_bytes / static_cast<double>(synapses));
  fmt::print(out, "  steps:  {} ({} ms simulated)\n", net.steps_done(), net.time());
  const double seconds = net.time() / 1000.0;
  for (std::size_t k = 0; k < config.populations.size(); ++k) {
    const auto& p = config.populations[k];
    if (net.is_source(k)) {
      const auto& fired = net.source_result(k);
      fmt::print(out, "  {}: {} x source {}, {} spikes ({:.4g} Hz per neuron) -> {}\n", p.name, net.size_of(k),
                 net.source_at(k).describe(), fired.spikes_recorded(),
                 static_cast<double>(fired.spikes_recorded()) / (static_cast<double>(net.size_of(k)) * seconds),
                 outputs[k]);
      continue;
    }
    const auto& result = net.runner_at(k).result();
    fmt::print(out, "  {}: {} x {}, method {}, seed {}", p.name, net.population_at(k).size(), p.run.model,
               net.runner_at(k).method().name, net.population_at(k).options().seed);
    if (p.run.monitors.spikes) {
      fmt::print(out, ", {} spikes ({:.4g} Hz per neuron)", result.spikes_recorded(),
                 static_cast<double>(result.spikes_recorded()) /
                     (static_cast<double>(net.population_at(k).size()) * seconds));
    }
    fmt::print(out, " -> {}\n", outputs[k]);
  }
  fmt::print(out, "  wall:   {:.4g} s on {} thread{}\n", wall, net.threads(), net.threads() == 1 ? "" : "s");
}

}  // namespace ionode::cli
