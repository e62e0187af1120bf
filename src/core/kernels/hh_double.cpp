// The kernels of models::hh in double (kernels.hpp says why one unit each).
#include "ionode/models/hh.hpp"
#include "kernels.hpp"

IONODE_KERNELS(ionode::models::hh, double)
