// The population facade: forwards to the model-specific implementation.
#include "ionode/population.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ionode/error.hpp"

namespace ionode {

population population::adopt(std::shared_ptr<detail::population_base> impl) {
  if (impl == nullptr) throw internal_error("population::adopt: no kernels");
  return population(std::move(impl));
}

const model_info& population::model() const { return impl_->info(); }
const population_options& population::options() const { return impl_->options(); }
std::size_t population::size() const { return impl_->size(); }
std::size_t population::batch() const { return impl_->options().batch; }
std::size_t population::copies() const { return impl_->copies(); }
std::size_t population::instances() const { return impl_->instances(); }

namespace {
void require_float64(const detail::population_base& impl) {
  if (impl.options().precision != precision::float64) {
    throw error("population::state gives spans of float64 state; this population is float32: use "
                "population::values(variable) for a copy");
  }
}
}  // namespace

std::span<const double> population::state(std::string_view variable) const {
  require_float64(*impl_);
  return {impl_->variable_data(impl_->info().variable_index(variable)), impl_->instances()};
}
std::span<double> population::state(std::string_view variable) {
  require_float64(*impl_);
  return {impl_->variable_data(impl_->info().variable_index(variable)), impl_->instances()};
}
std::vector<double> population::values(std::string_view variable) const {
  const std::size_t v = impl_->info().variable_index(variable);
  std::vector<double> out(impl_->instances());
  for (std::size_t j = 0; j < out.size(); ++j) out[j] = impl_->read(v, j);
  return out;
}
void population::set_values(std::string_view variable, std::span<const double> values) {
  const std::size_t v = impl_->info().variable_index(variable);
  const std::size_t count = impl_->instances();
  if (values.size() != count) {
    throw error(fmt::format("set_values({}): got {} values; the population has {} instances", variable,
                            values.size(), count));
  }
  for (std::size_t j = 0; j < count; ++j) {
    if (!std::isfinite(values[j])) {
      throw error(fmt::format("{} = {} (instance {}) is not allowed; it must be finite", variable, values[j], j));
    }
  }
  for (std::size_t j = 0; j < count; ++j) impl_->write(v, j, values[j]);
  // Padding lanes repeat the last instance, as reset() leaves them (finite values for whole packs).
  for (std::size_t j = count; j < impl_->stride(); ++j) impl_->write(v, j, values[count - 1]);
}
double population::parameter(std::string_view name, std::size_t instance) const {
  return impl_->parameter(impl_->info().parameter_index(name)).at(instance);
}
void population::reset() { impl_->reset(); }

}  // namespace ionode
