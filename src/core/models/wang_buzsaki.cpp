// The registry entry of Wang-Buzsaki.
#include "ionode/models/wang_buzsaki.hpp"

#include "builtin_entries.hpp"

namespace ionode::builtin {

model_entry wang_buzsaki_entry() {
  return simple_entry<models::wang_buzsaki>({"WangBuzsakiModel"}, "Wang-Buzsaki hippocampal interneuron");
}

}  // namespace ionode::builtin
