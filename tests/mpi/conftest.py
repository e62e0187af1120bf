"""Helpers for the tests under mpirun (Open MPI from Debian; pytest with Debian's python3 and NumPy).

CTest sets IONODE_BIN to the built `ionode`. These machines have 2 cores, so runs of 3 and 4 ranks
use --oversubscribe; as root, Open MPI needs OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM).
"""

import os
import subprocess
import sys
from pathlib import Path

IONODE_BIN = os.environ.get("IONODE_BIN", "/work/main/build/ionode")
SOURCE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(SOURCE_DIR / "tests" / "common"))  # compare_results
TIMEOUT_S = 300

MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_mpi_yield_when_idle="1", OMPI_MCA_btl_vader_single_copy_mechanism="none")
if os.environ.get("IONODE_SANITIZED"):
    # scripts/sanitize.sh: Open MPI's components are unloaded before LeakSanitizer looks, so what they keep
    # until exit cannot be named in a suppression; address and undefined-behaviour errors still fail.
    MPI_ENV["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"



def mpirun_command(ranks, args):
    return ["mpirun", "--oversubscribe", "-np", str(ranks), IONODE_BIN, *[str(a) for a in args]]


def run_mpi(ranks, args, cwd, timeout=TIMEOUT_S):
    return subprocess.run(mpirun_command(ranks, args), cwd=str(cwd), capture_output=True, text=True,
                          timeout=timeout, env=MPI_ENV)


def run_alone(args, cwd, timeout=TIMEOUT_S):
    return subprocess.run([IONODE_BIN, *[str(a) for a in args]], cwd=str(cwd), capture_output=True, text=True,
                          timeout=timeout)
