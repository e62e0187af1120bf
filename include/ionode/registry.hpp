// Models by name, for the command line and configuration files. The four seed models are built in;
// a user-defined model becomes available with register_model<M>().
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ionode/analysis/system.hpp"
#include "ionode/model_info.hpp"
#include "ionode/population.hpp"

namespace ionode {

using model_options = std::map<std::string, std::string>;

// A model option such as PinskyRinzel's variant or HH's preset: its allowed values, first = default.
struct model_option {
  std::string name;
  std::vector<std::string> values;
  std::string description;
};

struct model_entry {
  std::string name;
  std::vector<std::string> aliases;  // e.g. BrainPy's class names
  std::string summary;
  std::vector<model_option> options;
  // The model's description with the given (already validated) options applied.
  std::function<model_info(const model_options&)> describe;
  std::function<population(const population_options&, const model_options&)> create;
  // The model as a vector field for the analysis (ionode analyze), with the options applied.
  std::function<std::unique_ptr<analysis::system>(const model_options&)> analyze;
};

class model_registry {
 public:
  static model_registry& global();  // holds the built-in models from the start

  void add(model_entry entry);  // throws ionode::error if the name or an alias is taken
  const model_entry& find(std::string_view name) const;  // by name or alias
  const std::vector<model_entry>& entries() const { return entries_; }

 private:
  std::vector<model_entry> entries_;
};

// Checks option names and values against the entry; fills in defaults. Errors name the option.
model_options resolve_options(const model_entry& entry, const model_options& given);

// A population of a registered model.
population make_population(std::string_view model, const population_options& options,
                           const model_options& given_options = {});

// The registry entry of a user-defined model type, named M::name (or `name`), with no options.
template <class M>
model_entry make_model_entry(std::string summary = "", std::string name = "") {
  model_entry entry;
  entry.name = name.empty() ? std::string(M::name) : name;
  entry.summary = std::move(summary);
  const std::string registered = entry.name;
  entry.describe = [registered](const model_options&) {
    model_info info = describe_model<M>();
    info.name = registered;
    return info;
  };
  entry.create = [describe = entry.describe](const population_options& options, const model_options& o) {
    return population::create<M>(options, describe(o));
  };
  entry.analyze = [describe = entry.describe](const model_options& o) { return analysis::make_system<M>(describe(o)); };
  return entry;
}

// Registers a user-defined model type under its M::name (or `name`), with no options. (A Python
// extension adds to the Python module's registry instead: ionode/python/register_model.hpp.)
template <class M>
void register_model(std::string summary = "", std::string name = "") {
  model_registry::global().add(make_model_entry<M>(std::move(summary), std::move(name)));
}

}  // namespace ionode
