// The `ionode` command line: run, plot, analyze, check, recover, models, methods, --version.
#include "ionode/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <new>
#include <optional>

#include "analyze_command.hpp"
#include "batch_ranks.hpp"
#include "check_command.hpp"
#include "fi_command.hpp"
#include "phase_plane_command.hpp"
#include "config.hpp"
#include "network_command.hpp"
#include "ionode/detail/thread_pool.hpp"
#include "ionode/distributed/mpi.hpp"
#include "ionode/error.hpp"
#include "ionode/integrators/method.hpp"
#include "ionode/io/npz_recovery.hpp"
#include "ionode/registry.hpp"
#include "ionode/version.hpp"
#include "plot_command.hpp"
#include "progress_bar.hpp"
#include "run_command.hpp"

namespace ionode {

namespace {

std::string_view describe(constraint c) {
  switch (c) {
    case constraint::any: return "";
    case constraint::positive: return " (> 0)";
    case constraint::non_negative: return " (>= 0)";
    case constraint::fraction: return " (0 < p < 1)";
  }
  return "";
}

std::string describe_initial(const variable_info& v) {
  switch (v.initial) {
    case initial_kind::constant: return fmt::format("{}", v.a);
    case initial_kind::uniform: return fmt::format("uniform({}, {})", v.a, v.b);
    case initial_kind::steady_state: return "steady state";
  }
  return "";
}

void print_model(std::ostream& out, const model_entry& entry) {
    fmt::print(out, "{}{}: {}\n", entry.name,
               entry.aliases.empty() ? "" : fmt::format(" (alias {})", fmt::join(entry.aliases, ", ")), entry.summary);
    for (const auto& option : entry.options) {
      fmt::print(out, "  option {} = {} (default {}): {}\n", option.name, fmt::join(option.values, " | "),
                 option.values.front(), option.description);
    }
    const model_info info = entry.describe(resolve_options(entry, {}));
    fmt::print(out, "  variables (initial value):\n");
    for (const auto& v : info.variables) {
      fmt::print(out, "    {:<8} {:<8} {} ({})\n", v.name, v.unit, v.description, describe_initial(v));
    }
    fmt::print(out, "  parameters (default):\n");
    for (const auto& p : info.parameters) {
      fmt::print(out, "    {:<8} {:>10} {:<9} {}{}\n", p.name, p.default_value, p.unit, p.description, describe(p.allowed));
    }
    fmt::print(out, "  inputs:");
    for (const auto& in : info.inputs) fmt::print(out, " {} ({}: {})", in.name, in.unit, in.description);
    fmt::print(out, "\n  spikes: upward crossing of {} through {}\n\n", info.variables[info.spike_variable].name,
               info.parameters[info.threshold_parameter].name);
}

// Every model, or those named (by name or alias; an unknown name is an error listing the models).
void print_models(std::ostream& out, const std::vector<std::string>& names) {
  const auto& registry = model_registry::global();
  if (names.empty()) {
    for (const auto& entry : registry.entries()) print_model(out, entry);
    return;
  }
  std::vector<const model_entry*> chosen;
  for (const auto& name : names) chosen.push_back(&registry.find(name));  // all checked before printing
  for (const auto* entry : chosen) print_model(out, *entry);
}

void print_methods(std::ostream& out) {
  for (const auto& m : all_methods()) {
    fmt::print(out, "{:<11} order {}{}  {}\n", m.name, m.order, m.adaptive ? ", adaptive" : "          ",
               m.description);
  }
}

}  // namespace

namespace {

// The default threads of one rank: the machine's cores shared by the ranks mpirun started on it (Open
// MPI says how many), so that ranks x threads does not oversubscribe the cores; alone, 0 (all of them).
std::size_t threads_per_rank(const distributed::context& world) {
  if (world.size() == 1 || world.emulated()) return 0;
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  const long here = local != nullptr ? std::atol(local) : 1;
  return std::max<std::size_t>(1, detail::default_threads() / static_cast<std::size_t>(std::max(1L, here)));
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"ionode: conductance-based neuron models (Hodgkin-Huxley, Morris-Lecar, Pinsky-Rinzel, Wang-Buzsaki)"};
  app.set_version_flag("--version", fmt::format("ionode {}", version));
  app.require_subcommand(1);

