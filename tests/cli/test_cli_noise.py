"""Noise from the configuration file: `noise = 1.0` (BrainPy's form, on the first variable) or a
[noise] table by variable; bitwise the same for any thread count; bad noise is a clear error with exit
status 2 and nothing written."""

import numpy as np

from conftest import load_npz, run_ionode, write_config
from test_cli_bad_input import assert_rejected, hh

NOISY = """model = "HH"
size = 64
batch = 3
duration = 50.0
dt = 0.05
method = "{method}"
seed = 9
{noise}
[[inputs]]
target = "input"
value = 3.0
[monitors]
variables = ["V", "n"]
"""


def run(tmp_path, name, method="exp_auto", noise="noise = 2.0", threads=1):
    write_config(tmp_path, NOISY.format(method=method, noise=noise), name=f"{name}.toml")
    proc = run_ionode(["run", f"{name}.toml", "-o", f"{name}.npz", "--threads", str(threads), "-q"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    arrays, meta = load_npz(tmp_path / f"{name}.npz")
    arrays["metadata"] = meta
    return arrays


def test_scalar_noise_goes_on_the_first_variable(tmp_path):
    quiet = run(tmp_path, "quiet", noise="")
    scalar = run(tmp_path, "scalar")
    table = run(tmp_path, "table", noise="[noise]\nV = 2.0")
    np.testing.assert_array_equal(scalar["V"], table["V"])
    assert list(scalar["metadata"]["noise"]) == ["V"]
    assert float(scalar["metadata"]["noise"]["V"]) == 2.0
    assert quiet["metadata"]["noise"] == {}
    # The noise moves V (its own variable) right away; n only through V, hence later and less.
    assert np.abs(scalar["V"][:, 0, :] - quiet["V"][:, 0, :]).max() > 0.05
    assert np.abs(scalar["n"][:, 0, :] - quiet["n"][:, 0, :]).max() < 1e-3


def test_noise_on_a_gate_by_name(tmp_path):
    quiet = run(tmp_path, "quiet", noise="")
    gate = run(tmp_path, "gate", noise="[noise]\nn = 0.01")
    assert np.abs(gate["n"][:, 0, :] - quiet["n"][:, 0, :]).max() > 1e-3


def test_threads_do_not_change_the_bits(tmp_path):
    for method in ("exp_auto", "euler", "heun"):
        one = run(tmp_path, f"one_{method}", method=method, threads=1)
        two = run(tmp_path, f"two_{method}", method=method, threads=2)
        np.testing.assert_array_equal(one["V"], two["V"])
        np.testing.assert_array_equal(one["spike_times"], two["spike_times"])


def test_negative_noise(tmp_path):
    assert_rejected(tmp_path, hh(top="noise = -1.0"), ["noise", "V", -1, ">= 0"])


def test_noise_on_an_unknown_variable(tmp_path):
    assert_rejected(tmp_path, hh(tables="[noise]\nVm = 1.0"), ["noise", "Vm", "V"])


def test_adaptive_method_with_noise(tmp_path):
    assert_rejected(tmp_path, hh(top='noise = 1.0\nmethod = "rkdp"'), ["rkdp", "noise", "euler"])


def test_sde_method_without_noise(tmp_path):
    assert_rejected(tmp_path, hh(top='method = "milstein"'), ["milstein", "noise"])
