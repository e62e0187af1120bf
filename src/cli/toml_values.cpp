// Checked reads of TOML values for the configuration parsers.
#include "toml_values.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <sstream>

#include "ionode/error.hpp"
#include "ionode/suggest.hpp"

namespace ionode::cli {

std::string node_text(const toml::node& node, std::size_t limit) {
  std::ostringstream out;
  if (const auto* s = node.as_string()) {
    out << '\'' << s->get() << '\'';
  } else {
    node.visit([&](const auto& n) { out << n; });
  }
  std::string text = out.str();
  if (text.size() > limit) text = text.substr(0, limit - 3) + "...";
  return text;
}

void fail(const std::string& key, const toml::node& node, const std::string& allowed) {
  throw error(fmt::format("configuration key {} = {} is not allowed; {}", key, node_text(node), allowed));
}

void check_keys(const toml::table& table, const std::string& where, const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : table) {
    const std::string name(key.str());
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      throw error(fmt::format("unknown configuration key '{}'{}{}; allowed: {}", name,
                              where.empty() ? "" : " in [" + where + "]", did_you_mean(name, allowed),
                              fmt::join(allowed, ", ")));
    }
  }
}

double as_number(const toml::node& node, const std::string& key) {
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  fail(key, node, "it must be a number");
}

std::int64_t as_integer(const toml::node& node, const std::string& key, std::int64_t minimum) {
  const auto* i = node.as_integer();
  if (i == nullptr || i->get() < minimum) {
    fail(key, node, fmt::format("it must be an integer >= {}", minimum));
  }
  return i->get();
}

std::string as_string(const toml::node& node, const std::string& key) {
  const auto* s = node.as_string();
  if (s == nullptr) fail(key, node, "it must be a string");
  return s->get();
}

bool as_boolean(const toml::node& node, const std::string& key) {
  const auto* flag = node.as_boolean();
  if (flag == nullptr) fail(key, node, "it must be true or false");
  return flag->get();
}

std::vector<double> as_number_list(const toml::node& node, const std::string& key) {
  const auto* array = node.as_array();
  if (array == nullptr) fail(key, node, "it must be a list of numbers");
  std::vector<double> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    out.push_back(as_number(*array->get(i), fmt::format("{}[{}]", key, i)));
  }
  return out;
}

}  // namespace ionode::cli
