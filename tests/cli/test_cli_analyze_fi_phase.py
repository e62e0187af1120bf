"""`ionode analyze fi` and `ionode analyze phase-plane`: the JSON, literature values and analytic
facts through the command line, the figures, and bad input (exit status 2 naming the problem).

Expected values: Rinzel & Miller (1980) and Hassard (1978) for HH's bistable range (fold of cycles
6.26, Hopf point 9.78), Wang & Buzsaki (1996) for the rheobase 0.16; Morris-Lecar's nullclines in
closed form (docs/analysis.md).
"""

import json
import math

from conftest import run_ionode

HH_CLASSIC = ["--model", "HH", "--option", "preset=classic", "--set", "EL=-54.4"]


def analyze(tmp_path, kind, *args, expect_rc=0):
    proc = run_ionode(["analyze", kind, *args], tmp_path, timeout=300)
    assert proc.returncode == expect_rc, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def test_fi_hh_classic_hysteresis_and_figure(tmp_path):
    analyze(tmp_path, "fi", *HH_CLASSIC, "--range", "5", "12", "--points", "15", "--sweep", "both",
            "--transient", "500", "--window", "500", "-o", "hh.json", "--plot", "hh.png")
    r = json.loads((tmp_path / "hh.json").read_text())
    assert r["analysis"] == "fi" and r["param"] == "input" and r["parameters"]["EL"] == -54.4
    assert "from_state" not in r
    up = {p["param"]: p["rate_hz"] for p in r["up"]}
    down = {p["param"]: p["rate_hz"] for p in r["down"]}
    assert [p["param"] for p in r["down"]] == sorted(down, reverse=True)
    for i in up:
        if i < 9.78:  # below the Hopf point the rest state holds on the way up
            assert up[i] == 0.0, i
        if i > 6.26:  # above the fold of cycles the firing holds on the way down
            assert down[i] > 40.0, i
        if i < 6.26:
            assert down[i] == 0.0, i
    assert up[11.0] > 40.0
    assert (tmp_path / "hh.png").stat().st_size > 10000


def test_fi_wang_buzsaki_from_rest(tmp_path):
    proc = analyze(tmp_path, "fi", "--model", "WangBuzsaki", "--set", "V_th=0", "--range", "0.1", "0.3",
                   "--points", "5", "--transient", "200", "--window", "2000", "-o", "wb.json")
    r = json.loads((tmp_path / "wb.json").read_text())
    points = r["from_state"]
    assert [p["param"] for p in points] == [0.1, 0.15, 0.2, 0.25, 0.3]
    for p in points:  # the rheobase is 0.16 (Wang & Buzsaki 1996)
        assert (p["rate_hz"] > 0.0) == (p["param"] > 0.16), p
        assert (p["spikes"] >= 2) == (p["rate_hz"] > 0.0)
    rates = [p["rate_hz"] for p in points if p["rate_hz"] > 0]
    assert rates == sorted(rates)
    assert "written" in proc.stdout


def test_fi_bad_input(tmp_path):
    cases = [
        (["--range", "5", "1"], "empty or reversed"),
        (["--range", "0", "1", "--param", "gNaa"], "unknown parameter 'gNaa'"),
        (["--range", "0", "1", "--sweep", "sideways"], "--sweep = 'sideways'"),
        (["--range", "0", "1", "--points", "1"], "--points = 1"),
        (["--range", "0", "1", "--window", "0"], "window = 0"),
        (["--range", "0", "1", "--model", "Nope"], "unknown model"),
        (["--range", "0", "1", "--set", "gX=1"], "gX"),
        (["--range", "0", "1", "--set", "I=3"], "the swept --param"),
        (["--range", "0", "1", "--ramp", "-1"], "ramp = -1"),
        (["--range", "0", "1", "--initial", "Q=1"], "'Q'"),
        (["--range", "0", "1", "--initial", "V"], "--initial 'V' is not NAME=VALUE"),
        (["--range", "0", "1", "--initial", "V=abc"], "V = 'abc' is not a finite number"),
    ]
    for args, message in cases:
        proc = analyze(tmp_path, "fi", *args, "-o", "x.json", expect_rc=2)
        assert message in proc.stderr, (args, proc.stderr)
    assert not (tmp_path / "x.json").exists()


