// The kernels of models::wang_buzsaki in double (kernels.hpp says why one unit each).
#include "ionode/models/wang_buzsaki.hpp"
#include "kernels.hpp"

IONODE_KERNELS(ionode::models::wang_buzsaki, double)
