// Event-driven linear synapses: the receptor state of every postsynaptic neuron (the synapses of one
// projection onto one neuron sum into it, as Brian2's ge and BrainPy's align-post), its exact decay
// over a step, and the jump of one event. Each kind is a few lines here; docs/networks.md has the
// equations.
//   exponential:       g' = -g / tau;                         event: g += w
//   dual_exponential:  A' = -A / tau_rise, B' = -B / tau_decay, g = B - A;
//                      event: A += f w, B += f w, f normalizes the peak of g to w (NEURON's Exp2Syn)
//   alpha:             g' = -g / tau + h, h' = -h / tau;      event: h += w e / tau (peak w at t = tau)
//   graded:            no events: one gate per presynaptic neuron, continuous in its voltage,
//                      s' = alpha F(V_pre) (1 - s) - beta s,  F = 1 / (1 + exp(-(V_pre - theta) / sigma)),
//                      g_post = sum_pre w s_pre (Wang & Buzsaki 1996's GABA_A synapse)
// Output: conductance, current g (E - V) with E per projection; or current, g itself (uA/cm^2).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ionode::network {

enum class synapse_kind { exponential, dual_exponential, alpha, graded };
enum class synapse_output { conductance, current };

struct synapse_spec {
  synapse_kind kind = synapse_kind::exponential;
  double tau = 5.0;       // ms: decay (exponential, alpha); dual_exponential: the decay
  double tau_rise = 1.0;  // ms: dual_exponential only
  synapse_output output = synapse_output::conductance;
  double E = 0.0;         // mV: reversal potential (conductance output)
  // graded only (defaults: Wang & Buzsaki 1996)
  double alpha = 12.0;    // 1/ms
  double beta = 0.1;      // 1/ms
  double theta = 0.0;     // mV
  double sigma = 2.0;     // mV
};

std::string_view kind_name(synapse_kind kind);
synapse_kind kind_from_name(std::string_view name, std::string_view context);  // throws, listing the kinds
// Checks the time constants; errors start with `context` (the projection).
void validate(const synapse_spec& spec, std::string_view context);

// The receptor state of `size` neurons for one projection (graded: and the gates of `pre_size`
// presynaptic neurons, in variable(1)).
class receptor {
 public:
  receptor(const synapse_spec& spec, std::size_t size, double dt, std::size_t pre_size = 0);

  const synapse_spec& spec() const { return spec_; }
  std::size_t size() const { return size_; }
  // The state variables' names: {"g"}, or {"g_rise", "g_decay"} / {"g", "h"}; g is what acts.
  std::vector<std::string> variable_names() const;
  std::vector<double>& variable(std::size_t k) { return k == 0 ? a_ : b_; }
  const std::vector<double>& variable(std::size_t k) const { return k == 0 ? a_ : b_; }

  // g of neuron j now.
  double conductance(std::size_t j) const {
    return spec_.kind == synapse_kind::dual_exponential ? b_[j] - a_[j] : a_[j];
  }
  // Adds this receptor's current to the membrane port's two sums: conductance output b += g,
  // a += g E; current output a += g (n = size() neurons; or only neurons [begin, end), b and a still
  // indexed by neuron).
  void add_current(double* b, double* a) const { add_current(b, a, 0, size_); }
  void add_current(double* b, double* a, std::size_t begin, std::size_t end) const;
  // The same sums with the state as it will be tau ms from now without events (exactly: the
  // equations are linear), for the stages inside a step of a network integrated as one system.
  // Graded: add_current (its g is summed from the gates by the network).
  void add_current_at(double tau, double* b, double* a) const;
  // Graded: ds/dt of each gate, given the gates s and the presynaptic voltages (pre_size of each).
  void gate_derivatives(const double* s, const double* v_pre, double* dsdt) const;
  // One step of dt, exactly (the equations are linear between events). Graded: nothing (its g is
  // computed from the gates; the gates move with update_gates). Or only neurons [begin, end).
  void decay() { decay(0, size_); }
  void decay(std::size_t begin, std::size_t end);
  // Graded: each gate over dt with its presynaptic voltage frozen at the step's start (exact for that
  // frozen voltage: s -> s_inf + (s - s_inf) exp(-(alpha F + beta) dt)).
  void update_gates(const double* v_pre);
  // One event of weight w onto neuron j.
  void add(std::size_t j, double w) {
    switch (spec_.kind) {
      case synapse_kind::exponential: a_[j] += w; break;
      case synapse_kind::dual_exponential:
        a_[j] += jump_ * w;
        b_[j] += jump_ * w;
        break;
      case synapse_kind::alpha: b_[j] += jump_ * w; break;
      case synapse_kind::graded: break;  // no events
    }
  }

 private:
  synapse_spec spec_;
  std::size_t size_;
  double dt_;
  double jump_ = 1.0;               // dual_exponential: f; alpha: e / tau
  double factor_a_ = 1.0, factor_b_ = 1.0;  // exp(-dt / tau) of each state
  std::vector<double> a_, b_;       // exponential: g; dual: A, B; alpha: g, h; graded: g, s (per pre)
};

}  // namespace ionode::network
