"""Shared helpers for the command-line tests (pytest, Debian's python3 with NumPy).

CTest sets IONODE_BIN to the built `ionode`; for a manual run it defaults to build/ionode.
Every test runs the binary with cwd=tmp_path so nothing lands in the repository.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

IONODE_BIN = os.environ.get("IONODE_BIN", "/work/main/build/ionode")

# Generous: every run in these tests takes well under a second when it works.
TIMEOUT_S = 120

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def run_ionode(args, cwd, timeout=TIMEOUT_S):
    """Runs `ionode ARGS` in cwd and returns the CompletedProcess (text mode)."""
    return subprocess.run(
        [IONODE_BIN, *[str(a) for a in args]],
        cwd=str(cwd),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write_config(directory, text, name="run.toml"):
    path = Path(directory) / name
    path.write_text(text)
    return path


def run_config(tmp_path, text, *extra, output="out.npz", name="run.toml", expect_rc=0):
    """Writes TEXT as a config file, runs `ionode run CONFIG -o OUTPUT EXTRA...`, checks the exit code
    and returns (process, output path)."""
    config = write_config(tmp_path, text, name)
    args = ["run", config.name]
    if output is not None:
        args += ["-o", output]
    args += list(extra)
    proc = run_ionode(args, tmp_path)
    assert proc.returncode == expect_rc, (
        f"ionode {' '.join(args)} exited {proc.returncode}, expected {expect_rc}\n"
        f"config:\n{text}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    return proc, (tmp_path / output if output is not None else None)


def load_npz(path):
    """Loads a result file: (dict of arrays, metadata dict). Checks the metadata is a JSON string."""
    with np.load(str(path), allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    assert "metadata" in arrays, f"{path} has no 'metadata' member: {sorted(arrays)}"
    meta_array = arrays.pop("metadata")
    assert meta_array.dtype.kind in "US", f"metadata must be a string, got dtype {meta_array.dtype}"
    text = meta_array.item()
    if isinstance(text, bytes):
        text = text.decode()
    metadata = json.loads(text)
    assert isinstance(metadata, dict)
    return arrays, metadata


def numbers_in(text):
    return [float(x) for x in NUMBER.findall(text)]


def mentions_number(text, value, rel=1e-6, abs_tol=1e-9):
    """True when some number written in TEXT is close to VALUE."""
    return any(abs(x - value) <= max(abs_tol, rel * abs(value)) for x in numbers_in(text))


def toml_inputs(*inputs):
    """[[inputs]] blocks from (target, value, op) triples; value is written verbatim."""
    blocks = []
    for target, value, op in inputs:
        block = f'[[inputs]]\ntarget = "{target}"\nvalue = {value}\n'
        if op is not None:
            block += f'op = "{op}"\n'
        blocks.append(block)
    return "\n".join(blocks)


@pytest.fixture(scope="session")
def ionode_bin():
    path = Path(IONODE_BIN)
    assert path.is_file(), f"IONODE_BIN={IONODE_BIN} does not exist; build the ionode_exe target first"
    assert os.access(path, os.X_OK), f"IONODE_BIN={IONODE_BIN} is not executable"
    return path


@pytest.fixture(autouse=True)
def _check_binary(ionode_bin):
    """Every test needs the binary; fail clearly (never skip) when it is missing."""
    return ionode_bin
