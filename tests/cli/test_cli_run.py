"""`ionode run` and the informational commands: what a successful run writes and prints.

Spec (from the project's issue): `ionode run` without arguments runs the seed's HH example
(2 neurons, input 10 uA/cm^2, 200 ms) and writes ionode-result.npz; `ionode run CONFIG.toml` runs any
configuration; `--set` overrides any key, `-o` the output path, `--quiet` silences the summary.
The .npz holds ts, one array per monitored variable ((T, n), or (B, T, n) with a batch), spike_times
(float64, ms), spike_indices (int64) and metadata (JSON). Sample j is the state after the step that
ends at ts[j], so ts[0] = dt.
"""

import csv
import json
import re

import numpy as np
import pytest

from conftest import (
    load_npz,
    mentions_number,
    run_config,
    run_ionode,
    toml_inputs,
)

MODELS = ["HH", "MorrisLecar", "PinskyRinzel", "WangBuzsaki"]


def hh(top="", tables="", size=2, duration=50.0, dt=0.1, seed=0, current="10.0", variables='["V"]'):
    """An HH configuration: top-level keys first, then [monitors], the input, and extra tables."""
    text = f'model = "HH"\nsize = {size}\nduration = {duration}\ndt = {dt}\nseed = {seed}\n{top}\n'
    text += f"[monitors]\nvariables = {variables}\n\n"
    if current is not None:
        text += toml_inputs(("input", current, None)) + "\n"
    return text + tables


def spikes_of(arrays, neuron):
    return arrays["spike_times"][arrays["spike_indices"] == neuron]


def assert_same_arrays(a, b):
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name].dtype == b[name].dtype, name
        assert a[name].shape == b[name].shape, name
        assert a[name].tobytes() == b[name].tobytes(), f"{name} differs"


def assert_layout(arrays, variables, samples, neurons, batch=None):
    ts = arrays["ts"]
    assert ts.dtype == np.float64
    assert ts.shape == (samples,)
    for v in variables:
        assert v in arrays, f"no array named {v!r}: {sorted(arrays)}"
        assert arrays[v].dtype == np.float64
        expected = (samples, neurons) if batch is None else (batch, samples, neurons)
        assert arrays[v].shape == expected, f"{v}: {arrays[v].shape} != {expected}"
    assert arrays["spike_times"].dtype == np.float64
    assert arrays["spike_indices"].dtype == np.int64
    assert arrays["spike_times"].ndim == 1 and arrays["spike_indices"].ndim == 1
    assert arrays["spike_times"].shape == arrays["spike_indices"].shape


# --- informational commands ------------------------------------------------------------------


