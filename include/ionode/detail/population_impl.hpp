// The kernels of a population of model M. Per step, the instances are split into contiguous
// blocks (one per thread, boundaries on column_padding), and each block is swept:
//   - vector path (exp_auto, exp_midpoint and the fixed-step Runge-Kutta methods): a SIMD pack of neurons at a
//     time, the model's equations instantiated with simd::pack<double>;
//   - scalar path (adaptive methods, whose step sizes differ per neuron, and the reference path
//     used by tests): one instance at a time.
// Inputs are folded in from the step's input terms; spikes are located per lane with the scalar
// method; no virtual call and no allocation per neuron.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <memory>
#include <type_traits>

#include "ionode/detail/membrane_current.hpp"
#include "ionode/detail/population_base.hpp"
#include "ionode/detail/thread_pool.hpp"
#include "ionode/error.hpp"
#include "ionode/integrators/adaptive_rk.hpp"
#include "ionode/integrators/butcher.hpp"
#include "ionode/integrators/cvode_solver.hpp"
#include "ionode/integrators/exp_auto.hpp"
#include "ionode/integrators/exp_midpoint.hpp"
#include "ionode/integrators/explicit_rk.hpp"
#include "ionode/integrators/spike_time.hpp"
#include "ionode/kernels/instance.hpp"
#include "ionode/model.hpp"
#include "ionode/noise.hpp"
#include "ionode/simd/pack.hpp"
#include "ionode/structure.hpp"

namespace ionode::detail {

// R: the storage and vector arithmetic type (double, or float for precision float32). Scalar work
// (adaptive methods, the reference path, spike location) is always done in double.
template <class M, class R = double>
class population_impl final : public population_base {
  // The kernels integrate K: M with the synaptic current of its membrane ports, if it has any
  // (membrane_current.hpp), whose two inputs per port follow M's.
  using K = kernel_model_t<M>;
  static constexpr std::size_t nv = num_variables<M>;
  static constexpr std::size_t np = num_parameters<M>;
  static constexpr std::size_t ni = num_inputs<K>;
  static constexpr bool single = std::is_same_v<R, float>;
  using vec = simd::pack<R>;
  static constexpr std::size_t width = vec::size;
  static_assert(column_padding % width == 0, "SIMD packs must tile the padded columns");

 public:
  population_impl(model_info info, population_options options)
      : population_base(std::move(info), std::move(options)) {
    reset();  // here, not in the base constructor: initialization calls the model's steady_state
    colour_structure();
    if constexpr (single) {
      for (const auto& column : parameters_) {
        own_parameters_.emplace_back(column.values.begin(), column.values.end());
      }
    }
  }

  void reset() override {
    if constexpr (single) state_.assign(nv * stride_, 0.0);
    population_base::reset();
    if constexpr (single) {
      own_state_.assign(state_.begin(), state_.end());  // float32: the state lives here from now on
      state_.clear();
      state_.shrink_to_fit();
    }
  }

  double read(std::size_t variable, std::size_t instance) const override {
    return static_cast<double>(column(variable)[instance]);
  }
  void write(std::size_t variable, std::size_t lane, double value) override {
    column(variable)[lane] = static_cast<R>(value);
  }

  double bytes_per_instance() const override {
    if constexpr (!single) {
      return population_base::bytes_per_instance();
    } else {
      double bytes = static_cast<double>(own_state_.size() * sizeof(float));
      for (const auto& column : own_parameters_) bytes += static_cast<double>(column.size() * sizeof(float));
      for (const auto& column : parameters_) bytes += static_cast<double>(column.values.size() * sizeof(double));
      return bytes / static_cast<double>(instances());
    }
  }