  auto* run = app.add_subcommand("run", "run a configuration file (without one: the seed's HH example)");
  std::string config_path;
  std::vector<std::string> overrides;
  std::string output;
  bool quiet = false;
  bool print_default = false;
  run->add_option("config", config_path, "configuration file (TOML); see README.md for the keys");
  run->add_option("--set", overrides, "override a configuration key, e.g. --set dt=0.01 --set params.gNa=100")
      ->take_all();
  run->add_option("-o,--output", output, "output file (.npz, .h5 or .csv); overrides [output] path");
  run->add_flag("-q,--quiet", quiet, "print nothing but errors");
  std::optional<std::size_t> threads;
  run->add_option("--threads", threads, "worker threads (default: the machine's cores; results do not depend on it)");
  run->add_flag("--print-default", print_default, "print the embedded default configuration and exit");
  std::string run_figure;
  std::optional<int> dry_run_ranks;
  run->add_option("--dry-run", dry_run_ranks,
                  "a network: compute rank 0's part of P ranks alone, the other ranks' spikes made from its own, and "
                  "report the exchange's volume and a rank's memory (no output is written; docs/scaling.md)");
  double checkpoint_every = 0.0;
  std::string checkpoint_path, resume_path;
  run->add_option("--checkpoint-every", checkpoint_every,
                  "a network run: write its complete state every T ms of simulated time (docs/networks.md, "
                  "\"Checkpoints\")");
  run->add_option("--checkpoint", checkpoint_path, "the checkpoint file (default: the output's stem + .checkpoint.h5)");
  run->add_option("--resume", resume_path,
                  "continue a network run from this checkpoint, on any number of ranks, up to the configuration's "
                  "duration; the output starts with what the run before wrote up to the checkpoint");
  run->add_option("--plot", run_figure, "after the run, draw the result into this figure (.png, .svg or .pdf)");

  auto* plot = app.add_subcommand("plot", "draw a result (.npz or .h5): voltage traces, spike raster, population rate");
  std::string plot_input, plot_figure;
  cli::plot_options plot_settings;
  plot->add_option("result", plot_input, "the result file (.npz or .h5) that `ionode run` wrote")->required();
  plot->add_option("-o,--output", plot_figure, "the figure; its format from the name: .png, .svg or .pdf")->required();
  plot->add_option("--neurons", plot_settings.neurons, "neurons whose traces to draw, e.g. 0,3,7 [the first 4 recorded]")
      ->delimiter(',');
  plot->add_option("--batch", plot_settings.batch, "batch copy to draw [0]");
  plot->add_option("--variable", plot_settings.variable, "recorded variable(s) to trace, e.g. V or Vs,Vd [V, or Vs]");
  plot->add_option("--bin", plot_settings.bin_ms, "population-rate bin width in ms [about 1/50 of the run]");

  auto* analyze = app.add_subcommand("analyze", "analysis of the dynamics (docs/analysis.md)");
  analyze->require_subcommand(1);
  auto* bifurcation = analyze->add_subcommand(
      "bifurcation", "equilibria, saddle-nodes, Hopf points and cycles along a parameter, as JSON (and a figure)");
  cli::analyze_request analysis_request;
  bifurcation->add_option("config", analysis_request.config, "a run configuration (its model, options, params)");
  bifurcation->add_option("--model", analysis_request.model, "the model by name [HH, or the configuration's]");
  bifurcation->add_option("--option", analysis_request.options, "a model option, e.g. --option preset=classic")
      ->take_all();
  bifurcation->add_option("--set", analysis_request.sets, "a parameter value, e.g. --set gL=0.3 --set EL=-54.4")
      ->take_all();
  bifurcation->add_option("--param", analysis_request.param, "the continuation parameter: I (the input) or a parameter name [I]");
  bifurcation->add_option("--range", analysis_request.range, "LO HI of the parameter")->expected(2)->required();
  bifurcation->add_option("-o,--output", analysis_request.output, "the JSON result (-o, --plot or both)");
  bifurcation->add_option("--plot", analysis_request.figure, "a figure of the bifurcation diagram (.png, .svg, .pdf)");
  bifurcation->add_option("--max-cycles", analysis_request.max_cycles, "cycles per branch at most [300]");
  bifurcation->add_option("--cycle-steps", analysis_request.cycle_steps, "rk4 steps per period in shooting [1000]");
  bool no_cycles = false;
  bifurcation->add_flag("--no-cycles", no_cycles, "equilibria only");
  bool analyze_quiet = false;
  bifurcation->add_flag("-q,--quiet", analyze_quiet, "print nothing but errors");

