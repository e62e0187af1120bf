"""`ionode plot RESULT -o FIGURE` and `ionode run --plot FIGURE`.

Spec (issue 4, section 4): a figure of voltage traces of chosen neurons, a spike raster and the
population rate, with labelled axes and units and the model in the title, as .png, .svg or .pdf
(the format from the extension). Bad input (another extension, a missing or unreadable result, a
neuron that was not recorded, a missing plotting package) is an error with exit status 2 naming the
problem, and leaves no figure behind.
"""

import json
import re
import struct

import numpy as np
import pytest

from conftest import run_config, run_ionode

HH = """model = "HH"
size = 6
duration = 100.0
dt = 0.05
seed = 3
{top}
[params]
gNa = {{uniform = [100.0, 140.0]}}

[[inputs]]
target = "input"
value = [2.0, 6.0, 8.0, 10.0, 12.0, 14.0]

[monitors]
variables = {variables}
{monitor_extra}
"""


def hh(top="", variables='["V", "n"]', monitor_extra=""):
    return HH.format(top=top, variables=variables, monitor_extra=monitor_extra)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    """One 6-neuron HH result shared by the tests that only read it."""
    directory = tmp_path_factory.mktemp("result")
    _, path = run_config(directory, hh(), "-q", output="hh.npz")
    return path


def plot(tmp_path, *args, expect_rc=0):
    proc = run_ionode(["plot", *args], tmp_path)
    assert proc.returncode == expect_rc, (
        f"ionode plot {' '.join(map(str, args))} exited {proc.returncode}, expected {expect_rc}\n"
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    return proc


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_text(path):
    text = path.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text, f"{path} is not an SVG"
    return text


def svg_labels(text):
    """matplotlib's SVG writes each text element as paths preceded by a comment holding its text."""
    return re.findall(r"<!-- (.*?) -->", text)


def pdf_page_size(path):
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), f"{path} is not a PDF"
    assert b"%%EOF" in data[-64:]
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box, "no /MediaBox in the PDF"
    return float(box.group(1)), float(box.group(2))


def colour_pixels(image, rgb, tolerance=0.08):
    return int(np.sum(np.all(np.abs(image[:, :, :3] - np.array(rgb)) < tolerance, axis=2)))


def assert_looks_like_a_figure(path):
    """A PNG of a sensible size with traces, raster dots and a rate histogram on it, not a blank page."""
    width, height = png_size(path)
    assert 600 <= width <= 4000 and 400 <= height <= 4000, (width, height)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    image = plt.imread(str(path))
    assert image.shape[:2] == (height, width)
    not_white = np.any(image[:, :, :3] < 0.9, axis=2).mean()
    assert 0.02 < not_white < 0.7, f"{not_white:.1%} of the pixels are drawn: blank or solid"
    # The first trace and its raster dots use matplotlib's first colour (C0, #1f77b4).
    assert colour_pixels(image, (0x1F / 255, 0x77 / 255, 0xB4 / 255)) > 200, "no trace in colour C0"
    # The rate histogram is filled in grey 0.35.
    assert colour_pixels(image, (0.35, 0.35, 0.35), tolerance=0.03) > 500, "no rate histogram"


def test_png_has_the_right_size_and_is_not_blank(tmp_path, result):
    plot(tmp_path, result, "-o", "fig.png")
    assert_looks_like_a_figure(tmp_path / "fig.png")


def test_svg_has_labelled_axes_with_units_and_the_model_in_the_title(tmp_path, result):
    plot(tmp_path, result, "-o", "fig.svg", "--neurons", "0,3,5", "--bin", "5")
    labels = svg_labels(svg_text(tmp_path / "fig.svg"))
    joined = "\n".join(labels)
    assert any(label.startswith("HH") and "6 neurons" in label and "exp_auto" in label for label in labels), joined
    for needle in ("V (mV)", "time (ms)", "neuron", "rate (Hz/neuron)", "neuron 0", "neuron 3", "neuron 5"):
        assert needle in labels, f"no text {needle!r} in the SVG: {joined}"
    assert "population rate, bins of 5 ms" in labels, joined
    assert "spikes of all 6 neurons" in labels, joined
    assert "neuron 1" not in labels


def test_pdf_is_a_pdf_page_of_the_figure_size(tmp_path, result):
    plot(tmp_path, result, "-o", "fig.pdf")
    width, height = pdf_page_size(tmp_path / "fig.pdf")
    assert (width, height) == (648, 540)  # 9 x 7.5 inches in points


def test_run_plot_draws_the_written_result(tmp_path):
    proc, output = run_config(tmp_path, hh(), "--plot", "run.png")
    assert output.is_file()
    assert_looks_like_a_figure(tmp_path / "run.png")
    assert "run.png" in proc.stdout


def test_run_plot_quiet_prints_nothing(tmp_path):
    proc, _ = run_config(tmp_path, hh(), "--plot", "run.svg", "-q")
    assert proc.stdout == "" and proc.stderr == ""
    svg_text(tmp_path / "run.svg")