  step_report step(const step_request& request) override {
    if (stochastic()) return stochastic_step(request);
    switch (request.method) {
      case method_id::exp_auto: return exp_auto_step(request);
      case method_id::exp_midpoint: return exp_auto_step<false, true>(request);
      case method_id::euler: return fixed_step(request, rk_stepper<1>{tableaus::euler});
      case method_id::midpoint: return fixed_step(request, rk_stepper<2>{tableaus::midpoint});
      case method_id::heun2: return fixed_step(request, rk_stepper<2>{tableaus::heun2});
      case method_id::ralston2: return fixed_step(request, rk_stepper<2>{tableaus::ralston2});
      case method_id::rk2: return fixed_step(request, rk_stepper<2>{tableaus::rk2});
      case method_id::rk3: return fixed_step(request, rk_stepper<3>{tableaus::rk3});
      case method_id::heun3: return fixed_step(request, rk_stepper<3>{tableaus::heun3});
      case method_id::ralston3: return fixed_step(request, rk_stepper<3>{tableaus::ralston3});
      case method_id::ssprk3: return fixed_step(request, rk_stepper<3>{tableaus::ssprk3});
      case method_id::rk4: return fixed_step(request, rk_stepper<4>{tableaus::rk4});
      case method_id::ralston4: return fixed_step(request, rk_stepper<4>{tableaus::ralston4});
      case method_id::rk4_38rule: return fixed_step(request, rk_stepper<4>{tableaus::rk4_38rule});
      case method_id::heun_euler: return adaptive_step(request, tableaus::heun_euler);
      case method_id::rkf12: return adaptive_step(request, tableaus::rkf12);
      case method_id::bs: return adaptive_step(request, tableaus::bs);
      case method_id::rkf45: return adaptive_step(request, tableaus::rkf45);
      case method_id::ck: return adaptive_step(request, tableaus::ck);
      case method_id::rkdp: return adaptive_step(request, tableaus::rkdp);
      case method_id::cvode: return cvode_step(request);
      case method_id::milstein:
      case method_id::heun: throw internal_error("population: an SDE-only method reached a deterministic step");
    }
    return {};
  }

  // With noise: the method's drift step, then x += sigma sqrt(dt) N(0, 1) per noisy variable. euler,
  // milstein and heun all take Euler-Maruyama's step (additive noise; method.cpp says why). The runner
  // has already refused methods that cannot take noise.
  step_report stochastic_step(const step_request& request) {
    switch (request.method) {
      case method_id::exp_auto: return exp_auto_step<true>(request);
      case method_id::exp_midpoint: return exp_auto_step<true, true>(request);
      case method_id::euler:
      case method_id::milstein:
      case method_id::heun: return fixed_step<true>(request, rk_stepper<1>{tableaus::euler});
      default: throw internal_error("population: a method without noise support reached a stochastic step");
    }
  }

  void derivative(std::size_t instance, const double* inputs, double* dxdt) const override {
    std::array<double, nv> x;
    std::array<double, np> p;
    std::array<double, ni> in{};  // M's inputs, then the membrane ports' (zero: no synaptic current)
    std::copy(inputs, inputs + num_inputs<M>, in.begin());
    for (std::size_t v = 0; v < nv; ++v) x[v] = read(v, instance);
    gather_parameters(instance, p.data());
    K::derivative(x.data(), p.data(), in.data(), dxdt);
  }

  void derivatives(std::span<const input_term> terms, const double* x, std::size_t stride, double* dxdt,
                   std::size_t begin, std::size_t end) const override {
    std::array<double, nv> xj, fj;
    std::array<double, np> p;
    std::array<double, ni> in;
    for (std::size_t j = begin; j < end; ++j) {
      for (std::size_t v = 0; v < nv; ++v) xj[v] = x[v * stride + j];
      gather_parameters(j, p.data());
      inputs_at(terms, j, in.data());
      K::derivative(xj.data(), p.data(), in.data(), fj.data());
      for (std::size_t v = 0; v < nv; ++v) dxdt[v * stride + j] = fj[v];
    }
  }

 protected:
  double steady_state(std::size_t variable, const double* x, const double* p) const override {
    return M::steady_state(variable, x, p);
  }

