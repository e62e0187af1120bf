// A batch's copies over MPI ranks (batch_ranks.hpp).
#include "batch_ranks.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <ostream>
#include <span>

#include "interrupt.hpp"
#include "ionode/error.hpp"
#include "ionode/io/result_file.hpp"
#include "ionode/registry.hpp"
#include "ionode/runner.hpp"
#include "ionode/version.hpp"
#include "part_file.hpp"
#include "partition.hpp"
#include "run_command.hpp"

namespace ionode::cli {

distributed::part copies_part(std::size_t copies, std::size_t neurons, bool noisy, int rank, int ranks) {
  const std::size_t unit = !noisy || neurons % 4 == 0 ? 1 : neurons % 2 == 0 ? 2 : 4;
  const std::size_t units = (copies + unit - 1) / unit;
  const auto r = static_cast<std::size_t>(rank), p = static_cast<std::size_t>(ranks);
  const std::size_t first = std::min(copies, unit * ((units * r + p - 1) / p));
  const std::size_t last = std::min(copies, unit * ((units * (r + 1) + p - 1) / p));
  return {first, last - first};
}

namespace {

// A list of one value per neuron and copy, sliced to the part's copies; others as they are.
template <class List>
List slice_copies(const List& list, std::size_t neurons, std::size_t copies, std::size_t first, std::size_t count,
                  const std::string& what) {
  if (list.size() == neurons) return list;
  if (list.size() != neurons * copies) {
    throw error(fmt::format("{}: the list has {} values, must have {} (one per neuron) or {} (one per neuron and "
                            "batch copy)",
                            what, list.size(), neurons, neurons * copies));
  }
  const auto begin = list.begin() + static_cast<std::ptrdiff_t>(first * neurons);
  return List(begin, begin + static_cast<std::ptrdiff_t>(count * neurons));
}

value_spec slice_spec(const value_spec& spec, std::size_t neurons, std::size_t copies, std::size_t first,
                      std::size_t count, const std::string& what) {
  const auto* list = std::get_if<std::vector<double>>(&spec);
  return list == nullptr ? spec : value_spec(slice_copies(*list, neurons, copies, first, count, what));
}

}  // namespace

run_config batch_part_config(const run_config& whole, std::size_t first, std::size_t count) {
  const std::size_t neurons = neurons_of(whole), copies = whole.population.batch;
  run_config part = whole;
  part.population.batch = count;
  part.population.first = first * neurons;
  for (auto& [name, spec] : part.population.params) {
    spec = slice_spec(spec, neurons, copies, first, count, fmt::format("parameter {}", name));
  }
  for (auto& [name, spec] : part.population.initial) {
    spec = slice_spec(spec, neurons, copies, first, count, fmt::format("initial {}", name));
  }
  for (auto& [name, spec] : part.population.noise) {
    spec = slice_spec(spec, neurons, copies, first, count, fmt::format("noise {}", name));
  }
  for (auto& in : part.inputs) {
    const std::string what = fmt::format("input {} ({})", in.in.target, in.description);
    if (auto* list = std::get_if<std::vector<double>>(&in.in.value)) {
      *list = slice_copies(*list, neurons, copies, first, count, what);
    } else if (auto* series = std::get_if<time_series>(&in.in.value)) {
      if (series->columns == 1 || series->columns == neurons) continue;
      if (series->columns != neurons * copies) {
        throw error(fmt::format("{}: {} columns, must have 1, {} (one per neuron) or {} (one per neuron and batch "
                                "copy)",
                                what, series->columns, neurons, neurons * copies));
      }
      time_series sliced;
      sliced.rows = series->rows;
      sliced.columns = count * neurons;
      for (std::size_t row = 0; row < series->rows; ++row) {
        const auto begin = series->values.begin() + static_cast<std::ptrdiff_t>(row * series->columns + first * neurons);
        sliced.values.insert(sliced.values.end(), begin, begin + static_cast<std::ptrdiff_t>(count * neurons));
      }
      *series = std::move(sliced);
    }
  }
  return part;
}

namespace {

std::string part_path(const std::string& output, int rank) {
  const std::filesystem::path path(output);
  std::string name = path.stem().string();
  name.insert(0, 1, '.');
  name.append(fmt::format(".part{}.h5", rank));
  return (path.parent_path() / name).string();
}

// How a rank's run ended: 0 finished, 1 diverged, 2 interrupted, 3 failed otherwise; `steps` the first
// step whose records are not to be kept (a divergence's failing step, the steps done when interrupted).
struct outcome {
  std::int64_t kind = 0, steps = 0;
  std::string message;
};

// Rank 0: every rank's part into the output, samples [0, samples) and spikes of steps < keep_step, in
// blocks: each sample row takes each rank's copies in rank order; spikes step by step, rank after rank.
void merge_parts(const std::vector<std::unique_ptr<part_reader>>& parts, const std::vector<distributed::part>& copies,
                 const recording& layout, std::size_t samples, std::int64_t keep_step, io::result_file& out) {
  const std::size_t width = layout.indices.size(), total = layout.copies;
  const std::size_t rows_per_block =
      std::max<std::size_t>(1, default_block_bytes / (8 * std::max<std::size_t>(1, total * width * layout.variables.size())));
  recording block;
  block.variables = layout.variables;
  std::size_t spikes_written = 0;
  for (std::size_t s0 = 0; s0 < samples && !layout.variables.empty(); s0 += rows_per_block) {
    const std::size_t rows = std::min(rows_per_block, samples - s0);
    block.first_sample = s0;
    block.first_spike = 0;
    block.ts = parts[0]->rows("ts", s0, rows, 0);
    for (const auto& name : layout.variables) {
      auto& values = block.values[name];
      values.assign(rows * total * width, 0.0);
      for (std::size_t r = 0; r < parts.size(); ++r) {
        if (copies[r].count == 0) continue;
        const std::size_t part_width = copies[r].count * width;
        const std::vector<double> got = parts[r]->rows(name, s0, rows, part_width);
        for (std::size_t s = 0; s < rows; ++s) {
          std::copy(got.begin() + static_cast<std::ptrdiff_t>(s * part_width),
                    got.begin() + static_cast<std::ptrdiff_t>((s + 1) * part_width),
                    values.begin() + static_cast<std::ptrdiff_t>((s * total + copies[r].first) * width));
        }
      }
    }
    out.write(block);
  }
  block.ts.clear();
  for (auto& [name, values] : block.values) values.clear();
  // Spikes, a chunk of each part at a time.
  const std::size_t chunk = 1 << 16;
  std::vector<recording> buffer(parts.size());
  std::vector<std::size_t> read(parts.size(), 0), next(parts.size(), 0);
  const auto refill = [&](std::size_t r) {
    if (!parts[r] || next[r] < buffer[r].spike_times.size() || read[r] >= parts[r]->spikes()) return;
    const std::size_t n = std::min(chunk, parts[r]->spikes() - read[r]);
    parts[r]->spikes(read[r], n, buffer[r]);
    read[r] += n;
    next[r] = 0;
  };
  const std::size_t samples_done = layout.variables.empty() ? 0 : samples;
  for (;;) {
    std::int64_t step = keep_step;
    for (std::size_t r = 0; r < parts.size(); ++r) {
      refill(r);
      if (next[r] < buffer[r].spike_times.size()) step = std::min(step, buffer[r].spike_steps[next[r]]);
    }
    if (step >= keep_step) break;
    recording spikes;
    for (const auto& name : layout.variables) spikes.values[name];  // no samples in this block
    spikes.first_sample = samples_done;
    spikes.first_spike = spikes_written;
    for (std::size_t r = 0; r < parts.size(); ++r) {
      for (refill(r); next[r] < buffer[r].spike_times.size() && buffer[r].spike_steps[next[r]] == step; refill(r)) {
        spikes.spike_times.push_back(buffer[r].spike_times[next[r]]);
        spikes.spike_indices.push_back(buffer[r].spike_indices[next[r]]);
        spikes.spike_batch.push_back(buffer[r].spike_batch[next[r]] + static_cast<std::int64_t>(copies[r].first));
        ++next[r];
      }
    }
    spikes_written += spikes.spike_times.size();
    out.write(spikes);
  }
}

}  // namespace

void run_batch_over_ranks(const run_config& config, bool quiet, std::ostream& out, distributed::context& world) {
  const int rank = world.rank(), ranks = world.size();
  const bool root = rank == 0;
  const auto on_every_rank = [&](const std::function<void()>& phase) { distributed::agreed(world, phase); };
  const std::size_t copies = config.population.batch, neurons = neurons_of(config);
  if (copies == 0) {
    throw error(fmt::format("mpirun started {} ranks for a single population without a batch axis; ranks share a "
                            "network ([[populations]], docs/networks.md) or the copies of a batch (batch = B); run "
                            "this one without mpirun, or with threads (--threads)",
                            ranks));
  }
  std::vector<distributed::part> parts;
  for (int r = 0; r < ranks; ++r) parts.push_back(copies_part(copies, neurons, !config.population.noise.empty(), r, ranks));
  const distributed::part mine = parts[static_cast<std::size_t>(rank)];
  std::unique_ptr<population> pop, described;
  std::unique_ptr<runner> run;
  run_config whole = config;
  whole.ranks = ranks;
  on_every_rank([&] {
    if (root) io::check_output_path(config.output);
    // The whole population describes the metadata's per-instance values when they go into it.
    if (root && copies * neurons <= metadata_values_limit) {
      described = std::make_unique<population>(make_population(config.model, config.population, config.options));
    }
    if (mine.count == 0) return;
    const run_config part = batch_part_config(config, mine.first, mine.count);
    pop = std::make_unique<population>(make_population(config.model, part.population, config.options));
    run = std::make_unique<runner>(*pop, config.runner);
    for (const auto& in : part.inputs) run->add_input(in.in);
    run->monitor(part.monitors);
    run->check_run(config.duration);
  });
  // Rank 0 (which always has copies) writes the metadata; a rank without copies has neither.
  const population* describe = described ? described.get() : pop.get();
  const std::string initial_state = described ? initial_state_json(*described) : std::string{};
  const std::string path = part_path(config.output, rank);
  std::unique_ptr<part_writer> writer;
  on_every_rank([&] {
    if (!run) return;
    writer = std::make_unique<part_writer>(path, config.monitors.variables, mine.count * run->result().indices.size());
    run->stream_to(writer.get());
  });

  interrupt_guard interrupt;
  if (run) run->stop_when(&interrupt.flag());
  const auto start = std::chrono::steady_clock::now();
  outcome mine_outcome;
  try {
    if (run) run->run(config.duration);
  } catch (const divergence_error& e) {
    mine_outcome = {1, run->steps_done() - 1, e.what()};
  } catch (const interrupted& e) {
    mine_outcome = {2, run->steps_done(), e.what()};
  } catch (const std::exception& e) {
    mine_outcome = {3, 0, e.what()};
  }
  try {
    if (run) run->stream_to(nullptr);
    if (writer) writer->close();
  } catch (const std::exception& e) {
    if (mine_outcome.kind == 0) mine_outcome = {3, 0, e.what()};
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (mine_outcome.kind == 0) mine_outcome.steps = run ? run->steps_done() : 0;

  // Every rank's outcome; the run is cut where the earliest rank stopped (ties: the lowest rank, whose
  // copies come first, as the one-process run reports the first failing instance).
  std::vector<std::size_t> counts;
  const std::int64_t pair[2] = {mine_outcome.kind, mine_outcome.steps};
  const auto all = distributed::all_gather(world, std::span<const std::int64_t>(pair, 2), counts);
  int failed = -1, stopped_at = -1;
  for (int r = 0; r < ranks; ++r) {
    const std::int64_t kind = all[2 * static_cast<std::size_t>(r)], steps = all[2 * static_cast<std::size_t>(r) + 1];
    if (kind == 3 && failed < 0) failed = r;
    if ((kind == 1 || kind == 2) && (stopped_at < 0 || steps < all[2 * static_cast<std::size_t>(stopped_at) + 1])) {
      stopped_at = r;
    }
  }
  const auto remove_part = [&] {
    std::error_code code;
    std::filesystem::remove(path, code);
  };
  if (failed >= 0) {
    remove_part();
    const std::string message = world.broadcast(mine_outcome.message, failed);
    throw error(message);
  }
  const std::int64_t total = steps_for(config.duration, config.runner.dt);
  const std::int64_t keep = stopped_at < 0 ? total : all[2 * static_cast<std::size_t>(stopped_at) + 1];
  const std::int64_t stop_kind = stopped_at < 0 ? 0 : all[2 * static_cast<std::size_t>(stopped_at)];
  const std::string why = stopped_at < 0 ? std::string{} : world.broadcast(mine_outcome.message, stopped_at);
  if (run) run->stop_when(nullptr);

  // Rank 0 merges the parts into the output; then each rank removes its own.
  std::size_t samples = 0;
  on_every_rank([&] {
    world.barrier();  // every part file is closed
    if (!root) return;
    std::vector<std::unique_ptr<part_reader>> readers;
    for (int r = 0; r < ranks; ++r) {
      readers.push_back(parts[static_cast<std::size_t>(r)].count == 0 ? nullptr
                                                                      : std::make_unique<part_reader>(part_path(config.output, r)));
    }
    recording layout;
    layout.variables = config.monitors.variables;
    layout.indices = run->result().indices;
    layout.copies = copies;
    layout.batch_axis = true;
    samples = layout.variables.empty() ? 0 : static_cast<std::size_t>(keep / static_cast<std::int64_t>(config.monitors.every));
    whole.outcome_given = true;
    whole.outcome_steps = stop_kind == 1 ? keep + 1 : keep;
    whole.outcome_stop_reason = why;
    auto file = io::open_result_file(config.output, layout, result_metadata(whole, *describe, *run, false, initial_state));
    merge_parts(readers, parts, layout, samples, keep, *file);
    file->close(result_metadata(whole, *describe, *run, true, initial_state));
  });
  remove_part();
  if (stop_kind == 1) {
    throw divergence_error(why, 0, 0, "", static_cast<double>(keep) * config.runner.dt);
  }
  if (stop_kind == 2) {
    throw run_interrupted(fmt::format("{}; '{}' holds what every rank recorded before the earliest stop, with "
                                      "metadata complete: false",
                                      why, config.output),
                          interrupt.signal());
  }
  if (quiet || !root) return;
  fmt::print(out, "ionode {}: {}, {} neurons x batch {} over {} ({} copies each at most), method {}, dt = {} ms\n",
             ionode::version, pop->model().name, neurons, copies, world.describe(),
             std::max_element(parts.begin(), parts.end(), [](auto a, auto b) { return a.count < b.count; })->count,
             run->method().name, config.runner.dt);
  fmt::print(out, "  steps:  {} ({} ms simulated)\n", keep, static_cast<double>(keep) * config.runner.dt);
  fmt::print(out, "  wall:   {:.4g} s on rank 0 ({} thread{} each)\n", wall, run->threads(), run->threads() == 1 ? "" : "s");
  fmt::print(out, "  output: {} ({} samples of {})\n", config.output, samples,
             config.monitors.variables.empty() ? std::string("no variables") : fmt::format("{}", fmt::join(config.monitors.variables, ", ")));
}

}  // namespace ionode::cli