def test_batch_copy_is_chosen_and_named(tmp_path):
    _, output = run_config(tmp_path, hh(top="batch = 3"), "-q", output="batch.npz")
    plot(tmp_path, output, "-o", "b.svg")
    assert any("batch copy 0 of 3" in label for label in svg_labels(svg_text(tmp_path / "b.svg")))
    plot(tmp_path, output, "-o", "b2.svg", "--batch", "2")
    assert any("batch copy 2 of 3" in label for label in svg_labels(svg_text(tmp_path / "b2.svg")))
    proc = plot(tmp_path, output, "-o", "b3.png", "--batch", "3", expect_rc=2)
    assert "--batch 3" in proc.stderr and "0-2" in proc.stderr


def test_neurons_are_the_recorded_indices_not_columns(tmp_path):
    _, output = run_config(tmp_path, hh(monitor_extra="indices = [1, 4]"), "-q", output="some.npz")
    arrays_meta = json.loads(str(np.load(output)["metadata"]))
    assert arrays_meta["monitor_indices"] == [1, 4]
    plot(tmp_path, output, "-o", "some.svg", "--neurons", "4")
    assert "neuron 4" in svg_labels(svg_text(tmp_path / "some.svg"))
    proc = plot(tmp_path, output, "-o", "none.png", "--neurons", "0", expect_rc=2)
    assert "neuron 0" in proc.stderr and "1, 4" in proc.stderr
    assert not (tmp_path / "none.png").exists()


def test_pinsky_rinzel_traces_the_soma(tmp_path):
    config = 'model = "PinskyRinzel"\nduration = 200.0\ndt = 0.05\n[monitors]\nvariables = ["Vd", "Vs"]\n'
    config += '[[inputs]]\ntarget = "Is"\nvalue = 2.5\n'
    _, output = run_config(tmp_path, config, "-q", output="pr.npz")
    plot(tmp_path, output, "-o", "pr.svg")
    labels = svg_labels(svg_text(tmp_path / "pr.svg"))
    assert "Vs (mV)" in labels and any(label.startswith("PinskyRinzel") for label in labels)


def test_h5_results_share_the_drawing(tmp_path, result):
    """HDF5 results (same layout) need h5py; without it the error says so."""
    try:
        import h5py
    except ImportError:
        (tmp_path / "r.h5").write_bytes(b"not read: h5py is missing")
        proc = plot(tmp_path, "r.h5", "-o", "h.png", expect_rc=2)
        assert "h5py" in proc.stderr and "python3-h5py" in proc.stderr
        return
    with np.load(result) as data, h5py.File(tmp_path / "r.h5", "w") as f:
        for name in data.files:
            value = data[name]
            f[name] = str(value) if name == "metadata" else value
    plot(tmp_path, "r.h5", "-o", "h.png")
    assert_looks_like_a_figure(tmp_path / "h.png")


@pytest.mark.parametrize(
    "args, needles",
    [
        (["{result}", "-o", "fig.jpg"], ["fig.jpg", ".png", ".svg", ".pdf"]),
        (["missing.npz", "-o", "fig.png"], ["missing.npz", "does not exist"]),
        (["{result}", "-o", "fig.png", "--neurons", "0,17"], ["neuron 17", "0-5"]),
        (["{result}", "-o", "fig.png", "--variable", "Vd"], ["Vd", "V, n"]),
        (["{result}", "-o", "fig.png", "--bin", "0"], ["--bin", "> 0"]),
        (["{result}", "-o", "no/such/folder/fig.png"], ["no/such/folder/fig.png", "cannot be written"]),
        (["out.csv", "-o", "fig.png"], ["out.csv", ".npz"]),
    ],
)
def test_bad_input_is_an_error_naming_the_problem(tmp_path, result, args, needles):
    args = [str(result) if a == "{result}" else a for a in args]
    proc = plot(tmp_path, *args, expect_rc=2)
    assert proc.stderr.startswith("ionode: error:"), proc.stderr
    for needle in needles:
        assert needle in proc.stderr, f"stderr does not mention {needle!r}:\n{proc.stderr}"
    assert not any(p.name.startswith("fig") for p in tmp_path.iterdir()), "a figure was left behind"


def test_unreadable_result(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"this is not a zip file")
    proc = plot(tmp_path, "junk.npz", "-o", "fig.png", expect_rc=2)
    assert "junk.npz" in proc.stderr and "cannot read" in proc.stderr


def test_result_of_spikes_only_draws_the_raster_and_the_rate(tmp_path):
    # Issue 11 (5): the usual record of a large population; a --variable it lacks is still an error.
    _, output = run_config(tmp_path, hh(variables="[]"), "-q", output="spikes_only.npz")
    plot(tmp_path, output, "-o", "fig.svg", "--neurons", "4")
    labels = svg_labels(svg_text(tmp_path / "fig.svg"))
    assert "spikes of all 6 neurons" in labels and "rate (Hz/neuron)" in labels, labels
    assert not any("(mV)" in label for label in labels), labels
    plot(tmp_path, output, "-o", "fig.png")
    image = __import__("matplotlib.pyplot").pyplot.imread(str(tmp_path / "fig.png"))
    assert colour_pixels(image, (0.35, 0.35, 0.35), tolerance=0.03) > 500, "no rate histogram"
    assert colour_pixels(image, (0.0, 0.0, 0.0), tolerance=0.05) > 200, "no raster"
    proc = plot(tmp_path, output, "-o", "v.png", "--variable", "V", expect_rc=2)
    assert "records no variables" in proc.stderr
    proc = plot(tmp_path, output, "-o", "v.png", "--neurons", "6", expect_rc=2)
    assert "neuron 6" in proc.stderr and "0-5" in proc.stderr


