// MPI (Open MPI from Debian): the context of a run started by mpirun. Built into ionode_mpi when
// IONODE_MPI is on (CMake finds MPI; on by default when it does).
#pragma once

#include <memory>

#include "ionode/distributed/context.hpp"

namespace ionode::distributed {

// True when this process was started by mpirun or another MPI launcher (its environment says so).
bool launched_by_mpi();

// MPI_COMM_WORLD; MPI is initialized on the first call (MPI_THREAD_FUNNELED: only the calling thread
// talks to MPI) and finalized at exit. Throws ionode::error when this build has no MPI.
std::shared_ptr<context> mpi_world();

// True when this build has MPI.
bool have_mpi();

}  // namespace ionode::distributed
