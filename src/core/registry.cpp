// The model registry; the built-in models' entries are in models/, their kernels in kernels/.
#include "ionode/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "ionode/error.hpp"
#include "ionode/suggest.hpp"
#include "models/builtin_entries.hpp"

namespace ionode {

model_registry& model_registry::global() {
  static model_registry registry = [] {
    model_registry r;
    r.add(builtin::hh_entry());
    r.add(builtin::morris_lecar_entry());
    r.add(builtin::pinsky_rinzel_entry());
    r.add(builtin::wang_buzsaki_entry());
    r.add(builtin::traub_miles_entry());
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
