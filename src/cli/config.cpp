// Parsing and checking of configuration files with toml++.
#include "config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "generator_config.hpp"
#include "ionode/error.hpp"
#include "ionode/io/npy.hpp"
#include "ionode/suggest.hpp"
#include "toml_values.hpp"

namespace ionode::cli {

const char* const default_config_text = R"(# ionode's embedded default: the seed's first HH example.
model = "HH"
size = 2
duration = 200.0   # ms
dt = 0.1           # ms
method = "exp_auto"
seed = 0

[[inputs]]
target = "input"
value = 10.0       # uA/cm^2

[monitors]
variables = ["V"]
spikes = true

[output]
path = "ionode-result.npz"
)";


std::vector<double> read_values(const toml::table& table, const std::string& key, const std::filesystem::path& base_dir) {
  check_keys(table, key, {"file", "key", "range"});
  std::filesystem::path file = as_string(*table.get("file"), key + ".file");
  if (file.is_relative()) file = base_dir / file;
  io::npy_array array;
  const std::string extension = file.extension().string();
  if (extension == ".npz") {
    const auto* name_node = table.get("key");
    if (name_node == nullptr) {
      throw error(fmt::format("{}: {} is a .npz archive; say which array with key = \"NAME\"", key, file.string()));
    }
    const std::string name = as_string(*name_node, key + ".key");
    auto arrays = io::read_npz(file.string());
    const auto found = arrays.find(name);
    if (found == arrays.end()) {
      std::vector<std::string> names;
      for (const auto& [k, v] : arrays) names.push_back(k);
      throw error(fmt::format("{}: {} has no numeric array '{}'{}; it has: {}", key, file.string(), name,
                              did_you_mean(name, names), fmt::join(names, ", ")));
    }
    array = std::move(found->second);
  } else if (extension == ".npy") {
    if (table.contains("key")) throw error(fmt::format("{}: key applies to .npz archives; {} is a .npy file", key, file.string()));
    array = io::read_npy(file.string());
  } else {
    throw error(fmt::format("{}.file = '{}' is not allowed; give a .npy file or a .npz archive", key, file.string()));
  }
  std::vector<double> values = std::move(array.values);
  if (const auto* range = table.get("range")) {
    const auto* pair = range->as_array();
    if (pair == nullptr || pair->size() != 2) fail(key + ".range", *range, "it must be [begin, end] (end excluded)");
    const auto begin = static_cast<std::size_t>(as_integer(*pair->get(0), key + ".range[0]", 0));
    const auto end = static_cast<std::size_t>(as_integer(*pair->get(1), key + ".range[1]", 0));
    if (begin > end || end > values.size()) {
      throw error(fmt::format("{}.range = [{}, {}] is not allowed; the array has {} values, so 0 <= begin <= end <= {}",
                              key, begin, end, values.size(), values.size()));
    }
    values = std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(begin),
                                 values.begin() + static_cast<std::ptrdiff_t>(end));
  }
  if (values.empty()) throw error(fmt::format("{}: {} holds no values", key, file.string()));
  return values;
}

// A parameter or initial value: a number, a list (one per neuron), or {uniform = [lo, hi]},
// {normal = [mean, sd]}, {constant = v}.
value_spec as_value_spec(const toml::node& node, const std::string& key, const std::filesystem::path& base_dir) {
  const std::string allowed =
      "it must be a number, a list with one value per neuron, {uniform = [lo, hi]}, {normal = [mean, sd]}, "
      "{constant = value} or {file = \"values.npz\", key = \"v0\", range = [begin, end]}";
  if (node.is_number()) return as_number(node, key);
  if (node.is_array()) return as_number_list(node, key);
  if (const auto* t = node.as_table(); t != nullptr && t->contains("file")) return read_values(*t, key, base_dir);
  const auto* table = node.as_table();
  if (table == nullptr || table->size() != 1) fail(key, node, allowed);
  const auto first = table->begin();
  const std::string kind(first->first.str());
  const toml::node& value = first->second;
  if (kind == "constant") return as_number(value, key + ".constant");
  if (kind == "uniform" || kind == "normal") {
    const auto pair = as_number_list(value, key + "." + kind);
    if (pair.size() != 2) fail(key + "." + kind, value, "it must be a list of two numbers");
    if (kind == "uniform") return init::uniform{pair[0], pair[1]};
    return init::normal{pair[0], pair[1]};
  }
  fail(key, node, allowed);
}