 private:
  R* column(std::size_t variable) {
    if constexpr (single) {
      return own_state_.data() + variable * stride_;
    } else {
      return state_.data() + variable * stride_;
    }
  }
  const R* column(std::size_t variable) const {
    if constexpr (single) {
      return own_state_.data() + variable * stride_;
    } else {
      return state_.data() + variable * stride_;
    }
  }
  void load_state(std::size_t j, double* x) const {
    for (std::size_t v = 0; v < nv; ++v) x[v] = static_cast<double>(column(v)[j]);
  }
  void store_state(std::size_t j, const double* x) {
    for (std::size_t v = 0; v < nv; ++v) column(v)[j] = static_cast<R>(x[v]);
  }
  // A pack of R from doubles (input values are kept in double).
  static vec load_doubles(const double* p) {
    if constexpr (single) {
      alignas(64) R lanes[width];
      for (std::size_t k = 0; k < width; ++k) lanes[k] = static_cast<R>(p[k]);
      return vec::load(lanes);
    } else {
      return vec::load(p);
    }
  }

  // Steppers: one method, callable on doubles (scalar path, spike refinement) and on packs.
  template <int C, bool Midpoint>
  struct exp_auto_stepper {
    const int* colours;
    template <class T>
    [[gnu::always_inline]] void operator()(T* x, const T* p, const T* in, double h, T* f_old) const {
      if constexpr (Midpoint) {
        integrators::exp_midpoint_step<K, C>(x, p, in, h, f_old, colours);
      } else {
        integrators::exp_auto_step<K, C>(x, p, in, h, f_old, colours);
      }
    }
  };

  // exp_auto (or exp_midpoint) with as many derivative slots as the colouring of the model's structure
  // needs; models needing more than four fall back to one slot per variable. A model with a
  // hand-written diagonal uses no slots (one instantiation).
  template <bool Noisy = false, bool Midpoint = false>
  step_report exp_auto_step(const step_request& request) {
    if constexpr (provides_diagonal<K, double>) {
      return fixed_step<Noisy>(request, exp_auto_stepper<1, Midpoint>{colours_.data()});
    } else {
      switch (colour_count_) {
        case 1: return fixed_step<Noisy>(request, exp_auto_stepper<1, Midpoint>{colours_.data()});
        case 2: return fixed_step<Noisy>(request, exp_auto_stepper<2, Midpoint>{colours_.data()});
        case 3: return fixed_step<Noisy>(request, exp_auto_stepper<3, Midpoint>{colours_.data()});
        case 4: return fixed_step<Noisy>(request, exp_auto_stepper<4, Midpoint>{colours_.data()});
        default:
          return fixed_step<Noisy>(request, exp_auto_stepper<static_cast<int>(nv), Midpoint>{colours_.data()});
      }
    }
  }

  void colour_structure() {
    const auto rows = ad::jacobian_rows<K, nv, np, ni>();
    colour_count_ = ad::colour_diagonal(rows, colours_);
    if (colour_count_ > 4) {
      for (std::size_t k = 0; k < nv; ++k) colours_[k] = static_cast<int>(k);
      colour_count_ = static_cast<int>(nv);
    }
  }
  template <int S>
  struct rk_stepper {
    const tableaus::tableau<S>& tab;
    template <class T>
    [[gnu::always_inline]] void operator()(T* x, const T* p, const T* in, double h, T* f_old) const {
      integrators::rk_step<K, S>(tab, x, p, in, h, f_old);
    }
  };

  // ---- inputs -------------------------------------------------------------------------------
  void inputs_at(std::span<const input_term> terms, std::size_t j, double* in) const {
    for (std::size_t k = 0; k < ni; ++k) in[k] = 0.0;
    for (const auto& term : terms) in[term.target] = combine(term.op, in[term.target], term.at(j, neurons_));
  }

  // The inputs of the pack starting at instance j. Lanes past the last instance repeat it.
  void inputs_at(std::span<const input_term> terms, std::size_t j, vec* in) const {
    for (std::size_t k = 0; k < ni; ++k) in[k] = vec(R(0));
    const std::size_t count = instances();
    const bool whole = j + width <= count;
    for (const auto& term : terms) {
      vec value;
      if (term.kind == input_term::source::scalar) {
        value = vec(term.scalar);
      } else if (whole && (term.kind == input_term::source::per_instance || copies_ == 1)) {
        value = load_doubles(term.values + j);
      } else {
        alignas(64) R lanes[width];
        for (std::size_t k = 0; k < width; ++k) {
          lanes[k] = static_cast<R>(term.at(std::min(j + k, count - 1), neurons_));
        }
        value = vec::load(lanes);
      }
      in[term.target] = combine(term.op, in[term.target], value);
    }
  }

