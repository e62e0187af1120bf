// Reading checked values out of a parsed TOML configuration; errors name the key, the value and what is
// allowed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace ionode::cli {

// The value as written in the file, shortened to `limit` characters for error messages.
std::string node_text(const toml::node& node, std::size_t limit = 60);

[[noreturn]] void fail(const std::string& key, const toml::node& node, const std::string& allowed);

// Throws for a key of `table` that is not in `allowed`, suggesting the nearest; `where` names the table.
void check_keys(const toml::table& table, const std::string& where, const std::vector<std::string>& allowed);

double as_number(const toml::node& node, const std::string& key);
std::int64_t as_integer(const toml::node& node, const std::string& key, std::int64_t minimum);
std::string as_string(const toml::node& node, const std::string& key);
bool as_boolean(const toml::node& node, const std::string& key);
std::vector<double> as_number_list(const toml::node& node, const std::string& key);

}  // namespace ionode::cli
