// Loads ../shared/reference/reference.json (independent SciPy solutions) and runs ionode on its cases.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ionode/ionode.hpp"

namespace ionode_validation {

struct reference_case {
  std::string key;  // HH, WB, ML, PR_seed, PR_paper
  std::string model;
  ionode::model_options options;
  std::string input_target;
  double current = 0;
  double duration = 0;
  std::vector<std::string> state_names;
  std::vector<double> initial_state;
  std::vector<double> spike_times;
  std::vector<double> final_state;
};

inline const nlohmann::json& reference_json() {
  static const nlohmann::json data = [] {
    std::ifstream in(IONODE_REFERENCE_JSON);
    if (!in) throw std::runtime_error("cannot open " IONODE_REFERENCE_JSON);
    return nlohmann::json::parse(in);
  }();
  return data;
}

inline reference_case load_case(const std::string& key) {
  for (const auto& entry : reference_json()["spike_time_references"]) {
    if (entry["model"] != key) continue;
    reference_case c;
    c.key = key;
    if (key == "HH") {
      c.model = "HH";
    } else if (key == "WB") {
      c.model = "WangBuzsaki";
    } else if (key == "ML") {
      c.model = "MorrisLecar";
    } else {
      c.model = "PinskyRinzel";
      c.options["variant"] = key == "PR_paper" ? "paper" : "seed";
    }
    c.input_target = c.model == "PinskyRinzel" ? "Is" : "input";
    c.current = entry["current"];
    c.duration = entry["duration_ms"];
    c.state_names = entry["state_names"].get<std::vector<std::string>>();
    c.initial_state = entry["initial_state"].get<std::vector<double>>();
    c.spike_times = entry["spike_times"].get<std::vector<double>>();
    c.final_state = entry["final_state"].get<std::vector<double>>();
    return c;
  }
  throw std::runtime_error("no reference case " + key);
}

struct case_result {
  std::vector<double> spike_times;
  std::vector<double> final_state;
};

// Runs one neuron of the case from its reference initial state (every variable set explicitly).
inline case_result run_case(const reference_case& c, const std::string& method, double dt, double tolerance = 1e-6,
                            double duration = -1) {
  ionode::population_options options;
  for (std::size_t k = 0; k < c.state_names.size(); ++k) options.initial[c.state_names[k]] = c.initial_state[k];
  ionode::population pop = ionode::make_population(c.model, options, c.options);
  ionode::runner_options run_options;
  run_options.dt = dt;
  run_options.method = method;
  run_options.tolerances.rtol = tolerance;
  run_options.tolerances.atol = tolerance;
  ionode::runner run(pop, run_options);
  run.add_input({c.input_target, c.current});
  run.run(duration > 0 ? duration : c.duration);
  case_result result;
  result.spike_times = run.result().spike_times;
  for (const auto& name : c.state_names) result.final_state.push_back(pop.state(name)[0]);
  return result;
}

}  // namespace ionode_validation
