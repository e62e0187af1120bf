// Drives: populations that emit spikes without integrating anything, and project like any other.
//   poisson:      each neuron fires in a step with probability rate dt (Brian2's PoissonGroup,
//                 BrainPy's PoissonGroup), drawn from Philox keyed by (seed, "poisson") with counter
//                 (neuron / 4, step): the same spikes for any thread count, evaluated step by step
//                 (nothing is stored ahead);
//   spike_times:  given (neuron, time) pairs; a spike at time t belongs to the step n with
//                 t_n <= t < t_n + dt (t / dt within 1e-9 of a whole number counts as it).
// A source's spike in step n is recorded at t_n (as Brian2 records it) and acts from step n + 1 + d.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ionode::network {

class spike_source {
 public:
  virtual ~spike_source() = default;
  virtual std::size_t size() const = 0;
  virtual std::string describe() const = 0;
  // Appends the neurons of [first, last) (ascending) that fire in step `step` of length dt: a rank's
  // part; each neuron's spikes do not depend on the range asked for.
  virtual void fire(std::int64_t step, double dt, std::size_t first, std::size_t last,
                    std::vector<std::uint32_t>& out) const = 0;
  void fire(std::int64_t step, double dt, std::vector<std::uint32_t>& out) const { fire(step, dt, 0, size(), out); }
};

class poisson_source final : public spike_source {
 public:
  // rates in Hz: one shared, or one per neuron. Each must be finite, >= 0, and rate dt < 1 (one spike
  // per step at most); checked against dt in check().
  poisson_source(std::size_t size, std::vector<double> rates_hz, std::uint64_t seed);
  void check(double dt, const std::string& context) const;
  std::size_t size() const override { return size_; }
  std::string describe() const override;
  using spike_source::fire;
  void fire(std::int64_t step, double dt, std::size_t first, std::size_t last,
            std::vector<std::uint32_t>& out) const override;

 private:
  std::size_t size_;
  std::vector<double> rates_;
  std::uint64_t seed_;
};

class spike_times_source final : public spike_source {
 public:
  // indices[k] fires at times[k] (ms, finite, >= 0); the spikes are put in step order once.
  spike_times_source(std::size_t size, const std::vector<std::int64_t>& indices, const std::vector<double>& times,
                     double dt, const std::string& context);
  std::size_t size() const override { return size_; }
  std::string describe() const override;
  using spike_source::fire;
  void fire(std::int64_t step, double dt, std::size_t first, std::size_t last,
            std::vector<std::uint32_t>& out) const override;

 private:
  std::size_t size_;
  std::vector<std::int64_t> steps_;      // sorted
  std::vector<std::uint32_t> neurons_;   // by step, then neuron
};

}  // namespace ionode::network
