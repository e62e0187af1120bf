"""Draws an ionode result (.npz or .h5): voltage traces, a spike raster and the population rate.

Traces: one variable, every neuron on one axis; several (--variable Vs,Vd), one axis per neuron.
A result of spikes only is drawn as the raster and the rate; one neuron gets no raster beside its
trace (a raster of one row says nothing more).

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


def choose_variables(result, requested):
    """The variables to trace: those asked for (comma-separated), else V (or Pinsky-Rinzel's soma Vs,
    else the first recorded); [] for a result that records only spikes (raster and rate only)."""
    if requested is None:
        if not result.variables:
            return []
        for name in ("V", "Vs"):
            if name in result.variables:
                return [name]
        return [result.variables[0]]
    names = [name.strip() for name in requested.split(",")]
    if not all(names) or len(set(names)) != len(names):
        raise PlotError(f"--variable '{requested}' is not allowed; give recorded variables separated by commas, "
                        "each once, e.g. Vs,Vd")
    if not result.variables:
        raise PlotError(
            f"result '{result.path}' records no variables, so there is no trace of {requested} to draw "
            '(add variables = ["V"] to [monitors], or leave out --variable for the raster and the rate)'
        )
    for name in names:
        if name not in result.variables:
            raise PlotError(
                f"variable '{name}' is not in result '{result.path}', which records: " + ", ".join(result.variables)
            )
    return names


def unit_of(metadata, variable):
    """A variable's unit: the metadata's, if it names one, else mV for a membrane potential (V, Vs,
    Vd...), else None (gating variables and the like are dimensionless)."""
    units = metadata.get("variable_units") or {}
    if variable in units:
        return None if units[variable] in ("", "1") else units[variable]  # "1": dimensionless
    return metadata.get("units", {}).get("voltage", "mV") if variable.startswith("V") else None


def choose_batch(result, variable, requested):
    """The batch copy to draw, or None for a result without a batch axis ((T, n) arrays; with only
    spikes recorded: the metadata's batch)."""
    if variable is not None:
        has_batch = len(result.arrays[variable].shape) == 3
        copies = result.arrays[variable].shape[0] if has_batch else 1
    else:
        has_batch = "batch" in result.metadata and "spike_batch" in result.arrays
        copies = int(result.metadata.get("batch", 1) or 1)
    if not has_batch:
        if requested not in (None, 0):
            raise PlotError(f"--batch {requested}: result '{result.path}' has no batch axis")
        return None
    batch = 0 if requested is None else requested
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
    """Bin edges and the rate per neuron in Hz: spikes per bin / (neurons * the bin's simulated time
    in s). The last bin ends at t_end: a run that stopped inside it (a partial or interrupted run,
    or a bin that does not divide the duration) is divided by the part it simulated, not the width."""
    bins = max(1, int(math.ceil(t_end / bin_ms - 1e-9)))
    edges = np.arange(bins + 1) * bin_ms
    counts, _ = np.histogram(spike_times, bins=edges)
    simulated = np.minimum(edges[1:], t_end) - edges[:-1]
    return edges, counts / (max(neurons, 1) * simulated / 1000.0)


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


def spikes_of(np, result, batch):
    spike_times = np.asarray(result.array("spike_times"))
    spike_indices = np.asarray(result.array("spike_indices"))
    if batch is not None:
        in_copy = np.asarray(result.array("spike_batch")) == batch
        spike_times, spike_indices = spike_times[in_copy], spike_indices[in_copy]
    return spike_times, spike_indices


def highlighted(result, requested_neurons, neurons):
    """The neurons whose spikes the raster colours when no trace is drawn: those asked for."""
    if requested_neurons is None:
        return []
    outside = [n for n in requested_neurons if n >= neurons]
    if outside:
        raise PlotError(f"neuron {outside[0]} is not in '{result.path}' (neurons 0-{neurons - 1})")
    return requested_neurons


def layout(plt, trace_axes, raster, raster_height):
    """The figure and its axes, top to bottom: traces, the raster (if drawn), the rate."""
    heights = [3.0 if trace_axes == 1 else 2.0] * trace_axes + ([raster_height] if raster else []) + [1.4]
    size = (9, 7.5) if (trace_axes, raster) == (1, True) else (9, 1.2 + 1.45 * sum(heights))
    fig, axes = plt.subplots(len(heights), 1, sharex=True, figsize=size, squeeze=False,
                             gridspec_kw={"height_ratios": heights}, layout="constrained")
    axes = list(axes[:, 0])
    return fig, axes[:trace_axes], (axes[trace_axes] if raster else None), axes[-1]


def draw_neurons_overlaid(ax, ts, variable, unit, shown, colors):
    """One variable: every shown neuron a line on one axis."""
    for k, (neuron, values) in enumerate(shown):
        ax.plot(ts, values[0], lw=1.0, color=colors[k % len(colors)], label=f"neuron {neuron}")
    ax.set_ylabel(f"{variable} ({unit})" if unit else variable)
    # Above the panel, right-aligned, so it never hides a spike.
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize="small", ncol=len(shown), frameon=False)