  // ---- spikes and finiteness (the per-instance kernels of kernels/instance.hpp) -----------------
  template <class Stepper>
  void detect_spike(std::size_t j, double t0, double h, const double* x_old, const double* f_old,
                    const double* x_new, const double* p, const double* in, std::vector<spike_event>& spikes,
                    const Stepper& partial_step) const {
    double time = 0.0;
    if (kernels::locate_crossing<K>(t0, h, x_old, f_old, x_new, p, in, partial_step, time)) spikes.push_back({time, j});
  }
  void detect_spike_linear(std::size_t j, double t0, double h, const double* x_old, const double* x_new,
                           const double* p, std::vector<spike_event>& spikes) const {
    double time = 0.0;
    if (kernels::locate_crossing_linear<K>(t0, h, x_old, x_new, p, time)) spikes.push_back({time, j});
  }
  static bool all_finite(const double* x) { return kernels::all_finite<nv>(x); }
  static std::size_t first_non_finite(const double* x) { return kernels::first_non_finite<nv>(x); }
  static void note_failure(step_report& report, std::size_t j, std::size_t variable, bool underflow) {
    if (report.ok) report = {false, j, variable, underflow};
  }

  // ---- blocks and threads -------------------------------------------------------------------
  struct block_result {
    std::vector<spike_event> spikes;
    std::vector<std::size_t> spike_steps;  // with an epoch: the step of each spike
    step_report report;
    std::size_t failed_at = 0;  // with an epoch: the step that failed (the epoch's length if none)
  };

