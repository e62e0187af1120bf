"""After the README's setup command, `ionode` is a command on PATH, and it is this build's binary
(scripts/setup.sh links /usr/local/bin/ionode to build/ionode)."""

import os
import shutil
import subprocess

from conftest import IONODE_BIN


def test_ionode_on_path_is_this_build():
    found = shutil.which("ionode")
    assert found is not None, "`ionode` is not on PATH: run scripts/setup.sh (README, Quick start)"
    assert os.path.realpath(found) == os.path.realpath(IONODE_BIN)
    done = subprocess.run(["ionode", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip()
