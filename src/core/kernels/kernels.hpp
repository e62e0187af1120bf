// The kernels of the built-in models, compiled one model and precision per translation unit
// (src/core/kernels/<model>_<precision>.cpp), so that a build spreads them over the cores and no
// unit grows large (instrumented by AddressSanitizer, all of them in one unit took an hour and 9 GB).
// The registry's entries (src/core/models/) call create_builtin<M>, which never instantiates a kernel.
#pragma once

#include <memory>

#include "ionode/detail/population_base.hpp"
#include "ionode/population.hpp"

namespace ionode::kernels {

// Defined (specialized) in the unit of M and R only.
template <class M, class R>
std::shared_ptr<detail::population_base> make(const population_options& options, model_info info);

template <class M>
population create_builtin(const population_options& options, model_info info) {
  if (options.precision == precision::float32) return population::adopt(make<M, float>(options, std::move(info)));
  return population::adopt(make<M, double>(options, std::move(info)));
}

}  // namespace ionode::kernels

// The body of one kernel unit: `IONODE_KERNELS(models::hh, double)`.
#define IONODE_KERNELS(MODEL, REAL)                                                                    \
  template <>                                                                                         \
  std::shared_ptr<ionode::detail::population_base> ionode::kernels::make<MODEL, REAL>(               \
      const ionode::population_options& options, ionode::model_info info) {                          \
    return std::make_shared<ionode::detail::population_impl<MODEL, REAL>>(std::move(info), options); \
  }
