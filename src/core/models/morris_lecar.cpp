// The registry entry of Morris-Lecar.
#include "ionode/models/morris_lecar.hpp"

#include "builtin_entries.hpp"

namespace ionode::builtin {

model_entry morris_lecar_entry() {
  return simple_entry<models::morris_lecar>({}, "Morris-Lecar barnacle muscle fiber (seed: V_Ca = 130 mV)");
}

}  // namespace ionode::builtin
