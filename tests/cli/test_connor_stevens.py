"""The Connor-Stevens example (examples/connor_stevens): a user-defined model run by its own CLI and API.

The reference is independent of the C++: the model is written again below in NumPy, straight from
Dayan & Abbott (2001) "Theoretical Neuroscience", section 6.2 (membrane current, eq. 6.1, and the rate
functions and A-current kinetics given with it), in per-cm^2 units (c_m = 10 nF/mm^2 = 1 uF/cm^2,
conductances x 100), and integrated by a fixed-step classical RK4 with spikes located on the cubic
Hermite interpolant of each step. Only NumPy is used (no SciPy in CI).

CTest sets IONODE_BUILD_DIR (the example binaries live in $IONODE_BUILD_DIR/examples/connor_stevens/).
"""

import json
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

BUILD_DIR = Path(os.environ.get("IONODE_BUILD_DIR", "/work/main/build"))
EXAMPLE_DIR = BUILD_DIR / "examples" / "connor_stevens"
CLI = EXAMPLE_DIR / "connor_stevens"
API = EXAMPLE_DIR / "connor_stevens_api"
SOURCE_DIR = Path(__file__).resolve().parents[2] / "examples" / "connor_stevens"
SHIPPED_CONFIG = SOURCE_DIR / "connor_stevens.toml"

TIMEOUT_S = 120
THRESHOLD = -20.0  # mV, the example's default V_th

# Dayan & Abbott's parameters, per cm^2 (mS/cm^2, mV, uF/cm^2).
DEFAULTS = {"C": 1.0, "gNa": 120.0, "gK": 20.0, "gA": 47.7, "gL": 0.3,
            "ENa": 55.0, "EK": -72.0, "EA": -75.0, "EL": -17.0, "V_th": THRESHOLD}


# ---------------------------------------------------------------------------------------------------
# Independent reference: Dayan & Abbott section 6.2, in NumPy. Rates in 1/ms, time constants in ms.

def _x_over_1_minus_exp(x, k):
    """x / (1 - exp(-x/k)), with its limit k at x = 0 (the textbook 0/0 point)."""
    x = np.asarray(x, dtype=float)
    safe = np.where(x == 0.0, 1.0, x)
    return np.where(x == 0.0, k, safe / (1.0 - np.exp(-safe / k)))


def cs_rates(V):
    """alpha/beta for m, h, n and a_inf, tau_a, b_inf, tau_b, as printed by Dayan & Abbott."""
    alpha_m = 0.38 * _x_over_1_minus_exp(V + 29.7, 10.0)        # 0.38(V+29.7)/(1-exp(-0.1(V+29.7)))
    beta_m = 15.2 * np.exp(-0.0556 * (V + 54.7))
    alpha_h = 0.266 * np.exp(-0.05 * (V + 48.0))
    beta_h = 3.8 / (1.0 + np.exp(-0.1 * (V + 18.0)))
    alpha_n = 0.02 * _x_over_1_minus_exp(V + 45.7, 10.0)        # 0.02(V+45.7)/(1-exp(-0.1(V+45.7)))
    beta_n = 0.25 * np.exp(-0.0125 * (V + 55.7))
    a_inf = np.cbrt(0.0761 * np.exp(0.0314 * (V + 94.22)) / (1.0 + np.exp(0.0346 * (V + 1.17))))
    tau_a = 0.3632 + 1.158 / (1.0 + np.exp(0.0497 * (V + 55.96)))
    b_inf = (1.0 / (1.0 + np.exp(0.0688 * (V + 53.3)))) ** 4
    tau_b = 1.24 + 2.678 / (1.0 + np.exp(0.0624 * (V + 50.0)))
    return alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n, a_inf, tau_a, b_inf, tau_b


def cs_rhs(y, current):
    """y = (V, m, h, n, a, b) stacked along axis 0; one column per neuron."""
    V, m, h, n, a, b = y
    am, bm, ah, bh, an, bn, a_inf, tau_a, b_inf, tau_b = cs_rates(V)
    p = DEFAULTS
    i_m = (p["gL"] * (V - p["EL"]) + p["gNa"] * m**3 * h * (V - p["ENa"])
           + p["gK"] * n**4 * (V - p["EK"]) + p["gA"] * a**3 * b * (V - p["EA"]))
    return np.array([(current - i_m) / p["C"],
                     am * (1 - m) - bm * m,
                     ah * (1 - h) - bh * h,
                     an * (1 - n) - bn * n,
                     (a_inf - a) / tau_a,
                     (b_inf - b) / tau_b])


