"""ionode.check: the command line's `ionode check` from Python (tests/cli/test_cli_check.py holds the
command to the independent SciPy references; here the function must give the command's numbers)."""

import json

import numpy as np
import pytest

import ionode
from conftest import IONODE_BIN, run_program


def without_times(result):
    """The result without the measured run times (which differ between two runs)."""
    out = json.loads(json.dumps(result))
    out.pop("report", None)
    for entry in out["methods"]:
        entry.pop("seconds_needed_one_thread")
        for row in entry["rows"]:
            row.pop("seconds")
    return out


def test_check_gives_the_command_lines_numbers(tmp_path):
    currents = np.linspace(4.0, 16.0, 100)
    group = ionode.neurons.HH(100, seed=7, V_initializer=ionode.init.Uniform(-70., -60.), gNa=110.)
    result = ionode.check(group, 60., inputs=("input", currents), dt=0.05, sample=12, compare=["exp_midpoint", "rk4"])
    config = tmp_path / "hh.toml"
    config.write_text(
        'model = "HH"\nsize = 100\nseed = 7\nduration = 60.0\ndt = 0.05\nmethod = "exp_auto"\n'
        '[params]\ngNa = 110.0\n[initial]\nV = {uniform = [-70.0, -60.0]}\n'
        f'[[inputs]]\ntarget = "input"\nvalue = {[float(c) for c in currents]}\n')
    run_program([IONODE_BIN, "check", config, "--sample", 12, "--compare", "exp_midpoint", "rk4", "--json",
                 tmp_path / "cli.json"], tmp_path)
    cli = json.loads((tmp_path / "cli.json").read_text())
    assert without_times(result) == without_times(cli)
    assert result["sample_neurons"] == [[0, 3], [32, 3], [64, 3], [97, 3]]
    assert [e["method"] for e in result["methods"]] == ["exp_auto", "exp_midpoint", "rk4"]
    assert "exp_midpoint: fitted order" in result["report"]


def test_check_refuses_what_it_cannot_check():
    noisy = ionode.neurons.HH(4, noise=1.0)
    with pytest.raises(ValueError, match="noise"):
        ionode.check(noisy, 10., inputs=("input", 10.))
    group = ionode.neurons.HH(4)
    with pytest.raises(ValueError, match="function"):
        ionode.check(group, 10., inputs=("input", lambda t: 10., "func"))
    with pytest.raises(ValueError, match="accuracy"):
        ionode.check(group, 10., accuracy=0)
    with pytest.raises(ValueError, match="unknown method 'rk5'"):
        ionode.check(group, 10., compare="rk5")
    with pytest.raises(ValueError, match="neuron group"):
        ionode.check("HH", 10.)