namespace {

// {file = "I.npy"}: one row per step, shape (T,) or (T, N).
void read_input_file(const toml::table& file_table, const std::string& key,
                     const std::filesystem::path& base_dir, input_config& config) {
  check_keys(file_table, key, {"file"});
  std::filesystem::path file = as_string(*file_table.get("file"), key + ".file");
  if (file.is_relative()) file = base_dir / file;
  const io::npy_array array = io::read_npy(file.string());
  time_series series;
  if (array.shape.size() == 1) {
    series.rows = array.shape[0];
    series.columns = 1;
  } else if (array.shape.size() == 2) {
    series.rows = array.shape[0];
    series.columns = array.shape[1];
  } else {
    throw error(fmt::format("{}: {} has {} dimensions; an input file must be (steps,) or (steps, neurons)",
                            key, file.string(), array.shape.size()));
  }
  series.values = array.values;
  config.description = fmt::format("file {} ({} x {})", file.string(), series.rows, series.columns);
  config.in.origin = "file " + file.string();
  config.in.value = std::move(series);
}

// {NAME = ARGUMENTS} with NAME one of generator_names(): a generated time series.
void generate_input(const toml::table& table, const std::string& key, const generator_defaults& run,
                    input_config& config) {
  const std::string name(table.begin()->first.str());
  const std::string generator_key = key + "." + name;
  time_series series = parse_generator(name, table.begin()->second, generator_key, run);
  // The metadata keeps the arguments in full, so that the run can be repeated from it.
  const std::string arguments = node_text(table.begin()->second, std::string::npos);
  config.description = fmt::format("{} {} ({} x {})", name, arguments, series.rows, series.columns);
  config.in.origin = generator_key;
  config.in.value = std::move(series);
}

input_config parse_input(const toml::table& table, std::size_t index, const std::filesystem::path& base_dir,
                         const generator_defaults& run) {
  const std::string where = fmt::format("inputs[{}]", index);
  check_keys(table, where, {"target", "value", "op"});
  input_config config;
  const auto* target = table.get("target");
  if (target == nullptr) throw error(fmt::format("{}: the key 'target' is missing (an input variable such as input, Is, Id)", where));
  config.in.target = as_string(*target, where + ".target");
  const auto* value = table.get("value");
  if (value == nullptr) throw error(fmt::format("{}: the key 'value' is missing", where));
  const std::string key = where + ".value";
  const auto* value_table = value->as_table();
  if (value->is_number()) {
    config.in.value = as_number(*value, key);
    config.description = fmt::format("{}", as_number(*value, key));
  } else if (value->is_array()) {
    auto list = as_number_list(*value, key);
    config.description = fmt::format("list of {} values", list.size());
    config.in.value = std::move(list);
  } else if (value_table != nullptr && value_table->size() == 1) {
    const std::string kind(value_table->begin()->first.str());
    const auto& generators = generator_names();
    if (kind == "file") {
      read_input_file(*value_table, key, base_dir, config);
    } else if (std::find(generators.begin(), generators.end(), kind) != generators.end()) {
      generate_input(*value_table, key, run, config);
    } else {
      std::vector<std::string> allowed = {"file"};
      allowed.insert(allowed.end(), generators.begin(), generators.end());
      throw error(fmt::format("{}: unknown input kind '{}'{}; allowed: {}", key, kind,
                              did_you_mean(kind, allowed), fmt::join(allowed, ", ")));
    }
  } else {
    fail(key, *value,
         fmt::format(
             "it must be a number, a list with one value per neuron, {{file = \"I.npy\"}}, or a generator "
             "{{NAME = {{...}}}} with NAME one of {}",
             fmt::join(generator_names(), ", ")));
  }
  if (const auto* op = table.get("op")) config.in.op = parse_input_op(as_string(*op, where + ".op"));
  return config;
}

// Merges an override into the configuration. A table of numbered keys applied to an array indexes it
// (toml++ reads `inputs.0.value = 100` as {inputs = {"0" = {value = 100}}}): entry 0 is changed, an
// index one past the end appends an entry; `where` is the key so far, for messages.
void merge(toml::table& into, const toml::table& from, const std::string& assignment, const std::string& where = "");

void merge_into_array(toml::array& into, const toml::table& from, const std::string& assignment,
                      const std::string& where) {
  for (const auto& [key, value] : from) {
    const std::string index_text(key.str());
    const std::string here = where + "." + index_text;
    if (index_text.empty() || index_text.size() > 9 || index_text.find_first_not_of("0123456789") != std::string::npos) {
      throw error(fmt::format("--set '{}' is not allowed: {} is a list, so the key after it must be an index from 0 "
                              "to {} (e.g. --set {}.0.value=100)",
                              assignment, where, into.size(), where));
    }
    const std::size_t index = std::stoul(index_text);
    if (index > into.size()) {
      throw error(fmt::format("--set '{}' is not allowed: {} has {} entries, so the index must be from 0 to {} ({} "
                              "adds one)",
                              assignment, where, into.size(), into.size(), into.size()));
    }
    if (index == into.size()) {
      into.push_back(value);
    } else if (auto* entry = into.get(index); entry->is_table() && value.is_table()) {
      merge(*entry->as_table(), *value.as_table(), assignment, here);
    } else {
      into.replace(into.begin() + static_cast<std::ptrdiff_t>(index), value);
    }
  }
}

void merge(toml::table& into, const toml::table& from, const std::string& assignment, const std::string& where) {
  for (const auto& [key, value] : from) {
    const std::string here = where.empty() ? std::string(key.str()) : where + "." + std::string(key.str());
    auto* existing = into.get(key);
    if (existing != nullptr && existing->is_table() && value.is_table()) {
      merge(*existing->as_table(), *value.as_table(), assignment, here);
    } else if (existing != nullptr && existing->is_array() && value.is_table()) {
      merge_into_array(*existing->as_array(), *value.as_table(), assignment, here);
    } else if (existing == nullptr && here == "inputs" && value.is_table()) {
      // --set inputs.0.target=... on a configuration without inputs starts the array of tables.
      toml::array inputs;
      merge_into_array(inputs, *value.as_table(), assignment, here);
      into.insert_or_assign(key, std::move(inputs));
    } else {
      into.insert_or_assign(key, value);
    }
  }
}

void apply_override(toml::table& config, const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw error(fmt::format("--set '{}' is not allowed; write key=value, e.g. --set dt=0.01 or --set params.gNa=100",
                            assignment));
  }
  const std::string key = assignment.substr(0, equals), value = assignment.substr(equals + 1);
  toml::table parsed;
  try {
    parsed = toml::parse(key + " = " + value);
  } catch (const toml::parse_error&) {
    try {  // a bare word such as --set model=WangBuzsaki is a string
      parsed = toml::parse(key + " = \"" + value + "\"");
    } catch (const toml::parse_error& e) {
      throw error(fmt::format("--set '{}' cannot be read: {}", assignment, e.description()));
    }
  }
  merge(config, parsed, assignment);
}

}  // namespace

