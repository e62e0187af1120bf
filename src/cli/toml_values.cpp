// Checked reads of TOML values for the configuration parsers.
#include "toml_values.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <sstream>

#include "ionode/error.hpp"
#include "ionode/suggest.hpp"

namespace ionode::cli {

namespace {

// One line of TOML-like text: floats in their shortest round-trip form (toml++ prints 17 digits,
// `-0.10000000000000001`), arrays and tables inline (toml++ prints a table over several lines).
void write_node(const toml::node& node, std::string& out) {
  if (const auto* s = node.as_string()) {
    out += '\'' + s->get() + '\'';
  } else if (const auto* f = node.as_floating_point()) {
    out += fmt::format("{}", f->get());
  } else if (const auto* array = node.as_array()) {
    out += '[';
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (i > 0) out += ", ";
      write_node(*array->get(i), out);
    }
    out += ']';
  } else if (const auto* table = node.as_table()) {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : *table) {
      out += first ? " " : ", ";
      first = false;
      out += std::string(key.str()) + " = ";
      write_node(value, out);
    }
    out += first ? "}" : " }";
  } else {
    std::ostringstream text;  // integers, booleans, dates: toml++'s own form
    node.visit([&](const auto& n) { text << n; });
    out += text.str();
  }
}

}  // namespace

std::string node_text(const toml::node& node, std::size_t limit) {
  std::string text;
  write_node(node, text);
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
