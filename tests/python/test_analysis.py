"""ionode.analysis: the literature's values found through Python (docs/analysis.md), the same result
as `ionode analyze` (one format), and bad arguments (ValueError naming them)."""

import json

import numpy as np
import pytest

import ionode
from conftest import IONODE_BIN, run_program

HH_CLASSIC = dict(preset="classic", EL=-54.4)  # gL = 0.3 from the preset


def same(python, cli, where="result"):
    """The Python result equals the command line's JSON: keys, strings, and numbers exactly."""
    if isinstance(cli, dict):
        assert isinstance(python, dict) and set(python) == set(cli), f"{where}: keys {set(python) ^ set(cli)}"
        for key in cli:
            same(python[key], cli[key], f"{where}[{key!r}]")
    elif isinstance(python, np.ndarray):
        assert python.dtype == np.float64, where
        expected = np.asarray(cli, dtype=np.float64)
        assert python.shape == expected.shape and np.array_equal(python, expected), where
    elif isinstance(cli, list):
        assert isinstance(python, list) and len(python) == len(cli), where
        for k, (p, c) in enumerate(zip(python, cli)):
            same(p, c, f"{where}[{k}]")
    else:
        assert python == cli and type(python) is type(cli), f"{where}: {python!r} != {cli!r}"


def test_hh_classic_lower_hopf_as_hassard():
    r = ionode.analysis.bifurcation("HH", range=(0., 200.), cycles=False, **HH_CLASSIC)
    assert r["parameters"]["gL"] == 0.3 and r["parameters"]["EL"] == -54.4 and r["param"] == "input"
    lower, upper = r["hopf"]
    assert abs(lower["param"] - 9.7795) < 1e-3  # Hassard (1978)
    assert lower["criticality"] == "subcritical" and set(lower) >= {"param", "V", "frequency_hz", "criticality"}
    assert abs(upper["param"] - 154.5) < 0.05
    eq = r["equilibria"][0]
    assert isinstance(eq["x"], np.ndarray) and eq["x"].shape == (4,) and eq["eigenvalues"].shape == (4, 2)
    assert isinstance(r["range"], np.ndarray) and r["range"].tolist() == [0., 200.]


def test_same_as_the_command_line(tmp_path):
    run_program([IONODE_BIN, "analyze", "bifurcation", "--model", "HH", "--option", "preset=classic", "--set",
                 "EL=-54.4", "--range", "0", "200", "--no-cycles", "-o", "hh.json", "-q"], tmp_path)
    cli = json.loads((tmp_path / "hh.json").read_text())
    same(ionode.analysis.bifurcation("HH", range=(0, 200), cycles=False, **HH_CLASSIC), cli)
    # A group: its options and parameters (the same values, so the same result).
    group = ionode.HH(3, preset="classic", EL=-54.4)
    same(ionode.analysis.bifurcation(group, "I", (0., 200.), cycles=False), cli)


def test_cycles_same_as_the_command_line(tmp_path):
    args = ["--model", "MorrisLecar", "--set", "V_Ca=120", "--range", "85", "100", "--max-cycles", "20"]
    run_program([IONODE_BIN, "analyze", "bifurcation", *args, "-o", "ml.json", "-q"], tmp_path)
    cli = json.loads((tmp_path / "ml.json").read_text())
    r = ionode.analysis.bifurcation(ionode.MorrisLecar, range=(85., 100.), max_cycles=20, V_Ca=120.)
    same(r, cli)
    assert len(r["hopf"]) == 1 and len(r["cycles"]) > 0


def test_wang_buzsaki_saddle_node():
    r = ionode.analysis.bifurcation("WangBuzsakiModel", range=(-1., 1.))
    assert abs(r["folds"][0]["param"] - 0.16) < 0.005  # Wang & Buzsaki (1996)
    assert r["hopf"] == [] and r["cycles"] == []


def test_hh_classic_fi_hysteresis():
    # Bistable between the fold of cycles (6.26) and the Hopf point (9.78): silent going up, firing
    # coming down.
    currents = [6., 7., 8., 12.]
    r = ionode.analysis.fi_curve(ionode.HH, currents, sweep="both", transient=500., window=500., **HH_CLASSIC)
    up = {p["param"]: p["rate_hz"] for p in r["up"]}
    down = {p["param"]: p["rate_hz"] for p in r["down"]}
    assert [p["param"] for p in r["down"]] == [12., 8., 7., 6.]
    assert up[6.] == up[7.] == up[8.] == 0. and up[12.] > 50.
    assert down[12.] > 50. and down[8.] > 40. and down[7.] > 40. and down[6.] == 0.
    assert r["param"] == "input" and r["parameters"]["EL"] == -54.4 and "from_state" not in r


FI_ML = dict(sweep="both", transient=200., window=300., ramp=50.)  # short runs: the options, not the rates


def test_fi_options_same_as_the_command_line(tmp_path):
    # The initial state, the ramp and the threads reach the computation as `ionode analyze fi`'s.
    run_program([IONODE_BIN, "analyze", "fi", "--model", "MorrisLecar", "--range", "80", "90", "--points", "3",
                 "--sweep", "both", "--transient", "200", "--window", "300", "--ramp", "50", "--initial", "V=-20",
                 "--initial", "W=0.1", "--threads", "1", "-o", "ml.json", "-q"], tmp_path)
    cli = json.loads((tmp_path / "ml.json").read_text())
    r = ionode.analysis.fi_curve("MorrisLecar", [80., 85., 90.], threads=1, V_initializer=-20.,
                                 W_initializer=ionode.init.OneInit(0.1), **FI_ML)
    same(r, cli)
    assert r["ramp_ms"] == 50. and r["initial"] == {"V": -20., "W": 0.1}
    # Without them (the model's default state, the default ramp) the JSON differs.
    other = ionode.analysis.fi_curve("MorrisLecar", [80., 85., 90.], threads=1, **dict(FI_ML, ramp=100.))
    assert other["ramp_ms"] == 100. and other["initial"] == {}