def test_fi_in_a_parameter_with_a_constant_input(tmp_path):
    # Morris-Lecar (seed) at I = 100 fires (above the Hopf point at 88.57); without calcium it cannot.
    analyze(tmp_path, "fi", "--model", "MorrisLecar", "--set", "I=100", "--param", "g_Ca", "--range", "0", "4.4",
            "--points", "2", "--transient", "200", "--window", "1000", "-o", "ml.json")
    r = json.loads((tmp_path / "ml.json").read_text())
    assert r["param"] == "g_Ca" and r["inputs"] == {"input": 100}
    rates = [p["rate_hz"] for p in r["from_state"]]
    assert rates[0] == 0.0 and rates[1] > 5.0


def m_inf(p, v):
    return 0.5 * (1.0 + math.tanh((v - p["V1"]) / p["V2"]))


def w_inf(p, v):
    return 0.5 * (1.0 + math.tanh((v - p["V3"]) / p["V4"]))


def v_nullcline(p, v):
    return ((p["input"] - p["g_Ca"] * m_inf(p, v) * (v - p["V_Ca"]) - p["g_leak"] * (v - p["V_leak"]))
            / (p["g_K"] * (v - p["V_K"])))


def test_phase_plane_morris_lecar(tmp_path):
    proc = analyze(tmp_path, "phase-plane", "--model", "MorrisLecar", "--param", "I=100", "--start", "-60,0",
                   "--start", "20,0.4", "-o", "ml.json", "--plot", "ml.png")
    r = json.loads((tmp_path / "ml.json").read_text())
    p = r["parameters"]
    assert r["analysis"] == "phase-plane" and r["variables"] == ["V", "W"] and p["input"] == 100
    for v, w in (pt for piece in r["nullclines"]["V"] for pt in piece):
        assert abs(w - v_nullcline(p, v)) < 1e-9
    for v, w in (pt for piece in r["nullclines"]["W"] for pt in piece):
        assert abs(w - w_inf(p, v)) < 1e-9
    assert len(r["fixed_points"]) == 1
    fp = r["fixed_points"][0]
    v, w = fp["x"]
    assert abs(w - w_inf(p, v)) < 1e-10 and abs(w - v_nullcline(p, v)) < 1e-10
    assert fp["type"] == "unstable focus" and fp["eigenvalues"][0][0] > 0 and fp["eigenvalues"][0][1] != 0
    assert r["cycle"] is not None and r["cycle"]["period"] > 0
    # Above the Hopf point: the stable cycle only, also in "cycles".
    assert len(r["cycles"]) == 1 and r["cycles"][0]["stable"] and r["cycles"][0]["period"] == r["cycle"]["period"]
    assert len(r["trajectories"]) == 2 and r["trajectories"][0][0] == [-60, 0]
    f = r["field"]
    assert len(f["dx"]) == len(f["x"]) * len(f["y"]) == len(f["dy"])
    assert "unstable focus" in proc.stdout
    assert (tmp_path / "ml.png").stat().st_size > 10000


def test_phase_plane_morris_lecar_unstable_cycle(tmp_path):
    # Between the fold of cycles (83.41) and the subcritical Hopf point (88.57): a stable focus inside
    # an unstable cycle inside a stable one (tests/validation/test_phase_plane.cpp checks the periods).
    proc = analyze(tmp_path, "phase-plane", "--model", "MorrisLecar", "--param", "I=86", "-o", "ml.json",
                   "--plot", "ml.svg")
    r = json.loads((tmp_path / "ml.json").read_text())
    assert [f["type"] for f in r["fixed_points"]] == ["stable focus"]
    unstable, stable = r["cycles"]
    assert not unstable["stable"] and unstable["multiplier"] > 1
    assert stable["stable"] and stable["multiplier"] < 1
    assert unstable["x_max"][0] < stable["x_max"][0] and unstable["x_min"][0] > stable["x_min"][0]
    assert r["cycle"]["period"] == stable["period"] and r["cycle"]["points"] == stable["points"]
    assert "unstable limit cycle" in proc.stdout and "stable limit cycle" in proc.stdout
    svg = (tmp_path / "ml.svg").read_text()
    assert "unstable limit cycle" in svg and "stroke-dasharray" in svg


def test_phase_plane_bad_input(tmp_path):
    proc = analyze(tmp_path, "phase-plane", "--model", "HH", "-o", "x.json", expect_rc=2)
    assert "two variables" in proc.stderr and "HH has 4" in proc.stderr
    cases = [
        (["--x-range", "5", "1"], "--x-range"),
        (["--start", "abc"], "--start 'abc'"),
        (["--param", "I"], "is not NAME=VALUE"),
        (["--param", "Q=1"], "unknown parameter 'Q'"),
    ]
    for args, message in cases:
        proc = analyze(tmp_path, "phase-plane", "--model", "MorrisLecar", *args, "-o", "x.json", expect_rc=2)
        assert message in proc.stderr, (args, proc.stderr)
    assert not (tmp_path / "x.json").exists()