  auto* fi = analyze->add_subcommand("fi", "firing rate against the current (or a parameter), as JSON (and a figure)");
  cli::fi_request fi_request;
  fi->add_option("config", fi_request.config, "a run configuration (its model, options, params)");
  fi->add_option("--model", fi_request.model, "the model by name [HH, or the configuration's]");
  fi->add_option("--option", fi_request.options, "a model option, e.g. --option preset=classic")->take_all();
  fi->add_option("--set", fi_request.sets, "a parameter value, e.g. --set gL=0.3")->take_all();
  fi->add_option("--param", fi_request.param, "the swept value: I (the input), an input's or a parameter's name [I]");
  fi->add_option("--range", fi_request.range, "LO HI of the parameter")->expected(2)->required();
  fi->add_option("--points", fi_request.points, "values in the range, evenly spaced [21]");
  fi->add_option("--sweep", fi_request.sweep,
                 "up, down or both: carry the state over from one value to the next (hysteresis) [none: every "
                 "value from the initial state, in parallel]");
  fi->add_option("--transient", fi_request.transient, "ms discarded before measuring [1000]");
  fi->add_option("--window", fi_request.window, "ms over which the rate is measured [2000]");
  fi->add_option("--dt", fi_request.dt, "ms, the step [the configuration's dt, else 0.01]");
  fi->add_option("--ramp", fi_request.ramp, "ms over which a swept input moves to each new value (sweeps) [100]");
  fi->add_option("--initial", fi_request.initial,
                 "a variable's initial value, e.g. --initial V=-70 [the configuration's, else the model's]")
      ->take_all();
  fi->add_option("--method", fi_request.method, "the integration method [the configuration's, else rk4]");
  fi->add_option("--threads", fi_request.threads, "threads [0: the machine's cores]");
  fi->add_option("-o,--output", fi_request.output, "the JSON result (-o, --plot or both)");
  fi->add_option("--plot", fi_request.figure, "a figure of the f-I curves (.png, .svg, .pdf)");
  fi->add_flag("-q,--quiet", analyze_quiet, "print nothing but errors");

  auto* phase = analyze->add_subcommand(
      "phase-plane", "nullclines, vector field, fixed points, trajectories and limit cycle of a 2-variable model");
  cli::phase_plane_request phase_request;
  phase->add_option("config", phase_request.config, "a run configuration (its model, options, params)");
  phase->add_option("--model", phase_request.model, "the model by name [HH, or the configuration's]");
  phase->add_option("--option", phase_request.options, "a model option")->take_all();
  phase->add_option("--param,--set", phase_request.sets, "a parameter's or an input's value, e.g. --param I=100")
      ->take_all();
  phase->add_option("--x-range", phase_request.x_range, "LO HI of the first variable [around the dynamics]")
      ->expected(2);
  phase->add_option("--y-range", phase_request.y_range, "LO HI of the second variable [around the dynamics]")
      ->expected(2);
  phase->add_option("--start", phase_request.starts, "X,Y: a trajectory's initial state (repeatable)")->take_all();
  phase->add_option("--duration", phase_request.duration, "ms of each trajectory [200]");
  phase->add_option("--grid", phase_request.grid, "vector-field arrows per axis [21]");
  phase->add_option("-o,--output", phase_request.output, "the JSON result (-o, --plot or both)");
  phase->add_option("--plot", phase_request.figure, "a figure of the phase plane (.png, .svg, .pdf)");
  phase->add_flag("-q,--quiet", analyze_quiet, "print nothing but errors");

