"""Checkpoints of network runs (issue 14): `--checkpoint-every T` writes the complete state, `--resume`
continues it bitwise as if the run had not stopped (on one process here; tests/mpi resumes on other
numbers of ranks). The reference is the straight run of the same binary: any difference in a recorded
value or spike is a state the checkpoint lost, so the comparison is bit for bit."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import IONODE_BIN, run_ionode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
from compare_results import differences  # noqa: E402
from network_examples import example  # noqa: E402

def same(cwd, a_stem, b_stem, names, ext):
    for name in names:
        diff = differences(cwd / f"{a_stem}.{name}{ext}", cwd / f"{b_stem}.{name}{ext}")
        assert not diff, (name, diff)


@pytest.mark.parametrize("ext", [".npz", ".h5"])
def test_a_resumed_run_is_bitwise_the_straight_run(tmp_path, ext):
    # Poisson drive, drawn delays of 1 to 3 ms (spikes in flight at the checkpoint), dual-exponential
    # receptors; the checkpoint at 100 ms is the first run's end, the second run continues to 200 ms.
    config = example("ei_poisson_delays", tmp_path, 200.0)
    straight = run_ionode(["run", config, "-o", f"s{ext}", "-q"], tmp_path)
    assert straight.returncode == 0, straight.stderr
    first = run_ionode(["run", config, "--set", "duration=100.0", "-o", f"r{ext}", "-q", "--checkpoint-every", "100"],
                       tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "r.checkpoint.h5").is_file()
    resumed = run_ionode(["run", config, "-o", f"r{ext}", "--resume", "r.checkpoint.h5", "-q"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    same(tmp_path, "s", "r", ["P", "E", "I"], ext)
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not hidden, hidden  # the earlier files read from beside the outputs are gone


def test_graded_synapses_resume_bitwise_into_a_new_output(tmp_path):
    # The gamma network's gates and an rk4 state; the second run writes another file than the first.
    config = example("wang_buzsaki_gamma", tmp_path, 40.0)
    assert run_ionode(["run", config, "-o", "s.npz", "-q"], tmp_path).returncode == 0
    first = run_ionode(["run", config, "--set", "duration=20.0", "-o", "a.npz", "-q", "--checkpoint-every", "7.5",
                        "--checkpoint", "g.h5"], tmp_path)
    assert first.returncode == 0, first.stderr
    # The last checkpoint is at 15 ms: the resumed output copies the first run's records up to it.
    resumed = run_ionode(["run", config, "-o", "b.npz", "--resume", "g.h5", "-q"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    same(tmp_path, "s", "b", ["WB"], ".npz")
    with np.load(tmp_path / "b.WB.npz") as f:
        meta = json.loads(str(f["metadata"]))
    assert meta["resumed_from"] == {"checkpoint": "g.h5", "step": 1500, "t": 15.0}, meta["resumed_from"]


def test_a_run_stopped_by_sigterm_resumes_from_its_last_checkpoint(tmp_path):
    config = example("cobahh", tmp_path, 3000.0)
    straight = run_ionode(["run", config, "-o", "s.npz", "-q"], tmp_path, timeout=300)
    assert straight.returncode == 0, straight.stderr
    proc = subprocess.Popen([IONODE_BIN, "run", str(config), "-o", "k.npz", "-q", "--checkpoint-every", "100"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (tmp_path / "k.checkpoint.h5").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    with np.load(tmp_path / "k.E.npz") as f:
        assert json.loads(str(f["metadata"]))["complete"] is False
    resumed = run_ionode(["run", config, "-o", "k.npz", "--resume", "k.checkpoint.h5", "-q"], tmp_path, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    same(tmp_path, "s", "k", ["E", "I"], ".npz")


def test_bad_checkpoint_requests_are_named(tmp_path):
    config = example("cobahh", tmp_path, 20.0)
    cases = [
        (["--checkpoint-every", "-1"], "--checkpoint-every = -1 ms is not allowed"),
        (["--checkpoint-every", "0.01"], "it must be a finite time >= dt = 0.1 ms"),
        (["--resume", "missing.h5"], "no checkpoint 'missing.h5'"),
        (["--resume", str(config)], "is not an ionode checkpoint"),
    ]
    for extra, says in cases:
        proc = run_ionode(["run", config, "-o", "x.npz", *extra], tmp_path)
        assert proc.returncode == 2 and says in proc.stderr, (extra, proc.stderr)
    adaptive = example("cobahh", tmp_path, 20.0, [('method = "exp_auto"', 'method = "rkdp"')])
    proc = run_ionode(["run", adaptive, "-o", "x.npz", "--checkpoint-every", "5"], tmp_path)
    assert proc.returncode == 2 and "adaptive method rkdp" in proc.stderr, proc.stderr
    config = example("cobahh", tmp_path, 20.0)
    # A checkpoint continues only the network that wrote it, and only forward in time.
    assert run_ionode(["run", config, "-o", "c.npz", "--checkpoint-every", "10", "-q"], tmp_path).returncode == 0
    other = example("cobahh", tmp_path, 40.0, [("size = 3200", "size = 3000")]).rename(tmp_path / "other.toml")
    config = example("cobahh", tmp_path, 20.0)
    proc = run_ionode(["run", other, "-o", "c.npz", "--resume", "c.checkpoint.h5"], tmp_path)
    assert proc.returncode == 2 and "written for another network (populations:" in proc.stderr, proc.stderr
    proc = run_ionode(["run", config, "-o", "c.npz", "--resume", "c.checkpoint.h5"], tmp_path)
    assert proc.returncode == 2 and "does not go beyond" in proc.stderr, proc.stderr
    single = tmp_path / "one.toml"
    single.write_text("duration = 10.0\n")
    proc = run_ionode(["run", single, "--checkpoint-every", "5"], tmp_path)
    assert proc.returncode == 2 and "are for networks" in proc.stderr, proc.stderr
