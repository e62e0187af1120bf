// The kernels of models::traub_miles in float (kernels.hpp says why one unit each).
#include "ionode/models/traub_miles.hpp"
#include "kernels.hpp"

IONODE_KERNELS(ionode::models::traub_miles, float)
