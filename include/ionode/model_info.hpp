// A model's description at run time: names, units, defaults. Built from a model type's metadata.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ionode/model.hpp"

namespace ionode {

struct model_info {
  std::string name;         // as registered ("HH", "PinskyRinzel", or a user model's name)
  std::string variant;      // model options in force, e.g. "variant=paper" or "preset=classic"
  std::string reference;
  std::vector<variable_info> variables;
  std::vector<parameter_info> parameters;  // defaults after any preset
  std::vector<input_info> inputs;
  std::size_t spike_variable = 0;
  std::size_t threshold_parameter = 0;
  // Where synaptic currents enter (model.hpp); empty: the model cannot be a projection's target.
  std::vector<membrane_port> membranes;

  // Index lookups; each throws ionode::error naming the unknown name and listing the known ones.
  std::size_t variable_index(std::string_view variable) const;
  std::size_t parameter_index(std::string_view parameter) const;
  std::size_t input_index(std::string_view input) const;
};

template <neuron_model M>
model_info describe_model() {
  model_info info;
  info.name = std::string(M::name);
  if constexpr (requires { M::reference; }) info.reference = std::string(M::reference);
  info.variables.assign(M::variables.begin(), M::variables.end());
  info.parameters.assign(M::parameters.begin(), M::parameters.end());
  info.inputs.assign(M::inputs.begin(), M::inputs.end());
  info.spike_variable = M::spike_variable;
  info.threshold_parameter = M::threshold_parameter;
  if constexpr (has_membrane_ports<M>) info.membranes.assign(M::membranes.begin(), M::membranes.end());
  return info;
}

}  // namespace ionode
