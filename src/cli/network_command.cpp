// `ionode run NET.toml`: a network configuration -> network -> one result file per population.
#include "network_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <chrono>
#include <fstream>
#include <cmath>
#include <filesystem>
#include <cstdlib>
#include <optional>
#include <algorithm>
#include <exception>
#include <variant>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "accuracy_warning.hpp"
#include "interrupt.hpp"
#include "ionode/error.hpp"
#include "ionode/io/result_file.hpp"
#include "ionode/version.hpp"
#include "checkpoint.hpp"
#include "gathered_output.hpp"
#include "ionode/io/result_prefix.hpp"
#include "ionode/distributed/mpi.hpp"
#include "ionode/registry.hpp"
#include "partition.hpp"
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

// Takes every block and keeps nothing (a dry run).
class discarding_sink final : public recording_sink {
 public:
  void write(const recording&) override {}
};

// The process's peak resident set (VmHWM of /proc/self/status), in bytes; 0 where unknown.
double peak_resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) * 1024.0;  // "VmHWM:  1234 kB"
  }
  return 0.0;
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

std::shared_ptr<distributed::context> command_world() {
  if (!distributed::launched_by_mpi()) return distributed::local();
  if (!distributed::have_mpi()) {
    const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
    if (size != nullptr && std::string(size) != "1") return distributed::mpi_world();  // says this build has none
    return distributed::local();
  }
  return distributed::mpi_world();
}

void run_network_configuration(const network_config& config, bool quiet, std::ostream& out,
                               const std::function<void(std::int64_t, std::int64_t)>& progress) {
  run_network_configuration(config, quiet, out, progress, distributed::local());
}