def test_fi_initial_state_and_threads():
    # Morris-Lecar (seed) at 86 uA/cm^2 is bistable (docs/analysis.md): a stable focus at
    # (-27.1656, 0.125168) inside an unstable cycle, inside a stable cycle of 104.148 ms. From the
    # focus: silent; from outside the unstable cycle: firing at the stable cycle's 9.60 Hz. The rates
    # do not depend on the threads.
    focus = ionode.analysis.fi_curve("MorrisLecar", [86.], transient=500., window=1000., threads=1,
                                     V_initializer=-27.1656, W_initializer=0.125168)
    outside = ionode.analysis.fi_curve("MorrisLecar", [86., 87.], transient=500., window=1000., threads=2,
                                       V_initializer=20., W_initializer=0.3)
    assert focus["from_state"][0]["rate_hz"] == 0.
    rates = [p["rate_hz"] for p in outside["from_state"]]
    assert abs(rates[0] - 1000. / 104.148) < 0.01 and rates[1] > 9., rates
    one = ionode.analysis.fi_curve("MorrisLecar", [86., 87.], transient=500., window=1000., threads=1,
                                   V_initializer=20., W_initializer=0.3)
    same(outside, one)


def test_morris_lecar_phase_plane_fixed_points_on_both_nullclines():
    p = dict(g_Ca=4., V3=12., V4=17.4, phi=1. / 15., V_Ca=120.)  # Rinzel & Ermentrout's class I set
    r = ionode.analysis.phase_plane("MorrisLecar", starts=[(-60., 0.)], duration=50., I=30., **p)
    q = r["parameters"]
    assert q["input"] == 30. and q["V_Ca"] == 120.
    assert sorted(f["type"] for f in r["fixed_points"]) == ["saddle", "stable node", "unstable focus"]
    for f in r["fixed_points"]:
        v, w = f["x"]
        m_inf = 0.5 * (1 + np.tanh((v - q["V1"]) / q["V2"]))
        w_v = (30. - q["g_Ca"] * m_inf * (v - q["V_Ca"]) - q["g_leak"] * (v - q["V_leak"])) / (q["g_K"] * (v - q["V_K"]))
        w_w = 0.5 * (1 + np.tanh((v - q["V3"]) / q["V4"]))
        assert abs(w - w_v) < 1e-10 and abs(w - w_w) < 1e-10
    assert set(r["nullclines"]) == {"V", "W"} and all(c.shape[1] == 2 for c in r["nullclines"]["W"])
    assert len(r["trajectories"]) == 1 and r["trajectories"][0].shape[1] == 2
    n = len(r["field"]["x"]) * len(r["field"]["y"])
    assert r["field"]["dx"].shape == (n,)


@pytest.mark.parametrize("call, names", [
    (lambda a: a.bifurcation("Nope", range=(0., 1.)), "model 'Nope'"),
    (lambda a: a.bifurcation("HH", param="gNaa", range=(0., 1.)), "param 'gNaa'"),
    (lambda a: a.bifurcation("HH", range=(0., 1.), gX=1.), "keyword 'gX'"),
    (lambda a: a.bifurcation("HH", range=(1., 0.)), "range = (1.0, 0.0) is empty or reversed"),
    (lambda a: a.bifurcation("HH", range=(1., 1.)), "range = (1.0, 1.0) is empty or reversed"),
    (lambda a: a.bifurcation("HH", range=(0., 1.), input=3.), "input = 3.0 is the swept param"),
    (lambda a: a.bifurcation("HH", range=(0., 1.), preset="nope"), "preset"),
    (lambda a: a.fi_curve("HH", [1., 2.], sweep="sideways"), "sweep = 'sideways'"),
    (lambda a: a.fi_curve("HH", [2., 1.]), "currents"),
    (lambda a: a.fi_curve("HH", [], sweep="up"), "currents"),
    (lambda a: a.fi_curve("HH", [1., 2.], ramp=-1.), "ramp = -1.0"),
    (lambda a: a.fi_curve("HH", [1., 2.], ramp="slow"), "ramp = 'slow'"),
    (lambda a: a.fi_curve("HH", [1., 2.], transient=-5.), "transient = -5.0"),
    (lambda a: a.fi_curve("HH", [1., 2.], threads=-1), "threads = -1"),
    (lambda a: a.fi_curve("HH", [1., 2.], threads=1.5), "threads = 1.5"),
    (lambda a: a.fi_curve("HH", [1., 2.], V_initializer="rest"), "V_initializer = 'rest'"),
    (lambda a: a.fi_curve("HH", [1., 2.], V_initializer=float("nan")), "V_initializer = nan"),
    (lambda a: a.fi_curve("HH", [1., 2.], V_initializer=ionode.init.Uniform(-70., -60.)), "V_initializer"),
    (lambda a: a.fi_curve("HH", [1., 2.], Q_initializer=1.), "keyword 'Q_initializer'"),
    (lambda a: a.phase_plane("HH"), "two variables; HH has 4"),
    (lambda a: a.phase_plane("MorrisLecar", x_range=(0., -1.)), "x_range"),
])
def test_bad_arguments_raise_value_error_naming_them(call, names):
    with pytest.raises(ValueError, match=None) as error:
        call(ionode.analysis)
    assert names in str(error.value)
