"""Bad input to `ionode run`, and runs that diverge.

Spec (from the project's issue): for bad input the error names the thing, the value and what is
allowed; it is printed on stderr; the exit status is 2; no output file is left behind (checked
before the run). A run whose state becomes non-finite stops with an error naming the neuron, the
variable and the time, exits 2, and writes the samples recorded up to then with metadata
"complete": false.
"""

import csv
import json
import os
import re
import subprocess
import time

import numpy as np
import pytest

from conftest import IONODE_BIN, load_npz, mentions_number, run_ionode, toml_inputs, write_config

HH_TAIL = '[monitors]\nvariables = ["V"]\n' + toml_inputs(("input", "10.0", None))


def hh(top="", tables=""):
    """A small valid HH configuration with TOP added to the top-level keys and TABLES appended."""
    return f'model = "HH"\nsize = 2\nduration = 10.0\ndt = 0.1\n{top}\n{HH_TAIL}\n{tables}'


def _word(text, needle):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(needle)}(?![A-Za-z0-9_])", text) is not None


def _found(text, needle):
    """str: the literal as a whole word; int/float: a number close to it; tuple: any alternative."""
    if isinstance(needle, tuple):
        return any(_found(text, n) for n in needle)
    if isinstance(needle, (int, float)):
        return mentions_number(text, float(needle))
    return _word(text, needle)


def assert_rejected(tmp_path, config, needles, extra=(), output="out.npz", timeout=60):
    """Runs `ionode run run.toml -o OUTPUT EXTRA...`; expects exit 2, every needle on stderr, nothing on
    stdout and no new file in tmp_path (no output, no CSV side files, no partial result)."""
    if config is not None:
        write_config(tmp_path, config)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    args = ["run"] + (["run.toml"] if config is not None else []) + (["-o", output] if output else []) + list(extra)
    proc = run_ionode(args, tmp_path, timeout=timeout)
    context = f"config:\n{config}\nargs: {args}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert proc.returncode == 2, f"exit status {proc.returncode}, expected 2\n{context}"
    assert proc.stderr.strip(), f"no error message on stderr\n{context}"
    for needle in needles:
        assert _found(proc.stderr, needle), f"stderr does not mention {needle!r}\n{context}"
    assert proc.stdout.strip() == "", f"stdout is not empty\n{context}"
    after = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert after == before, f"files changed: before {sorted(before)}, after {sorted(after)}\n{context}"
    return proc


POSITIVE = ("> 0", ">= 1", "positive", ">0", ">=1")
FINITE = ("finite",)
NAN = ("nan", "NaN", "NAN")
INF = ("inf", "Inf", "INF", "infinity", "Infinity")


