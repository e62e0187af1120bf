// Name lookups on a model's description, with errors that list what is known.
#include "ionode/model_info.hpp"

#include <fmt/format.h>

#include "ionode/error.hpp"
#include "ionode/suggest.hpp"

namespace ionode {

namespace {

template <class Items>
std::size_t find_index(const Items& items, std::string_view wanted, std::string_view kind,
                       const std::string& model) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == wanted) return i;
    names.emplace_back(items[i].name);
  }
  throw error(fmt::format("unknown {} '{}' for model {}{}; known: {}", kind, wanted, model,
                          did_you_mean(wanted, names), fmt::join(names, ", ")));
}

}  // namespace

std::size_t model_info::variable_index(std::string_view variable) const {
  return find_index(variables, variable, "variable", name);
}
std::size_t model_info::parameter_index(std::string_view parameter) const {
  return find_index(parameters, parameter, "parameter", name);
}
std::size_t model_info::input_index(std::string_view input) const {
  return find_index(inputs, input, "input target", name);
}

}  // namespace ionode
