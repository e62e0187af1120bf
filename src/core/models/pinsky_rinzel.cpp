// The registry entry of Pinsky-Rinzel, with its variant option (the paper's equations or the seed's).
#include "ionode/models/pinsky_rinzel.hpp"

#include "builtin_entries.hpp"

namespace ionode::builtin {

model_entry pinsky_rinzel_entry() {
  model_entry entry;
  entry.name = "PinskyRinzel";
  entry.aliases = {"PinskyRinzelModel"};
  entry.summary = "Pinsky-Rinzel two-compartment CA3 pyramidal cell (variant paper, or seed as BrainPy wrote it)";
  entry.options = {{"variant",
                    {"paper", "seed"},
                    "paper: Pinsky & Rinzel (1994), gate c in the K(Ca) current, Traub's alpha_c; "
                    "seed: the seed's equations exactly (never bursts)"}};
  entry.describe = [](const model_options& options) {
    const bool paper = options.at("variant") == "paper";
    model_info info =
        paper ? describe_model<models::pinsky_rinzel_paper>() : describe_model<models::pinsky_rinzel_seed>();
    info.variant = "variant=" + options.at("variant");
    return info;
  };
  entry.create = [describe = entry.describe](const population_options& p, const model_options& o) {
    if (o.at("variant") == "paper") return kernels::create_builtin<models::pinsky_rinzel_paper>(p, describe(o));
    return kernels::create_builtin<models::pinsky_rinzel_seed>(p, describe(o));
  };
  entry.analyze = [describe = entry.describe](const model_options& o) -> std::unique_ptr<analysis::system> {
    if (o.at("variant") == "paper") return analysis::make_system<models::pinsky_rinzel_paper>(describe(o));
    return analysis::make_system<models::pinsky_rinzel_seed>(describe(o));
  };
  return entry;
}

}  // namespace ionode::builtin
