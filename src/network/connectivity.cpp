// The connectivity rules, per-synapse weights and delays, and the presynaptic-major table.
// Every random rule draws per target neuron (out-degree: per source neuron), so a neuron's synapses
// depend on (seed, projection, neuron) only: the same network for any thread count, and for a rank
// that builds only its own targets.
#include "ionode/network/connectivity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <numbers>
#include <numeric>
#include <span>

#include "ionode/detail/checked.hpp"
#include "ionode/detail/thread_pool.hpp"
#include "ionode/error.hpp"
#include "ionode/random.hpp"

namespace ionode::network {

namespace {

enum purpose : std::uint64_t { connect = 0, weights = 1, delays = 2 };

// The k-th uniform of one neuron's draws for one purpose: counter (neuron, k / 4, purpose), word k % 4.
class neuron_draws {
 public:
  neuron_draws(std::uint64_t seed, std::uint64_t stream, std::uint64_t neuron, purpose what)
      : seed_(seed), stream_(stream), neuron_(neuron), purpose_(what) {}

  double uniform(std::uint64_t k) {
    if (k / 4 != block_ || !filled_) {
      block_ = k / 4;
      words_ = random::words(seed_, stream_, neuron_, block_, purpose_);
      filled_ = true;
    }
    return random::to_unit_interval(words_[k % 4]);
  }
  // N(0, 1) from uniforms 2k and 2k + 1 (Box-Muller's cos).
  double normal(std::uint64_t k) {
    const double u1 = 1.0 - uniform(2 * k);  // (0, 1]: log is finite
    const double u2 = uniform(2 * k + 1);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::uint64_t seed_, stream_, neuron_;
  purpose purpose_;
  std::uint64_t block_ = 0;
  bool filled_ = false;
  std::array<std::uint64_t, 4> words_{};
};

// `count` distinct values of [0, n) without `skip` (n when none), in draw order: Floyd's algorithm (count
// draws whatever n is), its membership test in a small open-addressing table (cleared per call, so
// choosing k values costs O(k), not O(k^2)).
class distinct_chooser {
 public:
  void choose(neuron_draws& draws, std::size_t n, std::size_t skip, std::size_t count, std::vector<std::uint32_t>& out) {
    const std::size_t candidates = skip < n ? n - 1 : n;
    std::size_t size = 16;
    while (size < 2 * count) size *= 2;
    if (table_.size() != size) table_.assign(size, empty);
    mask_ = size - 1;
    out.clear();
    for (std::size_t j = candidates - count, k = 0; j < candidates; ++j, ++k) {
      auto t = static_cast<std::uint32_t>(draws.uniform(k) * static_cast<double>(j + 1));
      if (t > j) t = static_cast<std::uint32_t>(j);  // rounding of u * (j + 1) up to j + 1
      const auto chosen = insert(t) ? t : static_cast<std::uint32_t>(j);
      if (chosen != t) insert(chosen);
      out.push_back(chosen);
    }
    for (auto v : out) table_[slot_of(v)] = empty;  // clear only what was used
    // Not sorted: the order of a neuron's synapses while building decides only which draw (rank) gives
    // each its weight and delay, and source-major order comes from the counting sort after.
    if (skip < n) {
      for (auto& v : out) {
        if (v >= skip) ++v;  // candidates are [0, n) without skip
      }
    }
  }

