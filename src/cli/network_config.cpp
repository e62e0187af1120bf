// Parsing and checking of network configurations (docs/networks.md). Each population is read as a
// single-population configuration of its own (config.cpp), so every key means what it means there.
#include "network_config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "ionode/error.hpp"
#include "ionode/random.hpp"
#include "ionode/suggest.hpp"
#include "toml_values.hpp"

namespace ionode::cli {

namespace {

const std::vector<std::string> population_keys{"name", "model", "model_options", "size", "params", "initial",
                                               "noise", "method", "method_options", "precision", "seed",
                                               "inputs", "monitors"};

// A list of numbers: a number, a list, or {file = ...}.
std::vector<double> number_or_list(const toml::node& node, const std::string& key, const std::filesystem::path& base_dir) {
  if (node.is_number()) return {as_number(node, key)};
  if (node.is_array()) return as_number_list(node, key);
  if (const auto* t = node.as_table(); t != nullptr && t->contains("file")) return read_values(*t, key, base_dir);
  fail(key, node, "it must be a number, a list of numbers, or {file = \"x.npz\", key = \"NAME\"}");
}

population_config parse_source(const toml::table& table, const std::string& where, population_config out,
                               const network_config& net, const std::filesystem::path& base_dir) {
  const std::string key = "population " + out.name;
  auto& source = out.source;
  source.kind = as_string(*table.get("source"), key + ": source");
  const auto* size = table.get("size");
  if (size == nullptr) throw error(fmt::format("{}: the key 'size' is missing (the number of sources)", key));
  source.size = static_cast<std::size_t>(as_integer(*size, key + ": size", 1));
  source.seed = table.contains("seed") ? static_cast<std::uint64_t>(as_integer(*table.get("seed"), key + ": seed", 0))
                                       : random::hash_name(fmt::format("{}:{}", net.seed, out.name)) >> 1;
  if (source.kind == "poisson") {
    check_keys(table, where, {"name", "source", "size", "rate", "seed"});
    const auto* rate = table.get("rate");
    if (rate == nullptr) throw error(fmt::format("{}: the key 'rate' is missing (Hz: one, or one per neuron)", key));
    source.rates = number_or_list(*rate, key + ": rate", base_dir);
  } else if (source.kind == "spike_times") {
    check_keys(table, where, {"name", "source", "size", "indices", "times"});
    for (const char* k : {"indices", "times"}) {
      if (!table.contains(k)) throw error(fmt::format("{}: the key '{}' is missing (one neuron index per spike time)", key, k));
    }
    source.times = number_or_list(*table.get("times"), key + ": times", base_dir);
    for (double v : number_or_list(*table.get("indices"), key + ": indices", base_dir)) {
      if (v != std::floor(v) || !std::isfinite(v)) throw error(fmt::format("{}: indices: {} is not a whole number", key, v));
      source.indices.push_back(static_cast<std::int64_t>(v));
    }
  } else {
    throw error(fmt::format("{}: source = '{}' is unknown; sources: poisson, spike_times", key, source.kind));
  }
  return out;
}

population_config parse_population(const toml::table& table, std::size_t index, const network_config& net,
                                   const toml::table& top, const std::string& source,
                                   const std::filesystem::path& base_dir) {
  const std::string where = fmt::format("populations[{}]", index);
  population_config out;
  const auto* name = table.get("name");
  if (name == nullptr) throw error(fmt::format("{}: the key 'name' is missing (each population is named)", where));
  out.name = as_string(*name, where + ".name");
  if (out.name.empty() || out.name.find_first_of(" ./\\\"'") != std::string::npos) {
    fail(where + ".name", *name, "it must be a non-empty name without spaces, dots, slashes or quotes");
  }
  if (table.contains("source")) return parse_source(table, where, std::move(out), net, base_dir);
  check_keys(table, where, population_keys);
  // The population as a configuration of its own, with the network's clock, threads and seed.
  toml::table own = table;
  own.erase("name");
  for (const char* key : {"duration", "dt", "threads"}) {
    if (const auto* n = top.get(key)) own.insert_or_assign(key, *n);
  }
  if (!own.contains("seed")) {
    // Each population draws its own random values unless given a seed: the network's, mixed with its name.
    own.insert_or_assign("seed", static_cast<std::int64_t>(random::hash_name(fmt::format("{}:{}", net.seed, out.name)) >> 1));
  }
  try {
    out.run = parse_config_table(own, source, base_dir);
  } catch (const error& e) {
    throw error(fmt::format("population {}: {}", out.name, e.what()));
  }
  if (out.run.population.batch > 0) throw internal_error("a network population with a batch axis");
  return out;
}

network::synapse_values parse_synapse_values(const toml::node& node, const std::string& key, bool delay,
                                             const std::filesystem::path& base_dir) {
  using kind = network::synapse_values::kind;
  network::synapse_values v;
  const std::string allowed = fmt::format(
      "it must be a number ({}), {{normal = [mean, sd]}}, {{uniform = [low, high]}}, {{lognormal = [mu, sigma]}} "
      "(of the log) or {{file = \"x.npz\", key = \"NAME\"}} (one per synapse of an explicit list)",
      delay ? "ms" : "mS/cm^2, or uA/cm^2 for output = \"current\"");
  if (node.is_number()) {
    v.a = as_number(node, key);
    return v;
  }
  const auto* table = node.as_table();
  if (table == nullptr || table->empty()) fail(key, node, allowed);
  if (table->contains("file")) {
    v.type = kind::given;
    v.values = read_values(*table, key, base_dir);
    return v;
  }
  if (table->size() != 1) fail(key, node, allowed);
  const std::string name(table->begin()->first.str());
  const auto pair = as_number_list(table->begin()->second, key + "." + name);
  if (pair.size() != 2) fail(key + "." + name, table->begin()->second, "it must be a list of two numbers");
  v.a = pair[0];
  v.b = pair[1];
  if (name == "normal") {
    v.type = kind::normal;
  } else if (name == "uniform") {
    v.type = kind::uniform;
  } else if (name == "lognormal") {
    v.type = kind::lognormal;
  } else {
    fail(key, node, allowed);
  }
  return v;
}

network::connection_rule parse_rule(const toml::node& node, const std::string& key,
                                    const std::filesystem::path& base_dir) {
  using kind = network::connection_rule::kind;
  const auto* table = node.as_table();
  const std::string rules = "all_to_all, one_to_one, probability, in_degree, out_degree, file";
  if (table == nullptr) fail(key, node, fmt::format("it must be a table {{rule = \"...\", ...}} with rule one of {}", rules));
  const auto* rule_node = table->get("rule");
  if (rule_node == nullptr) throw error(fmt::format("{}: the key 'rule' is missing; rules: {}", key, rules));
  const std::string rule = as_string(*rule_node, key + ".rule");
  network::connection_rule out;
  const auto autapses = [&] {
    if (const auto* n = table->get("autapses")) out.autapses = as_boolean(*n, key + ".autapses");
  };
  if (rule == "all_to_all") {
    check_keys(*table, key, {"rule", "autapses"});
    out.type = kind::all_to_all;
    autapses();
  } else if (rule == "one_to_one") {
    check_keys(*table, key, {"rule"});
    out.type = kind::one_to_one;
  } else if (rule == "probability") {
    check_keys(*table, key, {"rule", "p", "autapses"});
    out.type = kind::probability;
    const auto* p = table->get("p");
    if (p == nullptr) throw error(fmt::format("{}: rule probability needs p (each pair connected with probability p)", key));
    out.p = as_number(*p, key + ".p");
    autapses();
  } else if (rule == "in_degree" || rule == "out_degree") {
    check_keys(*table, key, {"rule", "degree", "autapses"});
    out.type = rule == "in_degree" ? kind::in_degree : kind::out_degree;
    const auto* degree = table->get("degree");
    if (degree == nullptr) throw error(fmt::format("{}: rule {} needs degree", key, rule));
    out.degree = static_cast<std::size_t>(as_integer(*degree, key + ".degree", 0));
    autapses();
  } else if (rule == "file") {
    check_keys(*table, key, {"rule", "file", "pre", "post"});
    out.type = kind::explicit_list;
    const auto* file = table->get("file");
    if (file == nullptr) throw error(fmt::format("{}: rule file needs file = \"synapses.npz\"", key));
    for (const auto* side : {"pre", "post"}) {
      toml::table source;
      source.insert("file", *file);
      source.insert("key", table->contains(side) ? as_string(*table->get(side), key + "." + side) : std::string(side));
      const std::vector<double> values = read_values(source, fmt::format("{}.{}", key, side), base_dir);
      auto& into = std::string(side) == "pre" ? out.pre : out.post;
      into.reserve(values.size());
      for (std::size_t s = 0; s < values.size(); ++s) {
        if (values[s] != std::floor(values[s]) || !std::isfinite(values[s])) {
          throw error(fmt::format("{}.{}: entry {} is {}; neuron indices are whole numbers", key, side, s, values[s]));
        }
        into.push_back(static_cast<std::int64_t>(values[s]));
      }
    }
  } else {
    const std::vector<std::string> names{"all_to_all", "one_to_one", "probability", "in_degree", "out_degree", "file"};
    throw error(fmt::format("{}.rule = '{}' is unknown{}; rules: {}", key, rule, did_you_mean(rule, names), rules));
  }
  return out;
}

projection_config parse_projection(const toml::table& table, std::size_t index, const network_config& net,
                                   const std::filesystem::path& base_dir) {
  std::string where = fmt::format("projections[{}]", index);
  check_keys(table, where,
             {"name", "pre", "post", "target", "synapse", "tau", "tau_rise", "E", "output", "connect", "weight",
              "delay", "seed", "initial", "alpha", "beta", "theta", "sigma"});
  projection_config out;
  auto& spec = out.spec;
  for (const char* key : {"pre", "post"}) {
    const auto* n = table.get(key);
    if (n == nullptr) throw error(fmt::format("{}: the key '{}' is missing (a population's name)", where, key));
    (std::string(key) == "pre" ? spec.pre : spec.post) = as_string(*n, where + "." + key);
  }
  spec.name = table.contains("name") ? as_string(*table.get("name"), where + ".name") : spec.pre + "->" + spec.post;
  where = fmt::format("projection {}", spec.name);
  for (const auto& p : net.populations) (void)p;
  const auto known = [&](const std::string& population, const char* key) {
    std::vector<std::string> names;
    for (const auto& p : net.populations) {
      if (p.name == population) return;
      names.push_back(p.name);
    }
    throw error(fmt::format("{}: {} = '{}' is not a population{}; the network has: {}", where, key, population,
                            did_you_mean(population, names), fmt::join(names, ", ")));
  };
  known(spec.pre, "pre");
  known(spec.post, "post");
  if (const auto* n = table.get("target")) spec.target = as_string(*n, where + ".target");
  if (const auto* n = table.get("synapse")) spec.synapse.kind = network::kind_from_name(as_string(*n, where + ".synapse"), where);
  if (const auto* n = table.get("tau")) spec.synapse.tau = as_number(*n, where + ".tau");
  if (const auto* n = table.get("tau_rise")) {
    if (spec.synapse.kind != network::synapse_kind::dual_exponential) {
      throw error(fmt::format("{}: tau_rise applies to synapse = \"dual_exponential\" only", where));
    }
    spec.synapse.tau_rise = as_number(*n, where + ".tau_rise");
  }
  const bool graded = spec.synapse.kind == network::synapse_kind::graded;
  for (const auto& [key, field] : {std::pair{"alpha", &network::synapse_spec::alpha}, std::pair{"beta", &network::synapse_spec::beta},
                                   std::pair{"theta", &network::synapse_spec::theta}, std::pair{"sigma", &network::synapse_spec::sigma}}) {
    if (const auto* n = table.get(key)) {
      if (!graded) throw error(fmt::format("{}: {} applies to synapse = \"graded\" only", where, key));
      spec.synapse.*field = as_number(*n, where + "." + key);
    }
  }
  if (graded && table.contains("tau")) {
    throw error(fmt::format("{}: a graded synapse has no tau; its kinetics are alpha, beta, theta and sigma", where));
  }
  if (const auto* n = table.get("output")) {
    const std::string output = as_string(*n, where + ".output");
    if (output == "current") {
      spec.synapse.output = network::synapse_output::current;
    } else if (output != "conductance") {
      fail(where + ".output", *n, "it must be \"conductance\" (g (E - V), the default) or \"current\" (g in uA/cm^2)");
    }
  }
  if (const auto* n = table.get("E")) {
    if (spec.synapse.output == network::synapse_output::current) {
      throw error(fmt::format("{}: E applies to output = \"conductance\" only", where));
    }
    spec.synapse.E = as_number(*n, where + ".E");
  } else if (spec.synapse.output == network::synapse_output::conductance) {
    throw error(fmt::format("{}: the key 'E' is missing: a conductance synapse needs its reversal potential (mV)", where));
  }
  network::validate(spec.synapse, where);
  const auto* connect = table.get("connect");
  if (connect == nullptr) throw error(fmt::format("{}: the key 'connect' is missing, e.g. connect = {{rule = \"probability\", p = 0.02}}", where));
  spec.rule = parse_rule(*connect, where + ".connect", base_dir);
  if (const auto* n = table.get("weight")) {
    spec.weight = parse_synapse_values(*n, where + ".weight", false, base_dir);
  } else {
    throw error(fmt::format("{}: the key 'weight' is missing ({})", where,
                            spec.synapse.output == network::synapse_output::current ? "uA/cm^2" : "mS/cm^2"));
  }
  if (const auto* n = table.get("delay")) spec.delay = parse_synapse_values(*n, where + ".delay", true, base_dir);
  spec.seed = table.contains("seed") ? static_cast<std::uint64_t>(as_integer(*table.get("seed"), where + ".seed", 0))
                                     : net.seed;
  if (const auto* n = table.get("initial")) {
    const auto* initial = n->as_table();
    if (initial == nullptr) fail(where + ".initial", *n, "it must be a table of receptor variables, e.g. {g = 0.1}");
    for (const auto& [key, value] : *initial) {
      const std::string name(key.str()), here = where + ".initial." + name;
      out.initial[name] = as_value_spec(value, here, base_dir);
      validate_spec(out.initial[name], here);
    }
  }
  return out;
}

}  // namespace

bool is_network(const toml::table& table) { return table.contains("populations"); }

namespace {

toml::table read_table(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  std::ifstream in(file);
  if (!in) throw error(fmt::format("cannot open configuration file '{}'", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse_toml(text.str(), file.string(), overrides);
}

}  // namespace

bool is_network_file(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  return is_network(read_table(file, overrides));
}

network_config load_network_config(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  return parse_network_config(read_table(file, overrides), file.string(), file.parent_path());
}

network_config parse_network_config(const toml::table& table, const std::string& source,
                                    const std::filesystem::path& base_dir) {
  check_keys(table, "", {"duration", "dt", "threads", "seed", "populations", "projections", "output"});
  network_config net;
  net.source = source;
  if (const auto* n = table.get("seed")) net.seed = static_cast<std::uint64_t>(as_integer(*n, "seed", 0));
  if (const auto* n = table.get("threads")) net.threads = static_cast<std::size_t>(as_integer(*n, "threads", 0));
  const auto* populations = table.get("populations")->as_array();
  if (populations == nullptr || populations->empty()) {
    fail("populations", *table.get("populations"), "it must be an array of tables, written [[populations]]");
  }
  for (std::size_t i = 0; i < populations->size(); ++i) {
    const auto* p = populations->get(i)->as_table();
    if (p == nullptr) fail(fmt::format("populations[{}]", i), *populations->get(i), "it must be a table");
    net.populations.push_back(parse_population(*p, i, net, table, source, base_dir));
    for (std::size_t k = 0; k + 1 < net.populations.size(); ++k) {
      if (net.populations[k].name == net.populations.back().name) {
        throw error(fmt::format("populations[{}]: name = '{}' is taken by populations[{}]; names must be unique", i,
                                net.populations.back().name, k));
      }
    }
  }
  // The clock and duration as a population reads them (the same keys, the same checks).
  const auto clock = std::find_if(net.populations.begin(), net.populations.end(),
                                  [](const population_config& p) { return p.source.kind.empty(); });
  if (clock == net.populations.end()) throw error("populations: the network has only sources; add a population of neurons");
  net.duration = clock->run.duration;
  net.dt = clock->run.runner.dt;
  if (const auto* n = table.get("projections")) {
    const auto* projections = n->as_array();
    if (projections == nullptr) fail("projections", *n, "it must be an array of tables, written [[projections]]");
    for (std::size_t i = 0; i < projections->size(); ++i) {
      const auto* p = projections->get(i)->as_table();
      if (p == nullptr) fail(fmt::format("projections[{}]", i), *projections->get(i), "it must be a table");
      net.projections.push_back(parse_projection(*p, i, net, base_dir));
    }
  }
  if (const auto* n = table.get("output")) {
    const auto* output = n->as_table();
    if (output == nullptr) fail("output", *n, "it must be a table such as [output]");
    check_keys(*output, "output", {"path"});
    if (const auto* v = output->get("path")) net.output = as_string(*v, "output.path");
  }
  return net;
}

}  // namespace ionode::cli
