"""bp.analysis.PhasePlane2D and bp.analysis.Bifurcation1D (issue 11, section 2): BrainPy's
constructors and plot_* methods, drawing the command line's figures from ionode.analysis's results.

Checked: the figures' artists (nullcline lines, fixed-point markers, field, trajectories, cycles)
hold exactly the values ionode.analysis returns for the same request; those values satisfy closed
forms (Morris-Lecar's W nullcline is w_inf(V), the fixed point lies on both nullclines) or literature
values (Hassard 1978: HH's lower Hopf point 9.7795); BrainPy's arguments that ionode cannot honour are
refused with a ValueError naming them.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import ionode as bp  # noqa: E402

BOX = {"V": (-70.0, 60.0), "W": (0.0, 0.6)}


@pytest.fixture(autouse=True)
def fresh_figure():
    plt.figure()
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def plane():
    return bp.analysis.PhasePlane2D("MorrisLecar", target_vars=BOX, pars_update={"I": 100.0}, resolutions=6.5)


@pytest.fixture(scope="module")
def reference():
    """ionode.analysis's own result for the same request: 130 / 6.5 = 20 arrows per axis."""
    return bp.analysis.phase_plane("MorrisLecar", (-70.0, 60.0), (0.0, 0.6), grid=20, I=100.0)


def w_inf(p, v):
    return 0.5 * (1 + np.tanh((v - p["V3"]) / p["V4"]))


def labelled(ax, text):
    return [line for line in ax.lines if line.get_label().startswith(text)]


def test_nullclines_are_drawn_from_the_analysis(plane, reference):
    out = plane.plot_nullcline(with_return=True)
    ax = plt.gca()
    v_line, w_line = labelled(ax, "dV/dt = 0"), labelled(ax, "dW/dt = 0")
    assert len(v_line) == 1 and len(w_line) == 1
    drawn = [np.column_stack(line.get_data()) for line in ax.lines]
    for name in ("V", "W"):
        pieces = reference["nullclines"][name]
        assert sum(any(d.shape == p.shape and np.array_equal(d, p) for d in drawn) for p in pieces) == len(pieces)
        xs, ys = out[name]
        joined = np.concatenate([p for p in pieces])
        assert np.array_equal(xs[np.isfinite(xs)], joined[:, 0]) and np.array_equal(ys[np.isfinite(ys)], joined[:, 1])
    # The W nullcline in closed form, to the bisection's precision.
    xs, ys = out["W"]
    keep = np.isfinite(xs)
    assert np.max(np.abs(ys[keep] - w_inf(reference["parameters"], xs[keep]))) < 1e-9
    # BrainPy's limits: the box widened by (1.05 - 1) / 2 of its size on each side.
    assert ax.get_xlim() == pytest.approx((-70.0 - 3.25, 60.0 + 3.25), abs=1e-12)
    assert ax.get_xlabel() == "V (mV)"


def test_fixed_point_markers_and_values(plane, reference):
    points = plane.plot_fixed_point(with_return=True)
    expected = np.array([f["x"] for f in reference["fixed_points"]])
    assert np.array_equal(points, expected) and points.shape == (1, 2)
    marker = labelled(plt.gca(), "unstable focus")
    assert len(marker) == 1 and marker[0].get_marker() == "o" and marker[0].get_linestyle() == "None"
    assert np.array_equal(np.ravel(marker[0].get_data()), expected[0])
    v, w = points[0]
    assert abs(w - w_inf(reference["parameters"], v)) < 1e-10  # on the W nullcline


def test_vector_field_both_methods(plane, reference):
    dx, dy = plane.plot_vector_field(with_return=True)
    f = reference["field"]
    assert dx.shape == (20, 20) and np.array_equal(dx.ravel(), f["dx"]) and np.array_equal(dy.ravel(), f["dy"])
    ax = plt.gca()
    assert len(ax.collections) >= 1  # the streamplot's lines
    plt.figure()
    plane.plot_vector_field(plot_method="quiver")
    quiver = plt.gca().collections[0]
    assert quiver.N == 400 and np.array_equal(quiver.get_offsets()[1], [f["x"][1], f["y"][0]])
    with pytest.raises(ValueError, match="plot_method = 'arrows'"):
        plane.plot_vector_field(plot_method="arrows")


def test_trajectory_in_the_plane_and_in_time(plane):
    traj = plane.plot_trajectory({"V": [-60.0, 20.0], "W": [0.0, 0.4]}, duration=50.0, with_return=True)
    same = bp.analysis.phase_plane("MorrisLecar", (-70.0, 60.0), (0.0, 0.6), [(-60.0, 0.0), (20.0, 0.4)],
                                   duration=50.0, grid=20, I=100.0)["trajectories"]
    assert traj["V"].shape == (1001, 2) and traj.ts[-1] == pytest.approx(50.0, abs=1e-12)
    for i in range(2):
        assert np.array_equal(traj["V"][:, i], same[i][:, 0]) and np.array_equal(traj["W"][:, i], same[i][:, 1])
    lines = labelled(plt.gca(), "traj ")
    assert len(lines) == 2 and np.array_equal(lines[1].get_xdata(), same[1][:, 0])
    plt.figure()
    plane.plot_trajectory((-60.0, 0.0), duration=50.0, axes="t-v", plot_durations=(10.0, 20.0))
    lines = plt.gca().lines
    assert len(lines) == 2 and lines[0].get_xdata()[0] == pytest.approx(10.0) and lines[0].get_xdata()[-1] == 20.0


