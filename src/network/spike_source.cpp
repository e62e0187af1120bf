// Poisson and spike-time sources (spike_source.hpp).
#include "ionode/network/spike_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "ionode/error.hpp"
#include "ionode/random.hpp"

namespace ionode::network {

namespace {

constexpr std::uint64_t poisson_stream = random::hash_name("poisson");

}  // namespace

poisson_source::poisson_source(std::size_t size, std::vector<double> rates_hz, std::uint64_t seed)
    : size_(size), rates_(std::move(rates_hz)), seed_(seed) {
  if (rates_.size() != 1 && rates_.size() != size_) {
    throw error(fmt::format("rate has {} values for {} neurons; give one rate, or one per neuron", rates_.size(), size_));
  }
}

void poisson_source::check(double dt, const std::string& context) const {
  for (std::size_t j = 0; j < rates_.size(); ++j) {
    const double r = rates_[j];
    if (!std::isfinite(r) || r < 0 || r * dt / 1000.0 >= 1.0) {
      throw error(fmt::format("{}: rate{} = {} Hz is not allowed; it must be finite, >= 0 and below 1/dt = {} Hz "
                              "(at most one spike per step)",
                              context, rates_.size() == 1 ? "" : fmt::format("[{}]", j), r, 1000.0 / dt));
    }
  }
}

std::string poisson_source::describe() const {
  return rates_.size() == 1 ? fmt::format("poisson, {} Hz", rates_[0]) : "poisson, a rate per neuron";
}

void poisson_source::fire(std::int64_t step, double dt, std::size_t first, std::size_t last,
                          std::vector<std::uint32_t>& out) const {
  const bool shared = rates_.size() == 1;
  const double scale = dt / 1000.0;
  last = std::min(last, size_);
  for (std::size_t group = first / 4; group * 4 < last; ++group) {
    const auto bits = random::words(seed_, poisson_stream, group, static_cast<std::uint64_t>(step));
    for (std::size_t k = 0; k < 4 && group * 4 + k < last; ++k) {
      const std::size_t j = group * 4 + k;
      if (j < first) continue;
      if (random::to_unit_interval(bits[k]) < (shared ? rates_[0] : rates_[j]) * scale) {
        out.push_back(static_cast<std::uint32_t>(j));
      }
    }
  }
}

spike_times_source::spike_times_source(std::size_t size, const std::vector<std::int64_t>& indices,
                                       const std::vector<double>& times, double dt, const std::string& context)
    : size_(size) {
  if (indices.size() != times.size()) {
    throw error(fmt::format("{}: {} indices and {} times; give one index per spike time", context, indices.size(),
                            times.size()));
  }
  std::vector<std::int64_t> steps(times.size());
  for (std::size_t k = 0; k < times.size(); ++k) {
    if (indices[k] < 0 || static_cast<std::uint64_t>(indices[k]) >= size_) {
      throw error(fmt::format("{}: indices[{}] = {} is out of range; the source has {} neurons (0 to {})", context, k,
                              indices[k], size_, size_ - 1));
    }
    if (!std::isfinite(times[k]) || times[k] < 0) {
      throw error(fmt::format("{}: times[{}] = {} ms is not allowed; spike times are finite and >= 0", context, k,
                              times[k]));
    }
    const double ratio = times[k] / dt;
    const double nearest = std::round(ratio);
    steps[k] = static_cast<std::int64_t>(std::abs(nearest - ratio) <= 1e-9 * std::max(1.0, ratio) ? nearest
                                                                                                  : std::floor(ratio));
  }
  std::vector<std::size_t> order(times.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return steps[a] != steps[b] ? steps[a] < steps[b] : indices[a] < indices[b];
  });
  for (std::size_t k : order) {
    // A source fires at most once per step (Brian2's SpikeGeneratorGroup refuses the same).
    if (!steps_.empty() && steps_.back() == steps[k] && neurons_.back() == static_cast<std::uint32_t>(indices[k])) {
      throw error(fmt::format("{}: neuron {} has two spikes in the step from {} to {} ms (times[{}] = {} ms); a source "
                              "fires at most once per step of dt = {} ms",
                              context, indices[k], static_cast<double>(steps[k]) * dt,
                              static_cast<double>(steps[k] + 1) * dt, k, times[k], dt));
    }
    steps_.push_back(steps[k]);
    neurons_.push_back(static_cast<std::uint32_t>(indices[k]));
  }
}

std::string spike_times_source::describe() const { return fmt::format("spike times, {} spikes", steps_.size()); }

void spike_times_source::fire(std::int64_t step, double /*dt*/, std::size_t first, std::size_t last,
                              std::vector<std::uint32_t>& out) const {
  auto it = std::lower_bound(steps_.begin(), steps_.end(), step);
  for (; it != steps_.end() && *it == step; ++it) {
    const std::uint32_t j = neurons_[static_cast<std::size_t>(it - steps_.begin())];
    if (j >= first && j < last) out.push_back(j);
  }
}

}  // namespace ionode::network
