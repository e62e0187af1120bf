// The model-independent parts of analysis::system: default parameters and naming the control.
#include "ionode/analysis/system.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ionode/error.hpp"
#include "ionode/suggest.hpp"

namespace ionode::analysis {

std::vector<double> system::default_theta() const {
  std::vector<double> theta;
  for (const auto& p : info_.parameters) theta.push_back(p.default_value);
  theta.resize(num_theta(), 0.0);
  return theta;
}

std::size_t control_index(const model_info& info, std::string_view name) {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < info.parameters.size(); ++k) {
    if (info.parameters[k].name == name) return k;
    names.emplace_back(info.parameters[k].name);
  }
  for (std::size_t k = 0; k < info.inputs.size(); ++k) {
    if (info.inputs[k].name == name) return info.parameters.size() + k;
    names.emplace_back(info.inputs[k].name);
  }
  if (name == "I" && !info.inputs.empty()) return info.parameters.size();
  if (!info.inputs.empty()) names.emplace_back("I");
  throw error(fmt::format("unknown parameter '{}' for model {}{}; known: {}", name, info.name,
                          did_you_mean(name, names), fmt::join(names, ", ")));
}

std::string_view control_name(const model_info& info, std::size_t index) {
  if (index < info.parameters.size()) return info.parameters[index].name;
  return info.inputs.at(index - info.parameters.size()).name;
}

}  // namespace ionode::analysis
