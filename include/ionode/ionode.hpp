// Everything a user of the C++ API needs: models, populations, the runner and the registry.
#pragma once

#include "ionode/error.hpp"
#include "ionode/generators.hpp"
#include "ionode/initializer.hpp"
#include "ionode/input.hpp"
#include "ionode/integrators/method.hpp"
#include "ionode/model.hpp"
#include "ionode/models/hh.hpp"
#include "ionode/models/morris_lecar.hpp"
#include "ionode/models/pinsky_rinzel.hpp"
#include "ionode/models/traub_miles.hpp"
#include "ionode/models/wang_buzsaki.hpp"
#include "ionode/population.hpp"
#include "ionode/registry.hpp"
#include "ionode/runner.hpp"
#include "ionode/version.hpp"
