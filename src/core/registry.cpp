// The model registry and the built-in models with their options.
#include "ionode/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "ionode/error.hpp"
#include "ionode/models/hh.hpp"
#include "ionode/models/morris_lecar.hpp"
#include "ionode/models/pinsky_rinzel.hpp"
#include "ionode/models/wang_buzsaki.hpp"
#include "ionode/suggest.hpp"

namespace ionode {

namespace {

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
    return population::create<models::hh>(p, describe(o));
  };
  entry.analyze = [describe = entry.describe](const model_options& o) {
    return analysis::make_system<models::hh>(describe(o));
  };
  return entry;
}

template <class M>
model_entry simple_entry(std::vector<std::string> aliases, std::string summary) {
  model_entry entry;
  entry.name = std::string(M::name);
  entry.aliases = std::move(aliases);
  entry.summary = std::move(summary);
  entry.describe = [](const model_options&) { return describe_model<M>(); };
  entry.create = [](const population_options& p, const model_options&) { return population::create<M>(p); };
  entry.analyze = [](const model_options&) { return analysis::make_system<M>(describe_model<M>()); };
  return entry;
}

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
    if (o.at("variant") == "paper") return population::create<models::pinsky_rinzel_paper>(p, describe(o));
    return population::create<models::pinsky_rinzel_seed>(p, describe(o));
  };
  entry.analyze = [describe = entry.describe](const model_options& o) -> std::unique_ptr<analysis::system> {
    if (o.at("variant") == "paper") return analysis::make_system<models::pinsky_rinzel_paper>(describe(o));
    return analysis::make_system<models::pinsky_rinzel_seed>(describe(o));
  };
  return entry;
}

}  // namespace

model_registry& model_registry::global() {
  static model_registry registry = [] {
    model_registry r;
    r.add(hh_entry());
    r.add(simple_entry<models::morris_lecar>({}, "Morris-Lecar barnacle muscle fiber (seed: V_Ca = 130 mV)"));
    r.add(pinsky_rinzel_entry());
    r.add(simple_entry<models::wang_buzsaki>({"WangBuzsakiModel"}, "Wang-Buzsaki hippocampal interneuron"));
    return r;
  }();
  return registry;
}

void model_registry::add(model_entry entry) {
  std::vector<std::string> names = entry.aliases;
  names.push_back(entry.name);
  for (const auto& name : names) {
    for (const auto& existing : entries_) {
      if (existing.name == name ||
          std::find(existing.aliases.begin(), existing.aliases.end(), name) != existing.aliases.end()) {
        throw error(fmt::format("a model named '{}' is already registered", name));
      }
    }
  }
  entries_.push_back(std::move(entry));
}

const model_entry& model_registry::find(std::string_view name) const {
  std::vector<std::string> names;
  for (const auto& entry : entries_) {
    if (entry.name == name) return entry;
    if (std::find(entry.aliases.begin(), entry.aliases.end(), name) != entry.aliases.end()) return entry;
    names.push_back(entry.name);
  }
  throw error(fmt::format("unknown model '{}'{}; known: {}", name, did_you_mean(name, names), fmt::join(names, ", ")));
}

model_options resolve_options(const model_entry& entry, const model_options& given) {
  model_options resolved;
  for (const auto& [key, value] : given) {
    const auto option = std::find_if(entry.options.begin(), entry.options.end(),
                                     [&](const model_option& o) { return o.name == key; });
    if (option == entry.options.end()) {
      std::vector<std::string> names;
      for (const auto& o : entry.options) names.push_back(o.name);
      throw error(fmt::format("unknown model option '{}' for model {}{}; {}", key, entry.name,
                              did_you_mean(key, names),
                              names.empty() ? std::string("it has no options")
                                            : fmt::format("known: {}", fmt::join(names, ", "))));
    }
    if (std::find(option->values.begin(), option->values.end(), value) == option->values.end()) {
      throw error(fmt::format("model option {} = '{}' is not allowed for model {}; allowed: {}", key, value,
                              entry.name, fmt::join(option->values, ", ")));
    }
    resolved[key] = value;
  }
  for (const auto& option : entry.options) resolved.emplace(option.name, option.values.front());
  return resolved;
}

population make_population(std::string_view model, const population_options& options,
                           const model_options& given_options) {
  const model_entry& entry = model_registry::global().find(model);
  return entry.create(options, resolve_options(entry, given_options));
}

}  // namespace ionode