BAD_CONFIGS = {
    # size <= 0
    "size-zero": ('model = "HH"\nsize = 0\n', ["size", 0, POSITIVE]),
    "size-negative": ('model = "HH"\nsize = -3\n', ["size", -3, POSITIVE]),
    "shape-zero": ('model = "HH"\nsize = [2, 0]\n', ["size", 0, POSITIVE]),
    # dt <= 0, dt > duration, negative duration
    "dt-zero": ('model = "HH"\ndt = 0.0\n', ["dt", 0, POSITIVE]),
    "dt-negative": ('model = "HH"\ndt = -0.1\n', ["dt", -0.1, POSITIVE]),
    "dt-nan": ('model = "HH"\ndt = nan\n', ["dt", NAN]),
    "dt-longer-than-duration": ('model = "HH"\nduration = 1.0\ndt = 5.0\n', ["dt", 5, "duration", 1]),
    "duration-negative": ('model = "HH"\nduration = -5.0\n', ["duration", -5, POSITIVE]),
    "duration-zero": ('model = "HH"\nduration = 0.0\n', ["duration", 0, POSITIVE]),
    "duration-inf": ('model = "HH"\nduration = inf\n', ["duration", INF]),
    # NaN or infinite parameters
    "param-nan": (hh(tables="[params]\ngNa = nan\n"), ["gNa", NAN, FINITE]),
    "param-inf": (hh(tables="[params]\ngK = inf\n"), ["gK", INF, FINITE]),
    "param-minus-inf": (hh(tables="[params]\nEL = -inf\n"), ["EL", INF, FINITE]),
    "param-list-nan": (hh(tables="[params]\ngNa = [120.0, nan]\n"), ["gNa", NAN, FINITE]),
    "param-normal-inf": (hh(tables="[params]\ngNa = {normal = [120.0, inf]}\n"), ["gNa", INF]),
    "initial-nan": (hh(tables="[initial]\nV = nan\n"), ["V", NAN, FINITE]),
    "input-nan": (hh(tables=toml_inputs(("input", "nan", None))), ["input", NAN, FINITE]),
    # non-positive capacitance
    "capacitance-zero": (hh(tables="[params]\nC = 0.0\n"), ["C", 0, POSITIVE]),
    "capacitance-negative": (hh(tables="[params]\nC = -1.0\n"), ["C", -1, POSITIVE]),
    "capacitance-list": (hh(tables="[params]\nC = [1.0, -2.0]\n"), ["C", -2, POSITIVE]),
    "capacitance-uniform": (
        hh(tables="[params]\nC = {uniform = [-1.0, 1.0]}\n").replace("size = 2", "size = 100"),
        ["C", POSITIVE],
    ),
    "capacitance-pr": (
        'model = "PinskyRinzel"\nduration = 5.0\n[params]\nCm = 0.0\n',
        ["Cm", 0, POSITIVE],
    ),
    "capacitance-ml": ('model = "MorrisLecar"\nduration = 5.0\n[params]\nC = -20.0\n', ["C", -20, POSITIVE]),
    # a per-neuron list of the wrong length
    "param-list-length": (hh(tables="[params]\ngNa = [100.0, 110.0, 120.0]\n"), ["gNa", 3, 2]),
    "initial-list-length": (hh(tables="[initial]\nV = [-65.0]\n"), ["V", 1, 2]),
    "input-list-length": (hh(tables=toml_inputs(("input", "[1.0, 2.0, 3.0]", None))), ["input", 3, 2]),
    "batch-list-length": (
        'model = "HH"\nsize = 2\nbatch = 3\n[params]\ngNa = [1.0, 2.0, 3.0, 4.0]\n',
        ["gNa", 4, 2, 6],
    ),
    # unknown model, method, parameter, variable, input target
    "unknown-model": ('model = "HHX"\n', ["HHX", "HH", "MorrisLecar", "PinskyRinzel", "WangBuzsaki"]),
    "unknown-method": (hh('method = "eulr"'), ["eulr", "euler", "rk4"]),
    "unknown-parameter": (hh(tables="[params]\ngNaa = 1.0\n"), ["gNaa", "gNa", "gK"]),
    "unknown-parameter-other-model": (
        'model = "WangBuzsaki"\n[params]\nV_Ca = 1.0\n',
        ["V_Ca", "gNa", "phi"],
    ),
    "unknown-monitor-variable": (
        'model = "HH"\n[monitors]\nvariables = ["V", "Vm"]\n',
        ["Vm", "V", "m", "h", "n"],
    ),
    "unknown-initial-variable": (hh(tables="[initial]\nW = 0.1\n"), ["W", "V", "n"]),
    "unknown-input-target": (
        'model = "HH"\n' + toml_inputs(("Iext", "1.0", None)),
        ["Iext", "input"],
    ),
    "unknown-input-target-pr": (
        'model = "PinskyRinzel"\n' + toml_inputs(("input", "1.0", None)),
        ["input", "Is", "Id"],
    ),
    "unknown-input-op": (hh(tables=toml_inputs(("input", "1.0", "%"))), ["%", "*", "="]),
    "unknown-model-option": (hh(tables='[model_options]\npresett = "classic"\n'), ["presett", "preset"]),
    "bad-model-option-value": (hh(tables='[model_options]\npreset = "clasic"\n'), ["clasic", "classic", "seed"]),
    "bad-pr-variant": (
        'model = "PinskyRinzel"\n[model_options]\nvariant = "papper"\n',
        ["papper", "paper", "seed"],
    ),
    # malformed or misspelled configuration keys
    "malformed": ('model = "HH"\nduration = = 10\n', ["run.toml", 2]),
    "malformed-table": ('model = "HH"\n[monitors\nvariables = ["V"]\n', ["run.toml", 2]),
    "misspelled-top": ('model = "HH"\ndurration = 10.0\n', ["durration", "duration"]),
    "misspelled-table": ('model = "HH"\n[monitor]\nvariables = ["V"]\n', ["monitor", "monitors"]),
    "misspelled-monitors-key": ('model = "HH"\n[monitors]\nvaribles = ["V"]\n', ["varibles", "variables"]),
    "misspelled-inputs-key": (
        'model = "HH"\n[[inputs]]\ntarget = "input"\nvalu = 1.0\n',
        ["valu", "value"],
    ),
    "misspelled-output-key": ('model = "HH"\n[output]\npth = "x.npz"\n', ["pth", "path"]),
    "misspelled-method-options": (hh(tables="[method_options]\nrtoll = 1e-3\n"), ["rtoll", "rtol"]),
    "wrong-type-duration": ('model = "HH"\nduration = "long"\n', ["duration", "long", "number"]),
    "wrong-type-param": (hh(tables='[params]\ngNa = "abc"\n'), ["gNa", "abc"]),
    "wrong-type-size": ('model = "HH"\nsize = 2.5\n', ["size", 2.5]),
    "bad-monitor-index": ('model = "HH"\nsize = 2\n[monitors]\nvariables = ["V"]\nindices = [5]\n', ["indices", 5, 2]),
    "bad-monitor-every": ('model = "HH"\n[monitors]\nvariables = ["V"]\nevery = 0\n', ["every", 0]),
    "bad-rtol": (hh('method = "rkf45"', "[method_options]\nrtol = -1.0\n"), ["rtol", -1, POSITIVE]),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_config(tmp_path, case):
    config, needles = BAD_CONFIGS[case]
    assert_rejected(tmp_path, config, needles)


@pytest.mark.parametrize("case", ["size-zero", "param-nan", "unknown-parameter", "param-list-length"])
def test_bad_config_csv_leaves_no_files(tmp_path, case):
    config, needles = BAD_CONFIGS[case]
    assert_rejected(tmp_path, config, needles, output="out.csv")


@pytest.mark.parametrize(
    "assignment, needles",
    [
        ("size=0", ["size", 0]),
        ("dt=-1", ["dt", -1]),
        ("dt=100", ["dt", 100, "duration"]),
        ("duration=-10", ["duration", -10]),
        ("params.gNa=nan", ["gNa", NAN]),
        ("params.C=0", ["C", 0]),
        ("params.gNaa=1", ["gNaa", "gNa"]),
        ("dtt=0.1", ["dtt", "dt"]),
        ("model=Hodgkin", ["Hodgkin", "HH"]),
        ("method=rk5", ["rk5", "rk4"]),
        ("monitors.variables=[\"X\"]", ["X", "V"]),
        ("novalue", ["novalue"]),
    ],
)
def test_bad_set_override(tmp_path, assignment, needles):
    assert_rejected(tmp_path, hh(), needles, extra=["--set", assignment])


def test_bad_set_without_config(tmp_path):
    """The embedded default is checked the same way, and writes no ionode-result.npz."""
    assert_rejected(tmp_path, None, ["gNaa"], extra=["--set", "params.gNaa=1"], output=None)
    assert_rejected(tmp_path, None, ["dt", 0], extra=["--set", "dt=0"], output=None)
    assert not (tmp_path / "ionode-result.npz").exists()


def test_missing_config_file(tmp_path):
    proc = run_ionode(["run", "nope.toml", "-o", "out.npz"], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "nope.toml" in proc.stderr
    assert not list(tmp_path.iterdir())


# --- input files -----------------------------------------------------------------------------


def test_input_file_too_few_rows(tmp_path):
    np.save(tmp_path / "short.npy", np.full(10, 5.0))  # the run needs 100 rows
    assert_rejected(
        tmp_path,
        hh(tables=toml_inputs(("input", '{file = "short.npy"}', None))),
        ["short.npy", 10, 100],
    )


def test_input_file_2d_too_few_rows(tmp_path):
    np.save(tmp_path / "short2.npy", np.full((99, 2), 5.0))
    assert_rejected(
        tmp_path,
        hh(tables=toml_inputs(("input", '{file = "short2.npy"}', None))),
        ["short2.npy", 99, 100],
    )


def test_input_file_wrong_columns(tmp_path):
    np.save(tmp_path / "cols.npy", np.full((100, 3), 5.0))  # 2 neurons
    assert_rejected(
        tmp_path,
        hh(tables=toml_inputs(("input", '{file = "cols.npy"}', None))),
        ["cols.npy", 3, 2],
    )


def test_input_file_three_dimensions(tmp_path):
    np.save(tmp_path / "cube.npy", np.zeros((100, 2, 1)))
    assert_rejected(tmp_path, hh(tables=toml_inputs(("input", '{file = "cube.npy"}', None))), ["cube.npy", 3])


def test_input_file_missing(tmp_path):
    assert_rejected(tmp_path, hh(tables=toml_inputs(("input", '{file = "absent.npy"}', None))), ["absent.npy"])


def test_input_file_non_finite(tmp_path):
    values = np.full(100, 5.0)
    values[42] = np.nan
    np.save(tmp_path / "holes.npy", values)
    assert_rejected(tmp_path, hh(tables=toml_inputs(("input", '{file = "holes.npy"}', None))), [NAN])


# --- output paths ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "output",
    ["no_such_dir/out.npz", "no_such_dir/out.csv", "run.toml/out.npz", "out.txt", "out"],
)
def test_unwritable_or_bad_output_path(tmp_path, output):
    proc = assert_rejected(tmp_path, hh(), [output], output=output)
    if output.startswith("out"):
        assert _found(proc.stderr, ".npz") and _found(proc.stderr, ".csv"), proc.stderr


def test_output_path_is_a_directory(tmp_path):
    (tmp_path / "dir.npz").mkdir()
    assert_rejected(tmp_path, hh(), ["dir.npz"], output="dir.npz")
    assert (tmp_path / "dir.npz").is_dir() and not list((tmp_path / "dir.npz").iterdir())


def test_unwritable_output_from_config_key(tmp_path):
    assert_rejected(
        tmp_path, hh(tables='[output]\npath = "missing/dir/r.npz"\n'), ["missing/dir/r.npz"], output=None
    )


# Hours of work if it ever started; records nothing, so a faulty start cannot eat memory.
BIG_RUN = 'model = "HH"\nsize = 5000\nduration = 1e7\ndt = 0.01\n[monitors]\nspikes = false\n'


def test_output_checked_before_the_run(tmp_path):
    """A run that would take hours must fail at once when its output cannot be written."""
    big = BIG_RUN + toml_inputs(("input", "10.0", None))
    start = time.monotonic()
    try:
        assert_rejected(tmp_path, big, ["nowhere/out.npz"], output="nowhere/out.npz", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the unwritable output path was not detected before the run")
    assert time.monotonic() - start < 30


def test_input_rows_checked_before_the_run(tmp_path):
    np.save(tmp_path / "short.npy", np.full(10, 5.0))
    big = BIG_RUN + toml_inputs(("input", '{file = "short.npy"}', None))
    try:
        assert_rejected(tmp_path, big, [10], timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the short input file was not detected before the run")


def test_bad_config_leaves_existing_output_untouched(tmp_path):
    (tmp_path / "out.npz").write_bytes(b"previous result")
    config, needles = BAD_CONFIGS["param-nan"]
    assert_rejected(tmp_path, config, needles)
    assert (tmp_path / "out.npz").read_bytes() == b"previous result"


# --- divergence ------------------------------------------------------------------------------

HH_VARIABLES = ["V", "m", "h", "n"]


def _divergence_config(method, dt, duration, current, size=3, tables=""):
    return (
        f'model = "HH"\nsize = {size}\nmethod = "{method}"\ndt = {dt}\nduration = {duration}\nseed = 0\n'
        '[monitors]\nvariables = ["V", "m"]\n' + toml_inputs(("input", current, None)) + tables
    )


def _check_diverged(tmp_path, config, dt, duration, neuron=None, output="out.npz"):
    write_config(tmp_path, config)
    proc = run_ionode(["run", "run.toml", "-o", output], tmp_path)
    context = f"config:\n{config}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert proc.returncode == 2, f"exit status {proc.returncode}, expected 2\n{context}"
    err = proc.stderr
    # the neuron
    named = [int(x) for x in re.findall(r"neuron\D{0,4}(\d+)", err)]
    assert named, f"the error names no neuron\n{context}"
    if neuron is not None:
        assert neuron in named, f"the error does not name neuron {neuron}\n{context}"
    # the variable
    assert any(_word(err, v) for v in HH_VARIABLES), f"the error names no variable\n{context}"
    return proc, context


@pytest.mark.parametrize(
    "method, dt, current, neuron",
    [
        ("euler", 0.5, "10.0", None),
        ("euler", 1.0, "10.0", None),
        ("euler", 0.1, "1e6", None),
        ("euler", 0.1, "[0.0, 0.0, 1e6]", 2),
        ("euler", 0.1, "[0.0, 1e6, 0.0]", 1),
    ],
    ids=["euler-dt0.5", "euler-dt1.0", "huge-input", "huge-input-neuron2", "huge-input-neuron1"],
)
def test_divergence_writes_partial_npz(tmp_path, method, dt, current, neuron):
    duration = 100.0
    requested = round(duration / dt)
    proc, context = _check_diverged(tmp_path, _divergence_config(method, dt, duration, current), dt, duration, neuron)
    out = tmp_path / "out.npz"
    assert out.is_file(), f"no partial output\n{context}"
    arrays, meta = load_npz(out)
    ts = arrays["ts"]
    k = len(ts)
    assert 0 < k < requested, f"{k} samples of {requested}\n{context}"
    np.testing.assert_allclose(ts, dt * np.arange(1, k + 1), rtol=1e-12)
    assert arrays["V"].shape == (k, 3) and arrays["m"].shape == (k, 3)
    assert np.isfinite(arrays["V"]).all() and np.isfinite(arrays["m"]).all()
    assert arrays["spike_times"].dtype == np.float64 and arrays["spike_indices"].dtype == np.int64
    assert np.all(arrays["spike_times"] <= ts[-1] + dt + 1e-9)
    assert meta["complete"] is False
    assert meta["dt"] == pytest.approx(dt) and meta["method"] == method
    # the time: the step that failed starts at ts[-1] (ends at ts[-1] + dt)
    t_fail = ts[-1]
    assert mentions_number(proc.stderr, t_fail) or mentions_number(proc.stderr, t_fail + dt), (
        f"the error does not give the time {t_fail} ms\n{context}"
    )
    if neuron is not None:
        # the other neurons were fine until then
        others = [i for i in range(3) if i != neuron]
        assert np.all(np.abs(arrays["V"][:, others]) < 200.0)


def test_divergence_from_params(tmp_path):
    config = _divergence_config("euler", 0.1, 100.0, "10.0", tables="[params]\ngNa = [120.0, 120.0, 5000.0]\n")
    proc, context = _check_diverged(tmp_path, config, 0.1, 100.0, neuron=2)
    arrays, meta = load_npz(tmp_path / "out.npz")
    assert 0 < len(arrays["ts"]) < 1000
    assert meta["complete"] is False


def test_divergence_with_batch_and_every(tmp_path):
    config = (
        'model = "HH"\nsize = 3\nbatch = 2\nmethod = "euler"\ndt = 0.05\nduration = 100.0\n'
        '[monitors]\nvariables = ["V", "m"]\nevery = 3\n'
        + toml_inputs(("input", "[10.0, 10.0, 10.0, 10.0, 1000.0, 10.0]", None))
    )
    proc, context = _check_diverged(tmp_path, config, 0.05, 100.0, neuron=1)
    assert "batch" in proc.stderr, context
    arrays, meta = load_npz(tmp_path / "out.npz")
    k = len(arrays["ts"])
    assert 0 < k < 2000 // 3
    np.testing.assert_allclose(arrays["ts"], 0.15 * np.arange(1, k + 1), rtol=1e-12)
    assert arrays["V"].shape == (2, k, 3)
    assert np.isfinite(arrays["V"]).all()
    assert meta["complete"] is False


def test_divergence_writes_partial_csv(tmp_path):
    config = _divergence_config("euler", 0.5, 100.0, "10.0")
    proc, context = _check_diverged(tmp_path, config, 0.5, 100.0, output="out.csv")
    with open(tmp_path / "out.csv", newline="") as f:
        rows = list(csv.reader(f))
    body = np.array(rows[1:], dtype=float)
    assert 0 < body.shape[0] < 200, context
    assert np.isfinite(body).all()
    np.testing.assert_allclose(body[:, 0], 0.5 * np.arange(1, body.shape[0] + 1), rtol=1e-12)
    assert (tmp_path / "out.spikes.csv").is_file()
    # README: a .csv run writes its metadata to <stem>.metadata.json
    meta = json.loads((tmp_path / "out.metadata.json").read_text())
    assert meta["complete"] is False


def test_divergence_with_quiet_still_reports(tmp_path):
    write_config(tmp_path, _divergence_config("euler", 1.0, 100.0, "10.0"))
    proc = run_ionode(["run", "run.toml", "-o", "out.npz", "-q"], tmp_path)
    assert proc.returncode == 2
    assert "neuron" in proc.stderr and proc.stdout == ""
    assert load_npz(tmp_path / "out.npz")[1]["complete"] is False


# --- requests too large to run, and data files whose headers lie (issue 11, section 8) ----------
# Each was a silent wrong run (0 steps, 2 neurons), a crash (139), an abort, a hang or an "internal
# error" before; now each is refused at once (exit 2) naming the key, the value and the limit.

INT64_MAX = 9223372036854775807


def _no_crash_words(proc):
    assert "internal error" not in proc.stderr and "-9223372036854775808" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, f"not one line:\n{proc.stderr}"


def _npy_with_header(path, dict_text, data=b""):
    header = dict_text
    while (10 + len(header) + 1) % 64:
        header += " "
    header += "\n"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + data)


HUGE_CONFIGS = {
    # duration / dt past the int64 step counter: 1e19 steps wrapped to 0 ("-nan Hz"), or overflowed.
    "duration-1e18": ("duration = 1e18", ["duration", 1e18, INT64_MAX]),
    "duration-9.3e18": ("duration = 9.3e18\ndt = 1.0", ["duration", 9.3e18, INT64_MAX]),
    "dt-tiny": ("dt = 1e-300", ["duration", "dt", 1e-300, INT64_MAX]),
    # the shape's product: 3 x 6148914691236517206 wrapped to 2 neurons.
    "shape-product": ("size = [3, 6148914691236517206]", ["size", 6148914691236517206, "18446744073709551615"]),
    # instances = size x batch: 4 x 2^62 wrapped to 0 (a segfault).
    "batch-wraps": ("size = 4\nbatch = 4611686018427387904", ["size", 4, "batch", 4611686018427387904]),
    # fits in 64 bits but not in any machine: refused before allocating (was std::bad_alloc).
    "size-memory": ("size = 1000000000000", ["size", 1e12, "memory"]),
    "batch-memory": ("batch = 1000000000000", ["size", "batch", 1e12, "memory"]),
}


def hh_with(lines):
    """hh() with its top-level keys (size, duration, dt) replaced or added by LINES ("key = value" each)."""
    keys = {"size": "2", "duration": "10.0", "dt": "0.1"}
    keys.update(line.split(" = ", 1) for line in lines.splitlines())
    return 'model = "HH"\n' + "".join(f"{k} = {v}\n" for k, v in keys.items()) + HH_TAIL


@pytest.mark.parametrize("case", sorted(HUGE_CONFIGS))
def test_huge_sizes_and_durations_are_refused_at_once(tmp_path, case):
    lines, needles = HUGE_CONFIGS[case]
    proc = assert_rejected(tmp_path, hh_with(lines), needles, timeout=20)
    _no_crash_words(proc)


HUGE_GENERATORS = {
    # wiener n = 2^62: rows x n wrapped, and filling the rows wrote past the vector (a segfault).
    "wiener-n": ("{wiener = {n = 4611686018427387904}}", ["wiener", 4611686018427387904, "memory"]),
    # ou with duration 1.8e19 and a window: the row counts overflowed (a segfault).
    "ou-window": (
        "{ou = {mean = 0.0, sigma = 1.0, tau = 5.0, duration = 1.8446744073709552e+19, t_start = 1.0, t_end = 5.0}}",
        ["ou", "duration", 1.8446744073709552e19, INT64_MAX],
    ),
    "ou-1e20": ("{ou = {mean = 0.0, sigma = 1.0, tau = 5.0, duration = 1e20}}", ["ou", "duration", 1e20]),
    # long enough to count but not to hold: refused, not a std::bad_alloc or a long hang.
    "ramp-memory": ("{ramp = {c_start = 0.0, c_end = 1.0, duration = 1e17}}", ["ramp", "duration", 1e17, "memory"]),
    "section-sum": ("{section = {values = [1.0, 2.0], durations = [1e308, 1e308]}}", ["section", "durations"]),
}


@pytest.mark.parametrize("case", sorted(HUGE_GENERATORS))
def test_huge_generator_lengths_are_refused_at_once(tmp_path, case):
    value, needles = HUGE_GENERATORS[case]
    proc = assert_rejected(tmp_path, hh(tables=toml_inputs(("input", value, None))), needles, timeout=20)
    _no_crash_words(proc)


def test_input_file_whose_header_declares_more_than_it_holds(tmp_path):
    """A data file's header is untrusted input: shape (2^62, 4) read outside memory before."""
    descr = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"
    _npy_with_header(tmp_path / "x.npy", descr, bytes(64))
    proc = assert_rejected(tmp_path, hh(tables=toml_inputs(("input", '{file = "x.npy"}', None))),
                           ["x.npy", "(4611686018427387904, 4)", "64 bytes"], timeout=20)
    _no_crash_words(proc)


def test_input_rows_needed_never_print_as_a_wrapped_number(tmp_path):
    np.save(tmp_path / "I.npy", np.full(100, 5.0))
    config = hh(tables=toml_inputs(("input", '{file = "I.npy"}', None))).replace("duration = 10.0", "duration = 1e18")
    assert "duration = 1e18" in config
    proc = assert_rejected(tmp_path, config, ["duration", 1e18], timeout=20)
    _no_crash_words(proc)


@pytest.mark.parametrize("name, needles", [("/dev/zero", ["/dev/zero", "regular"]), (".", ["folder"])])
def test_input_file_that_is_not_a_regular_file(tmp_path, name, needles):
    """/dev/zero was read forever (a hang); a folder was an internal error."""
    proc = assert_rejected(tmp_path, hh(tables=toml_inputs(("input", f'{{file = "{name}"}}', None))), needles,
                           timeout=20)
    _no_crash_words(proc)


# --- --set into arrays of tables, and numbers in messages (issue 11, section 4) ------------------


def test_set_an_indexed_input_changes_that_input(tmp_path):
    """`--set inputs.0.value=100` changes the first [[inputs]] entry; index len adds one."""
    config = hh() + toml_inputs(("input", "2.0", None))
    write_config(tmp_path, config)
    proc = run_ionode(["run", "run.toml", "-o", "out.npz", "-q", "--set", "inputs.1.value=100",
                       "--set", 'inputs.2.target="input"', "--set", "inputs.2.value=-3"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    meta = load_npz(tmp_path / "out.npz")[1]
    assert [(i["target"], i["value"]) for i in meta["inputs"]] == [("input", "10"), ("input", "100"), ("input", "-3")]


@pytest.mark.parametrize(
    "assignment, needles",
    [("inputs.x.value=1", ["inputs", "index", "inputs.0.value"]), ("inputs.5.value=1", ["inputs", "1", "0 to 1"])],
)
def test_set_a_bad_index_says_how_in_one_line(tmp_path, assignment, needles):
    proc = assert_rejected(tmp_path, hh(), needles, extra=["--set", assignment])
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_readme_set_examples_work_on_the_default_hh(tmp_path):
    """Every `--set` example of the README runs on the embedded default (HH); its
    `model_options.variant="seed"` did not (variant is a PinskyRinzel option)."""
    from pathlib import Path

    readme = (Path(os.environ.get("IONODE_SOURCE_DIR", Path(__file__).resolve().parents[2])) / "README.md").read_text()
    paragraph = readme[readme.index("Any key can be overridden"):].split("\n\n")[0]
    examples = re.findall(r"--set '?([A-Za-z_.0-9]+=[^'` ]+)'?", paragraph.replace("\n", " "))
    assert any(e.startswith("model_options.") for e in examples), examples
    for example in examples:
        proc = run_ionode(["run", "-o", "out.npz", "-q", "--set", "duration=5", "--set", example], tmp_path)
        assert proc.returncode == 0, f"--set {example}: {proc.stderr}"


def test_numbers_in_messages_are_the_shortest_that_read_back(tmp_path):
    """dt = -0.1 printed as -0.10000000000000001 (17 digits) before; tables printed over several lines."""
    proc = assert_rejected(tmp_path, None, ["dt"], extra=["--set", "dt=-0.1"], output=None)
    assert "-0.1 " in proc.stderr and "0.10000000000000001" not in proc.stderr, proc.stderr
    proc = assert_rejected(tmp_path, hh(tables="[params]\ngNa = {uniform = [0.1, 0.3], x = 0.7}\n"), ["gNa"])
    assert "0.30000000000000004" not in proc.stderr and "0.7" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


# --- a disk that fills while the result is written (issue 11, section 8) ------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 256 kB tmpfs mounted under tmp_path (needs root); skipped where it cannot be mounted."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


# Spikes are not counted by the free-space check made before the run (their number is unknown), so
# this run starts and fills the disk: 1000 neurons x ~30 spikes, ~25 bytes a row, ~750 kB.
SPIKY = 'model = "HH"\nsize = 1000\nduration = 300.0\ndt = 0.05\n' + toml_inputs(("input", "10.0", None))


def test_h5_that_cannot_be_created_on_a_full_disk_is_a_clear_error(small_disk):
    """HDF5 could not close the file it failed to create: a leak, then a segfault (139) at exit."""
    (small_disk / "filler").write_bytes(bytes(200_000))
    write_config(small_disk, SPIKY)
    proc = run_ionode(["run", "run.toml", "-o", "out.h5", "-q"], small_disk, timeout=60)
    assert proc.returncode == 2, f"exit {proc.returncode}\n{proc.stderr}"
    assert "out.h5" in proc.stderr and "No space left on device" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (small_disk / "out.h5").exists()


@pytest.mark.parametrize("output", ["out.csv", "out.h5"])
def test_disk_full_is_a_clear_error_that_keeps_what_was_written(small_disk, output):
    """Before: the .csv run aborted (an uncaught std::system_error in a destructor)."""
    write_config(small_disk, SPIKY)
    proc = run_ionode(["run", "run.toml", "-o", output, "-q"], small_disk, timeout=60)
    assert proc.returncode == 2, f"exit {proc.returncode}\n{proc.stderr}"
    assert "No space left on device" in proc.stderr or "space" in proc.stderr.lower(), proc.stderr
    assert output in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    if output.endswith(".csv"):
        # The spikes written before the disk filled are whole rows of a valid CSV.
        with open(small_disk / "out.spikes.csv", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == ["time", "neuron"] and len(rows) > 100, rows[:3]
        body = np.array(rows[1:], dtype=float)
        # Spikes come step by step (by neuron within a step, dt = 0.05 ms), each row whole.
        assert body.shape[1] == 2 and np.all(np.diff(body[:, 0]) > -0.05) and np.all((0 <= body[:, 1]) & (body[:, 1] < 1000))
        assert (small_disk / "out.spikes.csv").read_bytes().endswith(b"\n")
        assert json.loads((small_disk / "out.metadata.json").read_text())["complete"] is False


def run_under_1_gib(tmp_path, size):
    """`ionode run` of hh_with(size) under `ulimit -v` 1 GiB (RLIMIT_AS)."""
    import resource

    if os.environ.get("IONODE_SANITIZED"):
        pytest.skip("AddressSanitizer's shadow memory does not fit under ulimit -v (scripts/sanitize.sh)")

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    write_config(tmp_path, hh_with(f"size = {size}"))
    return subprocess.run([IONODE_BIN, "run", "run.toml", "-o", "out.npz"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, preexec_fn=limit)


def test_memory_limit_follows_the_address_space_limit(tmp_path):
    """With `ulimit -v` at 1 GiB, 100 million HH neurons (about 4 GB of state) are refused naming
    the limit, not std::bad_alloc ("internal error")."""
    proc = run_under_1_gib(tmp_path, 100000000)
    assert proc.returncode == 2, proc.stderr
    assert "size = 100000000" in proc.stderr and "memory" in proc.stderr and "1.07 GB" in proc.stderr, proc.stderr


def test_out_of_memory_within_the_limits_is_a_clear_error(tmp_path):
    """A state that passes the check (0.95 GB under a 1 GiB `ulimit -v`) but cannot be allocated next to
    the program: std::bad_alloc was "internal error (please report)"; now an error saying what to shrink."""
    proc = run_under_1_gib(tmp_path, 23700000)
    assert proc.returncode == 2, proc.stderr
    assert "internal error" not in proc.stderr and "out of memory" in proc.stderr, proc.stderr
