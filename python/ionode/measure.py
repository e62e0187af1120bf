"""ionode.measure (BrainPy's ``bp.measure``): population measures of a recorded run, with BrainPy's
definitions (brainpy/_src/measure, BrainPy 2.4-2.6), on NumPy.

- ``firing_rate(spikes, width, dt=None)``: the population rate in Hz, smoothed by a moving window;
- ``cross_correlation(spikes, bin, dt=None)``: Wang and Buzsaki's (1996) coherence kappa;
- ``voltage_fluctuation(potentials)``: Golomb and Rinzel's synchrony chi^2;
- ``raster_plot(sp_matrix, times)``: (neuron index, spike time) of a dense spike matrix.

``spikes`` is a dense (T, N) spike matrix (``runner.mon.spike``), ``potentials`` (T, N)
(``runner.mon.V``); with a batch give one copy, ``runner.mon.spike[b]``. ``dt`` defaults to
ionode.get_dt(). Window and bin widths are counted in steps as BrainPy's ``int(width / dt)``, except
that a ratio within 1e-9 of an integer counts as it (BrainPy's int(0.3 / 0.1) is 2; here it is 3,
as the runner counts steps). BrainPy's ``numpy=False`` asks for JAX arrays, which ionode does not
have, so it is refused; ``method`` 'loop' and 'vmap' give the same numbers in BrainPy and here.
"""

import numpy as np

from ._checks import positive_number, shape_text
from ._config import get_dt

__all__ = ["cross_correlation", "firing_rate", "raster_plot", "voltage_fluctuation"]


def firing_rate(spikes, width, dt=None, numpy=True):
    """The population's mean firing rate in Hz: the mean over neurons of each step's spikes, convolved
    (NumPy's mode 'same') with a window of 2 * int(width / 2 / dt) + 1 steps, each weighing
    1000 / width (width in ms)."""
    spikes = _matrix(spikes, "firing_rate: spikes")
    _numpy(numpy, "firing_rate")
    width = positive_number(width, "firing_rate: width")
    dt = _dt(dt, "firing_rate")
    window = np.ones(_steps(width / 2 / dt) * 2 + 1) * 1000.0 / width
    if len(window) > len(spikes):
        # NumPy's 'same' would then return the window's length, not one rate per step.
        raise ValueError(f"firing_rate: width = {width!r} ms makes a window of {len(window)} steps (dt = {dt!r} ms), "
                         f"more than the {len(spikes)} steps recorded; give a narrower width")
    return np.convolve(np.mean(spikes, axis=1), window, mode="same")


def cross_correlation(spikes, bin, dt=None, numpy=True, method="loop"):
    """Wang and Buzsaki's coherence kappa: the run cut into bins of int(bin / dt) steps (the last one
    padded with zeros), X_i(l) = 1 if neuron i spiked in bin l; for each pair i != j
    kappa_ij = sum_l X_i(l) X_j(l) / sqrt(sum_l X_i(l) * sum_l X_j(l)) (0 when either never spiked);
    the result is the mean over all pairs. Needs at least two neurons."""
    spikes = _matrix(spikes, "cross_correlation: spikes")
    _numpy(numpy, "cross_correlation")
    _method(method, "cross_correlation")
    dt = _dt(dt, "cross_correlation")
    bin_steps = _steps(positive_number(bin, "cross_correlation: bin") / dt)
    if bin_steps < 1:
        raise ValueError(f"cross_correlation: bin = {bin!r} ms is shorter than dt = {dt!r} ms; a bin must hold at "
                         "least one step")
    steps, neurons = spikes.shape
    if neurons < 2:
        raise ValueError(f"cross_correlation: spikes has {neurons} neuron; the coherence is a mean over pairs of "
                         "neurons and needs at least 2")
    bins = -(-steps // bin_steps)
    padded = np.zeros((bins * bin_steps, neurons))
    padded[:steps] = spikes
    fired = (padded.reshape(bins, bin_steps, neurons).sum(axis=1) > 0).astype(np.float64)  # X(l), (bins, N)
    together = fired.T @ fired  # sum_l X_i(l) X_j(l); its diagonal is sum_l X_i(l)
    norm = np.sqrt(np.outer(np.diag(together), np.diag(together)))
    i, j = np.tril_indices(neurons, k=-1)
    kappa = np.divide(together[i, j], norm[i, j], out=np.zeros(len(i)), where=norm[i, j] != 0)
    return float(np.mean(kappa))


def voltage_fluctuation(potentials, numpy=True, method="loop"):
    """Golomb and Rinzel's synchrony measure chi^2 = var_t(mean_i V_i) / mean_i var_t(V_i), each variance
    the time average of the square less the square of the time average; 1 when every V_i is constant."""
    potentials = _matrix(potentials, "voltage_fluctuation: potentials")
    _numpy(numpy, "voltage_fluctuation")
    _method(method, "voltage_fluctuation")
    average = np.mean(potentials, axis=1)
    average_variance = np.mean(average * average) - np.mean(average) ** 2
    variance_mean = np.mean(np.mean(potentials * potentials, axis=0) - np.mean(potentials, axis=0) ** 2)
    return 1.0 if variance_mean == 0 else float(average_variance / variance_mean)


def raster_plot(sp_matrix, times):
    """(neuron index, spike time) of every True (or > 0) entry of a (T, N) spike matrix, in time order."""
    sp_matrix = _matrix(sp_matrix, "raster_plot: sp_matrix")
    times = np.asarray(times)
    if times.shape != sp_matrix.shape[:1]:
        raise ValueError(f"raster_plot: times has shape {shape_text(times.shape)}; it must have one time per row "
                         f"of sp_matrix, shape {shape_text(sp_matrix.shape[:1])}")
    rows, columns = np.where(sp_matrix > 0)
    return columns, times[rows]


def _matrix(value, name):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} = {value!r} is not allowed; it must be a (T, N) array") from None
    if array.ndim != 2:
        hint = " (with a batch, give one copy: runner.mon.spike[b])" if array.ndim == 3 else ""
        raise ValueError(f"{name} has shape {shape_text(array.shape)}; it must be (T, N): one row per step, one "
                         f"column per neuron{hint}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} has no rows; it must hold at least one step")
    return array


def _steps(ratio):
    # int(ratio), except that a ratio within 1e-9 (relative) of an integer counts as it: the runner's rule.
    nearest = round(ratio)
    return int(nearest) if abs(ratio - nearest) <= 1e-9 * max(1.0, abs(ratio)) else int(ratio)


def _dt(dt, where):
    return get_dt() if dt is None else positive_number(dt, f"{where}: dt")


def _numpy(numpy, where):
    if not (isinstance(numpy, (bool, np.bool_)) and numpy):
        raise ValueError(f"{where}: numpy = {numpy!r} is not allowed; ionode's measures return NumPy values "
                         "(numpy=False asks BrainPy for JAX arrays, which ionode does not have): drop the argument")


def _method(method, where):
    if method not in ("loop", "vmap"):
        raise ValueError(f"{where}: method = {method!r} is not allowed; use 'loop' or 'vmap' (the same numbers)")