  cli::check_request check_settings;
  auto* check = app.add_subcommand(
      "check", "is my dt good enough? a sample of a configuration's neurons at dt, dt/2 and dt/4 against a tight "
               "rkdp run: spike-time and spike-count errors, and the dt that reaches an accuracy (docs/numerics.md)");
  check->add_option("config", check_settings.config, "a single population's configuration file (TOML)")->required();
  check->add_option("--set", check_settings.overrides, "override a configuration key, as for run")->take_all();
  check->add_option("--accuracy", check_settings.accuracy, "the spike-time error asked for, in ms (default 0.1)");
  check->add_option("--sample", check_settings.sample, "neurons checked (default 64; all of a smaller population)");
  check->add_option("--duration", check_settings.duration, "ms checked (default: the configuration's duration)");
  check->add_option("--compare", check_settings.methods,
                    "methods compared besides the configured one (default: exp_midpoint; none: only the configured one)")
      ->take_all();
  check->add_option("--json", check_settings.json, "also write the result as JSON to this file");

  std::string recover_result, recover_to;
  auto* recover = app.add_subcommand(
      "recover", "make the .npz of a run whose process was killed before it finished, from the blocks it wrote");
  recover->add_option("result", recover_result, "the .npz path of the killed run")->required();
  recover->add_option("-o,--output", recover_to, "write the recovered run here instead of RESULT");

