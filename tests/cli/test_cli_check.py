"""`ionode check CONFIG`: is my dt good enough?

The check's own reference is a tight rkdp run of the same neurons. These tests hold it to the
independent SciPy solutions of ../shared/reference/reference.json: the errors it reports are the
errors against SciPy, and the dt it recommends reaches the accuracy asked for when the configuration
is run at it. Bad input is refused with a message naming the problem.
"""

import json
import os
from pathlib import Path

import numpy as np
import pytest

from conftest import load_npz, run_config, run_ionode, write_config

SHARED = Path(os.environ.get("IONODE_SHARED_DIR", "/work/shared"))
REFERENCE_JSON = SHARED / "reference" / "reference.json"
CASES = {"HH": ("HH", "", "input"), "WB": ("WangBuzsaki", "", "input"), "ML": ("MorrisLecar", "", "input"),
         "PR_paper": ("PinskyRinzel", "paper", "Is")}

pytestmark = pytest.mark.skipif(not REFERENCE_JSON.exists(), reason="the shared references are absent")


def reference_case(key):
    for case in json.loads(REFERENCE_JSON.read_text())["spike_time_references"]:
        if case["model"] == key:
            return case
    raise KeyError(key)


def case_config(key, method="exp_auto", dt=0.1, size=1, input_value=None):
    """The reference case as a configuration: its initial state, current and duration."""
    case = reference_case(key)
    model, variant, target = CASES[key]
    text = f'model = "{model}"\nsize = {size}\nduration = {case["duration_ms"]}\ndt = {dt}\nmethod = "{method}"\n'
    if variant:
        text += f'[model_options]\nvariant = "{variant}"\n'
    text += "[initial]\n" + "".join(f"{n} = {v!r}\n" for n, v in zip(case["state_names"], case["initial_state"]))
    text += "[monitors]\nvariables = []\n"
    value = input_value if input_value is not None else repr(case["current"])
    text += f'[[inputs]]\ntarget = "{target}"\nvalue = {value}\n'
    return text


def check(tmp_path, text, *extra, expect_rc=0):
    config = write_config(tmp_path, text, "check.toml")
    proc = run_ionode(["check", config.name, "--json", "check.json", *extra], tmp_path, timeout=600)
    assert proc.returncode == expect_rc, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc, (json.loads((tmp_path / "check.json").read_text()) if expect_rc == 0 else None)


def worst_error_against_scipy(tmp_path, key, method, dt):
    """Runs the case with `ionode run` and returns (spike count, largest spike-time error) against SciPy."""
    _, path = run_config(tmp_path, case_config(key, method, dt), output=f"run_{method}_{dt}.npz")
    arrays, _ = load_npz(path)
    times = np.sort(arrays["spike_times"])
    expected = np.array(reference_case(key)["spike_times"])
    n = min(len(times), len(expected))
    return len(times), float(np.max(np.abs(times[:n] - expected[:n]))) if n else 0.0


@pytest.mark.parametrize("key", ["HH", "WB", "ML"])
def test_reported_errors_are_the_errors_against_the_independent_reference(tmp_path, key):
    _, result = check(tmp_path, case_config(key))
    reference = result["reference"]
    # The check's reference agrees with a ten times looser run far below any error it reports.
    assert reference["against_ten_times_looser_ms"] < 1e-5 and reference["count_difference_against_looser"] == 0
    assert reference["spikes"] == len(reference_case(key)["spike_times"])
    for entry in result["methods"]:
        for row in entry["rows"]:
            count, scipy_error = worst_error_against_scipy(tmp_path, key, entry["method"], row["dt_ms"])
            assert row["spikes"] == count, (entry["method"], row)
            # rkdp at 1e-10 and SciPy's DOP853 at 1e-13 agree to ~1e-7 ms (reference.json's cross-checks);
            # 1e-5 ms is far below every error compared here (the smallest, ML's exp_midpoint, is 1e-3).
            assert row["worst_error_ms"] == pytest.approx(scipy_error, abs=1e-5), (entry["method"], row)


@pytest.mark.parametrize("key,method", [("HH", "exp_auto"), ("HH", "exp_midpoint"), ("WB", "exp_midpoint")])
def test_the_recommended_dt_reaches_the_accuracy_asked_for(tmp_path, key, method):
    accuracy = 0.1
    _, result = check(tmp_path, case_config(key, method), "--accuracy", accuracy)
    entry = next(e for e in result["methods"] if e["method"] == method)
    assert not entry["good_enough"]  # at dt = 0.1 both are far off (docs/numerics.md)
    dt = entry["dt_needed_ms"]
    assert 0 < dt < 0.1
    count, error = worst_error_against_scipy(tmp_path, key, method, dt)
    assert count == len(reference_case(key)["spike_times"])
    assert error <= accuracy, f"{method} at the recommended dt = {dt}: {error} ms against SciPy"
    # ...and not wastefully small: within a factor 4 of the accuracy (the step is rounded down to 1, 2, 2.5
    # or 5 times a power of ten, at most a factor 2.5 in dt).
    assert error >= accuracy / 2.5 ** entry["order"] / 1.6, f"{method} at dt = {dt}: {error} ms"
    assert entry["seconds_needed_one_thread"] > 0


