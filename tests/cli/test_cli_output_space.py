"""The free-space check before a run counts the values the monitors will record without wrapping: with
2^62 steps of 2^20 recorded neurons the count (2^82) wrapped to 2^20 values (16 MB) and the run started."""

import subprocess

from conftest import run_ionode, write_config

CONFIG = """
model = "HH"
size = 1048576
dt = 0.125
duration = 576460752303423488.0   # 2^62 steps of 0.125 ms
[monitors]
variables = ["V"]
[output]
path = "out.npz"
"""


def test_a_recording_beyond_64_bits_is_refused_for_its_size(tmp_path):
    write_config(tmp_path, CONFIG)
    try:
        done = run_ionode(["run", "run.toml", "-q"], tmp_path, timeout=60)
    except subprocess.TimeoutExpired:
        raise AssertionError("the run started: the recorded values' count wrapped") from None
    assert done.returncode == 2, done.stderr
    assert "needs about" in done.stderr and "free" in done.stderr
    assert not (tmp_path / "out.npz").exists()
