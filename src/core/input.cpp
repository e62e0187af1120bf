// Input operations by their BrainPy spellings.
#include "ionode/input.hpp"

#include <fmt/format.h>

#include "ionode/error.hpp"

namespace ionode {

input_op parse_input_op(std::string_view op) {
  if (op == "+") return input_op::add;
  if (op == "-") return input_op::subtract;
  if (op == "*") return input_op::multiply;
  if (op == "/") return input_op::divide;
  if (op == "=") return input_op::assign;
  throw error(fmt::format("unknown input operation '{}'; allowed: +, -, *, /, =", op));
}

std::string_view to_string(input_op op) {
  switch (op) {
    case input_op::add: return "+";
    case input_op::subtract: return "-";
    case input_op::multiply: return "*";
    case input_op::divide: return "/";
    case input_op::assign: return "=";
  }
  return "?";
}

}  // namespace ionode
