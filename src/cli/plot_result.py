"""Draws an ionode result (.npz or .h5): voltage traces, a spike raster and the population rate.

`ionode plot` and `ionode run --plot` run this file with Debian's python3 (the binary carries its
text, so it needs no installed copy); it also runs alone: python3 plot_result.py RESULT -o FIG.png.
A user error (missing or unreadable result, a neuron that was not recorded, a missing Python
package) prints one line on stderr and exits with status 2, which the binary reports as an ionode
error; a traceback means a bug in this script.
"""

import argparse
import json
import math
import os
import sys

USER_ERROR = 2
FIGURE_FORMATS = (".png", ".svg", ".pdf")
DEFAULT_TRACES = 4  # enough to compare neurons, few enough to tell the lines apart


class PlotError(Exception):
    """A problem with the user's input: reported as one line, exit status 2."""


def require(module, debian_package):
    try:
        return __import__(module)
    except ImportError:
        raise PlotError(
            f"the Python package '{module}' is missing for {sys.executable} "
            f"(Debian: apt-get install {debian_package})"
        ) from None


class Result:
    """One result file: its arrays are NumPy arrays (.npz, loaded whole) or h5py datasets (.h5, read
    lazily, only the columns drawn), indexed alike, so the drawing never knows the format."""

    def __init__(self, path, arrays, metadata):
        self.path = path
        self.arrays = arrays
        self.metadata = metadata
        for name in ("ts", "spike_times", "spike_indices"):
            if name not in arrays:
                raise PlotError(f"result '{path}' has no '{name}' array, so it was not written by ionode")
        reserved = {"ts", "spike_times", "spike_indices", "spike_batch", "metadata"}
        self.variables = [name for name in arrays if name not in reserved]

    def array(self, name):
        return self.arrays[name][()]


def decode_metadata(path, value):
    if isinstance(value, bytes):
        value = value.decode()
    try:
        metadata = json.loads(str(value))
    except ValueError as e:
        raise PlotError(f"result '{path}' has metadata that is not JSON ({e})") from None
    if not isinstance(metadata, dict):
        raise PlotError(f"result '{path}' has metadata that is not a JSON object")
    return metadata


def read_npz(path):
    np = require("numpy", "python3-numpy")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except Exception as e:  # zipfile, NumPy and OS errors all mean "not a readable .npz"
        raise PlotError(f"cannot read result '{path}' as .npz: {e}") from None
    if "metadata" not in arrays:
        raise PlotError(f"result '{path}' has no metadata, so it was not written by ionode")
    return Result(path, arrays, decode_metadata(path, arrays["metadata"].item()))


def read_h5(path):
    h5py = require("h5py", "python3-h5py")
    try:
        # Kept open for the life of the process: datasets are read lazily, only the columns drawn.
        f = h5py.File(path, "r")
        arrays = {name: f[name] for name in f.keys() if isinstance(f[name], h5py.Dataset)}
        raw = arrays["metadata"][()] if "metadata" in arrays else f.attrs.get("metadata")
    except Exception as e:
        raise PlotError(f"cannot read result '{path}' as HDF5: {e}") from None
    if raw is None:
        raise PlotError(f"result '{path}' has no metadata, so it was not written by ionode")
    return Result(path, arrays, decode_metadata(path, raw))


def read_result(path):
    if not os.path.exists(path):
        raise PlotError(f"result '{path}' does not exist")
    if path.endswith(".npz"):
        return read_npz(path)
    if path.endswith(".h5"):
        return read_h5(path)
    raise PlotError(f"result '{path}' must end in .npz or .h5")


def describe_indices(indices):
    """'0-9' or '0, 3, 7' or '0-99, 200' for error messages, short even for many neurons."""
    runs, start = [], None
    for i, value in enumerate(indices):
        if start is None:
            start = value
        if i + 1 == len(indices) or indices[i + 1] != value + 1:
            runs.append(str(start) if start == value else f"{start}-{value}")
            start = None
    return ", ".join(runs) if runs else "none"


