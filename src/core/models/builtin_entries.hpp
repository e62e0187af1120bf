// The registry entries of the built-in models, one unit each (src/core/models/<model>.cpp), so that
// no unit instantiates every model's vector field for the analysis; their kernels are in
// src/core/kernels/.
#pragma once

#include <string>
#include <vector>

#include "../kernels/kernels.hpp"
#include "ionode/analysis/system.hpp"
#include "ionode/registry.hpp"

namespace ionode::builtin {

model_entry hh_entry();
model_entry morris_lecar_entry();
model_entry pinsky_rinzel_entry();
model_entry wang_buzsaki_entry();
model_entry traub_miles_entry();

// An entry of a model without options.
template <class M>
model_entry simple_entry(std::vector<std::string> aliases, std::string summary) {
  model_entry entry;
  entry.name = std::string(M::name);
  entry.aliases = std::move(aliases);
  entry.summary = std::move(summary);
  entry.describe = [](const model_options&) { return describe_model<M>(); };
  entry.create = [](const population_options& p, const model_options&) {
    return kernels::create_builtin<M>(p, describe_model<M>());
  };
  entry.analyze = [](const model_options&) { return analysis::make_system<M>(describe_model<M>()); };
  return entry;
}

}  // namespace ionode::builtin
