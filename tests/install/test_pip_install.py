"""`pip install .` from a copy of this repository into a virtual environment over Debian's NumPy,
offline (--no-build-isolation --no-index), then `import ionode` from another folder.

This builds the library and the extension from scratch through setup.py (a few minutes on 2 cores).
"""

import os
import re
import shutil
from pathlib import Path

import numpy as np

from conftest import IONODE_BIN, SOURCE, run


def versions():
    cmake = re.search(r"project\(ionode VERSION (\S+)", (SOURCE / "CMakeLists.txt").read_text()).group(1)
    pyproject = re.search(r'^version = "([^"]+)"', (SOURCE / "pyproject.toml").read_text(), re.M).group(1)
    header = re.search(r'version = "([^"]+)"', (SOURCE / "include/ionode/version.hpp").read_text()).group(1)
    return cmake, pyproject, header


def test_versions_agree():
    cmake, pyproject, header = versions()
    assert cmake == pyproject == header


def test_pip_install_into_a_venv(tmp_path):
    tree = tmp_path / "ionode-src"
    shutil.copytree(SOURCE, tree, ignore=shutil.ignore_patterns(".git", "build", "build-*", "__pycache__", "*.npz"))
    venv = tmp_path / "venv"
    run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", venv])
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL="2")
    env.pop("PYTHONPATH", None)  # the installed package, not the build tree's
    run([venv / "bin" / "python", "-m", "pip", "install", "--no-build-isolation", "--no-index", "."], cwd=tree, env=env)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import ionode, numpy as np\n"
        "g = ionode.neurons.HH(2, seed=0)\n"
        "r = ionode.DSRunner(g, monitors=['V'], inputs=('input', 10.), dt=0.1, progress_bar=False)\n"
        "r.run(200.)\n"
        "print(ionode.__file__)\nprint(ionode.__version__)\nprint(repr(r.spikes.times.tolist()))\n"
    )
    lines = run([venv / "bin" / "python", "-c", script], cwd=elsewhere, env=env).stdout.splitlines()
    assert Path(lines[0]).resolve().is_relative_to(venv.resolve())
    assert lines[1] == versions()[0]
    run([IONODE_BIN, "run", "-q", "-o", tmp_path / "cli.npz"], cwd=tmp_path)
    assert eval(lines[2]) == np.load(tmp_path / "cli.npz")["spike_times"].tolist()  # bitwise, same defaults
