"""Result files that scale: .h5 beside .npz and .csv, interrupted runs, unwritable outputs.

Spec (issue 4, sections 3 and 5): an output path ending in .h5 writes the .npz layout (ts, one
dataset per monitored variable, (T, n) or (B, T, n), spike_times, spike_indices, spike_batch with a
batch, metadata as JSON text), readable by h5py. Files are written in blocks while the run goes on.
A run stopped by Ctrl-C (SIGINT) or a divergence leaves a valid file with everything recorded so
far and metadata "complete": false with the reason; Ctrl-C exits 130. An output that cannot be
written is an error before the run (exit 2, the path and the reason on stderr, no file left).
"""

import csv
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from conftest import IONODE_BIN, load_npz, run_config, run_ionode, toml_inputs, write_config


def load_h5(path):
    """(dict of arrays, metadata dict) from an .h5 result, as load_npz gives for an .npz."""
    with h5py.File(path, "r") as f:
        arrays = {name: f[name][()] for name in f if name != "metadata"}
        text = f["metadata"].asstr()[()]
    return arrays, json.loads(text)


def hh(size=3, duration=20.0, dt=0.1, variables='["V", "n"]', every=1, top="", current="10.0"):
    return (
        f'model = "HH"\nsize = {size}\nduration = {duration}\ndt = {dt}\nseed = 3\n{top}\n'
        f"[monitors]\nvariables = {variables}\nevery = {every}\n\n" + toml_inputs(("input", current, None))
    )


def assert_same_arrays(a, b):
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name].dtype == b[name].dtype, name
        assert a[name].shape == b[name].shape, (name, a[name].shape, b[name].shape)
        assert a[name].tobytes() == b[name].tobytes(), f"{name} differs"


# --- .h5 holds what .npz holds -----------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        hh(),
        hh(size=4, top="batch = 2\n", every=3, variables='["V", "m", "h"]'),
        hh(size=2, variables="[]"),
        'model = "PinskyRinzel"\nsize = 2\nduration = 30.0\ndt = 0.05\n[monitors]\nvariables = ["Vs", "Vd"]\n'
        "indices = [1]\n" + toml_inputs(("Is", "2.5", None)),
    ],
    ids=["hh", "hh-batch-every3", "spikes-only", "pinsky-rinzel-index"],
)
def test_h5_equals_npz(tmp_path, config):
    run_config(tmp_path, config, output="r.npz")
    run_config(tmp_path, config, output="r.h5")
    npz, npz_meta = load_npz(tmp_path / "r.npz")
    h5, h5_meta = load_h5(tmp_path / "r.h5")
    assert_same_arrays(npz, h5)
    assert npz_meta == h5_meta
    assert h5_meta["complete"] is True
    assert len(h5["ts"]) > 0 or "[]" in config


def test_h5_datasets_are_chunked_and_extendible(tmp_path):
    run_config(tmp_path, hh(size=4, top="batch = 2\n"), output="r.h5")
    with h5py.File(tmp_path / "r.h5", "r") as f:
        assert f["V"].shape == (2, 200, 4) and f["V"].maxshape == (2, None, 4)
        assert f["V"].chunks is not None
        assert f["ts"].maxshape == (None,) and f["spike_times"].maxshape == (None,)
        assert f["spike_batch"].dtype == np.int64 and f["spike_indices"].dtype == np.int64
        # the metadata: a scalar UTF-8 string dataset
        assert f["metadata"].shape == () and h5py.check_string_dtype(f["metadata"].dtype) is not None


def test_hdf5_extension_also_accepted(tmp_path):
    run_config(tmp_path, hh(), output="r.hdf5")
    arrays, meta = load_h5(tmp_path / "r.hdf5")
    assert arrays["V"].shape == (200, 3) and meta["complete"] is True