def draw_variables_overlaid(ax, ts, neuron, values, variables, units, colors):
    """Several variables of one neuron: one line each; those in the first variable's unit on the left
    axis, the rest (another unit, or dimensionless) on a twin axis on the right, each labelled."""
    groups = []
    for name, unit in zip(variables, units):
        group = next((g for g in groups if g[0] == unit), None)
        if group is None:
            groups.append((unit, [name]))
        else:
            group[1].append(name)
    if len(groups) > 2:
        raise PlotError("--variable " + ",".join(variables) + " mixes "
                        + ", ".join(u or "dimensionless" for u, _ in groups)
                        + ": one figure shows two units at most (left and right axes)")
    axes = [ax] if len(groups) == 1 else [ax, ax.twinx()]
    lines = []
    for k, (name, series) in enumerate(zip(variables, values)):
        side = next(i for i, g in enumerate(groups) if name in g[1])
        lines += axes[side].plot(ts, series, lw=1.0, color=colors[k % len(colors)], ls="-" if side == 0 else "--",
                                 label=f"{name}" + (f" ({units[k]})" if units[k] else ""))
    for axis, (unit, names) in zip(axes, groups):
        axis.set_ylabel(", ".join(names) + (f" ({unit})" if unit else ""))
    ax.set_title(f"neuron {neuron}", loc="left", fontsize="small")
    ax.legend(handles=lines, loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize="small", ncol=len(lines),
              frameon=False)


def draw_raster(ax, spike_times, spike_indices, neurons, marked, colors):
    """Every spike in black, the marked (traced or asked-for) neurons' spikes in their colours."""
    many = spike_times.size > 20000  # bitmap the dots so .svg/.pdf files stay small
    size = min(12.0, max(1.0, 150.0 / neurons))
    ax.plot(spike_times, spike_indices, "|", color="black", ms=size, rasterized=many)
    for k, neuron in enumerate(marked):
        mine = spike_indices == neuron
        ax.plot(spike_times[mine], spike_indices[mine], "|", color=colors[k % len(colors)], ms=max(size, 4.0),
                mew=1.5)
    ax.set_ylim(-0.5, neurons - 0.5)
    ax.set_ylabel("neuron")
    everyone = f"all {neurons_text(neurons)}" if neurons > 1 else neurons_text(neurons)
    ax.set_title(f"spikes of {everyone}", loc="left", fontsize="small")
    if neurons <= 10:
        ax.set_yticks(range(neurons))
    if spike_times.size == 0:
        ax.text(0.5, 0.5, "no spikes", transform=ax.transAxes, ha="center", va="center")


