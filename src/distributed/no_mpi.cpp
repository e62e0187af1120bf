// A build without MPI (IONODE_MPI off): mpi.hpp's functions say so.
#include <cstdlib>

#include "ionode/distributed/mpi.hpp"
#include "ionode/error.hpp"

namespace ionode::distributed {

bool have_mpi() { return false; }

std::shared_ptr<context> mpi_world() {
  throw error("this ionode was built without MPI (IONODE_MPI=OFF, or CMake found no MPI); install libopenmpi-dev "
              "and rebuild to run on several ranks");
}

}  // namespace ionode::distributed
