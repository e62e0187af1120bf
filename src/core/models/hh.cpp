// The registry entry of HH, with its preset option.
#include "ionode/models/hh.hpp"

#include "builtin_entries.hpp"

namespace ionode::builtin {

model_entry hh_entry() {
  model_entry entry;
  entry.name = "HH";
  entry.summary = "Hodgkin-Huxley squid axon (seed defaults: gL = 0.03; preset classic: gL = 0.3)";
  entry.options = {{"preset",
                    {"seed", "classic"},
                    "parameter set: the seed's (gL = 0.03 mS/cm^2) or Hodgkin and Huxley's (gL = 0.3)"}};
  entry.describe = [](const model_options& options) {
    model_info info = describe_model<models::hh>();
    const std::string& preset = options.at("preset");
    info.variant = "preset=" + preset;
    if (preset == "classic") {
      for (const auto& change : models::hh::preset_classic) {
        info.parameters[info.parameter_index(change.parameter)].default_value = change.value;
      }
    }
    return info;
  };
  entry.create = [describe = entry.describe](const population_options& p, const model_options& o) {
    return kernels::create_builtin<models::hh>(p, describe(o));
  };
  entry.analyze = [describe = entry.describe](const model_options& o) {
    return analysis::make_system<models::hh>(describe(o));
  };
  return entry;
}

}  // namespace ionode::builtin
