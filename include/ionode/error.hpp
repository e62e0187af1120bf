// Error types: ionode::error for user or model errors, ionode::internal_error for bugs in ionode.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace ionode {

// A user or model error: bad input, an unknown name, a diverged simulation. The message names the
// offending thing, its value and what is allowed.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The state of a simulation became non-finite. The runner keeps everything recorded before it.
class divergence_error : public error {
 public:
  divergence_error(const std::string& message, std::size_t neuron, std::size_t batch_index,
                   std::string variable, double time)
      : error(message), neuron_(neuron), batch_(batch_index), variable_(std::move(variable)), time_(time) {}
  std::size_t neuron() const { return neuron_; }
  std::size_t batch_index() const { return batch_; }
  const std::string& variable() const { return variable_; }
  double time() const { return time_; }

 private:
  std::size_t neuron_;
  std::size_t batch_;
  std::string variable_;
  double time_;
};

// A run stopped on request (runner::stop_when; the CLI's Ctrl-C) at a step boundary. Not an
// `error`: nothing was wrong, and what was recorded up to then is kept, marked incomplete.
class interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A broken invariant inside ionode: a bug, never the user's fault.
class internal_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace ionode
