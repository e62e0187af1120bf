// The kernels of models::morris_lecar in double (kernels.hpp says why one unit each).
#include "ionode/models/morris_lecar.hpp"
#include "kernels.hpp"

IONODE_KERNELS(ionode::models::morris_lecar, double)
