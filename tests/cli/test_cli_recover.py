"""A run killed outright (SIGKILL) keeps what it recorded in an .npz: `ionode recover` makes the archive
of every block written whole, and those blocks equal the same run's first samples when it is not killed."""

import json
import signal
import subprocess
import time

import numpy as np

from conftest import IONODE_BIN, run_ionode, write_config

# 200 neurons with V recorded every step: a 4 MiB block is 2621 samples, about 0.1 s of run time here,
# so the run has written several blocks when it is killed and is far from done (1e6 steps).
CONFIG = """
model = "HH"
size = 200
duration = {duration}
dt = 0.05
seed = 3
[params]
gNa = {{normal = [120.0, 5.0]}}
[[inputs]]
target = "input"
value = 10.0
[monitors]
variables = ["V", "n"]
spikes = true
[output]
path = "{output}"
"""


def spool_counts(folder, name):
    for spool in folder.glob(f".{name}.ionode-*"):
        counts = spool / "counts"
        if counts.exists():
            return spool, tuple(int(x) for x in counts.read_text().split())
    return None, (0, 0)


def test_a_killed_npz_run_is_recovered_up_to_the_last_block(tmp_path):
    config = write_config(tmp_path, CONFIG.format(duration=20000.0, output="killed.npz"))
    process = subprocess.Popen([IONODE_BIN, "run", str(config), "-q"], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            spool, (samples, spikes) = spool_counts(tmp_path, "killed.npz")
            if samples >= 3 * 2621:  # a few blocks whole
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the run wrote no block in 120 s")
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
    assert not (tmp_path / "killed.npz").exists()
    spool, (samples, spikes) = spool_counts(tmp_path, "killed.npz")

    done = run_ionode(["recover", "killed.npz"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{samples} samples and {spikes} spikes" in done.stdout
    assert not spool.exists()  # made into the archive, then removed
    recovered = np.load(tmp_path / "killed.npz")
    meta = json.loads(str(recovered["metadata"]))
    assert meta["complete"] is False and meta["recovered"] is True
    assert recovered["V"].shape == (samples, 200) and recovered["n"].shape == (samples, 200)
    assert len(recovered["spike_times"]) == spikes

    # The same run, not killed, for as many steps: its samples equal the recovered ones bit for bit.
    whole = write_config(tmp_path, CONFIG.format(duration=samples * 0.05, output="whole.npz"), name="whole.toml")
    assert run_ionode(["run", whole, "-q"], tmp_path).returncode == 0
    reference = np.load(tmp_path / "whole.npz")
    assert len(reference["ts"]) == samples
    np.testing.assert_array_equal(recovered["ts"], reference["ts"])
    np.testing.assert_array_equal(recovered["V"], reference["V"])
    np.testing.assert_array_equal(recovered["n"], reference["n"])
    # Spikes come in the blocks with the samples: the recovered ones are the reference's first ones.
    np.testing.assert_array_equal(recovered["spike_times"], reference["spike_times"][:spikes])
    np.testing.assert_array_equal(recovered["spike_indices"], reference["spike_indices"][:spikes])
    # A block ends at a step: it holds exactly the spikes up to its last sample's time.
    assert spikes == np.count_nonzero(reference["spike_times"] <= recovered["ts"][-1])


def test_recover_cuts_a_block_the_kill_interrupted(tmp_path):
    # A spool whose files hold more bytes than its counts (the kill came in the middle of a block).
    config = write_config(tmp_path, CONFIG.format(duration=20000.0, output="cut.npz"))
    process = subprocess.Popen([IONODE_BIN, "run", str(config), "-q"], cwd=tmp_path)
    try:
        while spool_counts(tmp_path, "cut.npz")[1][0] < 2621:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    spool, (samples, spikes) = spool_counts(tmp_path, "cut.npz")
    with open(spool / "v0.npy", "ab") as f:  # half a sample more than counted
        f.write(b"\0" * (8 * 100))
    done = run_ionode(["recover", "cut.npz", "-o", "elsewhere.npz"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert np.load(tmp_path / "elsewhere.npz")["V"].shape == (samples, 200)


def test_recover_refuses_what_it_cannot_do(tmp_path):
    nothing = run_ionode(["recover", "none.npz"], tmp_path)
    assert nothing.returncode == 2 and "no unfinished run of 'none.npz'" in nothing.stderr
    wrong = run_ionode(["recover", "run.h5"], tmp_path)
    assert wrong.returncode == 2 and ".h5 and .csv files hold every block" in wrong.stderr
    # An existing file is never overwritten.
    spool = tmp_path / ".taken.npz.ionode-abc123"
    spool.mkdir()
    (spool / "layout.json").write_text("{}")
    (tmp_path / "taken.npz").write_bytes(b"keep me")
    taken = run_ionode(["recover", "taken.npz"], tmp_path)
    assert taken.returncode == 2 and "'taken.npz' exists" in taken.stderr
    assert (tmp_path / "taken.npz").read_bytes() == b"keep me"