  // Splits [0, instances()) into chunks (boundaries on column_padding, so a chunk's packs never
  // straddle another's and the split does not change any neuron's arithmetic), runs
  // `sweep(begin, end, result)` on each, and merges spikes and failures in chunk order, that is in
  // instance order: bitwise the same whichever thread swept which chunk.
  //
  // With an epoch (request.epoch), a chunk goes through all its steps before the next chunk, and the
  // threads meet once per epoch instead of once per step; a chunk stops at a step where one of its
  // instances fails, and the epoch's result is that of the earliest failing step (the first such
  // chunk's report), with the spikes of the steps before it, step by step, each in instance order.
  //
  // request.part splits this into the calls of a team (step_request): prepare sets the chunks' claims
  // up, sweep runs team member k's share (and steals), merge merges; step_part::whole does all three
  // with its own dispatch of the pool.
  //
  // Each thread owns a contiguous run of chunks and sweeps them in order (the same ones every step, so
  // its state stays in its core's cache); a thread that is done takes the chunks another has not
  // started yet. A step then waits for the slowest thread only as long as a chunk takes: on shared or
  // virtual machines a core that is slowed for a moment (another process, the hypervisor) no longer
  // holds the other back for the rest of the step (docs/performance.md, "Two threads").
  template <class Sweep>
  step_report run_blocks(const step_request& request, Sweep&& sweep) {
    const std::size_t count = instances();
    const std::size_t lines = stride_ / column_padding;
    const std::size_t threads = request.pool == nullptr ? 1 : request.pool->size();
    const std::size_t tasks = std::max<std::size_t>(1, std::min(threads, lines));
    // Chunks of at least 4 lines (64 instances), up to 16 per thread.
    const std::size_t per_task = tasks == 1 ? 1 : std::clamp<std::size_t>(lines / tasks / 4, 1, 16);
    const std::size_t chunks = tasks * per_task;
    const step_part part = request.part;
    const bool team = part != step_part::whole;
    if (team && (request.epoch != nullptr || request.pool == nullptr)) {
      throw internal_error("population: a step in parts needs a pool and no epoch");
    }
    if (part == step_part::prepare || part == step_part::whole) {
      if (blocks_.size() < chunks) blocks_.resize(chunks);
      if (claims_size_ < tasks) {
        claims_ = std::make_unique<chunk_claim[]>(tasks);
        claims_size_ = tasks;
      }
      for (std::size_t k = 0; k < tasks; ++k) claims_[k].next.store(k * per_task, std::memory_order_relaxed);
      if (part == step_part::prepare) return {};
    }
    const epoch_plan* epoch = request.epoch;
    const std::size_t steps = epoch == nullptr ? 1 : epoch->steps.size();
    const auto sweep_chunk = [&](std::size_t c) {
      const std::size_t begin = std::min(count, lines * c / chunks * column_padding);
      const std::size_t end = std::min(count, lines * (c + 1) / chunks * column_padding);
      block_result& block = blocks_[c];
      block.spikes.clear();
      block.spike_steps.clear();
      block.report = {};
      block.failed_at = steps;
      if (begin >= end) return;
      if (epoch == nullptr) {
        if (request.before_sweep != nullptr) (*request.before_sweep)(begin, end);
        sweep(request, begin, end, block);
        return;
      }
      step_request one = request;
      one.epoch = nullptr;
      for (std::size_t k = 0; k < steps; ++k) {
        one.t = epoch->steps[k].t;
        one.step_index = epoch->steps[k].step_index;
        one.inputs = epoch->steps[k].inputs;
        if (request.before_sweep != nullptr) (*request.before_sweep)(begin, end);
        sweep(one, begin, end, block);
        block.spike_steps.resize(block.spikes.size(), k);
        if (!block.report.ok) {
          block.failed_at = k;
          return;
        }
        if (epoch->after_step) epoch->after_step(k, begin, end);
      }
    };
    // Task k: its own chunks in order, then the ones the others have not started.
    const auto run_task = [&](std::size_t k) {
      for (std::size_t i = 0; i < tasks; ++i) {
        const std::size_t owner = (k + i) % tasks, last = (owner + 1) * per_task;
        for (std::size_t c = claims_[owner].next.fetch_add(1, std::memory_order_relaxed); c < last;
             c = claims_[owner].next.fetch_add(1, std::memory_order_relaxed)) {
          sweep_chunk(c);
        }
      }
    };
    if (part == step_part::sweep) {
      if (request.team_member < tasks) run_task(request.team_member);
      return {};
    }
    if (part == step_part::whole) {
      if (tasks == 1) {
        sweep_chunk(0);
      } else {
        // (The pool's start of a run publishes the claims' stores to the workers.)
        request.pool->run(tasks, run_task);
      }
    }
    step_report report;
    if (epoch == nullptr) {
      for (std::size_t c = 0; c < chunks; ++c) {
        request.spikes->insert(request.spikes->end(), blocks_[c].spikes.begin(), blocks_[c].spikes.end());
        if (report.ok && !blocks_[c].report.ok) report = blocks_[c].report;
      }
      return report;
    }
    std::size_t failed_at = steps;
    for (std::size_t c = 0; c < chunks; ++c) failed_at = std::min(failed_at, blocks_[c].failed_at);
    for (std::size_t c = 0; c < chunks && report.ok; ++c) {
      if (blocks_[c].failed_at == failed_at && !blocks_[c].report.ok) report = blocks_[c].report;
    }
    report.steps_done = failed_at;
    cursors_.assign(chunks, 0);
    for (std::size_t k = 0; k < failed_at; ++k) {
      for (std::size_t c = 0; c < chunks; ++c) {
        const block_result& block = blocks_[c];
        for (std::size_t& at = cursors_[c]; at < block.spikes.size() && block.spike_steps[at] == k; ++at) {
          request.spikes->push_back(block.spikes[at]);
          if (epoch->spike_steps != nullptr) epoch->spike_steps->push_back(k);
        }
      }
    }
    return report;
  }

  // ---- fixed-step methods -------------------------------------------------------------------
  template <bool Noisy = false, class Stepper>
  step_report fixed_step(const step_request& request, const Stepper& stepper) {
    if (request.vectorize) {
      return run_blocks(request, [&](const step_request& one, std::size_t begin, std::size_t end, block_result& out) {
        vector_sweep<Noisy>(one, begin, end, stepper, out);
      });
    }
    return run_blocks(request, [&](const step_request& one, std::size_t begin, std::size_t end, block_result& out) {
      scalar_sweep<Noisy>(one, begin, end, stepper, out);
    });
  }