def draw(result, args):
    np = require("numpy", "python3-numpy")
    matplotlib = require("matplotlib", "python3-matplotlib")
    matplotlib.use("Agg")  # files only; never a display
    import matplotlib.pyplot as plt

    variables = choose_variables(result, args.variable)
    batch = choose_batch(result, variables[0] if variables else None, args.batch)
    # [(neuron, [values of each variable])]
    per_variable = [traces(result, v, batch, args.neurons) for v in variables]
    shown = [(neuron, [t[k][1] for t in per_variable]) for k, (neuron, _) in enumerate(per_variable[0])] \
        if variables else []
    ts = np.asarray(result.array("ts"))
    meta = result.metadata
    t_end = float(meta.get("t_end", ts[-1] if ts.size else 0.0))
    if t_end <= 0:
        raise PlotError(f"result '{result.path}' covers no time (t_end = {t_end})")
    neurons = int(meta.get("neurons", 0) or 0)
    spike_times, spike_indices = spikes_of(np, result, batch)
    if neurons == 0:
        neurons = int(spike_indices.max()) + 1 if spike_indices.size else 1
    bin_ms = args.bin if args.bin is not None else nice_bin(t_end)
    # Raster colours name neurons; with several variables the colours name the variables instead.
    marked = highlighted(result, args.neurons, neurons) if not variables else \
        [n for n, _ in shown] if len(variables) == 1 else []

    # A raster of one row says no more than the trace does; with no trace it is the only view of
    # the spike times, so a single neuron keeps it as a slim strip.
    raster = neurons > 1 or not variables
    trace_axes = 0 if not variables else (1 if len(variables) == 1 else len(shown))
    fig, trace_panels, ax_raster, ax_rate = layout(plt, trace_axes, raster, 2.0 if neurons > 1 else 0.6)
    fig.suptitle(title_of(meta, batch))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]

    if len(variables) == 1:
        draw_neurons_overlaid(trace_panels[0], ts, variables[0], unit_of(meta, variables[0]), shown, colors)
    elif variables:
        units = [unit_of(meta, v) for v in variables]
        for ax, (neuron, values) in zip(trace_panels, shown):
            draw_variables_overlaid(ax, ts, neuron, values, variables, units, colors)
    if raster:
        draw_raster(ax_raster, spike_times, spike_indices, neurons, marked, colors)

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


