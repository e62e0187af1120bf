// A population: N neurons of one model (an int or a shape), optionally a batch of B independent
// copies, with per-neuron parameters and structure-of-arrays state.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ionode/model_info.hpp"
#include "ionode/population_options.hpp"

namespace ionode {

namespace detail {
class population_base;
template <class M, class R>
class population_impl;
}  // namespace detail

class population {
 public:
  // A population of a model type (the four built-in models or a user-defined one).
  template <class M>
  static population create(const population_options& options, model_info info);
  template <class M>
  static population create(const population_options& options = {});

  const model_info& model() const;
  const population_options& options() const;
  std::size_t size() const;       // N, neurons per copy
  std::size_t batch() const;      // B as given (0 when there is no batch axis)
  std::size_t copies() const;     // max(B, 1)
  std::size_t instances() const;  // copies() * size()

  // State of one variable for every instance, batch-major: element b * size() + i (float64
  // populations; a float32 one throws and offers values()).
  std::span<const double> state(std::string_view variable) const;
  std::span<double> state(std::string_view variable);
  // A copy of one variable for every instance, in double precision, for either precision.
  std::vector<double> values(std::string_view variable) const;
  // Sets one variable for every instance (values.size() == instances(); rounded to the storage
  // precision): the state the next step starts from. reset() still restores the initializers.
  void set_values(std::string_view variable, std::span<const double> values);
  // The value of a parameter for one instance (b * size() + i).
  double parameter(std::string_view name, std::size_t instance) const;
  // Re-evaluates the initial state (the same seed gives the same state) and clears the inputs.
  void reset();

  // A population around kernels made elsewhere (the built-in models' units, a backend's driver).
  static population adopt(std::shared_ptr<detail::population_base> impl);

  detail::population_base& impl() { return *impl_; }
  const detail::population_base& impl() const { return *impl_; }

 private:
  explicit population(std::shared_ptr<detail::population_base> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<detail::population_base> impl_;
};

}  // namespace ionode

#include "ionode/detail/population_impl.hpp"
