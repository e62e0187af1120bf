"""BrainPy-style network scripts written from BrainPy's documentation (tests/python/brainpy_scripts/),
each with only the edits docs/python.md lists ("Networks"), run as a user would run them: a fresh
interpreter, the module on its path."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent / "brainpy_scripts"


def run_script(name):
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, str(SCRIPTS / name)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_projection_api_ei_network():
    out = run_script("ei_projection_api.py")
    rate = float(re.search(r"E rate ([0-9.]+)", out).group(1))
    assert 1.0 < rate < 200.0, out  # driven E/I network: it fires, not at the cells' maximum


def test_synapse_tutorial():
    out = run_script("synapse_tutorial.py")
    (lo0, hi0), (lo80, hi80) = [tuple(map(float, m)) for m in re.findall(r"from (-?[0-9.]+) to (-?[0-9.]+)", out)]
    # Excitatory (E = 0) spikes depolarize the passive cell from rest; inhibitory ones (E = -80)
    # hyperpolarize it: the sign of each PSP is the output's.
    assert lo0 == pytest.approx(-60.0, abs=1e-9) and hi0 > -59.0
    assert hi80 == pytest.approx(-60.0, abs=1e-9) and lo80 < -60.5