  std::vector<std::string> model_names;
  app.add_subcommand("models", "list the models (or those named) with their variables, parameters, defaults and units")
      ->add_option("names", model_names, "models to show, by name or alias [all]");
  app.add_subcommand("methods", "list the integration methods");

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  // This process's rank when mpirun started several (from its environment until MPI is up): a
  // configuration's error, the same on every rank, is then said once.
  const char* rank_variable = std::getenv("OMPI_COMM_WORLD_RANK");
  int rank = rank_variable != nullptr ? std::atoi(rank_variable) : 0;
  try {
    if (app.got_subcommand("models")) {
      print_models(std::cout, model_names);
    } else if (app.got_subcommand("recover")) {
      const auto done = io::recover_npz(recover_result, recover_to);
      fmt::print(std::cout, "ionode recover: {}: {} samples and {} spikes (metadata complete: false, recovered: true)\n",
                 recover_to.empty() ? recover_result : recover_to, done.samples, done.spikes);
      for (const auto& other : done.others) fmt::print(std::cout, "  an older unfinished run is left in '{}'\n", other);
    } else if (app.got_subcommand("check")) {
      cli::check_configuration(check_settings, std::cout);
    } else if (app.got_subcommand("methods")) {
      print_methods(std::cout);
    } else if (app.got_subcommand("analyze")) {
      if (analyze->got_subcommand("fi")) {
        const auto world = cli::command_world();  // mpirun: the values shared by the ranks
        rank = world->rank();
        cli::analyze_fi(fi_request, analyze_quiet, std::cout, *world);
      } else if (analyze->got_subcommand("phase-plane")) {
        cli::analyze_phase_plane(phase_request, analyze_quiet, std::cout);
      } else {
        analysis_request.cycles = !no_cycles;
        cli::analyze_bifurcation(analysis_request, analyze_quiet, std::cout);
      }
    } else if (app.got_subcommand("plot")) {
      cli::plot_result(plot_input, plot_figure, plot_settings);
    } else if (print_default) {
      std::cout << cli::default_config_text;
    } else if (!config_path.empty() && cli::is_network_file(config_path, overrides)) {
      // Started by mpirun: every rank runs this, rank 0 writes the files and speaks.
      const auto world = dry_run_ranks ? distributed::dry_run(*dry_run_ranks) : cli::command_world();
      rank = world->rank();
      if (rank != 0) quiet = true;
      cli::network_config config = cli::load_network_config(config_path, overrides);
      if (!output.empty()) config.output = output;
      config.checkpoint_every = checkpoint_every;
      config.checkpoint = checkpoint_path;
      config.resume = resume_path;
      if (threads) config.threads = *threads;
      if (!threads && config.threads == 0) config.threads = threads_per_rank(*world);
      if (!run_figure.empty() && rank == 0) {  // checked now, not after an hour of simulation
        cli::check_figure_path(run_figure);
        cli::check_plottable_result(config.output);
      }
      std::unique_ptr<cli::progress_bar> bar;
      std::function<void(std::int64_t, std::int64_t)> progress;
      if (!quiet && ::isatty(STDERR_FILENO) == 1) {
        bar = std::make_unique<cli::progress_bar>(stderr, config.dt);
        progress = [&bar](std::int64_t done, std::int64_t total) { bar->update(done, total); };
      }
      cli::run_network_configuration(config, quiet, std::cout, progress, world);
      if (!run_figure.empty() && rank == 0) {
        cli::plot_result(config.output, run_figure, {});
        if (!quiet) fmt::print(std::cout, "  figure: {}\n", run_figure);
      }
    } else {
      // Started by mpirun with several ranks: a batch's copies are shared by them.
      const auto world = cli::command_world();
      rank = world->rank();
      if (checkpoint_every != 0.0 || !checkpoint_path.empty() || !resume_path.empty() || dry_run_ranks) {
        throw error("--checkpoint-every, --checkpoint, --resume and --dry-run are for networks (a configuration with "
                    "[[populations]]); a single population is a network of one: put it under [[populations]]");
      }
      cli::run_config config =
          config_path.empty() ? cli::parse_config(cli::default_config_text, "<embedded default>", ".", overrides)
                              : cli::load_config(config_path, overrides);
      if (!output.empty()) config.output = output;  // taken literally, not as TOML text
      if (threads) config.runner.threads = *threads;
      if (!threads && config.runner.threads == 0) config.runner.threads = threads_per_rank(*world);
      if (!run_figure.empty()) {  // checked now, not after an hour of simulation
        cli::check_figure_path(run_figure);
        cli::check_plottable_result(config.output);
      }
      if (world->size() > 1) {
        cli::run_batch_over_ranks(config, quiet || rank != 0, std::cout, *world);
        if (!run_figure.empty() && rank == 0) {
          cli::plot_result(config.output, run_figure, {});
          if (!quiet) fmt::print(std::cout, "  figure: {}\n", run_figure);
        }
        return 0;
      }
      // Only for a person watching: never into a log file or a pipe.
      std::unique_ptr<cli::progress_bar> bar;
      if (!quiet && ::isatty(STDERR_FILENO) == 1) {
        bar = std::make_unique<cli::progress_bar>(stderr, config.runner.dt);
        config.runner.progress = [&bar](std::int64_t done, std::int64_t total) { bar->update(done, total); };
        config.runner.progress_every_step = false;  // a bar needs no more than once per epoch
      }
      cli::run_configuration(config, quiet, std::cout);
      if (!run_figure.empty()) {
        cli::plot_result(config.output, run_figure, {});
        if (!quiet) fmt::print(std::cout, "  figure: {}\n", run_figure);
      }
    }
  } catch (const cli::run_interrupted& e) {
    if (rank == 0) fmt::print(std::cerr, "ionode: {}\n", e.what());
    return 128 + e.signal();
  } catch (const error& e) {
    // Over several ranks the errors are agreed (every rank has rank 0's message): rank 0 says it.
    if (rank == 0) fmt::print(std::cerr, "ionode: error: {}\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    // Within the checked limits (docs/inputs.md) but more than is free now: the user's to shrink.
    fmt::print(std::cerr, "ionode: error: out of memory; make size, batch, duration or the recorded variables "
                          "smaller, or free memory\n");
    return 2;
  } catch (const std::exception& e) {
    fmt::print(std::cerr, "ionode{}: internal error (please report): {}\n", rank == 0 ? "" : fmt::format(" (rank {})", rank),
               e.what());
    return 1;
  }
  return 0;
}

}  // namespace ionode
