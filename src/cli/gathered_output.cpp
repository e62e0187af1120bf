// One output for a network over several ranks (gathered_output.hpp).
#include "gathered_output.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ionode/runner.hpp"

namespace ionode::cli {

void gathered_output::relay::write(const recording& block) {
  if (pending.variables.empty() && pending.ts.empty()) pending.variables = block.variables;
  pending.ts.insert(pending.ts.end(), block.ts.begin(), block.ts.end());
  for (const auto& [name, values] : block.values) {
    auto& out = pending.values[name];
    out.insert(out.end(), values.begin(), values.end());
    doubles += values.size();
  }
  pending.spike_times.insert(pending.spike_times.end(), block.spike_times.begin(), block.spike_times.end());
  pending.spike_indices.insert(pending.spike_indices.end(), block.spike_indices.begin(), block.spike_indices.end());
  pending.spike_steps.insert(pending.spike_steps.end(), block.spike_steps.begin(), block.spike_steps.end());
  doubles += block.ts.size() + 3 * block.spike_times.size();
}

gathered_output::gathered_output(network::network& net, distributed::context& ctx, std::vector<layout> layouts,
                                 std::vector<io::result_file*> files, std::size_t block_bytes)
    : net_(net), ctx_(ctx), layouts_(std::move(layouts)), files_(std::move(files)), block_bytes_(block_bytes) {
  const std::size_t members = net_.population_count();
  samples_.assign(members, 0);
  spikes_.assign(members, 0);
  // A rank's share of a block: the runners hand over at this size, and a flush is asked for at it.
  const std::size_t share = std::max<std::size_t>(sizeof(double), block_bytes_ / static_cast<std::size_t>(ctx_.size()));
  for (std::size_t k = 0; k < members; ++k) {
    relays_.push_back(std::make_unique<relay>());
    if (net_.is_source(k)) {
      net_.stream_source_to(k, relays_[k].get(), share);
    } else if (net_.has_part(k)) {
      net_.runner_at(k).stream_to(relays_[k].get(), share);
    }
  }
}

bool gathered_output::wants_flush() const {
  std::size_t doubles = 0;
  for (const auto& r : relays_) doubles += r->doubles;
  return doubles * sizeof(double) * static_cast<std::size_t>(ctx_.size()) >= block_bytes_;
}

void gathered_output::hand_over(std::size_t k) {
  // Attaching the same relay again hands over what the runner or source still buffers.
  const std::size_t share = std::max<std::size_t>(sizeof(double), block_bytes_ / static_cast<std::size_t>(ctx_.size()));
  if (net_.is_source(k)) {
    net_.stream_source_to(k, relays_[k].get(), share);
  } else if (net_.has_part(k)) {
    net_.runner_at(k).stream_to(relays_[k].get(), share);
  }
}

std::vector<double> gathered_output::pack(std::size_t k) {
  // [samples, columns, variables, ts, each variable's values (sample-major), spikes, their times,
  //  neurons (global), steps]: indices and steps are below 2^53, exact as doubles.
  recording& r = relays_[k]->pending;
  const std::size_t samples = r.ts.size();
  const std::size_t width = layouts_[k].columns_of_rank.empty() ? 0 : layouts_[k].columns_of_rank[static_cast<std::size_t>(ctx_.rank())].size();
  const std::size_t variables = samples == 0 ? 0 : layouts_[k].variables.size();
  std::vector<double> out{static_cast<double>(samples), static_cast<double>(width), static_cast<double>(variables)};
  out.insert(out.end(), r.ts.begin(), r.ts.end());
  for (std::size_t v = 0; v < variables; ++v) {
    const auto& values = r.values[layouts_[k].variables[v]];
    out.insert(out.end(), values.begin(), values.end());
  }
  out.push_back(static_cast<double>(r.spike_times.size()));
  out.insert(out.end(), r.spike_times.begin(), r.spike_times.end());
  const std::int64_t first = static_cast<std::int64_t>(net_.first_of(k));
  const bool global = net_.is_source(k);  // a source's spikes carry global indices already
  for (auto i : r.spike_indices) out.push_back(static_cast<double>(global ? i : i + first));
  for (auto s : r.spike_steps) out.push_back(static_cast<double>(s));
  r.ts.clear();
  for (auto& [name, values] : r.values) values.clear();
  r.spike_times.clear();
  r.spike_indices.clear();
  r.spike_steps.clear();
  relays_[k]->doubles = 0;
  return out;
}

void gathered_output::merge_and_write(std::size_t k, const std::vector<double>& all,
                                      const std::vector<std::size_t>& counts) {
  const layout& lay = layouts_[k];
  const std::size_t ranks = counts.size();
  recording block;
  block.variables = lay.variables;
  block.first_sample = samples_[k];
  block.first_spike = spikes_[k];
  struct view {
    std::size_t samples, width, variables, values, spikes, spike_at;
  };
  std::vector<view> views(ranks);
  std::size_t samples = 0;
  bool have_samples = false;
  for (std::size_t r = 0, at = 0; r < ranks; at += counts[r], ++r) {
    view& v = views[r];
    v.samples = static_cast<std::size_t>(all[at]);
    v.width = static_cast<std::size_t>(all[at + 1]);
    v.variables = static_cast<std::size_t>(all[at + 2]);
    const std::size_t ts = at + 3;
    v.values = ts + v.samples;
    const std::size_t spikes = v.values + v.variables * v.samples * v.width;
    v.spikes = static_cast<std::size_t>(all[spikes]);
    v.spike_at = spikes + 1;
    // Every rank records the same samples, except after a failure: the rank that failed stopped first,
    // and the others' later samples are not kept (as one process would not have them).
    if (v.variables > 0 && (!have_samples || v.samples < samples)) {
      samples = v.samples;
      have_samples = true;
      block.ts.assign(all.begin() + static_cast<std::ptrdiff_t>(ts), all.begin() + static_cast<std::ptrdiff_t>(ts + samples));
    }
  }
  // Samples: each rank's columns into their places among the whole's.
  for (std::size_t var = 0; var < lay.variables.size() && samples > 0; ++var) {
    auto& out = block.values[lay.variables[var]];
    out.assign(samples * lay.width, 0.0);
    for (std::size_t r = 0, at = 0; r < ranks; at += counts[r], ++r) {
      const view& v = views[r];
      if (v.variables == 0) continue;
      const std::vector<std::size_t>& columns = lay.columns_of_rank[r];
      const double* values = all.data() + v.values + var * v.samples * v.width;
      for (std::size_t s = 0; s < samples; ++s) {
        for (std::size_t c = 0; c < v.width; ++c) out[s * lay.width + columns[c]] = values[s * v.width + c];
      }
    }
  }
  // Spikes: step by step, rank after rank (a step's spikes of one rank are in neuron order, and the
  // parts are in rank order): the one-process order.
  std::vector<std::size_t> next(ranks, 0);
  for (;;) {
    double step = 0;
    bool any = false;
    for (std::size_t r = 0; r < ranks; ++r) {
      const view& v = views[r];
      if (next[r] == v.spikes) continue;
      const double s = all[v.spike_at + 2 * v.spikes + next[r]];
      if (!any || s < step) step = s;
      any = true;
    }
    if (!any) break;
    for (std::size_t r = 0; r < ranks; ++r) {
      const view& v = views[r];
      while (next[r] < v.spikes && all[v.spike_at + 2 * v.spikes + next[r]] == step) {
        block.spike_times.push_back(all[v.spike_at + next[r]]);
        block.spike_indices.push_back(static_cast<std::int64_t>(all[v.spike_at + v.spikes + next[r]]));
        block.spike_batch.push_back(0);
        block.spike_steps.push_back(static_cast<std::int64_t>(step));
        ++next[r];
      }
    }
  }
  samples_[k] += block.ts.size();
  spikes_[k] += block.spike_times.size();
  if (files_[k] == nullptr || !failure_.empty() || (block.ts.empty() && block.spike_times.empty())) return;
  try {
    files_[k]->write(block);
  } catch (const std::exception& e) {
    failure_ = e.what();
  }
}

void gathered_output::flush() {
  for (std::size_t k = 0; k < relays_.size(); ++k) {
    hand_over(k);
    const std::vector<double> mine = pack(k);
    std::vector<std::size_t> counts;
    const std::vector<double> all = distributed::gather(ctx_, std::span<const double>(mine), counts, 0);
    if (ctx_.rank() == 0) merge_and_write(k, all, counts);
  }
}

void gathered_output::detach() {
  for (std::size_t k = 0; k < relays_.size(); ++k) {
    if (net_.is_source(k)) {
      net_.stream_source_to(k, nullptr);
    } else if (net_.has_part(k)) {
      net_.runner_at(k).stream_to(nullptr);
    }
  }
}

}  // namespace ionode::cli