def choose_variable(result, requested):
    if not result.variables:
        raise PlotError(
            f"result '{result.path}' records no variables, so there is no trace to draw "
            '(add variables = ["V"] to [monitors])'
        )
    if requested is not None:
        if requested not in result.variables:
            raise PlotError(
                f"variable '{requested}' is not in result '{result.path}', which records: "
                + ", ".join(result.variables)
            )
        return requested
    # The membrane potential: V, or the soma's Vs (Pinsky-Rinzel); otherwise the first recorded.
    for name in ("V", "Vs"):
        if name in result.variables:
            return name
    return result.variables[0]


def choose_batch(result, variable, requested):
    """The batch copy to draw, or None for a result without a batch axis ((T, n) arrays)."""
    data = result.arrays[variable]
    if len(data.shape) != 3:
        if requested not in (None, 0):
            raise PlotError(f"--batch {requested}: result '{result.path}' has no batch axis")
        return None
    batch = 0 if requested is None else requested
    copies = data.shape[0]
    if not 0 <= batch < copies:
        raise PlotError(f"--batch {batch} is out of range: result '{result.path}' has batch copies 0-{copies - 1}")
    return batch


def traces(result, variable, batch, requested_neurons):
    """[(neuron, values)] for the neurons asked for, or the first few recorded ones."""
    data = result.arrays[variable]
    columns = data.shape[-1]
    recorded = [int(i) for i in result.metadata.get("monitor_indices", range(columns))]
    if len(recorded) != columns:
        raise PlotError(
            f"result '{result.path}' is inconsistent: {columns} columns but {len(recorded)} monitor_indices"
        )
    if columns == 0:
        raise PlotError(f"result '{result.path}' records no neurons (monitors.indices is empty)")
    if requested_neurons is None:
        wanted = recorded[:DEFAULT_TRACES]
    else:
        missing = [n for n in requested_neurons if n not in recorded]
        if missing:
            raise PlotError(
                f"neuron {missing[0]} is not recorded in '{result.path}' "
                f"(recorded neurons of {variable}: {describe_indices(recorded)})"
            )
        wanted = requested_neurons
    out = []
    for neuron in wanted:
        column = recorded.index(neuron)
        values = data[batch, :, column] if batch is not None else data[:, column]
        out.append((neuron, values))
    return out


def nice_bin(span_ms, target_bins=50):
    """A bin width of 1, 2 or 5 times a power of ten giving about target_bins bins."""
    raw = max(span_ms / target_bins, 1e-9)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def population_rate(np, spike_times, neurons, t_end, bin_ms):
    """Bin edges and the rate per neuron in Hz: spikes per bin / (neurons * bin width in s)."""
    bins = max(1, int(math.ceil(t_end / bin_ms - 1e-9)))
    edges = np.arange(bins + 1) * bin_ms
    counts, _ = np.histogram(spike_times, bins=edges)
    return edges, counts / (max(neurons, 1) * bin_ms / 1000.0)


def neurons_text(n):
    return "1 neuron" if n == 1 else f"{n} neurons"


def title_of(metadata, batch):
    model = metadata.get("model", "unknown model")
    options = metadata.get("model_options") or {}
    if options:
        model += " (" + ", ".join(f"{k} = {v}" for k, v in options.items()) + ")"
    parts = [model]
    if "neurons" in metadata:
        parts.append(neurons_text(metadata["neurons"]))
    if "method" in metadata and "dt" in metadata:
        parts.append(f"{metadata['method']}, dt = {metadata['dt']:g} ms")
    title = ", ".join(parts)
    if batch is not None:
        title += f" (batch copy {batch} of {metadata.get('batch', '?')})"
    if metadata.get("complete") is False:
        title += "\nincomplete: the run stopped early"
    return title


