// The kernels of models::pinsky_rinzel_paper in float (kernels.hpp says why one unit each).
#include "ionode/models/pinsky_rinzel.hpp"
#include "kernels.hpp"

IONODE_KERNELS(ionode::models::pinsky_rinzel_paper, float)
