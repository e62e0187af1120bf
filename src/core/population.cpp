// The population facade: forwards to the model-specific implementation.
#include "ionode/population.hpp"

namespace ionode {

const model_info& population::model() const { return impl_->info(); }
const population_options& population::options() const { return impl_->options(); }
std::size_t population::size() const { return impl_->size(); }
std::size_t population::batch() const { return impl_->options().batch; }
std::size_t population::copies() const { return impl_->copies(); }
std::size_t population::instances() const { return impl_->instances(); }

std::span<const double> population::state(std::string_view variable) const {
  return {impl_->variable_data(impl_->info().variable_index(variable)), impl_->instances()};
}
std::span<double> population::state(std::string_view variable) {
  return {impl_->variable_data(impl_->info().variable_index(variable)), impl_->instances()};
}
double population::parameter(std::string_view name, std::size_t instance) const {
  return impl_->parameter(impl_->info().parameter_index(name)).at(instance);
}
void population::reset() { impl_->reset(); }

}  // namespace ionode