def cs_initial(V0):
    """Gates at steady state for V0 (the example's default initial state)."""
    V0 = np.asarray(V0, dtype=float)
    am, bm, ah, bh, an, bn, a_inf, _, b_inf, _ = cs_rates(V0)
    return np.array([V0, am / (am + bm), ah / (ah + bh), an / (an + bn), a_inf, b_inf])


def _hermite_root(v0, v1, d0, d1, threshold):
    """Root in [0, 1] of the cubic Hermite interpolant (values v0, v1; slopes times h d0, d1)."""
    lo, hi = 0.0, 1.0
    for _ in range(60):
        s = 0.5 * (lo + hi)
        value = ((2 * s**3 - 3 * s**2 + 1) * v0 + (s**3 - 2 * s**2 + s) * d0
                 + (-2 * s**3 + 3 * s**2) * v1 + (s**3 - s**2) * d1)
        if value < threshold:
            lo = s
        else:
            hi = s
    return 0.5 * (lo + hi)


def cs_reference(currents, V0, duration, dt, sample_every=None):
    """Classical RK4 at fixed dt for neurons with the given constant currents and initial V.
    Returns (spike times per neuron, V samples (T, n) after every `sample_every` steps or None)."""
    currents = np.asarray(currents, dtype=float)
    y = cs_initial(np.broadcast_to(np.asarray(V0, dtype=float), currents.shape).copy())
    spikes = [[] for _ in currents]
    samples = []
    for k in range(int(round(duration / dt))):
        k1 = cs_rhs(y, currents)
        k2 = cs_rhs(y + 0.5 * dt * k1, currents)
        k3 = cs_rhs(y + 0.5 * dt * k2, currents)
        k4 = cs_rhs(y + dt * k3, currents)
        y_new = y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        crossed = (y[0] < THRESHOLD) & (y_new[0] >= THRESHOLD)
        if crossed.any():
            f_new = cs_rhs(y_new, currents)[0]
            for i in np.nonzero(crossed)[0]:
                s = _hermite_root(y[0][i], y_new[0][i], dt * k1[0][i], dt * f_new[i], THRESHOLD)
                spikes[i].append((k + s) * dt)
        y = y_new
        if sample_every and (k + 1) % sample_every == 0:
            samples.append(y[0].copy())
    return [np.array(s) for s in spikes], (np.array(samples) if sample_every else None)


# ---------------------------------------------------------------------------------------------------
# Helpers