def one_neuron(variables):
    return f"""model = "HH"\nduration = 60.0\ndt = 0.05\n[[inputs]]\ntarget = "input"\nvalue = 10.0
[monitors]\nvariables = {variables}\n"""


def test_one_neuron_has_no_raster_beside_its_trace(tmp_path):
    _, output = run_config(tmp_path, one_neuron('["V"]'), "-q", output="one.npz")
    plot(tmp_path, output, "-o", "one.svg")
    labels = svg_labels(svg_text(tmp_path / "one.svg"))
    assert "V (mV)" in labels and "rate (Hz/neuron)" in labels, labels
    assert not any(label.startswith("spikes of") for label in labels), labels
    # Spikes only: the strip of spike times is the only view of them, so it stays.
    _, output = run_config(tmp_path, one_neuron("[]"), "-q", output="one_spikes.npz")
    plot(tmp_path, output, "-o", "one_spikes.svg")
    labels = svg_labels(svg_text(tmp_path / "one_spikes.svg"))
    assert "spikes of 1 neuron" in labels and "rate (Hz/neuron)" in labels, labels


def test_several_variables_one_axis_per_neuron(tmp_path):
    # Issue 11 (5): Pinsky-Rinzel's soma and dendrite (both mV) overlaid, one axis per neuron.
    config = 'model = "PinskyRinzel"\nsize = 2\nduration = 100.0\ndt = 0.05\n[monitors]\n'
    config += 'variables = ["Vd", "Vs", "Ca"]\n[[inputs]]\ntarget = "Is"\nvalue = 2.5\n'
    _, output = run_config(tmp_path, config, "-q", output="pr.npz")
    plot(tmp_path, output, "-o", "pr.svg", "--variable", "Vs,Vd")
    labels = svg_labels(svg_text(tmp_path / "pr.svg"))
    for needle in ("neuron 0", "neuron 1", "Vs, Vd (mV)", "Vs (mV)", "Vd (mV)", "spikes of all 2 neurons"):
        assert needle in labels, (needle, labels)
    assert labels.count("Vs, Vd (mV)") == 2, labels  # one axis per neuron
    # Another unit (Ca is not a voltage) goes on a twin axis on the right, named apart.
    plot(tmp_path, output, "-o", "mixed.svg", "--variable", "Vs,Ca", "--neurons", "1")
    labels = svg_labels(svg_text(tmp_path / "mixed.svg"))
    assert "Vs (mV)" in labels and "Ca" in labels and "neuron 1" in labels and "neuron 0" not in labels, labels
    for bad, needle in (("Vs,Vx", "'Vx'"), ("Vs,,Vd", "each once"), ("Vs,Vs", "each once")):
        proc = plot(tmp_path, output, "-o", "bad.png", "--variable", bad, expect_rc=2)
        assert needle in proc.stderr, proc.stderr


def load_plot_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "src" / "cli" / "plot_result.py"
    spec = importlib.util.spec_from_file_location("plot_result", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_partial_last_bin_is_divided_by_the_time_simulated():
    # Issue 11 (5): a run of 25 ms in bins of 10 ms; the last bin covers 5 ms. Two neurons; by hand:
    # bin 0 holds 2 spikes: 2 / (2 * 0.010 s) = 100 Hz; bin 2 holds 3: 3 / (2 * 0.005 s) = 300 Hz.
    script = load_plot_script()
    edges, rate = script.population_rate(np, np.array([1.0, 9.0, 21.0, 22.0, 24.5]), 2, 25.0, 10.0)
    assert list(edges) == [0.0, 10.0, 20.0, 30.0]
    assert rate == pytest.approx([100.0, 0.0, 300.0], rel=1e-12)
    # A bin width that divides the run: every bin is whole.
    _, rate = script.population_rate(np, np.array([5.0, 15.0]), 1, 20.0, 10.0)
    assert rate == pytest.approx([100.0, 100.0], rel=1e-12)


def test_missing_python_says_what_to_install(tmp_path, result, monkeypatch):
    monkeypatch.setenv("IONODE_PYTHON", "/nonexistent/python3")
    proc = plot(tmp_path, result, "-o", "fig.png", expect_rc=2)
    assert "/nonexistent/python3" in proc.stderr and "python3-matplotlib" in proc.stderr


@pytest.mark.parametrize("figure, output", [("fig.gif", "out.npz"), ("fig.png", "out.csv")])
def test_run_plot_is_checked_before_the_run(tmp_path, figure, output):
    proc, _ = run_config(tmp_path, hh(), "--plot", figure, output=output, expect_rc=2)
    assert figure in proc.stderr or output in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.toml"], "the run started or left files"
