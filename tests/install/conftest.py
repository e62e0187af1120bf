"""Shared by the installation tests: the paths CTest gives, and a command that must succeed."""

import os
import subprocess
from pathlib import Path

BUILD = Path(os.environ.get("IONODE_BUILD_DIR", "build"))
SOURCE = Path(os.environ.get("IONODE_SOURCE_DIR", "."))
IONODE_BIN = os.environ.get("IONODE_BIN", str(BUILD / "ionode"))


def run(args, timeout=1800, **kwargs):
    """Runs a command (its arguments made strings); fails the test with its output if it fails."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{args}\nstdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"
    return done