def test_limit_cycle_by_simulation_matches_the_analysis(plane, reference):
    # From inside, the trajectory winds out onto the stable cycle, which the analysis refines by shooting.
    plane.plot_limit_cycle_by_sim({"V": [-20.0], "W": [0.2]}, duration=1000.0)
    (cycle,) = labelled(plt.gca(), "stable limit cycle")
    known = reference["cycles"][0]
    assert known["stable"]
    v = cycle.get_xdata()
    assert abs(v.max() - known["x_max"][0]) < 0.05 and abs(v.min() - known["x_min"][0]) < 0.05
    period = float(cycle.get_label().split("(")[1].split(" ms")[0])
    assert abs(period - known["period"]) < 0.1  # one step of 0.05 ms on each end, printed to 4 digits


def test_bifurcation_figure_and_values():
    bif = bp.analysis.Bifurcation1D(bp.HH, target_pars={"I": (0.0, 200.0)}, target_vars={"V": (-80.0, 50.0)},
                                    pars_update={"preset": "classic", "EL": -54.4}, cycles=False)
    r = bif.plot_bifurcation(with_return=True)
    expected = bp.analysis.bifurcation("HH", range=(0.0, 200.0), preset="classic", EL=-54.4, cycles=False)
    assert [h["param"] for h in r["hopf"]] == [h["param"] for h in expected["hopf"]]
    assert abs(r["hopf"][0]["param"] - 9.7795) < 1e-3  # Hassard (1978)
    top = plt.gcf().axes[0]
    hopf = labelled(top, "Hopf")
    assert len(hopf) == 2 and hopf[0].get_xdata()[0] == r["hopf"][0]["param"]
    branch = np.concatenate([line.get_xdata() for line in top.lines if line.get_label().startswith("_")])
    assert set(branch) == {p["param"] for p in expected["equilibria"]}
    assert any(line.get_linestyle() == "--" for line in top.lines)  # the unstable part
    assert top.get_ylim() == (-80.0, 50.0)


@pytest.mark.parametrize("make, message", [
    (lambda: bp.analysis.PhasePlane2D("HH", {"V": (-80, 50), "m": (0, 1)}), "'HH' has 4 variables"),
    (lambda: bp.analysis.PhasePlane2D("MorrisLecar", {"V": (-80, 50), "W": (0, 1)}, fixed_vars={"W": 0.1}), "fixed_vars"),
    (lambda: bp.analysis.PhasePlane2D("MorrisLecar", {"W": (0, 1), "V": (-80, 50)}), "model's order"),
    (lambda: bp.analysis.PhasePlane2D("MorrisLecar", {"V": (-80, 50), "W": (0, 1)}, target_pars={"I": (0, 1)}),
     "target_pars"),
    (lambda: bp.analysis.PhasePlane2D("MorrisLecar", {"V": (-80, 50), "W": (0, 1)}, resolutions=0.01),
     "gives 13000 points per axis"),
    (lambda: bp.analysis.PhasePlane2D("MorrisLecar", {"V": (-80, 50), "W": (0, 1)}, jit_device="gpu"), "jit_device"),
    (lambda: bp.analysis.PhasePlane2D(lambda V, t: -V, {"V": (-80, 50), "W": (0, 1)}), "registered models"),
    (lambda: bp.analysis.PhasePlane2D("MorrisLecar", {"V": (50, -80), "W": (0, 1)}), "reversed"),
    (lambda: bp.analysis.Bifurcation1D("HH", {"I": (0, 20), "gL": (0, 1)}, {"V": (-80, 50)}), "one parameter"),
    (lambda: bp.analysis.Bifurcation1D("HH", {"I": (0, 20)}, {"V": (-80, 50)}, resolutions={"I": 0.1}),
     "resolutions"),
    (lambda: bp.analysis.Bifurcation1D("HH", {"I": (0, 20)}, {"n": (0, 1)}), "'n' is not allowed; use one of V"),
    (lambda: bp.analysis.Bifurcation1D("HH", {"I": (0, 20)}, {"V": (-80, 50)}, fixed_vars={"n": 0.3}), "fixed_vars"),
])
def test_arguments_ionode_cannot_honour_are_refused(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        make()


def test_method_arguments_ionode_cannot_honour_are_refused(plane):
    for call, message in [
        (lambda: plane.plot_nullcline(tol_nullcline=1e-3), "tol_nullcline"),
        (lambda: plane.plot_nullcline(coords={"V": "W"}), "coords"),
        (lambda: plane.plot_fixed_point(select_candidates="aux_rank"), "select_candidates"),
        (lambda: plane.plot_trajectory({"V": [0.0], "W": [0.1]}, duration=10.0, dt=0.01), "dt = 0.01"),
        (lambda: plane.plot_trajectory({"V": [0.0]}, duration=10.0), "initials"),
        (lambda: plane.plot_trajectory((0.0, 0.1), duration=10.0, axes="x-y"), "axes"),
        (lambda: plane.plot_trajectory((0.0, 0.1), duration=10.0, plot_durations=(5.0, 20.0)), "plot_durations"),
    ]:
        with pytest.raises(ValueError, match=message):
            call()
    # The trajectory step itself is accepted.
    plane.plot_trajectory((0.0, 0.1), duration=1.0, dt=0.05)
