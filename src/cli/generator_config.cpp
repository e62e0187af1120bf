// The eight generators of ionode::inputs read from a configuration's inline tables.
#include "generator_config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <optional>

#include "ionode/error.hpp"
#include "ionode/generators.hpp"
#include "toml_values.hpp"

namespace ionode::cli {

namespace {

using inputs::one_or_many;

// One generator's table of arguments, checked against the names it allows and requires.
class arguments {
 public:
  arguments(const toml::node& node, std::string key, const std::vector<std::string>& allowed,
            const std::vector<std::string>& required = {})
      : key_(std::move(key)), table_(node.as_table()) {
    if (table_ == nullptr) {
      fail(key_, node, fmt::format("it must be a table of arguments: {}", fmt::join(allowed, ", ")));
    }
    check_keys(*table_, key_, allowed);
    for (const auto& name : required) {
      if (!table_->contains(name)) {
        throw error(fmt::format("{}: the argument '{}' is missing; required: {}", key_, name,
                                fmt::join(required, ", ")));
      }
    }
  }

  std::string key(const std::string& name) const { return key_ + "." + name; }
  const toml::node& at(const std::string& name) const { return *table_->get(name); }

  double number(const std::string& name) const { return as_number(at(name), key(name)); }
  double number_or(const std::string& name, double fallback) const {
    return table_->contains(name) ? number(name) : fallback;
  }
  std::optional<double> optional_number(const std::string& name) const {
    if (!table_->contains(name)) return std::nullopt;
    return number(name);
  }
  bool flag_or(const std::string& name, bool fallback) const {
    return table_->contains(name) ? as_boolean(at(name), key(name)) : fallback;
  }
  std::size_t columns() const {
    return table_->contains("n") ? static_cast<std::size_t>(as_integer(at("n"), key("n"), 1)) : 1;
  }
  std::uint64_t seed_or(std::uint64_t fallback) const {
    return table_->contains("seed") ? static_cast<std::uint64_t>(as_integer(at("seed"), key("seed"), 0))
                                    : fallback;
  }

 private:
  std::string key_;
  const toml::table* table_;
};

// A number (scalar) or a list of numbers.
one_or_many as_one_or_many(const toml::node& node, const std::string& key) {
  if (node.is_array()) return as_number_list(node, key);
  if (!node.is_number()) fail(key, node, "it must be a number or a list of numbers");
  return as_number(node, key);
}

time_series section(const toml::node& node, const std::string& key, const generator_defaults& run) {
  const arguments a(node, key, {"values", "durations"}, {"values", "durations"});
  const auto* list = a.at("values").as_array();
  if (list == nullptr) {
    fail(a.key("values"), a.at("values"), "it must be a list: a number or a per-neuron list per section");
  }
  std::vector<one_or_many> values;
  for (std::size_t k = 0; k < list->size(); ++k) {
    values.push_back(as_one_or_many(*list->get(k), fmt::format("{}[{}]", a.key("values"), k)));
  }
  return inputs::section_input(values, as_number_list(a.at("durations"), a.key("durations")), run.dt);
}

time_series constant(const toml::node& node, const std::string& key, const generator_defaults& run) {
  const auto* pairs = node.as_array();
  const std::string allowed = "it must be a list of [value, duration] pairs, e.g. [[0, 10], [5, 50]]";
  if (pairs == nullptr) fail(key, node, allowed);
  std::vector<std::pair<one_or_many, double>> values_and_durations;
  for (std::size_t k = 0; k < pairs->size(); ++k) {
    const std::string item = fmt::format("{}[{}]", key, k);
    const auto* pair = pairs->get(k)->as_array();
    if (pair == nullptr || pair->size() != 2) fail(item, *pairs->get(k), allowed);
    values_and_durations.emplace_back(as_one_or_many(*pair->get(0), item + "[0]"),
                                      as_number(*pair->get(1), item + "[1]"));
  }
  return inputs::constant_input(values_and_durations, run.dt);
}

time_series spike(const toml::node& node, const std::string& key, const generator_defaults& run) {
  const arguments a(node, key, {"times", "lens", "sizes", "duration"}, {"times", "lens", "sizes"});
  return inputs::spike_input(
      as_number_list(a.at("times"), a.key("times")), as_one_or_many(a.at("lens"), a.key("lens")),
      as_one_or_many(a.at("sizes"), a.key("sizes")), a.number_or("duration", run.duration), run.dt);
}

time_series ramp(const toml::node& node, const std::string& key, const generator_defaults& run) {
  const arguments a(node, key, {"c_start", "c_end", "duration", "t_start", "t_end"}, {"c_start", "c_end"});
  return inputs::ramp_input(a.number("c_start"), a.number("c_end"), a.number_or("duration", run.duration),
                            run.dt, a.number_or("t_start", 0), a.optional_number("t_end"));
}

// sinusoidal and square take the same arguments.
template <time_series (*generate)(double, double, double, double, double, std::optional<double>, bool)>
time_series oscillation(const toml::node& node, const std::string& key, const generator_defaults& run) {
  const arguments a(node, key, {"amplitude", "frequency", "duration", "t_start", "t_end", "bias"},
                    {"amplitude", "frequency"});
  return generate(a.number("amplitude"), a.number("frequency"), a.number_or("duration", run.duration), run.dt,
                  a.number_or("t_start", 0), a.optional_number("t_end"), a.flag_or("bias", false));
}

// The noise of an input is keyed by the run's seed (or its own) and the input's key, so two noisy inputs
// of one run are independent.
time_series wiener(const toml::node& node, const std::string& key, const generator_defaults& run) {
  const arguments a(node, key, {"duration", "n", "t_start", "t_end", "seed"});
  return inputs::wiener_process(a.number_or("duration", run.duration), run.dt, a.columns(),
                                a.number_or("t_start", 0), a.optional_number("t_end"),
                                {a.seed_or(run.seed), key});
}

time_series ou(const toml::node& node, const std::string& key, const generator_defaults& run) {
  const arguments a(node, key, {"mean", "sigma", "tau", "duration", "n", "t_start", "t_end", "seed"},
                    {"mean", "sigma", "tau"});
  return inputs::ou_process(
      a.number("mean"), a.number("sigma"), a.number("tau"), a.number_or("duration", run.duration), run.dt,
      a.columns(), a.number_or("t_start", 0), a.optional_number("t_end"), {a.seed_or(run.seed), key});
}

struct generator {
  const char* name;
  time_series (*build)(const toml::node&, const std::string&, const generator_defaults&);
};

constexpr std::array<generator, 8> generators = {{
    {"section", section},
    {"constant", constant},
    {"spike", spike},
    {"ramp", ramp},
    {"sinusoidal", oscillation<inputs::sinusoidal_input>},
    {"square", oscillation<inputs::square_input>},
    {"wiener", wiener},
    {"ou", ou},
}};

}  // namespace

const std::vector<std::string>& generator_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& g : generators) out.emplace_back(g.name);
    return out;
  }();
  return names;
}

time_series parse_generator(const std::string& name, const toml::node& args, const std::string& key,
                            const generator_defaults& defaults) {
  for (const auto& g : generators) {
    if (name != g.name) continue;
    try {
      return g.build(args, key, defaults);
    } catch (const error& e) {
      // The library names the argument; the key says which input of the file it belongs to.
      const std::string message = e.what();
      if (message.find(key) != std::string::npos) throw;
      throw error(fmt::format("{}: {}", key, message));
    }
  }
  throw internal_error(fmt::format("parse_generator: '{}' is not a generator", name));
}

}  // namespace ionode::cli
