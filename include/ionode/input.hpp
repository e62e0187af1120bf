// Inputs to a population's input variables (HH's `input`, Pinsky-Rinzel's `Is` and `Id`): a constant,
// one value per neuron, a time series with one row per step, or a function of time, combined into
// the step's input by an operation. Inputs accumulate within a step and are cleared after it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ionode {

enum class input_op { add, subtract, multiply, divide, assign };

// "+", "-", "*", "/", "=" (BrainPy's spellings). Throws ionode::error for anything else.
input_op parse_input_op(std::string_view op);
std::string_view to_string(input_op op);

// Row i is used at step i (counted from the runner's start or last reset). Row-major.
struct time_series {
  std::size_t rows = 0;
  std::size_t columns = 1;  // 1 (shared), N (per neuron) or B*N (per neuron and batch copy)
  std::vector<double> values;
};

using input_value = std::variant<double,                         // fix: the same value everywhere
                                 std::vector<double>,            // fix: one value per neuron (or instance)
                                 time_series,                    // iter: one row per step
                                 std::function<double(double)>>;  // func: a function of t (ms)

struct input {
  std::string target;  // an input variable of the model
  input_value value;
  input_op op = input_op::add;
  std::string origin;  // where the value came from, for error messages (e.g. "file I.npy"); optional
};

}  // namespace ionode