def run_cli(args, cwd):
    proc = subprocess.run([str(CLI), *map(str, args)], cwd=str(cwd), capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    assert proc.returncode == 0, f"connor_stevens {' '.join(map(str, args))} exited {proc.returncode}\n" \
                                 f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def run_config(tmp_path, text, name="run.toml"):
    """Writes TEXT, runs `connor_stevens run` on it with output out.npz; returns (arrays, metadata)."""
    (tmp_path / name).write_text(text)
    output = tmp_path / (Path(name).stem + ".npz")
    run_cli(["run", name, "-q", "-o", output.name], tmp_path)
    return load_npz(output)


def load_npz(path):
    with np.load(str(path), allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    metadata = json.loads(str(arrays.pop("metadata")))
    return arrays, metadata


def config(currents, duration, dt=0.01, method="rk4", variables="[]", every=1, model="ConnorStevens",
           extra=""):
    """One neuron per current (a per-neuron input list), monitors, and any extra tables."""
    currents = list(currents)
    return (f'model = "{model}"\nsize = {len(currents)}\nduration = {duration}\ndt = {dt}\n'
            f'method = "{method}"\n\n[[inputs]]\ntarget = "input"\nvalue = {currents}\n\n'
            f'[monitors]\nvariables = {variables}\nevery = {every}\nspikes = true\n\n{extra}\n')


def spikes_of(arrays, neuron):
    return arrays["spike_times"][arrays["spike_indices"] == neuron]


@pytest.fixture(scope="module", autouse=True)
def _example_binaries():
    for path in (CLI, API):
        assert path.is_file() and os.access(path, os.X_OK), \
            f"{path} is missing: build the connor_stevens and connor_stevens_api targets"


# ---------------------------------------------------------------------------------------------------
# Spike times against the reference

# Currents (uA/cm^2): 8.0 stays subthreshold (a slow approach to rest through the A-current), 8.7
# fires once after a long delay (the A-current's hallmark), 10, 15 and 30 fire repetitively.
REF_CURRENTS = [8.0, 8.7, 10.0, 15.0, 30.0]
REF_DURATION = 120.0  # ms
REF_DT = 0.005        # ms


@pytest.fixture(scope="module")
def reference():
    """~5 s: NumPy RK4 at dt = 0.005 ms, V sampled every 1 ms (200 steps)."""
    return cs_reference(REF_CURRENTS, -68.0, REF_DURATION, REF_DT, sample_every=200)


def check_spike_times(arrays, ref_spikes, tolerance, what):
    """Same spike counts per neuron, and every spike time within tolerance; returns the worst error."""
    worst = 0.0
    for i, current in enumerate(REF_CURRENTS):
        got = spikes_of(arrays, i)
        assert len(got) == len(ref_spikes[i]), (what, current, got, ref_spikes[i])
        if len(got):
            error = float(np.max(np.abs(got - ref_spikes[i])))
            worst = max(worst, error)
            assert error <= tolerance, f"{what}, {current} uA/cm^2: spike times differ by {error:.3g} ms"
    print(f"{what}: worst spike-time difference {worst:.3g} ms")
    return worst


# Tolerance for rk4 at dt = 0.01 ms. Classical RK4 is 4th order; by step halving (dt = 0.01, 0.005,
# 0.0025 ms, with this reference code and with the CLI, over 150 ms at 8.5 to 30 uA/cm^2) its
# spike-time error at dt = 0.01 ms is at most 8e-6 ms, and the reference's own (dt = 0.005 ms) at most
# 5e-7 ms. 3e-5 ms leaves a factor of 3.5 over their sum. For scale: a 0.1 % change of any single
# coefficient (15.2 in beta_m, 47.7 in gA, 0.0761 in a_inf, 1.24 in tau_b) moves these spike times
# by 2e-3 to 2 ms, i.e. 70 to 70000 times this tolerance.
RK4_SPIKE_TOL_MS = 3e-5
# Subthreshold V (8 uA/cm^2) is smooth; rk4's error there at dt = 0.01 ms is below 1e-7 mV.
RK4_SUBTHRESHOLD_TOL_MV = 1e-5


def test_rk4_spike_times_match_reference(tmp_path, reference):
    ref_spikes, ref_V = reference
    arrays, metadata = run_config(tmp_path, config(REF_CURRENTS, REF_DURATION, dt=0.01, method="rk4",
                                                   variables='["V"]', every=100))
    assert metadata["model"] == "ConnorStevens" and metadata["method"] == "rk4"
    counts = [len(s) for s in ref_spikes]
    assert counts[0] == 0 and counts[1] == 1 and counts[-1] >= 15, counts  # the setup is as intended
    check_spike_times(arrays, ref_spikes, RK4_SPIKE_TOL_MS, "rk4 dt=0.01")
    # V every 1 ms for the subthreshold neuron: the A-current's slow kinetics without any spike.
    assert arrays["V"].shape == ref_V.shape
    error = np.max(np.abs(arrays["V"][:, 0] - ref_V[:, 0]))
    assert error <= RK4_SUBTHRESHOLD_TOL_MV, f"subthreshold V differs by {error:.3g} mV"


# rk4 at the reference's own step: both sides compute the same discrete trajectory (up to rounding),
# so only the location of the crossing inside a step differs: the reference's root of the step's
# cubic Hermite interpolant (error ~ h^4 |d4V/dt4| / (384 |dV/dt|), a few 1e-9 ms at h = 0.005 ms on
# this upstroke) against ionode's root of a partial rk4 step (O(h^5)). Measured 3e-9 ms with the fix.
SAME_STEP_TOL_MS = 2e-8


def test_rk4_same_step_locates_spikes_exactly(tmp_path, reference):
    ref_spikes, _ = reference
    arrays, _ = run_config(tmp_path, config(REF_CURRENTS, REF_DURATION, dt=REF_DT, method="rk4"))
    check_spike_times(arrays, ref_spikes, SAME_STEP_TOL_MS, f"rk4 dt={REF_DT}")


# rkdp (max-norm error control, substeps of at most dt): its own spike-time error for rtol = atol from
# 1e-6 to 1e-12 measured at most 5e-8 ms (against a dt = 0.0025 ms reference, with the fix), the
# reference's error is at most 5e-7 ms; 2e-6 ms leaves a factor of 3.5 over their sum.
RKDP_SPIKE_TOL_MS = 2e-6


@pytest.mark.parametrize("tol", [1e-8, 1e-10])
def test_rkdp_spike_times_match_reference(tmp_path, reference, tol):
    ref_spikes, _ = reference
    extra = f"[method_options]\nrtol = {tol}\natol = {tol}\n"
    arrays, metadata = run_config(tmp_path, config(REF_CURRENTS, REF_DURATION, dt=0.01, method="rkdp",
                                                   extra=extra))
    assert metadata["method"] == "rkdp" and metadata["rtol"] == tol
    check_spike_times(arrays, ref_spikes, RKDP_SPIKE_TOL_MS, f"rkdp rtol=atol={tol}")


def test_removable_singularities_are_exact(tmp_path):
    """alpha_m and alpha_n are 0/0 at V = -29.7 and -45.7 mV in their textbook form; starting there
    exactly (the gates' steady state uses them at V0 itself) must give finite values equal to the
    reference, which uses the analytic limit at that point."""
    V0 = [-29.7, -45.7]
    extra = "[initial]\nV = [-29.7, -45.7]\n"
    arrays, _ = run_config(tmp_path, config([0.0, 0.0], 2.0, dt=0.01, variables='["V", "m", "n"]',
                                            extra=extra))
    for name in ("V", "m", "n"):
        assert np.all(np.isfinite(arrays[name])), name
    _, ref_V = cs_reference([0.0, 0.0], V0, 2.0, 0.01, sample_every=1)
    # Same method and step on both sides: only rounding separates them.
    assert np.max(np.abs(arrays["V"] - ref_V)) <= 1e-9
    # The first sample is one 0.01 ms step from the steady state, too short for m and n to move far.
    x0 = cs_initial(np.array(V0))
    assert np.allclose(arrays["m"][0], x0[1], rtol=1e-2) and np.allclose(arrays["n"][0], x0[3], rtol=1e-2)


# ---------------------------------------------------------------------------------------------------
# The CLI and the API

def test_shipped_config_writes_npz(tmp_path):
    output = tmp_path / "cs.npz"
    proc = run_cli(["run", SHIPPED_CONFIG, "-o", output], tmp_path)
    assert "ConnorStevens" in proc.stdout
    arrays, metadata = load_npz(output)
    assert {"ts", "V", "spike_times", "spike_indices"} <= set(arrays)
    assert metadata["model"] == "ConnorStevens"
    assert metadata["parameters"] == DEFAULTS
    ts = arrays["ts"]
    assert ts.dtype == np.float64 and ts.shape == (20000,)
    assert ts[0] == pytest.approx(0.01) and ts[-1] == pytest.approx(200.0)
    assert arrays["V"].dtype == np.float64 and arrays["V"].shape == (20000, 1)
    assert arrays["spike_times"].dtype == np.float64 and arrays["spike_indices"].dtype == np.int64
    assert np.all(arrays["spike_indices"] == 0)
    spikes = arrays["spike_times"]
    assert 4 <= len(spikes) <= 8 and np.all(np.diff(spikes) > 0)
    # Each spike overshoots and the neuron repolarizes between spikes.
    V = arrays["V"][:, 0]
    assert V.max() > 30.0 and V[ts > spikes[0] + 5.0].min() < -60.0
    # The gates are in [0, 1].
    for gate in ("a", "b"):
        if gate in arrays:
            assert arrays[gate].min() >= 0.0 and arrays[gate].max() <= 1.0


def api_spikes(current=None):
    args = [str(API)] + ([] if current is None else [str(current)])
    proc = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr
    header = re.search(r"(\d+) spikes", proc.stdout)
    assert header, proc.stdout
    times = [float(line) for line in proc.stdout.splitlines()[1:] if line.strip()]
    assert len(times) == int(header.group(1))
    return np.array(times)


@pytest.mark.parametrize("current", [None, 12.5])
def test_api_matches_cli(tmp_path, current):
    """connor_stevens_api (rk4, dt 0.01 ms, 200 ms, V0 = -68 mV) and the CLI on the same setup."""
    api = api_spikes(current)
    value = 10.0 if current is None else current  # the API's and the shipped config's default
    arrays, _ = run_config(tmp_path, config([value], 200.0, dt=0.01, method="rk4"))
    cli = arrays["spike_times"]
    assert len(api) == len(cli) and len(api) > 0
    assert np.max(np.abs(api - cli)) <= 1e-6  # printed with 6 decimals


def test_models_lists_connor_stevens(tmp_path):
    out = run_cli(["models"], tmp_path).stdout
    assert re.search(r"^HH\b", out, re.M), "the built-in models stay available"
    block = out[out.index("ConnorStevens"):]
    block = block[: block.find("\n\n")]
    for variable in ("V", "m", "h", "n", "a", "b"):
        assert re.search(rf"^\s+{variable}\s", block, re.M), f"variable {variable} not listed"
    for name, value in DEFAULTS.items():
        line = re.search(rf"^\s+{name}\s+(\S+)\s", block, re.M)
        assert line, f"parameter {name} not listed:\n{block}"
        assert float(line.group(1)) == value, (name, line.group(0))
    assert "input" in block and "uA/cm^2" in block


# ---------------------------------------------------------------------------------------------------
# Type I excitability: the A-current lets the model fire arbitrarily slowly just above rheobase.

def firing_rates(arrays, n, start, end):
    """Steady firing rate (Hz) per neuron from the spikes in [start, end] ms; 0 for fewer than 3."""
    rates = np.zeros(n)
    for i in range(n):
        s = spikes_of(arrays, i)
        s = s[(s >= start) & (s <= end)]
        if len(s) >= 3:
            rates[i] = 1000.0 * (len(s) - 1) / (s[-1] - s[0])
    return rates


def scan(tmp_path, model, currents, name):
    """One run, one neuron per current, 3 s; rates from the last 2 s (after the onset transient)."""
    arrays, _ = run_config(tmp_path, config(currents, 3000.0, dt=0.02, method="rk4", model=model), name=name)
    return firing_rates(arrays, len(currents), 1000.0, 3000.0)


def test_type_one_firing_near_rheobase(tmp_path):
    # A 0.1 uA/cm^2 scan from 6 to 10 uA/cm^2 (rheobase is near 8.2); dt = 0.02 ms keeps it ~2 s.
    currents = np.round(np.arange(6.0, 10.0001, 0.1), 3)
    rates = scan(tmp_path, "ConnorStevens", currents, "cs_scan.toml")
    firing = np.nonzero(rates > 0)[0]
    assert len(firing) > 0 and firing[0] > 0, f"no rheobase inside the scan: {rates}"
    first = firing[0]
    assert np.all(rates[first:] > 0), "repetitive firing must persist above rheobase"
    print(f"ConnorStevens: rheobase in ({currents[first - 1]}, {currents[first]}] uA/cm^2, "
          f"rate there {rates[first]:.3g} Hz, at 10 uA/cm^2 {rates[-1]:.3g} Hz")
    # Type I: the rate starts low at rheobase and rises continuously with the current.
    assert rates[first] < 10.0, f"lowest firing rate {rates[first]:.3g} Hz at {currents[first]} uA/cm^2"
    assert np.all(np.diff(rates[first:]) > 0)
    assert rates[-1] > 3 * rates[first]


def test_hh_contrast_jumps_to_high_rate(tmp_path):
    """The same measurement on the built-in HH (type II): its rate jumps from 0 to ~50 Hz, so the
    scan above can tell the two classes apart."""
    currents = np.round(np.arange(0.0, 10.0001, 0.25), 3)
    rates = scan(tmp_path, "HH", currents, "hh_scan.toml")
    firing = np.nonzero(rates > 0)[0]
    assert len(firing) > 0 and firing[0] > 0
    assert rates[firing[0]] > 40.0, f"HH's lowest firing rate {rates[firing[0]]:.3g} Hz"