def test_csv_matches_h5(tmp_path):
    run_config(tmp_path, hh(size=2, top="batch = 2\n"), output="r.h5")
    run_config(tmp_path, hh(size=2, top="batch = 2\n"), output="r.csv")
    arrays, _ = load_h5(tmp_path / "r.h5")
    with open(tmp_path / "r.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["t", "V[b=0;i=0]", "V[b=0;i=1]"]
    body = np.array(rows[1:], dtype=float)
    np.testing.assert_array_equal(body[:, 0], arrays["ts"])
    # columns: each variable, then each copy, then each neuron; values read back exactly
    np.testing.assert_array_equal(body[:, 1:5], arrays["V"].transpose(1, 0, 2).reshape(-1, 4))
    np.testing.assert_array_equal(body[:, 5:9], arrays["n"].transpose(1, 0, 2).reshape(-1, 4))
    with open(tmp_path / "r.spikes.csv", newline="") as f:
        spikes = list(csv.reader(f))
    assert spikes[0] == ["time", "neuron", "batch"]
    np.testing.assert_array_equal(np.array(spikes[1:], dtype=float)[:, 0], arrays["spike_times"])


# --- interrupted runs ---------------------------------------------------------------------------

# Hours if left to finish. Many neurons but three recorded: each step is slow enough that half a
# second of it records a few thousand samples, not hundreds of megabytes.
LONG_RUN = hh(size=20000, duration=1e6, dt=0.01, variables='["V"]').replace("every = 1", "every = 1\nindices = [0, 5, 19999]")


def _interrupt(tmp_path, output, sig=signal.SIGINT):
    """Starts a run that would take hours, stops it with SIG once it is writing, returns the process."""
    write_config(tmp_path, LONG_RUN)
    proc = subprocess.Popen(
        [IONODE_BIN, "run", "run.toml", "-o", output], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2:  # the output (or a .npz's spool folder) exists: the run has begun
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never created its output"
        time.sleep(0.02)
    time.sleep(0.5)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def _check_prefix_of_complete_run(tmp_path, arrays, ext):
    """The interrupted file holds exactly the first k samples of the same run left to finish."""
    k = len(arrays["ts"])
    run_config(tmp_path, LONG_RUN.replace("duration = 1000000.0", f"duration = {k * 0.01}"), output=f"full.{ext}")
    full, meta = load_npz(tmp_path / "full.npz") if ext == "npz" else load_h5(tmp_path / "full.h5")
    assert meta["complete"] is True and len(full["ts"]) == k
    assert np.array_equal(arrays["V"], full["V"])
    np.testing.assert_array_equal(arrays["ts"], full["ts"])
    # spikes: those of the complete run, up to the step where the interrupted one stopped
    assert np.array_equal(arrays["spike_times"], full["spike_times"][: len(arrays["spike_times"])])


@pytest.mark.parametrize("ext", ["h5", "npz"])
def test_sigint_leaves_a_readable_file_marked_incomplete(tmp_path, ext):
    rc, out, err = _interrupt(tmp_path, f"out.{ext}")
    assert rc == 130, f"exit status {rc}, expected 130\nstderr:\n{err}"
    assert "interrupted" in err and f"out.{ext}" in err, err
    arrays, meta = load_npz(tmp_path / "out.npz") if ext == "npz" else load_h5(tmp_path / "out.h5")
    k = len(arrays["ts"])
    assert k > 0, "nothing was recorded before the interruption"
    assert arrays["V"].shape == (k, 3)
    np.testing.assert_allclose(arrays["ts"], 0.01 * np.arange(1, k + 1), rtol=1e-12)
    assert meta["complete"] is False and "interrupted" in meta["stop_reason"]
    assert meta["steps"] == k and meta["t_end"] == pytest.approx(0.01 * k)
    # nothing else is left beside it (a .npz's spool folder is gone)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["run.toml", f"out.{ext}"])
    _check_prefix_of_complete_run(tmp_path, arrays, ext)


def test_sigint_csv(tmp_path):
    rc, _, err = _interrupt(tmp_path, "out.csv")
    assert rc == 130, err
    body = np.loadtxt(tmp_path / "out.csv", delimiter=",", skiprows=1)
    assert body.shape[0] > 0 and body.shape[1] == 4
    meta = json.loads((tmp_path / "out.metadata.json").read_text())
    assert meta["complete"] is False and "interrupted" in meta["stop_reason"]
    assert meta["steps"] == body.shape[0]


def test_sigterm_also_finalizes(tmp_path):
    rc, _, err = _interrupt(tmp_path, "out.h5", signal.SIGTERM)
    assert rc == 128 + signal.SIGTERM, err
    assert load_h5(tmp_path / "out.h5")[1]["complete"] is False


def test_divergence_writes_partial_h5(tmp_path):
    config = (
        'model = "HH"\nsize = 3\nbatch = 2\nmethod = "euler"\ndt = 0.05\nduration = 100.0\n'
        '[monitors]\nvariables = ["V", "m"]\nevery = 3\n'
        + toml_inputs(("input", "[10.0, 10.0, 10.0, 10.0, 1000.0, 10.0]", None))
    )
    proc, _ = run_config(tmp_path, config, output="out.h5", expect_rc=2)
    assert "diverged" in proc.stderr and "neuron 1" in proc.stderr
    arrays, meta = load_h5(tmp_path / "out.h5")
    k = len(arrays["ts"])
    assert 0 < k < 2000 // 3
    np.testing.assert_allclose(arrays["ts"], 0.15 * np.arange(1, k + 1), rtol=1e-12)
    assert arrays["V"].shape == (2, k, 3) and np.isfinite(arrays["V"]).all()
    assert meta["complete"] is False and "diverged" in meta["stop_reason"]
    # the same partial result as the .npz
    run_config(tmp_path, config, output="out.npz", expect_rc=2)
    npz, npz_meta = load_npz(tmp_path / "out.npz")
    assert_same_arrays(npz, arrays)
    assert npz_meta == meta


# --- outputs that cannot be written -----------------------------------------------------------


def _assert_rejected_output(tmp_path, output, reason_words, config=None):
    write_config(tmp_path, config or hh())
    before = sorted(p.name for p in tmp_path.iterdir())
    start = time.monotonic()
    proc = run_ionode(["run", "run.toml", "-o", output], tmp_path, timeout=60)
    assert proc.returncode == 2, f"exit {proc.returncode}\nstderr:\n{proc.stderr}"
    assert time.monotonic() - start < 30, "the output was not checked before the run"
    assert output in proc.stderr, proc.stderr
    assert any(w in proc.stderr for w in reason_words), f"no reason among {reason_words}:\n{proc.stderr}"
    assert proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "a file was left behind"
    return proc


@pytest.mark.parametrize(
    "output, reason",
    [
        ("missing/out.h5", "does not exist"),
        ("missing/out.npz", "does not exist"),
        ("run.toml/out.h5", "not a folder"),
        ("out.txt", ".h5"),
        ("out.h5x", ".h5"),
    ],
)
def test_unwritable_output(tmp_path, output, reason):
    _assert_rejected_output(tmp_path, output, [reason])


def test_output_that_is_a_folder(tmp_path):
    (tmp_path / "dir.h5").mkdir()
    _assert_rejected_output(tmp_path, "dir.h5", ["is a folder"])


def test_output_without_room(tmp_path):
    # 1e5 neurons x 1e7 steps of V: 8e12 bytes, more than this disk; refused before the first step.
    big = hh(size=100000, duration=1e6, dt=0.1, variables='["V"]')
    _assert_rejected_output(tmp_path, "big.h5", ["free"], config=big)


def test_output_without_permission(tmp_path):
    """A folder the user may not write: root runs ionode as `nobody` through setpriv."""
    base = Path(tempfile.mkdtemp(prefix="ionode-perm-"))
    try:
        base.chmod(0o755)
        (base / "locked").mkdir(mode=0o555)
        (base / "locked").chmod(0o555)
        command = [IONODE_BIN, "run", "-o", "locked/out.h5"]
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            assert setpriv, "setpriv (util-linux) is needed to drop root's rights"
            as_nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
            if subprocess.run(as_nobody + [IONODE_BIN, "--version"], capture_output=True).returncode != 0:
                pytest.skip("the user nobody may not run the ionode binary from this build folder")
            command = as_nobody + command
        proc = subprocess.run(command, cwd=base, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert "locked/out.h5" in proc.stderr and "permission denied" in proc.stderr, proc.stderr
        assert not list((base / "locked").iterdir())
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)
