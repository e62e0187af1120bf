// The registry entry of Traub-Miles (the COBAHH cell).
#include "ionode/models/traub_miles.hpp"

#include "builtin_entries.hpp"

namespace ionode::builtin {

model_entry traub_miles_entry() {
  return simple_entry<models::traub_miles>({},
                                           "Traub-Miles HH cell of the COBAHH benchmark (Brette et al. 2007)");
}

}  // namespace ionode::builtin