def draw(result, args):
    np = require("numpy", "python3-numpy")
    matplotlib = require("matplotlib", "python3-matplotlib")
    matplotlib.use("Agg")  # files only; never a display
    import matplotlib.pyplot as plt

    variable = choose_variable(result, args.variable)
    batch = choose_batch(result, variable, args.batch)
    shown = traces(result, variable, batch, args.neurons)
    ts = np.asarray(result.array("ts"))
    meta = result.metadata
    t_end = float(meta.get("t_end", ts[-1] if ts.size else 0.0))
    if t_end <= 0:
        raise PlotError(f"result '{result.path}' covers no time (t_end = {t_end})")
    neurons = int(meta.get("neurons", 0) or 0)
    spike_times = np.asarray(result.array("spike_times"))
    spike_indices = np.asarray(result.array("spike_indices"))
    if batch is not None:
        in_copy = np.asarray(result.array("spike_batch")) == batch
        spike_times, spike_indices = spike_times[in_copy], spike_indices[in_copy]
    if neurons == 0:
        neurons = int(spike_indices.max()) + 1 if spike_indices.size else 1
    bin_ms = args.bin if args.bin is not None else nice_bin(t_end)

    fig, (ax_v, ax_raster, ax_rate) = plt.subplots(
        3, 1, sharex=True, figsize=(9, 7.5), gridspec_kw={"height_ratios": [3, 2, 1.4]}, layout="constrained"
    )
    fig.suptitle(title_of(meta, batch))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]

    unit = meta.get("units", {}).get("voltage", "mV") if variable.startswith("V") else None
    for k, (neuron, values) in enumerate(shown):
        ax_v.plot(ts, values, lw=1.0, color=colors[k % len(colors)], label=f"neuron {neuron}")
    ax_v.set_ylabel(f"{variable} ({unit})" if unit else variable)
    # Above the panel, right-aligned, so it never hides a spike.
    ax_v.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize="small", ncol=len(shown), frameon=False)

    # Raster: every spike in black, the traced neurons' spikes in their trace colours.
    many = spike_times.size > 20000  # bitmap the dots so .svg/.pdf files stay small
    size = min(12.0, max(1.0, 150.0 / neurons))
    ax_raster.plot(spike_times, spike_indices, "|", color="black", ms=size, rasterized=many)
    for k, (neuron, _) in enumerate(shown):
        mine = spike_indices == neuron
        color = colors[k % len(colors)]
        ax_raster.plot(spike_times[mine], spike_indices[mine], "|", color=color, ms=max(size, 4.0), mew=1.5)
    ax_raster.set_ylim(-0.5, neurons - 0.5)
    ax_raster.set_ylabel("neuron")
    everyone = f"all {neurons_text(neurons)}" if neurons > 1 else neurons_text(neurons)
    ax_raster.set_title(f"spikes of {everyone}", loc="left", fontsize="small")
    if neurons <= 10:
        ax_raster.set_yticks(range(neurons))
    if spike_times.size == 0:
        ax_raster.text(0.5, 0.5, "no spikes", transform=ax_raster.transAxes, ha="center", va="center")

    edges, rate = population_rate(np, spike_times, neurons, t_end, bin_ms)
    ax_rate.stairs(rate, edges, fill=True, color="0.35")
    ax_rate.set_title(f"population rate, bins of {bin_ms:g} ms", loc="left", fontsize="small")
    ax_rate.set_ylabel("rate (Hz/neuron)")
    ax_rate.set_xlabel("time (ms)")
    ax_rate.set_xlim(0.0, t_end)

    try:
        fig.savefig(args.output, dpi=120)
    except OSError as e:
        raise PlotError(f"cannot write figure '{args.output}': {e.strerror or e}") from None
    plt.close(fig)


def neuron_list(text):
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of neuron indices") from None
    if not values or min(values) < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must list neuron indices >= 0")
    return values


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="ionode plot", description=__doc__.splitlines()[0])
    parser.add_argument("result", help="an ionode result, .npz or .h5")
    parser.add_argument("-o", "--output", required=True, help="the figure: .png, .svg or .pdf")
    parser.add_argument("--neurons", type=neuron_list, help="neurons whose traces to draw, e.g. 0,3,7")
    parser.add_argument("--batch", type=int, help="batch copy to draw [0]")
    parser.add_argument("--variable", help="recorded variable to trace [V, or Vs]")
    parser.add_argument("--bin", type=float, help="population-rate bin width in ms [about 1/50 of the run]")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        if not args.output.endswith(FIGURE_FORMATS):
            raise PlotError(f"figure '{args.output}' must end in " + ", ".join(FIGURE_FORMATS))
        if args.bin is not None and not args.bin > 0:
            raise PlotError(f"--bin {args.bin} is not allowed; the bin width must be > 0 ms")
        draw(read_result(args.result), args)
    except PlotError as e:
        print(e, file=sys.stderr)
        return USER_ERROR
    return 0


if __name__ == "__main__":
    # Run by the binary as `python3 -c TEXT ARGS...`, where sys.argv[0] is "-c".
    sys.exit(main(sys.argv[1:]))
