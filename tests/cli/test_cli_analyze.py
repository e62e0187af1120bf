"""`ionode analyze bifurcation`: the JSON keys, literature values through the command line, the
figure, and bad input (exit status 2 with a message naming the problem, or an empty result that says why).

Expected values are the literature's (docs/analysis.md): Hassard (1978) for HH's lower Hopf point,
Wang & Buzsaki (1996) for the rheobase; tolerances from the digits they give.
"""

import json

from conftest import run_ionode

HH_CLASSIC = ["--model", "HH", "--option", "preset=classic", "--set", "EL=-54.4"]


def analyze(tmp_path, *args, expect_rc=0):
    proc = run_ionode(["analyze", "bifurcation", *args], tmp_path, timeout=300)
    assert proc.returncode == expect_rc, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def test_hh_classic_hopf_points_and_keys(tmp_path):
    analyze(tmp_path, *HH_CLASSIC, "--range", "0", "200", "--no-cycles", "-o", "hh.json")
    r = json.loads((tmp_path / "hh.json").read_text())
    for key in ("equilibria", "hopf", "folds", "cycles", "cycle_folds"):
        assert key in r
    assert r["parameters"]["gL"] == 0.3 and r["parameters"]["EL"] == -54.4
    assert len(r["hopf"]) == 2
    lower = r["hopf"][0]
    assert abs(lower["param"] - 9.7795) < 1e-3  # Hassard (1978)
    assert lower["criticality"] == "subcritical"
    assert set(lower) >= {"param", "V", "frequency_hz", "criticality"}
    assert all(set(p) >= {"param", "V", "stable"} for p in r["equilibria"])


def test_wang_buzsaki_saddle_node(tmp_path):
    analyze(tmp_path, "--model", "WangBuzsaki", "--range", "-1", "1", "-o", "wb.json")
    r = json.loads((tmp_path / "wb.json").read_text())
    assert len(r["folds"]) >= 1
    assert abs(r["folds"][0]["param"] - 0.16) < 0.005  # Wang & Buzsaki (1996), two digits
    assert r["hopf"] == [] and r["cycles"] == []


def test_morris_lecar_cycles_and_figure(tmp_path):
    analyze(tmp_path, "--model", "MorrisLecar", "--set", "V_Ca=120", "--range", "60", "120", "--max-cycles", "60",
            "-o", "ml.json", "--plot", "ml.png")
    r = json.loads((tmp_path / "ml.json").read_text())
    assert len(r["hopf"]) == 1 and r["hopf"][0]["criticality"] == "subcritical"
    assert len(r["cycles"]) > 10
    assert all(set(c) >= {"param", "period", "Vmin", "Vmax", "stable"} for c in r["cycles"])
    assert all(c["Vmin"] < c["Vmax"] for c in r["cycles"])
    assert (tmp_path / "ml.png").stat().st_size > 10000


def test_hh_seed_cycles_reach_their_fold(tmp_path):
    # The branch from the subcritical Hopf point (6.496) turns at a fold of cycles, where the stable
    # firing ends: the f-I sweep down (docs/analysis.md, a simulation) fires at 3.5, not at 3.25.
    # Single shooting spent its 300 cycles near 3.9 instead.
    analyze(tmp_path, "--model", "HH", "--range", "0", "20", "-o", "seed.json")
    r = json.loads((tmp_path / "seed.json").read_text())
    assert not any("max_points" in note for note in r["notes"]), r["notes"]
    assert len(r["cycle_folds"]) == 1
    assert 3.25 < r["cycle_folds"][0]["param"] < 3.5


def test_reversed_and_empty_ranges(tmp_path):
    for lo, hi in (("10", "0"), ("5", "5")):
        proc = analyze(tmp_path, "--model", "HH", "--range", lo, hi, "-o", "x.json", expect_rc=2)
        assert "empty or reversed" in proc.stderr
    assert not (tmp_path / "x.json").exists()


def test_unknown_parameter_and_model(tmp_path):
    proc = analyze(tmp_path, "--model", "HH", "--param", "gNaa", "--range", "0", "1", "-o", "x.json", expect_rc=2)
    assert "unknown parameter 'gNaa'" in proc.stderr and "gNa" in proc.stderr
    proc = analyze(tmp_path, "--model", "HH", "--set", "gX=1", "--range", "0", "1", "-o", "x.json", expect_rc=2)
    assert "gX" in proc.stderr
    proc = analyze(tmp_path, "--model", "Nope", "--range", "0", "1", "-o", "x.json", expect_rc=2)
    assert "unknown model" in proc.stderr


def test_no_equilibrium_is_an_empty_result_that_says_why(tmp_path):
    # gNa = gK = gL = 0: dV/dt = I/C never vanishes for I in [1, 2]: no equilibrium.
    proc = analyze(tmp_path, "--model", "HH", "--set", "gNa=0", "--set", "gK=0", "--set", "gL=0",
                   "--range", "1", "2", "-o", "none.json")
    r = json.loads((tmp_path / "none.json").read_text())
    assert r["equilibria"] == [] and r["hopf"] == []
    assert any("no equilibrium" in note for note in r["notes"])
    assert "no equilibrium" in proc.stdout


def test_a_figure_alone_is_a_valid_request(tmp_path):
    # Issue 11 (4): -o, --plot or both for every analyze subcommand; the JSON the script reads is a
    # temporary file, removed afterwards (TMPDIR points the binary at a folder this test can list).
    import os
    import subprocess

    from conftest import IONODE_BIN

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    commands = {
        "bif.png": ["bifurcation", "--model", "WangBuzsaki", "--range", "-1", "1", "--no-cycles"],
        "fi.png": ["fi", "--model", "WangBuzsaki", "--range", "0.1", "0.3", "--points", "3", "--transient", "50",
                   "--window", "200"],
        "pp.svg": ["phase-plane", "--model", "MorrisLecar", "--param", "I=100", "--grid", "5"],
    }
    for figure, args in commands.items():
        proc = subprocess.run([IONODE_BIN, "analyze", *args, "--plot", figure], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, env=dict(os.environ, TMPDIR=str(scratch)))
        assert proc.returncode == 0, (args, proc.stderr)
        assert (tmp_path / figure).stat().st_size > 5000, figure
        assert f"figure: {figure}" in proc.stdout and "written" not in proc.stdout, proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bif.png", "fi.png", "pp.svg", "tmp"]
    assert list(scratch.iterdir()) == [], "the temporary JSON was left behind"


def test_neither_output_nor_figure_is_an_error(tmp_path):
    for args in (["bifurcation", "--range", "0", "1"], ["fi", "--range", "0", "1"], ["phase-plane", "--model", "ML"]):
        proc = run_ionode(["analyze", *args], tmp_path)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "-o FILE.json" in proc.stderr and "--plot FIGURE" in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []
