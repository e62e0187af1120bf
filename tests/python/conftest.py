"""Shared helpers for the Python module's tests (pytest with Debian's python3).

CTest sets PYTHONPATH to the build's python/ folder, so `import ionode` is the module just built,
and the paths of the programs the results are compared with (by hand:
`cd build && PYTHONPATH=python /usr/bin/python3 -m pytest ../tests/python`). Figures go to
build/tests/python-figures/ (kept, to be looked at); everything else to pytest's tmp_path.
"""

import os
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

BUILD_DIR = Path(os.environ.get("IONODE_BUILD_DIR", Path(__file__).resolve().parents[2] / "build"))
SOURCE_DIR = Path(os.environ.get("IONODE_SOURCE_DIR", Path(__file__).resolve().parents[2]))
IONODE_BIN = os.environ.get("IONODE_BIN", str(BUILD_DIR / "ionode"))
API_REFERENCE = os.environ.get("IONODE_API_REFERENCE", str(BUILD_DIR / "tests" / "ionode_python_api_reference"))
# The Connor-Stevens example's command line; None when the examples were not built.
CONNOR_STEVENS_BIN = os.environ.get("IONODE_CONNOR_STEVENS_BIN",
                                    str(BUILD_DIR / "examples" / "connor_stevens" / "connor_stevens"))
if not Path(CONNOR_STEVENS_BIN).exists():
    CONNOR_STEVENS_BIN = None
TIMEOUT_S = 120


@pytest.fixture
def figure_path():
    """figure_path(name) -> a path under build/tests/python-figures/ for a figure to keep."""
    folder = BUILD_DIR / "tests" / "python-figures"
    folder.mkdir(parents=True, exist_ok=True)
    return lambda name: folder / name


@pytest.fixture(autouse=True)
def reproducible_seeds():
    """Unseeded groups and generators draw fresh seeds (ionode.random); every test starts from
    ionode.random.seed(0) so that the suite gives the same numbers on every run, whatever the order
    (tests of the fresh default call ionode.random.seed(None))."""
    import ionode.random
    ionode.random.seed(0)
    yield
    ionode.random.seed(None)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


def run_program(args, cwd):
    """Runs a program, checks it succeeded, returns its stdout."""
    proc = subprocess.run([str(a) for a in args], cwd=str(cwd), capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc.stdout


def run_cli_config(tmp_path, text, binary=IONODE_BIN):
    """Runs `ionode run CONFIG -o out.npz` on TEXT and returns the result's arrays."""
    (tmp_path / "run.toml").write_text(text)
    run_program([binary, "run", "run.toml", "-o", "out.npz", "-q"], tmp_path)
    with np.load(tmp_path / "out.npz") as data:
        return {name: data[name] for name in data.files}


def assert_same_bits(actual, expected, what):
    """Equal arrays bit for bit (same shape, same float64 bit patterns)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    if actual.dtype.kind == "f":
        differ = actual.view(np.uint64) != expected.view(np.uint64)
    else:
        differ = actual != expected
    assert not differ.any(), f"{what}: {int(differ.sum())} of {differ.size} values differ, first at " \
                             f"{np.argwhere(differ)[0].tolist()}"
