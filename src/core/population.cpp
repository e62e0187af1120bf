// The population facade: forwards to the model-specific implementation.
#include "ionode/population.hpp"

#include "ionode/error.hpp"

namespace ionode {

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
double population::parameter(std::string_view name, std::size_t instance) const {
  return impl_->parameter(impl_->info().parameter_index(name)).at(instance);
}
void population::reset() { impl_->reset(); }

}  // namespace ionode
