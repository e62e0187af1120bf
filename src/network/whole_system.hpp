// The state of a network integrated as one system (network.hpp: integrates_as_one_system): where each
// population's variables and each graded projection's gates lie in the one state vector, the method,
// and what one step leaves for the runners (spikes and reports per population).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "ionode/integrators/adaptive_system.hpp"
#include "ionode/integrators/cvode_solver.hpp"
#include "ionode/network/network.hpp"

namespace ionode::network {

struct network::whole_system {
  // A population's variables: y[offset + v * n + j] (variable-major, unpadded).
  struct block {
    std::size_t member = 0, offset = 0, n = 0, nv = 0;
  };
  // A graded projection's gates: y[offset + j], one per presynaptic neuron, moved by the voltage of
  // the presynaptic block's variable `voltage`.
  struct gate_block {
    std::size_t projection = 0, offset = 0, n = 0, pre_block = 0, voltage = 0;
  };
  std::vector<block> blocks;
  std::vector<gate_block> gates;
  std::vector<std::size_t> block_of_member;  // members_ index -> blocks index (sources: none)
  method_id method = method_id::rkdp;
  method_options tolerances;
  double h = 0.0;  // the step-size proposal carried from one step to the next
  std::vector<double> y;
  integrators::system_scratch scratch;
  // Per block, for the step being made: the input terms (runner::begin_step), the spikes (instance
  // order) and the report.
  std::vector<std::span<const detail::input_term>> terms;
  std::vector<std::vector<spike_event>> spikes;
  std::vector<detail::step_report> reports;
  // Method cvode: the solver (made at the first step, CVDIAG over the whole vector), each root's
  // (block, instance), whether CVODE restarts at every step (event-driven projections or sources: the
  // conductances jump between steps), and the step's start (CVODE's f takes absolute time).
  std::unique_ptr<integrators::cvode_solver> cvode;
  std::vector<std::pair<std::size_t, std::size_t>> roots;
  bool cvode_restarts = false;
  double t0 = 0.0;
};

}  // namespace ionode::network