  // ---- noise ----------------------------------------------------------------------------------
  void add_noise(const step_request& request, std::size_t j, double* x) const {
    const double sqrt_dt = std::sqrt(request.dt);
    for (const auto& term : noise_) {
      x[term.variable] += term.sigma.at(j) * sqrt_dt *
                          noise::standard_normal(options_.seed, term.variable, options_.first + j, request.step_index);
    }
  }
  [[gnu::always_inline]] void add_noise(const step_request& request, std::size_t j, vec* x) const {
    const double sqrt_dt = std::sqrt(request.dt);
    for (const auto& term : noise_) {
      const vec sigma = term.sigma.shared ? vec(static_cast<R>(term.sigma.value)) : load_doubles(term.sigma.values.data() + j);
      x[term.variable] += (sigma * sqrt_dt) * noise::standard_normals<R>(options_.seed, term.variable, options_.first + j, request.step_index);
    }
  }

  template <bool Noisy, class Stepper>
  void scalar_sweep(const step_request& request, std::size_t begin, std::size_t end, const Stepper& stepper,
                    block_result& out) {
    std::array<double, nv> x, x_old, f_old;
    std::array<double, np> p;
    std::array<double, ni> in;
    for (std::size_t j = begin; j < end; ++j) {
      load_state(j, x.data());
      gather_parameters(j, p.data());
      inputs_at(request.inputs, j, in.data());
      x_old = x;
      stepper(x.data(), p.data(), in.data(), request.dt, f_old.data());
      if constexpr (Noisy) add_noise(request, j, x.data());
      if (!all_finite(x.data())) {
        note_failure(out.report, j, first_non_finite(x.data()), false);
      } else if constexpr (Noisy) {
        detect_spike_linear(j, request.t, request.dt, x_old.data(), x.data(), p.data(), out.spikes);
      } else {
        detect_spike(j, request.t, request.dt, x_old.data(), f_old.data(), x.data(), p.data(), in.data(), out.spikes,
                     stepper);
      }
      store_state(j, x.data());
    }
  }

  // The hot loop: whole packs from begin (a multiple of column_padding) past end (into the padding).
  template <bool Noisy, class Stepper>
  __attribute__((flatten)) void vector_sweep(const step_request& request, std::size_t begin, std::size_t end,
                                     const Stepper& stepper, block_result& out) {
    constexpr std::size_t sv = M::spike_variable;
    std::array<vec, np> p;
    std::array<const R*, np> columns{};
    for (std::size_t k = 0; k < np; ++k) {
      if (parameters_[k].shared) {
        p[k] = vec(static_cast<R>(parameters_[k].value));
      } else if constexpr (single) {
        columns[k] = own_parameters_[k].data();
      } else {
        columns[k] = parameters_[k].values.data();
      }
    }
    std::array<vec, nv> x, x_old, f_old;
    std::array<vec, ni> in;
    for (std::size_t j = begin; j < end; j += width) {
      for (std::size_t v = 0; v < nv; ++v) x[v] = vec::load(column(v) + j);
      for (std::size_t k = 0; k < np; ++k) {
        if (columns[k] != nullptr) p[k] = vec::load(columns[k] + j);
      }
      inputs_at(request.inputs, j, in.data());
      x_old = x;
      stepper(x.data(), p.data(), in.data(), request.dt, f_old.data());
      if constexpr (Noisy) add_noise(request, j, x.data());
      vec poison(R(0));  // NaN in a lane if any variable of that lane is NaN or infinite
      for (std::size_t v = 0; v < nv; ++v) poison += x[v] * R(0);
      const auto crossing = (x_old[sv] < p[M::threshold_parameter]) & (x[sv] >= p[M::threshold_parameter]);
      const auto rare = crossing | !(poison == R(0));
      if (simd::any(rare)) lanes_slow_path<Noisy>(request, j, end, simd::bits(rare), x_old, x, f_old, in, stepper, out);
      for (std::size_t v = 0; v < nv; ++v) x[v].store(column(v) + j);
    }
  }