def draw_network(results, args):
    """A network's files together: one raster with every population stacked and coloured, the population
    rates, and the traces of the first population that recorded the variable."""
    np = require("numpy", "python3-numpy")
    matplotlib = require("matplotlib", "python3-matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for r in results:
        if "population" not in r.metadata:
            raise PlotError(f"'{r.path}' is not a network population's result (no 'population' in its metadata)")
    results = sorted(results, key=lambda r: r.metadata.get("population_index", 0))
    names = [r.metadata["population"] for r in results]
    expected = results[0].metadata.get("network_populations", names)
    missing = [n for n in expected if n not in names]
    if missing:
        raise PlotError(f"the network's files for population(s) {', '.join(missing)} are missing")
    t_end = max(float(r.metadata.get("t_end", 0.0)) for r in results)
    if t_end <= 0:
        raise PlotError("the network's results cover no time")
    sizes = [int(r.metadata.get("neurons", 0) or 0) for r in results]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    bin_ms = args.bin if args.bin is not None else nice_bin(t_end)

    wanted = args.variable.split(",")[0] if args.variable else None
    traced = None
    for r in results:
        recorded = r.variables
        variable = wanted if wanted in recorded else (None if wanted else (recorded[0] if recorded else None))
        if variable is not None:
            traced = (r, variable)
            break
    if wanted and traced is None:
        raise PlotError(f"no population recorded '{wanted}'")

    rows = 3 if traced else 2
    fig, axes = plt.subplots(rows, 1, figsize=(9, 2.2 * rows + 1.5), sharex=True,
                             gridspec_kw={"height_ratios": ([1.2] if traced else []) + [2.5, 1.0]})
    axes = list(np.atleast_1d(axes))
    ax_trace = axes[0] if traced else None
    ax_raster, ax_rate = axes[-2], axes[-1]
    offset = 0
    ticks = []
    for k, (r, n) in enumerate(zip(results, sizes)):
        times = np.asarray(r.array("spike_times"))
        indices = np.asarray(r.array("spike_indices"))
        color = colors[k % len(colors)]
        ax_raster.plot(times, indices + offset, "|", color=color, ms=max(1.0, min(6.0, 300.0 / max(1, sum(sizes)))),
                       rasterized=times.size > 20000, label=f"{names[k]} ({n})")
        ticks.append(offset + n / 2)
        edges, rate = population_rate(np, times, max(n, 1), t_end, bin_ms)
        ax_rate.stairs(rate, edges, color=color, lw=1.2, label=names[k])
        offset += n
    ax_raster.set_ylim(-0.5, offset - 0.5)
    ax_raster.set_yticks(ticks, names)
    ax_raster.set_title(f"spikes of {neurons_text(offset)}, by population", loc="left", fontsize="small")
    ax_rate.set_title(f"population rates, bins of {bin_ms:g} ms", loc="left", fontsize="small")
    ax_rate.set_ylabel("rate (Hz/neuron)")
    ax_rate.set_xlabel("time (ms)")
    ax_rate.set_xlim(0.0, t_end)
    ax_rate.legend(loc="upper right", fontsize="small", frameon=False, ncol=len(names))
    if traced:
        r, variable = traced
        ts = np.asarray(r.array("ts"))
        shown = traces(r, variable, None, args.neurons)[:5]
        for j, (neuron, values) in enumerate(shown):
            ax_trace.plot(ts, values, lw=0.8, color=colors[(j + len(names)) % len(colors)], label=f"neuron {neuron}")
        unit = unit_of(r.metadata, variable)
        ax_trace.set_ylabel(f"{variable}" + (f" ({unit})" if unit else ""))
        ax_trace.set_title(f"{r.metadata['population']}: {variable}", loc="left", fontsize="small")
        ax_trace.legend(loc="upper right", fontsize="small", frameon=False, ncol=len(shown))
    first = results[0].metadata
    kinds = [r.metadata.get("model", r.metadata.get("source", "?")) for r in results]
    title = "network: " + ", ".join(f"{n} ({kind})" for n, kind in zip(names, kinds))
    if "dt" in first:
        title += f", dt = {first['dt']:g} ms"
    if any(r.metadata.get("complete") is False for r in results):
        title += "\nincomplete: the run stopped early"
    fig.suptitle(title)
    fig.tight_layout()
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
    parser.add_argument("result", nargs="+", help="an ionode result, .npz or .h5 (a network's: one per population)")
    parser.add_argument("-o", "--output", required=True, help="the figure: .png, .svg or .pdf")
    parser.add_argument("--neurons", type=neuron_list, help="neurons whose traces to draw, e.g. 0,3,7")
    parser.add_argument("--batch", type=int, help="batch copy to draw [0]")
    parser.add_argument("--variable", help="recorded variable(s) to trace, e.g. V or Vs,Vd [V, or Vs]")
    parser.add_argument("--bin", type=float, help="population-rate bin width in ms [about 1/50 of the run]")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        if not args.output.endswith(FIGURE_FORMATS):
            raise PlotError(f"figure '{args.output}' must end in " + ", ".join(FIGURE_FORMATS))
        if args.bin is not None and not args.bin > 0:
            raise PlotError(f"--bin {args.bin} is not allowed; the bin width must be > 0 ms")
        if len(args.result) == 1:
            draw(read_result(args.result[0]), args)
        else:
            draw_network([read_result(path) for path in args.result], args)
    except PlotError as e:
        print(e, file=sys.stderr)
        return USER_ERROR
    return 0


if __name__ == "__main__":
    # Run by the binary as `python3 -c TEXT ARGS...`, where sys.argv[0] is "-c".
    sys.exit(main(sys.argv[1:]))
