// The one warning `ionode run` gives about accuracy: when a model's method and dt are known, from the
// reference cases (docs/numerics.md, "Known errors"), to put spike times far off. A table lookup: no
// extra computation. `ionode check CONFIG` measures a configuration's own error.
#pragma once

#include <optional>
#include <string>

#include "ionode/registry.hpp"

namespace ionode::cli {

// The warning for this run, if any (model by name or alias, options as given): the predicted spike-time drift over `duration` is at least
// `threshold_ms`, or the reference case loses or gains spikes at this dt.
std::optional<std::string> accuracy_warning(const std::string& model, const model_options& options,
                                            const std::string& method, double dt, double duration,
                                            double threshold_ms = 1.0);

}  // namespace ionode::cli