  // Rare lanes (bit k of `lanes` set for lane k): a spike to locate, or a non-finite state to report,
  // handled one lane at a time, in double precision (for float32 the lane's values are widened; the
  // located time is as good as the float32 state allows). The other lanes of the pack are not looked
  // at, so a neuron's spikes never depend on its neighbours in the pack.
  template <bool Noisy, class Stepper>
  [[gnu::noinline]] void lanes_slow_path(const step_request& request, std::size_t j, std::size_t end,
                                         std::uint64_t lanes, const std::array<vec, nv>& x_old,
                       const std::array<vec, nv>& x, const std::array<vec, nv>& f_old, const std::array<vec, ni>& in,
                       const Stepper& stepper, block_result& out) const {
    for (std::size_t lane = 0; lane < width && j + lane < end; ++lane) {
      if (((lanes >> lane) & 1u) == 0) continue;
      std::array<double, nv> xo, xn, fo;
      std::array<double, np> pl;
      std::array<double, ni> il;
      for (std::size_t v = 0; v < nv; ++v) {
        xo[v] = static_cast<double>(x_old[v].lane(lane));
        xn[v] = static_cast<double>(x[v].lane(lane));
        fo[v] = static_cast<double>(f_old[v].lane(lane));
      }
      gather_parameters(j + lane, pl.data());
      for (std::size_t k = 0; k < ni; ++k) il[k] = static_cast<double>(in[k].lane(lane));
      if (!all_finite(xn.data())) {
        note_failure(out.report, j + lane, first_non_finite(xn.data()), false);
      } else if constexpr (Noisy) {
        detect_spike_linear(j + lane, request.t, request.dt, xo.data(), xn.data(), pl.data(), out.spikes);
      } else {
        detect_spike(j + lane, request.t, request.dt, xo.data(), fo.data(), xn.data(), pl.data(), il.data(),
                     out.spikes, stepper);
      }
    }
  }

  // ---- adaptive methods (scalar: every neuron has its own step size) ----------------------------
  template <int S>
  step_report adaptive_step(const step_request& request, const tableaus::tableau<S>& tab) {
    request.step_sizes->resize(instances(), 0.0);
    return run_blocks(request, [&](const step_request& one, std::size_t begin, std::size_t end, block_result& out) {
      adaptive_sweep(one, tab, begin, end, out);
    });
  }

  template <int S>
  void adaptive_sweep(const step_request& request, const tableaus::tableau<S>& tab, std::size_t begin,
                      std::size_t end, block_result& out) {
    std::vector<double>& step_sizes = *request.step_sizes;
    const rk_stepper<S> partial_step{tab};
    std::array<double, nv> x;
    std::array<double, np> p;
    std::array<double, ni> in;
    for (std::size_t j = begin; j < end; ++j) {
      load_state(j, x.data());
      gather_parameters(j, p.data());
      inputs_at(request.inputs, j, in.data());
      const auto on_substep = [&](double t0, double h, const double* x_old, const double* f_old,
                                  const double* x_new) {
        detect_spike(j, t0, h, x_old, f_old, x_new, p.data(), in.data(), out.spikes, partial_step);
      };
      const auto outcome = integrators::adaptive_advance<K, S>(tab, x.data(), p.data(), in.data(), request.t,
                                                               request.dt, step_sizes[j], *request.options,
                                                               on_substep);
      if (outcome.failed || !all_finite(x.data())) note_failure(out.report, j, first_non_finite(x.data()), outcome.failed);
      store_state(j, x.data());
    }
  }

  // ---- CVODE: one solver per instance, kept between steps (integrators/cvode_solver.hpp) -----------
  struct cvode_context {
    const double* p;
    const double* in;
  };
  static void cvode_derivative(const void* context, double, const double* x, double* dxdt) {
    const auto* c = static_cast<const cvode_context*>(context);
    K::derivative(x, c->p, c->in, dxdt);
  }
  // The exact Jacobian, column by column, from one pass of dual numbers with a slot per variable.
  static void cvode_jacobian(const void* context, const double* x, double* column_major) {
    const auto* c = static_cast<const cvode_context*>(context);
    using number = ad::dual<double, static_cast<int>(nv)>;
    std::array<number, nv> xd, fd;
    for (std::size_t k = 0; k < nv; ++k) {
      xd[k] = number(x[k]);
      for (std::size_t s = 0; s < nv; ++s) xd[k].d[s] = s == k ? 1.0 : 0.0;
    }
    K::derivative(xd.data(), c->p, c->in, fd.data());
    for (std::size_t k = 0; k < nv; ++k) {
      for (std::size_t i = 0; i < nv; ++i) column_major[k * nv + i] = fd[i].d[k];
    }
  }
  static void cvode_spike_root(const void* context, const double* x, double* g) {
    const auto* c = static_cast<const cvode_context*>(context);
    g[0] = x[K::spike_variable] - c->p[K::threshold_parameter];
  }