def test_version(tmp_path):
    proc = run_ionode(["--version"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    match = re.search(r"\b(\d+\.\d+\.\d+)\b", proc.stdout)
    assert match, f"--version printed no version: {proc.stdout!r}"
    # the same version is recorded in a result's metadata
    run_config(tmp_path, hh(duration=1.0))
    _, meta = load_npz(tmp_path / "out.npz")
    assert meta["ionode_version"] == match.group(1)


def test_run_help(tmp_path):
    proc = run_ionode(["run", "--help"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    for word in ["--set", "-o", "--output", "--quiet", "config"]:
        assert word in proc.stdout, f"run --help does not mention {word}:\n{proc.stdout}"
    assert not list(tmp_path.iterdir()), "run --help must not run anything"


def _model_sections(text):
    """Splits `ionode models` output at the line that starts each model's description."""
    starts = {}
    for name in MODELS:
        match = re.search(rf"^\s*{name}\b", text, re.M)
        assert match, f"`ionode models` does not list {name}:\n{text}"
        starts[name] = match.start()
    order = sorted(MODELS, key=starts.get)
    sections = {}
    for k, name in enumerate(order):
        end = starts[order[k + 1]] if k + 1 < len(order) else len(text)
        sections[name] = text[starts[name] : end]
    return sections


@pytest.mark.parametrize(
    "model, parameter, default, unit",
    [
        ("HH", "gNa", "120", "mS/cm^2"),
        ("HH", "gL", "0.03", "mS/cm^2"),
        ("HH", "C", "1", "uF/cm^2"),
        ("HH", "ENa", "50", "mV"),
        ("MorrisLecar", "V_Ca", "130", "mV"),
        ("MorrisLecar", "C", "20", "uF/cm^2"),
        ("PinskyRinzel", "gc", "2.1", "mS/cm^2"),
        ("PinskyRinzel", "Cm", "3", "uF/cm^2"),
        ("WangBuzsaki", "gNa", "35", "mS/cm^2"),
        ("WangBuzsaki", "EK", "-90", "mV"),
    ],
)
def test_models_lists_parameters_defaults_units(tmp_path, model, parameter, default, unit):
    proc = run_ionode(["models"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    section = _model_sections(proc.stdout)[model]
    # a line that starts with the parameter's name and gives its default and unit
    lines = [l for l in section.splitlines() if l.split() and l.split()[0].rstrip(":=") == parameter]
    assert lines, f"{model}: parameter {parameter} not listed:\n{section}"
    assert any(
        re.search(rf"(?<![\w.]){re.escape(default)}(?![\d.])", l) and unit in l for l in lines
    ), f"{model}: no default {default} {unit} for {parameter} in {lines}"


def test_models_lists_options_and_inputs(tmp_path):
    proc = run_ionode(["models"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    sections = _model_sections(proc.stdout)
    assert "preset" in sections["HH"] and "classic" in sections["HH"] and "seed" in sections["HH"]
    assert "variant" in sections["PinskyRinzel"] and "paper" in sections["PinskyRinzel"]
    assert re.search(r"\bIs\b", sections["PinskyRinzel"]) and re.search(r"\bId\b", sections["PinskyRinzel"])


def test_methods_lists_and_runs_each_method(tmp_path):
    proc = run_ionode(["methods"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]
    for expected in ["exp_auto", "euler", "midpoint", "rk2", "rk4", "rkf45"]:
        assert expected in names, f"`ionode methods` does not list {expected}: {names}"
    # every listed method is accepted by `run` and recorded in the metadata
    for name in names:
        run_config(tmp_path, hh(duration=2.0), output=f"{name}.npz")
        arrays, meta = load_npz(tmp_path / f"{name}.npz")
        assert meta["method"] in (name, "exp_auto"), (name, meta["method"])
        assert arrays["V"].shape == (20, 2) and np.isfinite(arrays["V"]).all(), name


# --- the embedded default --------------------------------------------------------------------


def test_default_run(tmp_path):
    proc = run_ionode(["run"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "ionode-result.npz"
    assert out.is_file(), f"no ionode-result.npz in the current folder: {list(tmp_path.iterdir())}"
    arrays, meta = load_npz(out)

    assert_layout(arrays, ["V"], 2000, 2)
    ts = arrays["ts"]
    assert ts[0] == pytest.approx(0.1)
    assert ts[-1] == pytest.approx(200.0)
    np.testing.assert_allclose(ts, 0.1 * np.arange(1, 2001), rtol=1e-12)
    # 10 uA/cm^2 makes both HH neurons fire repetitively
    spikes = arrays["spike_times"]
    assert len(spikes) > 10
    assert set(arrays["spike_indices"].tolist()) == {0, 1}
    assert np.all((spikes > 0) & (spikes <= 200.0))
    assert np.all(np.diff(spikes_of(arrays, 0)) > 0)

    assert meta["model"] == "HH"
    assert meta["method"]
    assert meta["dt"] == pytest.approx(0.1)
    assert meta["seed"] == 0
    assert meta["parameters"]["gNa"] == pytest.approx(120.0)
    assert meta["parameters"]["gL"] == pytest.approx(0.03)
    assert meta["ionode_version"]
    assert meta["complete"] is True

    # the summary: neurons, steps, spikes, rates, wall time
    text = proc.stdout.lower()
    for word in ["neuron", "step", "spike", "hz", "wall"]:
        assert word in text, f"summary lacks {word!r}:\n{proc.stdout}"
    assert mentions_number(proc.stdout, 2)
    assert mentions_number(proc.stdout, 2000)
    assert mentions_number(proc.stdout, len(spikes))
    rate = len(spikes) / (2 * 0.2)  # Hz per neuron
    assert mentions_number(proc.stdout, rate, rel=0.01), f"no mean rate ~{rate} Hz in:\n{proc.stdout}"


def test_quiet_prints_nothing(tmp_path):
    for flag in ["-q", "--quiet"]:
        proc = run_ionode(["run", flag], tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == "" and proc.stderr == ""
        assert (tmp_path / "ionode-result.npz").is_file()


def test_default_run_with_output_flag(tmp_path):
    proc = run_ionode(["run", "-o", "mine.npz", "-q"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "mine.npz").is_file()
    assert not (tmp_path / "ionode-result.npz").exists()
    arrays, meta = load_npz(tmp_path / "mine.npz")
    assert arrays["V"].shape == (2000, 2) and meta["model"] == "HH"


# --- layout ----------------------------------------------------------------------------------


def test_npz_layout_and_metadata(tmp_path):
    proc, out = run_config(tmp_path, hh(size=3, duration=30.0, dt=0.05, seed=5, variables='["V", "m", "h", "n"]'))
    arrays, meta = load_npz(out)
    assert_layout(arrays, ["V", "m", "h", "n"], 600, 3)
    assert set(arrays) == {"ts", "V", "m", "h", "n", "spike_times", "spike_indices"}
    np.testing.assert_allclose(arrays["ts"], 0.05 * np.arange(1, 601), rtol=1e-12)
    for gate in "mhn":
        assert np.all((arrays[gate] >= 0) & (arrays[gate] <= 1)), gate
    assert np.all((arrays["spike_indices"] >= 0) & (arrays["spike_indices"] < 3))
    # a spike is an upward crossing of V_th = 20 mV: V must exceed it around each spike
    for t, i in zip(arrays["spike_times"], arrays["spike_indices"]):
        window = np.abs(arrays["ts"] - t) < 1.0
        assert arrays["V"][window, i].max() > 20.0
    assert meta["model"] == "HH"
    assert meta["dt"] == pytest.approx(0.05)
    assert meta["seed"] == 5
    assert meta["method"] == "exp_auto"
    assert set(meta["parameters"]) == {"ENa", "gNa", "EK", "gK", "EL", "gL", "V_th", "C"}
    assert meta["complete"] is True


def test_batch_indices_every(tmp_path):
    """size = [2, 3] (6 neurons), batch 4, indices [0, 5], every 4: arrays (4, T/4, 2), ts = k*dt*4."""
    common = 'model = "HH"\nsize = [2, 3]\nbatch = 4\nduration = 20.0\ndt = 0.05\nseed = 1\n'
    inputs = toml_inputs(("input", "10.0", None))
    full_cfg = common + '[monitors]\nvariables = ["V", "n"]\n' + inputs
    sel_cfg = common + '[monitors]\nvariables = ["V", "n"]\nindices = [0, 5]\nevery = 4\n' + inputs
    run_config(tmp_path, full_cfg, output="full.npz", name="full.toml")
    run_config(tmp_path, sel_cfg, output="sel.npz", name="sel.toml")
    full, _ = load_npz(tmp_path / "full.npz")
    sel, meta = load_npz(tmp_path / "sel.npz")

    assert_layout(full, ["V", "n"], 400, 6, batch=4)
    assert_layout(sel, ["V", "n"], 100, 2, batch=4)
    np.testing.assert_allclose(sel["ts"], 0.05 * 4 * np.arange(1, 101), rtol=1e-12)
    assert sel["ts"][0] == pytest.approx(0.2)
    for v in ["V", "n"]:
        expected = full[v][:, 3::4, :][:, :, [0, 5]]
        assert np.array_equal(sel[v], expected), v
    # the batch copies start from different random V0, so they differ
    assert not np.array_equal(full["V"][0], full["V"][1])
    # spikes are kept for all neurons regardless of monitors.indices
    assert np.array_equal(sel["spike_times"], full["spike_times"])
    assert np.all((sel["spike_indices"] >= 0) & (sel["spike_indices"] < 6))
    assert meta["size"] == [2, 3]
    assert meta["batch"] == 4


def test_every_without_batch(tmp_path):
    run_config(tmp_path, hh(duration=10.0, dt=0.1, tables="", variables='["V"]\nevery = 7'))
    arrays, _ = load_npz(tmp_path / "out.npz")
    # 100 steps, a sample after every 7th: 14 samples at 0.7, 1.4, ...
    assert arrays["V"].shape == (14, 2)
    np.testing.assert_allclose(arrays["ts"], 0.7 * np.arange(1, 15), rtol=1e-12)


def test_spikes_false_gives_empty_spike_arrays(tmp_path):
    run_config(tmp_path, hh(variables='["V"]\nspikes = false'))
    arrays, _ = load_npz(tmp_path / "out.npz")
    assert arrays["spike_times"].shape == (0,) and arrays["spike_times"].dtype == np.float64
    assert arrays["spike_indices"].shape == (0,) and arrays["spike_indices"].dtype == np.int64
    assert arrays["V"].max() > 20.0  # the neurons did fire


def test_output_path_from_config_and_o_overrides_it(tmp_path):
    cfg = hh(duration=5.0, tables='\n[output]\npath = "from_config.npz"\n')
    run_config(tmp_path, cfg, output=None)
    assert (tmp_path / "from_config.npz").is_file()
    (tmp_path / "from_config.npz").unlink()
    run_config(tmp_path, cfg, output="from_flag.npz")
    assert (tmp_path / "from_flag.npz").is_file()
    assert not (tmp_path / "from_config.npz").exists()


# --- CSV -------------------------------------------------------------------------------------


def test_csv_output_matches_npz(tmp_path):
    cfg = hh(size=3, duration=40.0, variables='["V", "n"]')
    run_config(tmp_path, cfg, output="r.npz")
    run_config(tmp_path, cfg, output="r.csv")
    arrays, _ = load_npz(tmp_path / "r.npz")
    with open(tmp_path / "r.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    assert len(header) == 1 + 2 * 3
    assert header[0].strip().lower() in ("t", "time", "ts", "t_ms", "time_ms")
    assert all(h.strip().startswith("V") for h in header[1:4]), header
    assert all(h.strip().startswith("n") for h in header[4:7]), header
    assert body.shape == (400, 7)
    np.testing.assert_allclose(body[:, 0], arrays["ts"], rtol=1e-12)
    np.testing.assert_allclose(body[:, 1:4], arrays["V"], rtol=1e-12)
    np.testing.assert_allclose(body[:, 4:7], arrays["n"], rtol=1e-12)

    spikes_file = tmp_path / "r.spikes.csv"
    assert spikes_file.is_file(), f"no r.spikes.csv: {sorted(p.name for p in tmp_path.iterdir())}"
    with open(spikes_file, newline="") as f:
        srows = list(csv.reader(f))
    assert "time" in srows[0][0].lower() or srows[0][0].strip().lower() == "t", srows[0]
    spikes = np.array(srows[1:], dtype=float)
    assert len(arrays["spike_times"]) > 0
    assert spikes.shape[0] == len(arrays["spike_times"])
    np.testing.assert_allclose(spikes[:, 0], arrays["spike_times"], rtol=1e-12)
    assert np.array_equal(spikes[:, 1].astype(np.int64), arrays["spike_indices"])
    # README: a .csv run writes its metadata to <stem>.metadata.json
    meta = json.loads((tmp_path / "r.metadata.json").read_text())
    assert meta["model"] == "HH" and meta["complete"] is True


def test_csv_with_batch_has_one_column_per_copy_and_neuron(tmp_path):
    cfg = 'model = "HH"\nsize = 2\nbatch = 3\nduration = 5.0\ndt = 0.1\n[monitors]\nvariables = ["V"]\n'
    run_config(tmp_path, cfg, output="b.csv")
    run_config(tmp_path, cfg, output="b.npz")
    arrays, _ = load_npz(tmp_path / "b.npz")
    with open(tmp_path / "b.csv", newline="") as f:
        rows = list(csv.reader(f))
    body = np.array(rows[1:], dtype=float)
    assert body.shape == (50, 7)
    # the header has one field per data column (a CSV reader must see the same columns)
    assert len(rows[0]) == body.shape[1], f"header fields {rows[0]} do not match {body.shape[1]} data columns"
    # every (copy, neuron) trace of the npz appears as a CSV column
    for b in range(3):
        for i in range(2):
            trace = arrays["V"][b, :, i]
            assert any(np.allclose(body[:, c], trace, rtol=1e-12) for c in range(1, 7)), (b, i)


# --- --set overrides -------------------------------------------------------------------------


def test_set_params_override(tmp_path):
    base = hh(duration=50.0)
    run_config(tmp_path, base, output="base.npz")
    run_config(tmp_path, base, "--set", "params.gNa=100", output="set.npz")
    run_config(tmp_path, base + "\n[params]\ngNa = 100.0\n", output="file.npz", name="file.toml")
    a, ma = load_npz(tmp_path / "base.npz")
    b, mb = load_npz(tmp_path / "set.npz")
    c, _ = load_npz(tmp_path / "file.npz")
    assert ma["parameters"]["gNa"] == pytest.approx(120.0)
    assert mb["parameters"]["gNa"] == pytest.approx(100.0)
    assert not np.array_equal(a["V"], b["V"])
    assert_same_arrays(b, c)  # --set params.gNa=100 is the same as [params] gNa = 100


def test_set_dt_changes_samples(tmp_path):
    base = hh(duration=20.0, dt=0.1)
    run_config(tmp_path, base, output="a.npz")
    run_config(tmp_path, base, "--set", "dt=0.025", output="b.npz")
    a, ma = load_npz(tmp_path / "a.npz")
    b, mb = load_npz(tmp_path / "b.npz")
    assert a["V"].shape == (200, 2)
    assert b["V"].shape == (800, 2)
    assert b["ts"][0] == pytest.approx(0.025)
    assert mb["dt"] == pytest.approx(0.025) and ma["dt"] == pytest.approx(0.1)


def test_set_several_keys_and_strings(tmp_path):
    base = hh(duration=20.0)
    run_config(
        tmp_path,
        base,
        "--set", "model=WangBuzsaki",
        "--set", "size=4",
        "--set", "duration=10",
        "--set", "seed=9",
        "--set", 'method="rk4"',
        "--set", 'monitors.variables=["V", "h"]',
    )
    arrays, meta = load_npz(tmp_path / "out.npz")
    assert meta["model"] == "WangBuzsaki"
    assert meta["method"] == "rk4"
    assert meta["seed"] == 9
    assert_layout(arrays, ["V", "h"], 100, 4)


def test_set_table_value(tmp_path):
    run_config(tmp_path, hh(size=50, duration=1.0), "--set", "params.gNa={uniform = [100.0, 140.0]}")
    _, meta = load_npz(tmp_path / "out.npz")
    assert "uniform" in str(meta["parameters"]["gNa"])
    assert "100" in str(meta["parameters"]["gNa"]) and "140" in str(meta["parameters"]["gNa"])


def test_set_output_path(tmp_path):
    run_config(tmp_path, hh(duration=2.0), "--set", 'output.path="via_set.npz"', output=None)
    assert (tmp_path / "via_set.npz").is_file()


# --- parameters and initial values -----------------------------------------------------------


def test_per_neuron_list_param(tmp_path):
    run_config(tmp_path, hh(size=2, duration=100.0, tables="\n[params]\ngNa = [0.0, 120.0]\n"))
    arrays, meta = load_npz(tmp_path / "out.npz")
    assert len(spikes_of(arrays, 0)) == 0, "gNa = 0 cannot fire"
    assert len(spikes_of(arrays, 1)) > 3
    assert arrays["V"][:, 0].max() < 0.0 < arrays["V"][:, 1].max()
    assert "gNa" in meta["parameters"]


def test_param_distributions(tmp_path):
    tables = "\n[params]\ngNa = {uniform = [100.0, 140.0]}\ngK = {normal = [36.0, 2.0]}\n"
    run_config(tmp_path, hh(size=20, duration=30.0, seed=2, tables=tables))
    arrays, meta = load_npz(tmp_path / "out.npz")
    assert "uniform" in str(meta["parameters"]["gNa"])
    assert "normal" in str(meta["parameters"]["gK"])
    # heterogeneous neurons: first-spike times are spread out
    first = [spikes_of(arrays, i).min() for i in range(20) if len(spikes_of(arrays, i))]
    assert len(first) >= 10 and np.ptp(first) > 0


# With gNa = gK = gL = 0 and no input, dV/dt = 0: every recorded V equals the initial V exactly.
FROZEN = "\n[params]\ngNa = 0.0\ngK = 0.0\ngL = 0.0\n"


def test_initial_forms(tmp_path):
    tables = FROZEN + "\n[initial]\nV = [-71.0, -55.5, -80.25]\nm = 0.1\n"
    run_config(tmp_path, hh(size=3, duration=1.0, current=None, variables='["V", "m"]', tables=tables))
    arrays, meta = load_npz(tmp_path / "out.npz")
    assert np.array_equal(arrays["V"], np.tile([-71.0, -55.5, -80.25], (10, 1)))
    assert "V" in meta["initial"]

    tables = FROZEN + "\n[initial]\nV = {normal = [-64.0, 0.0]}\n"
    run_config(tmp_path, hh(size=3, duration=1.0, current=None, tables=tables), output="n.npz")
    arrays, _ = load_npz(tmp_path / "n.npz")
    assert np.array_equal(arrays["V"], np.full((10, 3), -64.0))

    tables = FROZEN + "\n[initial]\nV = {uniform = [-50.0, -40.0]}\n"
    run_config(tmp_path, hh(size=100, duration=1.0, current=None, tables=tables), output="u.npz")
    arrays, _ = load_npz(tmp_path / "u.npz")
    v0 = arrays["V"][0]
    assert np.all((v0 >= -50.0) & (v0 <= -40.0)) and v0.std() > 1.0


def test_same_seed_identical_different_seed_different(tmp_path):
    cfg = hh(size=5, duration=50.0)
    run_config(tmp_path, cfg, "--set", "seed=11", output="a.npz")
    run_config(tmp_path, cfg, "--set", "seed=11", output="b.npz")
    run_config(tmp_path, cfg, "--set", "seed=12", output="c.npz")
    a, ma = load_npz(tmp_path / "a.npz")
    b, mb = load_npz(tmp_path / "b.npz")
    c, mc = load_npz(tmp_path / "c.npz")
    assert_same_arrays(a, b)
    assert ma == mb
    assert ma["seed"] == 11 and mc["seed"] == 12
    assert not np.array_equal(a["V"][0], c["V"][0])


def test_initial_v_is_uniform_between_minus_70_and_minus_60(tmp_path):
    cfg = hh(size=400, duration=0.5, current=None, tables=FROZEN)
    run_config(tmp_path, cfg, "--set", "seed=1", output="s1.npz")
    run_config(tmp_path, cfg, "--set", "seed=2", output="s2.npz")
    v1 = load_npz(tmp_path / "s1.npz")[0]["V"][0]
    v2 = load_npz(tmp_path / "s2.npz")[0]["V"][0]
    for v in (v1, v2):
        assert np.all((v >= -70.0) & (v <= -60.0))
        assert v.min() < -69.0 and v.max() > -61.0
        assert abs(v.mean() + 65.0) < 0.6
        assert abs(v.std() - 10 / np.sqrt(12)) < 0.3
        assert len(np.unique(v)) == len(v)
    assert np.mean(v1 != v2) > 0.99


# --- inputs ----------------------------------------------------------------------------------


def test_input_file_1d_time_series(tmp_path):
    current = np.zeros(2000)
    current[1000:] = 10.0  # zero for the first 100 ms, 10 uA/cm^2 after
    np.save(tmp_path / "I.npy", current)
    run_config(tmp_path, hh(size=3, duration=200.0, dt=0.1, current='{file = "I.npy"}'))
    arrays, _ = load_npz(tmp_path / "out.npz")
    spikes = arrays["spike_times"]
    assert len(spikes) >= 3 * 5
    assert spikes.min() > 100.0, f"a spike at {spikes.min()} ms, before the current starts"
    assert set(arrays["spike_indices"].tolist()) == {0, 1, 2}


def test_input_file_2d_per_neuron_columns(tmp_path):
    steps = 2000
    current = np.zeros((steps, 3))
    current[:, 1] = 10.0
    current[steps // 2 :, 2] = 10.0
    np.save(tmp_path / "I2.npy", current)
    run_config(tmp_path, hh(size=3, duration=200.0, dt=0.1, current='{file = "I2.npy"}'))
    arrays, _ = load_npz(tmp_path / "out.npz")
    assert len(spikes_of(arrays, 0)) == 0
    assert len(spikes_of(arrays, 1)) > 5 and spikes_of(arrays, 1).min() < 20.0
    assert len(spikes_of(arrays, 2)) > 3 and spikes_of(arrays, 2).min() > 100.0


def test_input_file_constant_equals_number(tmp_path):
    np.save(tmp_path / "c.npy", np.full(500, 10.0))
    np.save(tmp_path / "c32.npy", np.full((500, 2), 10.0, dtype=np.float32))
    run_config(tmp_path, hh(duration=50.0), output="num.npz")
    run_config(tmp_path, hh(duration=50.0, current='{file = "c.npy"}'), output="file.npz", name="f.toml")
    run_config(tmp_path, hh(duration=50.0, current='{file = "c32.npy"}'), output="f32.npz", name="f32.toml")
    a, _ = load_npz(tmp_path / "num.npz")
    b, _ = load_npz(tmp_path / "file.npz")
    c, _ = load_npz(tmp_path / "f32.npz")
    assert_same_arrays(a, b)
    assert_same_arrays(a, c)


def test_input_list_per_neuron(tmp_path):
    run_config(tmp_path, hh(size=2, duration=100.0, current="[0.0, 10.0]"))
    arrays, _ = load_npz(tmp_path / "out.npz")
    assert len(spikes_of(arrays, 0)) == 0
    assert len(spikes_of(arrays, 1)) > 3


def _ops_config(ops, duration=60.0):
    return hh(duration=duration, current=None) + "\n" + toml_inputs(*[("input", v, op) for v, op in ops])


@pytest.mark.parametrize(
    "ops",
    [
        [("10.0", "+"), ("0.0", "*")],
        [("10.0", None), ("0.0", "=")],
        [("10.0", "+"), ("10.0", "-")],
        [("10.0", "+"), ("1e9", "/")],
    ],
    ids=["times-zero", "assign-zero", "minus", "divide"],
)
def test_input_ops_silence(tmp_path, ops):
    run_config(tmp_path, _ops_config([("10.0", None)]), output="ref.npz", name="ref.toml")
    ref, _ = load_npz(tmp_path / "ref.npz")
    assert len(ref["spike_times"]) > 5
    run_config(tmp_path, _ops_config(ops))
    arrays, meta = load_npz(tmp_path / "out.npz")
    assert len(arrays["spike_times"]) == 0, f"{ops}: {len(arrays['spike_times'])} spikes"
    assert [i["op"] for i in meta["inputs"]] == [op or "+" for _, op in ops]


@pytest.mark.parametrize(
    "ops",
    [
        [("5.0", "+"), ("5.0", "+")],
        [("20.0", "+"), ("2.0", "/")],
        [("5.0", "+"), ("2.0", "*")],
        [("0.0", "+"), ("-10.0", "-")],
        [("30.0", "+"), ("10.0", "=")],
        [("3.0", "="), ("7.0", "+")],
    ],
    ids=["plus", "divide", "times", "minus", "assign", "assign-then-plus"],
)
def test_input_ops_equal_ten(tmp_path, ops):
    """Each combination makes exactly 10 uA/cm^2 per step: bitwise the same run as value = 10."""
    run_config(tmp_path, _ops_config([("10.0", None)]), output="ref.npz", name="ref.toml")
    run_config(tmp_path, _ops_config(ops))
    ref, _ = load_npz(tmp_path / "ref.npz")
    arrays, _ = load_npz(tmp_path / "out.npz")
    assert_same_arrays(ref, arrays)


def test_input_ops_differ_from_plus(tmp_path):
    """The op is applied: 10 then '-' 4 gives 6 uA/cm^2, fewer spikes than 10 + 4."""
    run_config(tmp_path, _ops_config([("10.0", None), ("4.0", "-")], duration=200.0), output="minus.npz")
    run_config(tmp_path, _ops_config([("10.0", None), ("4.0", "+")], duration=200.0), output="plus.npz")
    run_config(tmp_path, _ops_config([("6.0", None)], duration=200.0), output="six.npz", name="six.toml")
    minus, _ = load_npz(tmp_path / "minus.npz")
    plus, _ = load_npz(tmp_path / "plus.npz")
    six, _ = load_npz(tmp_path / "six.npz")
    assert len(plus["spike_times"]) > len(minus["spike_times"])
    assert_same_arrays(minus, six)


# --- models ----------------------------------------------------------------------------------


def test_hh_preset_classic(tmp_path):
    cfg = hh(duration=50.0)
    run_config(tmp_path, cfg, output="seed.npz")
    run_config(tmp_path, cfg + '\n[model_options]\npreset = "classic"\n', output="classic.npz", name="c.toml")
    seed, ms = load_npz(tmp_path / "seed.npz")
    classic, mc = load_npz(tmp_path / "classic.npz")
    assert ms["parameters"]["gL"] == pytest.approx(0.03)
    assert mc["parameters"]["gL"] == pytest.approx(0.3)
    assert not np.array_equal(seed["V"], classic["V"])
    # the explicit preset "seed" is the default
    run_config(tmp_path, cfg + '\n[model_options]\npreset = "seed"\n', output="seed2.npz", name="s.toml")
    assert_same_arrays(seed, load_npz(tmp_path / "seed2.npz")[0])


@pytest.mark.parametrize("variant", ["paper", "seed"])
def test_pinsky_rinzel_is_and_id(tmp_path, variant):
    def pr(inputs):
        return (
            'model = "PinskyRinzel"\nsize = 2\nduration = 500.0\ndt = 0.05\n'
            f'[model_options]\nvariant = "{variant}"\n'
            '[monitors]\nvariables = ["Vs", "Vd", "Ca"]\n' + toml_inputs(*inputs)
        )

    runs = {
        "none": pr([("Is", "0.0", None)]),
        "Is": pr([("Is", "2.5", None)]),
        "Id": pr([("Id", "5.0", None)]),
        "both": pr([("Is", "2.5", None), ("Id", "5.0", None)]),
    }
    results = {}
    for name, cfg in runs.items():
        run_config(tmp_path, cfg, output=f"{name}.npz", name=f"{name}.toml")
        results[name] = load_npz(tmp_path / f"{name}.npz")
    arrays, meta = results["none"]
    assert_layout(arrays, ["Vs", "Vd", "Ca"], 10000, 2)
    assert meta["model"] in ("PinskyRinzel", "PinskyRinzelModel")
    assert meta["model_options"]["variant"] == variant
    n_none = len(results["none"][0]["spike_times"])
    n_is = len(results["Is"][0]["spike_times"])
    n_id = len(results["Id"][0]["spike_times"])
    assert n_is > n_none + 4, (n_none, n_is)
    assert n_id > n_none + 4, (n_none, n_id)
    assert not np.array_equal(results["Is"][0]["Vd"], results["Id"][0]["Vd"])
    assert not np.array_equal(results["both"][0]["Vs"], results["Is"][0]["Vs"])
    assert [i["target"] for i in results["both"][1]["inputs"]] == ["Is", "Id"]
    for name, (a, _) in results.items():
        assert np.isfinite(a["Vs"]).all() and np.isfinite(a["Vd"]).all(), name


def test_pinsky_rinzel_variants_differ(tmp_path):
    base = 'model = "PinskyRinzel"\nsize = 1\nduration = 200.0\ndt = 0.05\n'
    tail = '[monitors]\nvariables = ["Vs"]\n' + toml_inputs(("Id", "5.0", None))
    run_config(tmp_path, base + '[model_options]\nvariant = "paper"\n' + tail, output="p.npz", name="p.toml")
    run_config(tmp_path, base + '[model_options]\nvariant = "seed"\n' + tail, output="s.npz", name="s.toml")
    assert not np.array_equal(load_npz(tmp_path / "p.npz")[0]["Vs"], load_npz(tmp_path / "s.npz")[0]["Vs"])


@pytest.mark.parametrize(
    "model, current, variables",
    [
        ("WangBuzsaki", "1.0", ["V", "h", "n"]),
        ("MorrisLecar", "100.0", ["V", "W"]),
    ],
)
def test_other_models_run_and_fire(tmp_path, model, current, variables):
    def cfg(value):
        return (
            f'model = "{model}"\nsize = 3\nduration = 500.0\ndt = 0.05\n'
            f"[monitors]\nvariables = {variables!r}\n".replace("'", '"') + toml_inputs(("input", value, None))
        )

    run_config(tmp_path, cfg(current), output="on.npz", name="on.toml")
    run_config(tmp_path, cfg("0.0"), output="off.npz", name="off.toml")
    on, meta = load_npz(tmp_path / "on.npz")
    off, _ = load_npz(tmp_path / "off.npz")
    assert meta["model"] == model
    assert_layout(on, variables, 10000, 3)
    for v in variables:
        assert np.isfinite(on[v]).all()
    assert len(on["spike_times"]) >= 3 * 3
    assert set(on["spike_indices"].tolist()) == {0, 1, 2}
    assert len(off["spike_times"]) == 0


def test_adaptive_method_options(tmp_path):
    cfg = hh(duration=30.0, top='method = "rkf45"')
    run_config(tmp_path, cfg + "\n[method_options]\nrtol = 1e-3\natol = 1e-4\n", output="loose.npz", name="l.toml")
    run_config(tmp_path, cfg + "\n[method_options]\nrtol = 1e-9\natol = 1e-10\n", output="tight.npz", name="t.toml")
    loose, ml = load_npz(tmp_path / "loose.npz")
    tight, mt = load_npz(tmp_path / "tight.npz")
    assert ml["method"] == "rkf45"
    assert ml["rtol"] == pytest.approx(1e-3) and ml["atol"] == pytest.approx(1e-4)
    assert mt["rtol"] == pytest.approx(1e-9) and mt["atol"] == pytest.approx(1e-10)
    assert not np.array_equal(loose["V"], tight["V"])
    # both are accurate solutions of the same problem
    np.testing.assert_allclose(loose["V"][:50], tight["V"][:50], atol=0.5)


# --- time convention and output names --------------------------------------------------------


def test_ts_convention_matches_exact_solution(tmp_path):
    """Passive membrane (gNa = gK = 0, no input): V(t) = EL + (V0 - EL) exp(-gL t / C), which the
    exponential Euler method (exp_auto) reproduces exactly. Sample j must equal V(ts[j]), ts[0] = dt."""
    tables = "\n[params]\ngNa = 0.0\ngK = 0.0\ngL = 0.3\nEL = -54.387\nC = 1.0\n\n[initial]\nV = -80.0\n"
    run_config(tmp_path, hh(size=1, duration=20.0, dt=0.25, current=None, tables=tables))
    arrays, _ = load_npz(tmp_path / "out.npz")
    ts = arrays["ts"]
    assert ts[0] == pytest.approx(0.25)
    exact = -54.387 + (-80.0 + 54.387) * np.exp(-0.3 * ts)
    np.testing.assert_allclose(arrays["V"][:, 0], exact, rtol=1e-9, atol=1e-9)


def test_shorter_run_is_a_prefix(tmp_path):
    cfg = hh(size=3, duration=40.0)
    run_config(tmp_path, cfg, output="long.npz")
    run_config(tmp_path, cfg, "--set", "duration=20", output="short.npz")
    long, _ = load_npz(tmp_path / "long.npz")
    short, _ = load_npz(tmp_path / "short.npz")
    assert short["V"].shape == (200, 3)
    assert np.array_equal(short["V"], long["V"][:200])
    assert np.array_equal(short["ts"], long["ts"][:200])
    early = long["spike_times"] <= 20.0
    assert np.array_equal(short["spike_times"], long["spike_times"][early])


@pytest.mark.parametrize(
    "name",
    ["my result.npz", 'we"ird.npz', "back\\slash.npz", "tab\\tname.npz", "it's.csv"],
    ids=["space", "double-quote", "backslash", "backslash-t", "apostrophe"],
)
def test_output_flag_takes_the_path_literally(tmp_path, name):
    proc = run_ionode(["run", "-q", "-o", name], tmp_path)
    assert proc.returncode == 0, f"-o {name!r}: exit {proc.returncode}\n{proc.stderr}"
    written = sorted(p.name for p in tmp_path.iterdir())
    assert name in written, f"-o {name!r} wrote {written}"