def test_fi_takes_the_configurations_initial_state(tmp_path):
    # Morris-Lecar (seed) at 86 uA/cm^2 is bistable (docs/analysis.md): from the stable focus
    # (-27.1656, 0.125168) it stays silent; from outside the unstable cycle it fires at the stable
    # cycle's 1000 / 104.148 = 9.60 Hz. The configuration's [initial] is the start; --initial overrides it.
    (tmp_path / "ml.toml").write_text('model = "MorrisLecar"\n[initial]\nV = -27.1656\nW = 0.125168\n')
    common = ["--range", "86", "87", "--points", "2", "--transient", "500", "--window", "1000", "-q"]
    analyze(tmp_path, "fi", "ml.toml", *common, "-o", "focus.json")
    focus = json.loads((tmp_path / "focus.json").read_text())
    assert focus["initial"] == {"V": -27.1656, "W": 0.125168}
    assert focus["from_state"][0]["rate_hz"] == 0.0
    analyze(tmp_path, "fi", "ml.toml", *common, "--initial", "V=20", "--initial", "W=0.3", "-o", "outside.json")
    outside = json.loads((tmp_path / "outside.json").read_text())
    assert outside["initial"] == {"V": 20.0, "W": 0.3}
    assert abs(outside["from_state"][0]["rate_hz"] - 1000.0 / 104.148) < 0.01


def test_fi_refuses_an_initializer_in_the_configuration(tmp_path):
    (tmp_path / "hh.toml").write_text('model = "HH"\n[initial]\nV = {uniform = [-70.0, -60.0]}\n')
    proc = analyze(tmp_path, "fi", "hh.toml", "--range", "0", "10", "-o", "x.json", expect_rc=2)
    assert "initial.V in the configuration is not one number" in proc.stderr
    assert "--initial V=VALUE" in proc.stderr


FI_COMMON = ["--range", "8", "12", "--points", "3", "--transient", "100", "--window", "300", "-q"]


def test_fi_uses_the_configurations_dt_and_method(tmp_path):
    # Issue 11 (4): a configuration's dt and method are the curve's (as `ionode run` would use
    # them), the same rates as giving them on the command line; --dt and --method override them.
    (tmp_path / "hh.toml").write_text('model = "HH"\nmethod = "rk4"\ndt = 0.005\n')
    analyze(tmp_path, "fi", "hh.toml", *FI_COMMON, "-o", "config.json")
    analyze(tmp_path, "fi", "--model", "HH", *FI_COMMON, "--method", "rk4", "--dt", "0.005", "-o", "flags.json")
    config = json.loads((tmp_path / "config.json").read_text())
    flags = json.loads((tmp_path / "flags.json").read_text())
    assert (config["method"], config["dt"]) == ("rk4", 0.005)
    assert config["from_state"] == flags["from_state"]
    assert all(p["rate_hz"] > 0 for p in config["from_state"])

    (tmp_path / "euler.toml").write_text('model = "HH"\nmethod = "euler"\ndt = 0.02\n')
    analyze(tmp_path, "fi", "euler.toml", *FI_COMMON, "--dt", "0.01", "-o", "override.json")
    override = json.loads((tmp_path / "override.json").read_text())
    assert (override["method"], override["dt"]) == ("euler", 0.01)
    analyze(tmp_path, "fi", "euler.toml", *FI_COMMON, "--method", "rk2", "-o", "override2.json")
    override = json.loads((tmp_path / "override2.json").read_text())
    assert (override["method"], override["dt"]) == ("rk2", 0.02)

    # Unset in the configuration: the curve's own defaults.
    (tmp_path / "plain.toml").write_text('model = "HH"\n')
    analyze(tmp_path, "fi", "plain.toml", *FI_COMMON, "-o", "plain.json")
    plain = json.loads((tmp_path / "plain.json").read_text())
    assert (plain["method"], plain["dt"]) == ("rk4", 0.01)


def test_fi_refuses_the_configurations_tolerances(tmp_path):
    (tmp_path / "hh.toml").write_text('model = "HH"\nmethod = "rkf45"\n[method_options]\nrtol = 1e-9\n')
    proc = analyze(tmp_path, "fi", "hh.toml", *FI_COMMON, "-o", "x.json", expect_rc=2)
    assert "method_options" in proc.stderr and "hh.toml" in proc.stderr
    assert not (tmp_path / "x.json").exists()