toml::table parse_toml(const std::string& text, const std::string& source, const std::vector<std::string>& overrides) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw error(fmt::format("{}:{}:{}: malformed configuration: {}", source, e.source().begin.line,
                            e.source().begin.column, e.description()));
  }
  for (const auto& assignment : overrides) apply_override(table, assignment);
  return table;
}

run_config parse_config(const std::string& text, const std::string& source, const std::filesystem::path& base_dir,
                        const std::vector<std::string>& overrides) {
  const toml::table table = parse_toml(text, source, overrides);
  check_keys(table, "",
             {"model", "model_options", "size", "batch", "duration", "dt", "method", "seed", "method_options",
              "params", "initial", "noise", "inputs", "monitors", "output", "threads", "precision"});
  return parse_config_table(table, source, base_dir);
}

run_config parse_config_table(const toml::table& table, const std::string& source,
                              const std::filesystem::path& base_dir) {

  run_config config;
  config.source = source;
  if (const auto* n = table.get("model")) config.model = as_string(*n, "model");
  const model_entry& entry = model_registry::global().find(config.model);
  if (const auto* n = table.get("model_options")) {
    const auto* options = n->as_table();
    if (options == nullptr) fail("model_options", *n, "it must be a table such as [model_options]");
    model_options given;
    for (const auto& [key, value] : *options) given[std::string(key.str())] = as_string(value, "model_options." + std::string(key.str()));
    config.options = given;
  }
  config.options = resolve_options(entry, config.options);
  const model_info info = entry.describe(config.options);

  if (const auto* n = table.get("size")) {
    config.population.shape.clear();
    if (n->is_integer()) {
      config.population.shape.push_back(static_cast<std::size_t>(as_integer(*n, "size", 1)));
    } else if (const auto* array = n->as_array(); array != nullptr && !array->empty()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        config.population.shape.push_back(static_cast<std::size_t>(as_integer(*array->get(i), fmt::format("size[{}]", i), 1)));
      }
    } else {
      fail("size", *n, "it must be a positive integer or a list of them (a shape)");
    }
  }
  if (const auto* n = table.get("batch")) config.population.batch = static_cast<std::size_t>(as_integer(*n, "batch", 1));
  if (const auto* n = table.get("precision")) {
    const std::string value = as_string(*n, "precision");
    if (value == "float32") {
      config.population.precision = precision::float32;
    } else if (value != "float64") {
      fail("precision", *n, "it must be \"float64\" (default) or \"float32\"");
    }
  }
  if (const auto* n = table.get("threads")) config.runner.threads = static_cast<std::size_t>(as_integer(*n, "threads", 0));
  if (const auto* n = table.get("seed")) config.population.seed = static_cast<std::uint64_t>(as_integer(*n, "seed", 0));
  if (const auto* n = table.get("duration")) {
    config.duration = as_number(*n, "duration");
    if (!(config.duration > 0) || !std::isfinite(config.duration)) fail("duration", *n, "it must be a finite number of ms > 0");
  }
  if (const auto* n = table.get("dt")) {
    config.runner.dt = as_number(*n, "dt");
    if (!(config.runner.dt > 0) || !std::isfinite(config.runner.dt)) fail("dt", *n, "it must be a finite number of ms > 0");
  }
  if (config.runner.dt > config.duration * (1 + 1e-9)) {
    throw error(fmt::format("dt = {} ms is longer than duration = {} ms; no step would run", config.runner.dt,
                            config.duration));
  }
  steps_for(config.duration, config.runner.dt);  // refuses a step count past the int64 counter, naming both
  if (const auto* n = table.get("method")) {
    config.runner.method = as_string(*n, "method");
    find_method(config.runner.method);
  }
  if (const auto* n = table.get("method_options")) {
    const auto* options = n->as_table();
    if (options == nullptr) fail("method_options", *n, "it must be a table such as [method_options]");
    check_keys(*options, "method_options", {"rtol", "atol", "max_substeps"});
    if (const auto* v = options->get("rtol")) config.runner.tolerances.rtol = as_number(*v, "method_options.rtol");
    if (const auto* v = options->get("atol")) config.runner.tolerances.atol = as_number(*v, "method_options.atol");
    if (const auto* v = options->get("max_substeps")) {
      config.runner.tolerances.max_substeps = as_integer(*v, "method_options.max_substeps", 1);
    }
    validate(config.runner.tolerances);
  }
  if (const auto* n = table.get("params")) {
    const auto* params = n->as_table();
    if (params == nullptr) fail("params", *n, "it must be a table such as [params]");
    for (const auto& [key, value] : *params) {
      const std::string name(key.str());
      info.parameter_index(name);
      config.population.params[name] = as_value_spec(value, "params." + name, base_dir);
      validate_spec(config.population.params[name], "params." + name);
    }
  }
  if (const auto* n = table.get("initial")) {
    const auto* initial = n->as_table();
    if (initial == nullptr) fail("initial", *n, "it must be a table such as [initial]");
    for (const auto& [key, value] : *initial) {
      const std::string name(key.str());
      info.variable_index(name);
      config.population.initial[name] = as_value_spec(value, "initial." + name, base_dir);
      validate_spec(config.population.initial[name], "initial." + name);
    }
  }
  // noise = 1.0 (on the first variable, as BrainPy's `noise` argument) or a [noise] table by variable.
  if (const auto* n = table.get("noise")) {
    if (const auto* by_variable = n->as_table()) {
      for (const auto& [key, value] : *by_variable) {
        const std::string name(key.str());
        try {
          info.variable_index(name);
        } catch (const error& e) {
          throw error(fmt::format("noise.{}: {}", name, e.what()));
        }
        config.population.noise[name] = as_value_spec(value, "noise." + name, base_dir);
        validate_spec(config.population.noise[name], "noise." + name);
      }
    } else {
      const std::string first(info.variables.front().name);
      config.population.noise[first] = as_value_spec(*n, "noise", base_dir);
      validate_spec(config.population.noise[first], "noise");
    }
  }
  if (const auto* n = table.get("inputs")) {
    const auto* inputs = n->as_array();
    if (inputs == nullptr) fail("inputs", *n, "it must be an array of tables, written [[inputs]]");
    const generator_defaults run_defaults{config.duration, config.runner.dt, config.population.seed};
    for (std::size_t i = 0; i < inputs->size(); ++i) {
      const auto* input_table = inputs->get(i)->as_table();
      if (input_table == nullptr) fail(fmt::format("inputs[{}]", i), *inputs->get(i), "it must be a table");
      config.inputs.push_back(parse_input(*input_table, i, base_dir, run_defaults));
      info.input_index(config.inputs.back().in.target);
    }
  }
  if (const auto* n = table.get("monitors")) {
    const auto* monitors = n->as_table();
    if (monitors == nullptr) fail("monitors", *n, "it must be a table such as [monitors]");
    check_keys(*monitors, "monitors", {"variables", "indices", "every", "spikes"});
    if (const auto* v = monitors->get("variables")) {
      const auto* array = v->as_array();
      if (array == nullptr) fail("monitors.variables", *v, "it must be a list of variable names");
      for (std::size_t i = 0; i < array->size(); ++i) {
        config.monitors.variables.push_back(as_string(*array->get(i), fmt::format("monitors.variables[{}]", i)));
        info.variable_index(config.monitors.variables.back());
      }
    }
    if (const auto* v = monitors->get("indices")) {
      const auto* array = v->as_array();
      if (array == nullptr) fail("monitors.indices", *v, "it must be a list of neuron indices");
      for (std::size_t i = 0; i < array->size(); ++i) {
        config.monitors.indices.push_back(static_cast<std::size_t>(as_integer(*array->get(i), fmt::format("monitors.indices[{}]", i), 0)));
      }
    }
    if (const auto* v = monitors->get("every")) config.monitors.every = static_cast<std::size_t>(as_integer(*v, "monitors.every", 1));
    if (const auto* v = monitors->get("spikes")) config.monitors.spikes = as_boolean(*v, "monitors.spikes");
  }
  if (const auto* n = table.get("output")) {
    const auto* output = n->as_table();
    if (output == nullptr) fail("output", *n, "it must be a table such as [output]");
    check_keys(*output, "output", {"path"});
    if (const auto* v = output->get("path")) config.output = as_string(*v, "output.path");
  }
  return config;
}

run_config load_config(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  std::ifstream in(file);
  if (!in) throw error(fmt::format("cannot open configuration file '{}'", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), file.string(), file.parent_path(), overrides);
}

}  // namespace ionode::cli