  step_report cvode_step(const step_request& request) {
    if (cvode_solvers_.size() != instances()) {
      cvode_solvers_.clear();
      cvode_solvers_.resize(instances());
      cvode_inputs_.assign(instances() * ni, std::nan(""));
    }
    return run_blocks(request, [&](const step_request& one, std::size_t begin, std::size_t end, block_result& out) {
      cvode_sweep(one, begin, end, out);
    });
  }

  void cvode_sweep(const step_request& request, std::size_t begin, std::size_t end, block_result& out) {
    std::array<double, nv> x;
    std::array<double, np> p;
    std::array<double, ni> in;
    std::vector<std::pair<double, std::size_t>> crossings;
    for (std::size_t j = begin; j < end; ++j) {
      load_state(j, x.data());
      gather_parameters(j, p.data());
      inputs_at(request.inputs, j, in.data());
      auto& solver = cvode_solvers_[j];
      if (!solver) {
        solver = std::make_unique<integrators::cvode_solver>(nv, 1, true, request.options->rtol, request.options->atol,
                                                             request.options->max_substeps);
      }
      double* last_inputs = cvode_inputs_.data() + j * ni;
      const bool inputs_changed = !std::equal(in.begin(), in.end(), last_inputs);
      std::copy(in.begin(), in.end(), last_inputs);
      const cvode_context context{p.data(), in.data()};
      const integrators::cvode_callbacks callbacks{&cvode_derivative, &cvode_jacobian, &cvode_spike_root, &context};
      crossings.clear();
      const auto outcome =
          solver->advance(callbacks, request.t, request.t + request.dt, x.data(), inputs_changed, crossings);
      if (!outcome.ok || !all_finite(x.data())) {
        note_failure(out.report, j, first_non_finite(x.data()), !outcome.ok);
      } else {
        for (const auto& crossing : crossings) out.spikes.push_back({crossing.first, j});
      }
      store_state(j, x.data());
    }
  }

  std::vector<std::unique_ptr<integrators::cvode_solver>> cvode_solvers_;
  std::vector<double> cvode_inputs_;  // each instance's inputs in its last step (a change restarts CVODE)

  std::vector<block_result> blocks_;
  // The next unclaimed chunk of each thread's run, one cache line each (threads write them).
  struct alignas(64) chunk_claim {
    std::atomic<std::size_t> next{0};
  };
  std::unique_ptr<chunk_claim[]> claims_;
  std::vector<std::size_t> cursors_;  // merging an epoch's spikes: the next spike of each chunk
  std::size_t claims_size_ = 0;
  std::array<int, nv> colours_{};  // exp_auto: the derivative slot of each variable
  int colour_count_ = static_cast<int>(nv);
  aligned_vector<R> own_state_;                     // float32: the state (float64 uses state_)
  std::vector<aligned_vector<R>> own_parameters_;  // float32: copies of the parameter columns
};

}  // namespace ionode::detail

namespace ionode {

template <class M>
population population::create(const population_options& options, model_info info) {
  static_assert(neuron_model<M>, "M does not satisfy ionode::neuron_model (see include/ionode/model.hpp)");
  if (options.precision == precision::float32) {
    return population(std::make_shared<detail::population_impl<M, float>>(std::move(info), options));
  }
  return population(std::make_shared<detail::population_impl<M, double>>(std::move(info), options));
}

template <class M>
population population::create(const population_options& options) {
  return create<M>(options, describe_model<M>());
}

}  // namespace ionode