 private:
  static constexpr std::uint32_t empty = 0xffffffffu;
  std::size_t slot_of(std::uint32_t v) const {
    std::size_t h = (v * 2654435761u) & mask_;
    while (table_[h] != v) h = (h + 1) & mask_;
    return h;
  }
  // Inserts v; false if it was there already.
  bool insert(std::uint32_t v) {
    std::size_t h = (v * 2654435761u) & mask_;
    while (table_[h] != empty) {
      if (table_[h] == v) return false;
      h = (h + 1) & mask_;
    }
    table_[h] = v;
    return true;
  }
  std::vector<std::uint32_t> table_;
  std::size_t mask_ = 0;
};

// One synapse while building, in target-major order.
struct pending {
  std::uint32_t pre, post;
  std::uint64_t given;  // explicit lists: the row of the given weight and delay
};

void check_rule(const build_request& r) {
  const auto& rule = r.rule;
  using kind = connection_rule::kind;
  switch (rule.type) {
    case kind::probability:
      if (!(rule.p >= 0.0 && rule.p <= 1.0)) {
        throw error(fmt::format("projection {}: p = {} is not allowed; it must be a probability in [0, 1]", r.name,
                                rule.p));
      }
      break;
    case kind::one_to_one:
      if (r.pre_size != r.post_size) {
        throw error(fmt::format("projection {}: rule one_to_one needs populations of one size; pre has {} neurons, "
                                "post {}",
                                r.name, r.pre_size, r.post_size));
      }
      break;
    case kind::in_degree:
    case kind::out_degree: {
      const bool in = rule.type == kind::in_degree;
      const std::size_t pool = (in ? r.pre_size : r.post_size) - (r.same_population && !rule.autapses ? 1 : 0);
      if (rule.degree > pool) {
        throw error(fmt::format("projection {}: {} = {} is not allowed; each {} neuron has only {} distinct {}{}",
                                r.name, in ? "in_degree" : "out_degree", rule.degree, in ? "target" : "source",
                                pool, in ? "sources" : "targets", r.same_population && !rule.autapses ? " (no autapses)" : ""));
      }
      break;
    }
    case kind::explicit_list: {
      if (rule.pre.size() != rule.post.size()) {
        throw error(fmt::format("projection {}: pre has {} entries and post {}; give one pair per synapse", r.name,
                                rule.pre.size(), rule.post.size()));
      }
      for (std::size_t s = 0; s < rule.pre.size(); ++s) {
        if (rule.pre[s] < 0 || static_cast<std::uint64_t>(rule.pre[s]) >= r.pre_size) {
          throw error(fmt::format("projection {}: pre[{}] = {} is out of range; the presynaptic population has {} "
                                  "neurons (0 to {})",
                                  r.name, s, rule.pre[s], r.pre_size, r.pre_size - 1));
        }
        if (rule.post[s] < 0 || static_cast<std::uint64_t>(rule.post[s]) >= r.post_size) {
          throw error(fmt::format("projection {}: post[{}] = {} is out of range; the postsynaptic population has {} "
                                  "neurons (0 to {})",
                                  r.name, s, rule.post[s], r.post_size, r.post_size - 1));
        }
      }
      break;
    }
    case kind::all_to_all: break;
  }
  if (r.pre_size >= std::numeric_limits<std::uint32_t>::max() || r.post_size >= std::numeric_limits<std::uint32_t>::max()) {
    throw error(fmt::format("projection {}: populations of {} and {} neurons; at most {} are allowed", r.name,
                            r.pre_size, r.post_size, std::numeric_limits<std::uint32_t>::max() - 1));
  }
}

void check_values(const build_request& r, const synapse_values& v, std::string_view key, std::size_t synapses,
                  bool allow_negative) {
  using kind = synapse_values::kind;
  const auto finite = [&](double x, std::string_view field) {
    if (!std::isfinite(x)) {
      throw error(fmt::format("projection {}: {} {} = {} is not allowed; it must be a finite number", r.name, key,
                              field, x));
    }
  };
  switch (v.type) {
    case kind::constant:
      finite(v.a, "value");
      if (v.a < 0 && !allow_negative) {
        throw error(fmt::format("projection {}: {} = {} is not allowed; it must be >= 0{}", r.name, key, v.a,
                                key == "weight" ? " (a negative weight needs output = \"current\")" : ""));
      }
      break;
    case kind::normal:
      finite(v.a, "mean");
      finite(v.b, "sd");
      if (v.b < 0) throw error(fmt::format("projection {}: {} sd = {} is not allowed; it must be >= 0", r.name, key, v.b));
      break;
    case kind::uniform:
      finite(v.a, "low");
      finite(v.b, "high");
      if (v.b < v.a) {
        throw error(fmt::format("projection {}: {} uniform range [{}, {}] is reversed; low must be <= high", r.name,
                                key, v.a, v.b));
      }
      break;
    case kind::lognormal:
      finite(v.a, "mu");
      finite(v.b, "sigma");
      if (v.b < 0) throw error(fmt::format("projection {}: {} sigma = {} is not allowed; it must be >= 0", r.name, key, v.b));
      break;
    case kind::given:
      if (r.rule.type != connection_rule::kind::explicit_list) {
        throw error(fmt::format("projection {}: {} values are given per synapse, which needs an explicit list of "
                                "synapses (rule = \"file\")",
                                r.name, key));
      }
      if (v.values.size() != synapses) {
        throw error(fmt::format("projection {}: {} has {} values for {} synapses; give one per synapse", r.name, key,
                                v.values.size(), synapses));
      }
      for (std::size_t s = 0; s < v.values.size(); ++s) {
        if (!std::isfinite(v.values[s]) || (v.values[s] < 0 && !allow_negative)) {
          throw error(fmt::format("projection {}: {}[{}] = {} is not allowed; it must be a finite number{}", r.name,
                                  key, s, v.values[s], allow_negative ? "" : " >= 0"));
        }
      }
      break;
  }
}

// The value of synapse `rank` (its place among its target's synapses) of target `post`.
double draw_value(const synapse_values& v, neuron_draws& draws, std::uint64_t rank, std::uint64_t given) {
  using kind = synapse_values::kind;
  switch (v.type) {
    case kind::constant: return v.a;
    case kind::normal: return std::max(0.0, v.a + v.b * draws.normal(rank));
    case kind::uniform: return v.a + (v.b - v.a) * draws.uniform(rank);
    case kind::lognormal: return std::exp(v.a + v.b * draws.normal(rank));
    case kind::given: return v.values[given];
  }
  return 0.0;
}

// The rules drawn per target neuron, which a thread can build for a range of targets on its own.
bool drawn_per_target(connection_rule::kind type) {
  using kind = connection_rule::kind;
  return type == kind::all_to_all || type == kind::one_to_one || type == kind::probability || type == kind::in_degree;
}

// The memory a rule's target-major list will take for targets [first, last), checked before any thread
// allocates it.
void check_rule_memory(const build_request& r, std::size_t first, std::size_t last) {
  using kind = connection_rule::kind;
  const auto& rule = r.rule;
  const bool no_autapses = r.same_population && !rule.autapses;
  const std::size_t targets = last - first;
  if (rule.type == kind::all_to_all) {
    detail::check_fits_memory({r.pre_size - (no_autapses ? 1 : 0), targets, sizeof(pending)},
                              fmt::format("projection {}: all-to-all", r.name));
  } else if (rule.type == kind::in_degree) {
    detail::check_fits_memory({rule.degree, targets, sizeof(pending)},
                              fmt::format("projection {}: in_degree = {}", r.name, rule.degree));
  } else if (rule.type == kind::out_degree) {
    // degree * pre_size synapses over post_size targets: this part's share of them.
    const double share = static_cast<double>(targets) / static_cast<double>(std::max<std::size_t>(1, r.post_size));
    const auto expected = static_cast<std::size_t>(std::ceil(static_cast<double>(rule.degree) * share));
    detail::check_fits_memory({expected, r.pre_size, sizeof(pending)},
                              fmt::format("projection {}: out_degree = {}", r.name, rule.degree));
  }
}

// Target-major synapses of the rule for targets [first, last), each target's sources ascending
// (explicit lists: in file order). Out-degree draws every source's targets and keeps those in range.
std::vector<pending> connect_targets(const build_request& r, std::uint64_t stream, std::uint32_t first,
                                     std::uint32_t last) {
  using kind = connection_rule::kind;
  const auto& rule = r.rule;
  const bool no_autapses = r.same_population && !rule.autapses;
  const std::size_t npre = r.pre_size, npost = r.post_size;
  const std::size_t targets = last - first;
  std::vector<pending> out;
  switch (rule.type) {
    case kind::all_to_all: {
      const std::size_t per = npre - (no_autapses ? 1 : 0);
      out.reserve(per * targets);
      for (std::uint32_t j = first; j < last; ++j) {
        for (std::uint32_t i = 0; i < npre; ++i) {
          if (!(no_autapses && i == j)) out.push_back({i, j, 0});
        }
      }
      break;
    }
    case kind::one_to_one:
      out.reserve(targets);
      for (std::uint32_t j = first; j < last; ++j) out.push_back({j, j, 0});
      break;
    case kind::probability: {
      if (rule.p == 0.0) break;
      out.reserve(static_cast<std::size_t>(rule.p * static_cast<double>(npre) * static_cast<double>(targets) * 1.05) + 16);
      const double log_q = std::log1p(-rule.p);  // -inf for p = 1: every gap is 0
      for (std::uint32_t j = first; j < last; ++j) {
        neuron_draws draws(r.seed, stream, j, connect);
        // Gaps between chosen sources are geometric: floor(log(1 - u) / log(1 - p)) (one draw per synapse).
        std::uint64_t k = 0;
        for (double i = 0;; ++k) {
          const double gap = rule.p == 1.0 ? 0.0 : std::floor(std::log1p(-draws.uniform(k)) / log_q);
          i += gap;
          if (!(i < static_cast<double>(npre))) break;
          const auto pre = static_cast<std::uint32_t>(i);
          if (!(no_autapses && pre == j)) out.push_back({pre, j, 0});
          i += 1;
        }
      }
      break;
    }
    case kind::in_degree: {
      out.reserve(rule.degree * targets);
      std::vector<std::uint32_t> chosen;
      distinct_chooser chooser;
      for (std::uint32_t j = first; j < last; ++j) {
        neuron_draws draws(r.seed, stream, j, connect);
        chooser.choose(draws, npre, no_autapses ? j : npre, rule.degree, chosen);
        for (auto i : chosen) out.push_back({i, j, 0});
      }
      break;
    }
    case kind::out_degree: {
      // Drawn per source (the rule is about sources), the targets in range kept, then grouped by target
      // with sources ascending.
      std::vector<std::uint64_t> counts(targets + 1, 0);
      std::vector<pending> kept;
      std::vector<std::uint32_t> chosen;
      distinct_chooser chooser;
      for (std::uint32_t i = 0; i < npre; ++i) {
        neuron_draws draws(r.seed, stream, i, connect);
        chooser.choose(draws, npost, no_autapses ? i : npost, rule.degree, chosen);
        for (auto j : chosen) {
          if (j < first || j >= last) continue;
          kept.push_back({i, j, 0});
          ++counts[j - first + 1];
        }
      }
      std::partial_sum(counts.begin(), counts.end(), counts.begin());
      out.resize(kept.size());
      for (const auto& syn : kept) out[counts[syn.post - first]++] = syn;
      break;
    }
    case kind::explicit_list: {
      std::vector<std::uint64_t> counts(targets + 1, 0);
      const auto in_range = [&](std::int64_t j) { return j >= first && j < static_cast<std::int64_t>(last); };
      for (auto j : rule.post) {
        if (in_range(j)) ++counts[static_cast<std::size_t>(j) - first + 1];
      }
      std::partial_sum(counts.begin(), counts.end(), counts.begin());
      out.resize(counts.back());
      for (std::size_t s = 0; s < rule.post.size(); ++s) {
        if (!in_range(rule.post[s])) continue;
        const auto j = static_cast<std::size_t>(rule.post[s]);
        out[counts[j - first]++] = {static_cast<std::uint32_t>(rule.pre[s]), static_cast<std::uint32_t>(j), s};
      }
      break;
    }
  }
  return out;
}

// Each source's synapses by delay, stable (targets stay ascending within a delay), so that delivery
// finds the synapses of one delay as one range.
void sort_by_delay(synapse_table& table, std::size_t first_source, std::size_t last_source) {
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> post;
  std::vector<double> weight;
  std::vector<float> drawn;
  std::vector<std::uint16_t> delay;
  for (std::size_t i = first_source; i < last_source; ++i) {
    const std::uint64_t begin = table.offsets[i], end = table.offsets[i + 1];
    const auto first = table.delay.begin() + static_cast<std::ptrdiff_t>(begin);
    const auto last = table.delay.begin() + static_cast<std::ptrdiff_t>(end);
    if (std::is_sorted(first, last)) continue;
    const auto n = static_cast<std::size_t>(end - begin);
    order.resize(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return table.delay[begin + a] < table.delay[begin + b]; });
    const auto permute = [&](auto& column, auto& scratch) {
      if (column.empty()) return;
      scratch.assign(column.begin() + static_cast<std::ptrdiff_t>(begin), column.begin() + static_cast<std::ptrdiff_t>(end));
      for (std::size_t k = 0; k < n; ++k) column[begin + k] = scratch[order[k]];
    };
    permute(table.post, post);
    permute(table.weight, weight);
    permute(table.drawn_weight, drawn);
    permute(table.delay, delay);
  }
}

}  // namespace

std::uint16_t delay_steps(double delay_ms, double dt, const std::string& context) {
  if (!std::isfinite(delay_ms) || delay_ms < 0) {
    throw error(fmt::format("{}: delay = {} ms is not allowed; it must be a finite number >= 0", context, delay_ms));
  }
  const double ratio = delay_ms / dt;
  const double nearest = std::round(ratio);
  const double steps = std::abs(nearest - ratio) <= 1e-9 * std::max(1.0, ratio) ? nearest : std::floor(ratio + 0.5);
  if (steps > std::numeric_limits<std::uint16_t>::max()) {
    throw error(fmt::format("{}: delay = {} ms is {} steps of dt = {} ms; at most {} steps are allowed", context,
                            delay_ms, steps, dt, std::numeric_limits<std::uint16_t>::max()));
  }
  return static_cast<std::uint16_t>(steps);
}

double synapse_table::bytes() const {
  return static_cast<double>(offsets.size() * sizeof(std::uint64_t) + post.size() * sizeof(std::uint32_t) +
                             weight.size() * sizeof(double) + drawn_weight.size() * sizeof(float) +
                             delay.size() * sizeof(std::uint16_t));
}

namespace {

// Runs task(t) for t in [0, tasks) on the pool (or here), and rethrows the error of the lowest t that
// failed, so that a bad value reports the same synapse for any thread count (tasks are target ranges).
void run_tasks(detail::thread_pool* pool, std::size_t tasks, const std::function<void(std::size_t)>& task) {
  std::vector<std::exception_ptr> errors(tasks);
  const auto guarded = [&](std::size_t t) {
    try {
      task(t);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  if (pool != nullptr && tasks > 1) {
    pool->run(tasks, guarded);
  } else {
    for (std::size_t t = 0; t < tasks; ++t) guarded(t);
  }
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace

synapse_table build_synapses(const build_request& r) {
  check_rule(r);
  const std::size_t lo = std::min(r.first_target, r.post_size), hi = std::clamp(r.last_target, lo, r.post_size);
  const std::size_t local = hi - lo;  // the targets built here
  check_rule_memory(r, lo, hi);
  const std::uint64_t stream = random::hash_name("connect:" + r.name);
  // Targets in T contiguous ranges, one per thread. A rule drawn per target is drawn range by range on
  // the threads; the others (out-degree, explicit lists) are drawn whole and then split at the ranges.
  const std::size_t tasks =
      std::max<std::size_t>(1, std::min<std::size_t>(r.pool == nullptr ? 1 : r.pool->size(), local / 1024));
  const auto first_target = [&](std::size_t t) { return static_cast<std::uint32_t>(lo + local * t / tasks); };
  std::vector<std::vector<pending>> lists(tasks);
  std::vector<std::span<const pending>> ranges(tasks);
  if (drawn_per_target(r.rule.type)) {
    run_tasks(r.pool, tasks, [&](std::size_t t) { lists[t] = connect_targets(r, stream, first_target(t), first_target(t + 1)); });
    for (std::size_t t = 0; t < tasks; ++t) ranges[t] = lists[t];
  } else {
    lists.front() = connect_targets(r, stream, static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi));
    const std::vector<pending>& all = lists.front();
    auto begin = all.begin();
    for (std::size_t t = 0; t < tasks; ++t) {
      const auto end = t + 1 == tasks ? all.end() : std::lower_bound(begin, all.end(), first_target(t + 1),
                                                                     [](const pending& p, std::uint32_t j) { return p.post < j; });
      ranges[t] = std::span<const pending>(begin, end);
      begin = end;
    }
  }
  std::size_t count = 0;
  for (const auto& range : ranges) count += range.size();
  // Given values are one per row of the explicit list (all of it, whichever targets are built here).
  check_values(r, r.weight, "weight", r.rule.post.size(), r.allow_negative_weights);
  check_values(r, r.delay, "delay", r.rule.post.size(), false);

  synapse_table table;
  table.pre_size = r.pre_size;
  table.post_size = local;
  const bool per_synapse_weight = r.weight.type != synapse_values::kind::constant;
  const bool per_synapse_delay = r.delay.type != synapse_values::kind::constant;
  const std::string context = fmt::format("projection {}", r.name);
  if (!per_synapse_weight) table.constant_weight = r.weight.a;
  if (!per_synapse_delay) {
    table.constant_delay = delay_steps(r.delay.a, r.dt, context);
    table.max_delay = table.constant_delay;
  }

  // Source-major: each range counts its synapses per source; a source's row holds range 0's synapses,
  // then range 1's, ... (so targets stay ascending within a source, as one thread would order them);
  // each range scatters its own into place, drawing each synapse's weight and delay on the way from
  // (target j, its rank among j's synapses); then, with delays per synapse, each source's synapses
  // sorted by delay (stable). The table is the same for any number of ranges.
  std::vector<std::vector<std::uint64_t>> cursors(tasks);
  run_tasks(r.pool, tasks, [&](std::size_t t) {
    cursors[t].assign(r.pre_size, 0);
    for (const auto& syn : ranges[t]) ++cursors[t][syn.pre];
  });
  table.offsets.assign(r.pre_size + 1, 0);
  for (std::size_t i = 0; i < r.pre_size; ++i) {
    std::uint64_t at = table.offsets[i];
    for (std::size_t t = 0; t < tasks; ++t) {
      const std::uint64_t n = cursors[t][i];
      cursors[t][i] = at;
      at += n;
    }
    table.offsets[i + 1] = at;
  }
  table.post.resize(count);
  // Drawn weights are samples: rounded once to single precision they are as good a sample, in half
  // the memory (4 bytes per synapse). Given weights keep every bit (Brian2's COBAHH is reproduced
  // spike for spike only with them).
  const bool given_weight = r.weight.type == synapse_values::kind::given;
  if (per_synapse_weight) (given_weight ? table.weight.resize(count) : table.drawn_weight.resize(count));
  if (per_synapse_delay) table.delay.resize(count);
  std::vector<std::uint16_t> longest(tasks, table.max_delay);
  run_tasks(r.pool, tasks, [&](std::size_t t) {
    const std::span<const pending> synapses = ranges[t];
    std::vector<std::uint64_t>& cursor = cursors[t];
    const std::size_t n = synapses.size();
    for (std::size_t begin = 0; begin < n;) {
      const std::uint32_t j = synapses[begin].post;
      std::size_t end = begin;
      while (end < n && synapses[end].post == j) ++end;
      neuron_draws w_draws(r.seed, stream, j, weights), d_draws(r.seed, stream, j, delays);
      for (std::size_t syn = begin; syn < end; ++syn) {
        const std::uint64_t k = cursor[synapses[syn].pre]++;
        table.post[k] = j - static_cast<std::uint32_t>(lo);
        if (per_synapse_weight) {
          const double w = draw_value(r.weight, w_draws, syn - begin, synapses[syn].given);
          if (given_weight) {
            table.weight[k] = w;
          } else {
            table.drawn_weight[k] = static_cast<float>(w);
          }
        }
        if (per_synapse_delay) {
          const std::uint16_t d =
              delay_steps(draw_value(r.delay, d_draws, syn - begin, synapses[syn].given), r.dt, context);
          table.delay[k] = d;
          longest[t] = std::max(longest[t], d);
        }
      }
      begin = end;
    }
  });
  table.max_delay = *std::max_element(longest.begin(), longest.end());
  lists.clear();
  ranges.clear();
  cursors.clear();
  if (per_synapse_delay) {
    run_tasks(r.pool, tasks, [&](std::size_t t) {
      sort_by_delay(table, r.pre_size * t / tasks, r.pre_size * (t + 1) / tasks);
    });
  }
  return table;
}

}  // namespace ionode::network