def test_a_good_enough_dt_is_said_to_be(tmp_path):
    proc, result = check(tmp_path, case_config("ML", "exp_midpoint"), "--accuracy", 0.1)
    entry = result["methods"][0]
    assert entry["method"] == "exp_midpoint" and entry["good_enough"] and entry["dt_needed_ms"] == 0.1
    assert "exp_midpoint: fitted order" in proc.stdout and "dt = 0.1 ms is good enough" in proc.stdout
    assert entry["fitted_order"] == pytest.approx(2, abs=0.25)


def test_a_time_series_input_is_held_over_the_finer_steps(tmp_path):
    """Rows of the configured dt held over dt/2 and dt/4: the same numbers as the constant."""
    steps = int(round(reference_case("HH")["duration_ms"] / 0.1))
    np.save(tmp_path / "I.npy", np.full(steps, 10.0))
    _, constant = check(tmp_path, case_config("HH"))
    _, series = check(tmp_path, case_config("HH", input_value='{file = "I.npy"}'))
    for a, b in zip(constant["methods"], series["methods"]):
        for ra, rb in zip(a["rows"], b["rows"]):
            assert ra["spikes"] == rb["spikes"] and ra["worst_error_ms"] == pytest.approx(rb["worst_error_ms"], abs=1e-9)


def test_a_sample_of_a_large_population_spans_its_values(tmp_path):
    """A list of currents over 1000 neurons: four runs of 4 neurons spread over the list, so both the
    silent low currents and the firing high ones are checked."""
    text = case_config("HH", size=1000, input_value=repr([float(x) for x in np.linspace(0.0, 20.0, 1000)]))
    text = text.replace("duration = 200.0", "duration = 50.0")
    proc, result = check(tmp_path, text, "--sample", 16, "--compare", "none")
    assert result["sample_instances"] == 16 and result["whole_instances"] == 1000
    assert result["sample_neurons"] == [[0, 4], [332, 4], [664, 4], [996, 4]]
    assert [e["method"] for e in result["methods"]] == ["exp_auto"]
    assert "16 of 1000 neurons" in proc.stdout
    # Neurons at 0 uA/cm^2 stay silent after the first transient; those near 20 fire every ~12 ms.
    assert 16 < result["reference"]["spikes"] < 16 * 6


@pytest.mark.parametrize("mutation,needle", [
    ('[noise]\nV = 1.0\n', "noise"),
    ('batch = 2\n', "batch = 2"),
])
def test_what_cannot_be_checked_is_refused(tmp_path, mutation, needle):
    text = case_config("HH")
    text = text.replace("[initial]", mutation + "[initial]") if mutation.startswith("batch") else text + mutation
    proc, _ = check(tmp_path, text, expect_rc=2)
    assert needle in proc.stderr and "internal error" not in proc.stderr, proc.stderr


def test_bad_arguments_are_named(tmp_path):
    write_config(tmp_path, case_config("HH"), "check.toml")
    for args, needle in [(["--accuracy", "0"], "accuracy = 0"), (["--sample", "0"], "--sample = 0"),
                         (["--compare", "rk5"], "unknown method 'rk5'"), (["--duration", "-1"], "--duration = -1")]:
        proc = run_ionode(["check", "check.toml", *args], tmp_path)
        assert proc.returncode == 2 and needle in proc.stderr, (args, proc.stderr)
    network = Path(__file__).resolve().parents[2] / "examples" / "networks" / "cobahh.toml"
    proc = run_ionode(["check", str(network)], tmp_path)
    assert proc.returncode == 2 and "is a network" in proc.stderr, proc.stderr


def test_run_warns_once_when_the_method_and_dt_are_known_to_be_far_off(tmp_path):
    proc, _ = run_config(tmp_path, case_config("HH"), output="warned.npz")
    assert proc.stdout.count("warning:") == 1, proc.stdout
    assert "HH with exp_auto at dt = 0.1 ms" in proc.stdout and "ionode check" in proc.stdout
    assert "exp_midpoint at this dt" in proc.stdout
    # Known to be close: no warning (ML with exp_midpoint at 0.1 ms is off by 0.02 ms per second).
    proc, _ = run_config(tmp_path, case_config("ML", "exp_midpoint"), output="quiet.npz")
    assert "warning" not in proc.stdout, proc.stdout
    proc, _ = run_config(tmp_path, case_config("HH"), "-q", output="q.npz")
    assert proc.stdout == "" and proc.stderr == ""