void run_network_configuration(const network_config& config, bool quiet, std::ostream& out,
                               const std::function<void(std::int64_t, std::int64_t)>& progress,
                               const std::shared_ptr<distributed::context>& world) {
  distributed::context& ctx = *world;
  const bool root = ctx.rank() == 0, distributed = ctx.size() > 1, dry = ctx.emulated();
  if (dry && (!config.resume.empty() || config.checkpoint_every != 0.0 || !config.checkpoint.empty())) {
    throw error("--dry-run measures and writes nothing: it takes no --checkpoint-every, --checkpoint or --resume");
  }
  // Every phase that can fail on some ranks only ends in an agreement (distributed::agree), so that
  // all ranks stop together with the same message.
  const auto on_every_rank = [&](const std::function<void()>& phase) { distributed::agreed(ctx, phase); };
  std::vector<std::string> outputs;
  for (const auto& p : config.populations) outputs.push_back(population_output(config.output, p.name));
  on_every_rank([&] {
    if (!root || dry) return;  // rank 0 writes every file (a dry run none)
    for (const auto& path : outputs) io::check_output_path(path);
  });
  for (const auto& p : config.populations) {
    if (!root || quiet || dry || !p.source.kind.empty()) continue;
    const auto warning = accuracy_warning(p.run.model, p.run.options, p.run.runner.method, config.dt, config.duration);
    if (warning) fmt::print(out, "ionode: population {}: {}\n", p.name, *warning);
  }
  network::network net({.dt = config.dt, .threads = config.threads, .context = world});
  // Rank 0's description of each population for its file's metadata: the whole population when its
  // per-neuron values go into the metadata (it is small then), else its part.
  std::vector<std::unique_ptr<population>> described(config.populations.size());
  for (std::size_t k = 0; k < config.populations.size(); ++k) {
    const population_config& p = config.populations[k];
    if (!p.source.kind.empty()) {
      net.add_source(p.name, make_source(p, config.dt));
      continue;
    }
    on_every_rank([&] {
      try {
        const std::size_t neurons = neurons_of(p.run);
        const distributed::part part = net.part_of(neurons);
        const run_config local = distributed ? part_config(p.run, part.first, part.count) : p.run;
        std::optional<population> pop;
        if (part.count > 0) pop = make_population(p.run.model, local.population, p.run.options);
        const model_entry& entry = model_registry::global().find(p.run.model);
        const model_info model = pop ? pop->model() : entry.describe(resolve_options(entry, p.run.options));
        runner* run = net.add_population_part(p.name, neurons, model, std::move(pop), p.run.runner);
        if (run != nullptr) {
          for (const auto& in : local.inputs) run->add_input(in.in);
          run->monitor(local.monitors);
        }
        if (distributed && root && neurons <= metadata_values_limit) {
          described[k] = std::make_unique<population>(make_population(p.run.model, p.run.population, p.run.options));
        }
      } catch (const error& e) {
        throw error(fmt::format("population {}: {}", p.name, e.what()));
      }
    });
  }
  const auto build_start = std::chrono::steady_clock::now();
  for (const auto& p : config.projections) net.connect(p.spec);  // each agrees on its errors
  const double build_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
  for (const auto& p : config.projections) set_receptor_state(net, p);
  on_every_rank([&] {
    for (std::size_t k = 0; k < config.populations.size(); ++k) {
      if (net.is_source(k) || !net.has_part(k)) continue;
      try {
        net.runner_at(k).check_run(config.duration);
      } catch (const error& e) {
        throw error(fmt::format("population {}: {}", config.populations[k].name, e.what()));
      }
    }
  });
  const auto description_of = [&](std::size_t k) -> const population& {
    return described[k] ? *described[k] : net.population_at(k);
  };
  // The state every neuron started from at t = 0, for the metadata (before a checkpoint replaces it).
  std::vector<std::string> initial_states(config.populations.size());
  for (std::size_t k = 0; k < config.populations.size() && root; ++k) {
    if (!net.is_source(k) && neurons_of(config.populations[k].run) <= metadata_values_limit) {
      initial_states[k] = initial_state_json(description_of(k));
    }
  }
  // A checkpoint to continue from: the states, the spikes delays still carry, the step, and where the
  // outputs were.
  std::optional<resumed> from;
  if (!config.resume.empty()) {
    on_every_rank([&] {
      for (std::size_t k = 0; k < config.populations.size(); ++k) {
        if (net.has_part(k) && !net.is_source(k)) net.runner_at(k).resume_at(0, 0, 0);  // refuses adaptive methods
      }
    });
    from = resume_from_checkpoint(net, config, config.resume);
    const std::int64_t total = steps_for(config.duration, config.dt);
    if (from->steps >= total) {
      throw error(fmt::format("--resume: checkpoint '{}' is at t = {} ms, which duration = {} ms does not go beyond; "
                              "give the whole run's duration (--set duration=...)",
                              config.resume, static_cast<double>(from->steps) * config.dt, config.duration));
    }
    if (from->outputs.paths.size() != outputs.size()) {
      throw error(fmt::format("--resume: checkpoint '{}' has {} outputs; this network has {}", config.resume,
                              from->outputs.paths.size(), outputs.size()));
    }
    for (std::size_t k = 0; k < config.populations.size(); ++k) {
      const std::size_t samples = distributed ? 0 : from->outputs.samples[k];
      const std::size_t spikes = distributed ? 0 : from->outputs.spikes[k];
      if (net.is_source(k)) {
        net.resume_source_output(k, spikes);
      } else if (net.has_part(k)) {
        net.runner_at(k).resume_at(from->steps, samples, spikes);
      }
    }
  }
  // The records of the run before, up to the checkpoint, start each output: an output written over
  // its own earlier file reads that file from beside it, under a hidden name removed at the end.
  std::vector<std::string> earlier(config.populations.size());
  on_every_rank([&] {
    if (!from || !root) return;
    for (std::size_t k = 0; k < outputs.size(); ++k) {
      earlier[k] = from->outputs.paths[k];
      std::error_code code;
      if (std::filesystem::exists(outputs[k], code) && std::filesystem::equivalent(outputs[k], earlier[k], code)) {
        const std::filesystem::path path(outputs[k]);
        // Hidden, with the extension kept (the format comes from it).
        std::string hidden = path.stem().string();
        hidden.insert(0, 1, '.');
        hidden.append(".before-resume");
        hidden.append(path.extension().string());
        const std::string aside = (path.parent_path() / hidden).string();
        std::filesystem::rename(outputs[k], aside, code);
        if (code) throw error(fmt::format("--resume: cannot move '{}' aside to read it: {}", outputs[k], code.message()));
        earlier[k] = aside;
      } else if (!std::filesystem::exists(earlier[k], code)) {
        throw error(fmt::format("--resume: the output '{}' of the run that wrote checkpoint '{}' is missing; it holds "
                                "the records up to the checkpoint (an unfinished .npz: `ionode recover` it first)",
                                earlier[k], config.resume));
      }
    }
  });

  interrupt_guard interrupt;  // before the files exist: a Ctrl-C from now on leaves them finalized
  net.stop_when(&interrupt.flag());
  if (progress && root) net.on_progress(progress);
  const auto run_config_of = [&](std::size_t k) {
    run_config run_cfg = config.populations[k].run;
    run_cfg.population_name = config.populations[k].name;
    run_cfg.population_index = k;
    run_cfg.network_populations = names_of(config);
    run_cfg.ranks = ctx.size();
    if (from) {
      run_cfg.resumed_from = config.resume;
      run_cfg.resumed_step = from->steps;
    }
    return run_cfg;
  };
  std::vector<std::unique_ptr<io::result_file>> files(config.populations.size());
  std::vector<gathered_output::layout> layouts(config.populations.size());
  // If the outputs cannot be started, the earlier files go back where they were.
  const auto put_back_earlier = [&] {
    for (std::size_t k = 0; k < earlier.size() && from && root; ++k) {
      std::error_code code;
      if (earlier[k] != from->outputs.paths[k]) std::filesystem::rename(earlier[k], outputs[k], code);
    }
  };
  const auto open_outputs = [&] {
    for (std::size_t k = 0; k < config.populations.size(); ++k) {
      if (net.is_source(k)) {
        if (root) {
          files[k] = io::open_result_file(outputs[k], net.source_result(k),
                                          source_metadata(config, k, net, net.source_result(k), false));
          if (from) io::copy_result_prefix(earlier[k], 0, from->outputs.spikes[k], net.source_result(k), *files[k]);
        }
        continue;
      }
      const run_config& whole = config.populations[k].run;
      const std::size_t neurons = neurons_of(whole);
      gathered_output::layout& layout = layouts[k];
      layout.variables = whole.monitors.variables;
      layout.width = whole.monitors.indices.empty() ? neurons : whole.monitors.indices.size();
      for (int r = 0; r < ctx.size(); ++r) {
        const distributed::part part = distributed::part_of(neurons, r, ctx.size());
        layout.columns_of_rank.push_back(part_columns(whole, part.first, part.count));
      }
      if (!root) continue;
      // The whole population's layout (the part's runner has only its own columns).
      recording shape;
      shape.variables = whole.monitors.variables;
      shape.indices = whole.monitors.indices;
      if (shape.indices.empty()) {
        for (std::size_t i = 0; i < neurons; ++i) shape.indices.push_back(i);
      }
      if (!distributed) shape = net.runner_at(k).result();
      files[k] = io::open_result_file(
          outputs[k], shape, result_metadata(run_config_of(k), description_of(k), net.runner_at(k), false, initial_states[k]));
      if (from) io::copy_result_prefix(earlier[k], from->outputs.samples[k], from->outputs.spikes[k], shape, *files[k]);
    }
  };
  on_every_rank([&] {
    try {
      if (!dry) open_outputs();
    } catch (...) {
      files.clear();  // a new output begun is finalized before the earlier file takes its name back
      put_back_earlier();
      throw;
    }
  });
  std::unique_ptr<gathered_output> gathered;
  discarding_sink discard;  // a dry run keeps no record
  if (dry) {
    for (std::size_t k = 0; k < files.size(); ++k) {
      if (net.is_source(k)) {
        net.stream_source_to(k, &discard);
      } else if (net.has_part(k)) {
        net.runner_at(k).stream_to(&discard);
      }
    }
  } else if (distributed) {
    std::vector<io::result_file*> sinks;
    for (auto& f : files) sinks.push_back(f.get());
    gathered = std::make_unique<gathered_output>(net, ctx, std::move(layouts), std::move(sinks));
    if (from) gathered->resume_at(from->outputs.samples, from->outputs.spikes);
    net.on_exchange([&] { return gathered->wants_flush(); }, [&] { gathered->flush(); });
  } else {
    for (std::size_t k = 0; k < files.size(); ++k) {
      if (net.is_source(k)) {
        net.stream_source_to(k, files[k].get());
      } else {
        net.runner_at(k).stream_to(files[k].get());
      }
    }
  }
  if (config.checkpoint_every != 0.0 || !config.checkpoint.empty()) {
    on_every_rank([&] {
      if (!(config.checkpoint_every >= config.dt) || !std::isfinite(config.checkpoint_every)) {
        throw error(fmt::format("--checkpoint-every = {} ms is not allowed; it must be a finite time >= dt = {} ms",
                                config.checkpoint_every, config.dt));
      }
      for (std::size_t k = 0; k < config.populations.size(); ++k) {
        if (net.has_part(k) && !net.is_source(k) && net.runner_at(k).method().adaptive) {
          throw error(fmt::format("--checkpoint-every: population {} uses the adaptive method {}, whose step sizes a "
                                  "checkpoint does not hold; use a fixed-step method",
                                  config.populations[k].name, net.runner_at(k).method().name));
        }
      }
    });
  }
  const std::string checkpoint = config.checkpoint.empty() ? default_checkpoint_path(config.output) : config.checkpoint;
  if (config.checkpoint_every > 0) {
    net.checkpoint_every(steps_for(config.checkpoint_every, config.dt), [&] {
      // The outputs first: what they hold now is the position the checkpoint records.
      output_positions positions;
      positions.paths = outputs;
      if (gathered) gathered->flush();
      for (std::size_t k = 0; k < outputs.size(); ++k) {
        if (gathered) {
          positions.samples.push_back(gathered->samples_written(k));
          positions.spikes.push_back(gathered->spikes_written(k));
        } else if (net.is_source(k)) {
          net.stream_source_to(k, files[k].get());
          positions.samples.push_back(0);
          positions.spikes.push_back(net.source_result(k).spikes_recorded());
        } else {
          net.runner_at(k).stream_to(files[k].get());
          positions.samples.push_back(net.runner_at(k).result().samples_recorded());
          positions.spikes.push_back(net.runner_at(k).result().spikes_recorded());
        }
      }
      write_checkpoint(net, config, positions, checkpoint);
    });
  }
  const std::int64_t remaining = steps_for(config.duration, config.dt) - (from ? from->steps : 0);
  const auto start = std::chrono::steady_clock::now();
  std::exception_ptr stopped;
  try {
    net.run(static_cast<double>(remaining) * config.dt);
  } catch (...) {
    stopped = std::current_exception();
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string close_failure;
  if (gathered) {
    // Every rank reaches this point together (network::run's failures are agreed): the rest of the
    // records to rank 0.
    gathered->flush();
    gathered->detach();
    close_failure = gathered->failure().empty() ? "" : fmt::format("writing the output failed: {}", gathered->failure());
  }
  for (std::size_t k = 0; k < files.size() && root && !dry; ++k) {
    try {
      if (net.is_source(k)) {
        net.stream_source_to(k, nullptr);
        files[k]->close(source_metadata(config, k, net, net.source_result(k), true));
        continue;
      }
      net.runner_at(k).stream_to(nullptr);
      files[k]->close(result_metadata(run_config_of(k), description_of(k), net.runner_at(k), true, initial_states[k]));
    } catch (const std::exception& e) {
      if (close_failure.empty()) close_failure = fmt::format("writing {} failed: {}", outputs[k], e.what());
    }
  }
  close_failure = ctx.broadcast(close_failure, 0);
  if (from && root && close_failure.empty()) {
    for (std::size_t k = 0; k < earlier.size(); ++k) {
      std::error_code code;
      if (earlier[k] != from->outputs.paths[k]) std::filesystem::remove(earlier[k], code);  // the copy moved aside
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
  // Totals over the ranks (each holds the synapses onto its own part).
  std::vector<std::size_t> counts;
  std::uint64_t local_synapses = 0;
  double local_bytes = 0;
  for (std::size_t k = 0; k < net.projection_count(); ++k) {
    local_synapses += net.synapses(k).size();
    local_bytes += net.synapses(k).bytes();
  }
  const auto all_synapses = distributed::all_gather(ctx, std::span<const std::uint64_t>(&local_synapses, 1), counts);
  const auto all_bytes = distributed::all_gather(ctx, std::span<const double>(&local_bytes, 1), counts);
  if (quiet || !root) return;

  std::size_t neurons = 0;
  for (std::size_t k = 0; k < config.populations.size(); ++k) neurons += net.size_of(k);
  std::size_t synapses = 0;
  for (auto n : all_synapses) synapses += n;
  fmt::print(out, "ionode {}: network of {} populations, {} neurons, {} projections, {} synapses, dt = {} ms\n",
             ionode::version, config.populations.size(), neurons, net.projection_count(), synapses, config.dt);
  double synapse_bytes = 0;
  for (double b : all_bytes) synapse_bytes += b;
  fmt::print(out, "  build:  {:.4g} s ({:.3g} synapses/s), {:.3g} bytes per synapse\n", build_wall,
             static_cast<double>(synapses) / std::max(build_wall, 1e-9),
             synapses == 0 ? 0.0 : synapse_bytes / static_cast<double>(synapses));
  fmt::print(out, "  steps:  {} ({} ms simulated)\n", net.steps_done(), net.time());
  const double seconds = net.time() / 1000.0;
  for (std::size_t k = 0; k < config.populations.size(); ++k) {
    const auto& p = config.populations[k];
    // A dry run counts rank 0's part only, and writes nothing.
    const std::size_t counted = dry ? net.part_of(net.size_of(k)).count : net.size_of(k);
    const std::string where = dry ? fmt::format(" in rank 0's {} neurons", counted) : "";
    const std::string into = dry ? "" : " -> " + outputs[k];
    if (net.is_source(k)) {
      const std::size_t fired = gathered ? gathered->spikes_written(k) : net.source_result(k).spikes_recorded();
      fmt::print(out, "  {}: {} x source {}, {} spikes{} ({:.4g} Hz per neuron){}\n", p.name, net.size_of(k),
                 net.source_at(k).describe(), fired, where,
                 static_cast<double>(fired) / (static_cast<double>(counted) * seconds), into);
      continue;
    }
    const std::size_t fired = gathered ? gathered->spikes_written(k) : net.runner_at(k).result().spikes_recorded();
    fmt::print(out, "  {}: {} x {}, method {}, seed {}", p.name, net.size_of(k), p.run.model,
               net.runner_at(k).method().name, net.population_at(k).options().seed);
    if (p.run.monitors.spikes) {
      fmt::print(out, ", {} spikes{} ({:.4g} Hz per neuron)", fired, where,
                 static_cast<double>(fired) / (static_cast<double>(counted) * seconds));
    }
    fmt::print(out, "{}\n", into);
  }
  fmt::print(out, "  wall:   {:.4g} s on {}{} thread{}{}\n", wall, distributed ? ctx.describe() + " x " : "",
             net.threads(), net.threads() == 1 ? "" : "s", distributed ? " each" : "");
  if (distributed) {
    const auto& x = net.exchanges();
    fmt::print(out, "  exchange: {} epochs of up to {} steps, {:.4g} bytes received per rank per epoch, {:.4g} s in "
               "them ({:.3g} us per epoch{})\n",
               x.epochs, net.epoch_steps(), x.epochs == 0 ? 0.0 : static_cast<double>(x.bytes) / static_cast<double>(x.epochs),
               x.seconds, x.epochs == 0 ? 0.0 : 1e6 * x.seconds / static_cast<double>(x.epochs),
               dry ? "; emulated, not a network's time" : "");
  }
  if (dry) {
    // Rank 0's part: what one rank of this many holds.
    std::size_t neurons_here = 0;
    double state_bytes = 0;
    for (std::size_t k = 0; k < config.populations.size(); ++k) {
      if (net.is_source(k) || !net.has_part(k)) continue;
      neurons_here += net.population_at(k).size();
      state_bytes += net.population_at(k).impl().bytes_per_instance() * static_cast<double>(net.population_at(k).instances());
    }
    fmt::print(out, "  per rank: {} neurons, {} synapses ({:.4g} MiB of tables), {:.4g} MiB of neuron state; peak "
               "resident memory of this process {:.4g} MiB\n",
               neurons_here, all_synapses.front(), all_bytes.front() / 1048576.0, state_bytes / 1048576.0,
               peak_resident_bytes() / 1048576.0);
  }
}

}  // namespace ionode::cli
