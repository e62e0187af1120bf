"""BrainPy's brainpy.visualize: line_plot, raster_plot and get_figure, with its signatures, on
matplotlib (imported when first used, so `import ionode` stays quick)."""

import numpy as np

__all__ = ["get_figure", "line_plot", "raster_plot"]


def get_figure(row_num, col_num, row_len=3, col_len=6, name=None):
    """A figure of row_num x col_num panels, each row_len high and col_len wide (inches), with a
    constrained layout; returns (figure, GridSpec)."""
    import matplotlib.pyplot as plt
    from matplotlib.gridspec import GridSpec

    size = (col_num * col_len, row_num * row_len)
    fig = plt.figure(figsize=size, constrained_layout=True) if name is None else \
        plt.figure(name, figsize=size, constrained_layout=True)
    return fig, GridSpec(row_num, col_num, figure=fig)


def _finish(plt, xlim, ylim, xlabel, ylabel, title, show):
    if xlim is not None:
        plt.xlim(xlim[0], xlim[1])
    if ylim is not None:
        plt.ylim(ylim[0], ylim[1])
    if xlabel:
        plt.xlabel(xlabel)
    if ylabel:
        plt.ylabel(ylabel)
    if title:
        plt.title(title)
    if show:
        plt.show()


def line_plot(ts, val_matrix, plot_ids=None, ax=None, xlim=None, ylim=None, xlabel='Time (ms)', ylabel=None,
              legend=None, title=None, show=False, **kwargs):
    """Traces of val_matrix (T, ...) against ts for the columns plot_ids (an int or a list; default 0);
    legend is the label's prefix. Draws on ax, or on the current axes."""
    import matplotlib.pyplot as plt

    if plot_ids is None:
        plot_ids = [0]
    elif isinstance(plot_ids, (int, np.integer)):
        plot_ids = [int(plot_ids)]
    if not isinstance(plot_ids, (list, tuple)) and not (isinstance(plot_ids, np.ndarray) and plot_ids.ndim == 1):
        raise ValueError(f"plot_ids = {plot_ids!r} is not allowed; give an int, a list or a 1-D array of columns")
    values = np.asarray(val_matrix)
    values = values.reshape((values.shape[0], -1))
    target = plt if ax is None else ax
    for i in plot_ids:
        label = None if not legend else (legend if len(plot_ids) == 1 else f"{legend}-{i}")
        target.plot(np.asarray(ts), values[:, i], label=label, **kwargs)
    if legend:
        target.legend()
    _finish(plt, xlim, ylim, xlabel, ylabel, title, show)


def raster_plot(ts, sp_matrix, ax=None, marker='.', markersize=2, color='k', xlabel='Time (ms)',
                ylabel='Neuron index', xlim=None, ylim=None, title=None, show=False, **kwargs):
    """A dot per spike: from BrainPy's dense monitor (ts of shape (T,), sp_matrix (T, N)), or from
    ionode's sparse spikes, ``raster_plot(*runner.spikes)`` (times and neuron indices, both (S,))."""
    import matplotlib.pyplot as plt

    if ts is None:
        raise ValueError("raster_plot: ts is required")
    ts, spikes = np.asarray(ts), np.asarray(sp_matrix)
    if spikes.ndim == 1 and spikes.shape == ts.shape:
        times, index = ts, spikes
    else:
        rows, index = np.nonzero(spikes.reshape((spikes.shape[0], -1)) > 0)
        times = ts[rows]
    target = plt if ax is None else ax
    target.plot(times, index, marker + color, markersize=markersize, **kwargs)
    _finish(plt, xlim, ylim, xlabel, ylabel, title, show)
