"""The input generators of BrainPy's brainpy.inputs, with its signatures and shapes, computed by
ionode's C++ library (definitions and the BrainPy quirks ionode fixes: docs/inputs.md). Each returns
a NumPy array with one row per step, for a DSRunner input of kind 'iter'. ``dt`` defaults to
ionode.get_dt() (0.1 ms).

The random ones (wiener_process, ou_process) draw from ionode's counter-based generator keyed by
``seed`` and ``stream``. ``seed=None`` (the default) draws a fresh seed per call, as BrainPy does, or,
after ``ionode.random.seed(s)``, the next seed derived from s; ``ionode.random.last_seed()`` right
after the call gives it back, and ``seed=`` that value repeats the series bit for bit.
"""

import numpy as np

from . import _ionode
from ._checks import count, is_number, number
from ._config import get_dt
from .random import seed_or_next

__all__ = ["constant_input", "ou_process", "ramp_input", "section_input", "sinusoidal_input", "spike_input",
           "square_input", "wiener_process"]


def _dt(dt):
    return get_dt() if dt is None else number(dt, "dt")


def _number_or_list(value, name):
    if is_number(value):
        return float(value)
    try:
        return [number(v, name) for v in np.asarray(value, dtype=object).reshape(-1)]
    except (TypeError, ValueError):
        raise ValueError(f"{name} = {value!r} is not allowed; it must be a number or a list of numbers") from None


def _flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} = {value!r} is not allowed; it must be True or False")
    return bool(value)


def _optional(value, name):
    return None if value is None else number(value, name)


def _rows(series):
    """BrainPy's shape: (T,) for one column, (T, N) for one column per neuron."""
    return series[:, 0] if series.shape[1] == 1 else series


def section_input(values, durations, dt=None, return_length=False):
    """Piecewise constant: values[k] (a number, or one per neuron) for durations[k] ms, one after another."""
    if len(values) != len(durations):
        raise ValueError(f"values has {len(values)} entries and durations {len(durations)}; they must match")
    series = _rows(_ionode.section_input([_number_or_list(v, f"values[{k}]") for k, v in enumerate(values)],
                                         [number(d, f"durations[{k}]") for k, d in enumerate(durations)], _dt(dt)))
    return (series, float(sum(durations))) if return_length else series


def constant_input(I_and_duration, dt=None):
    """Like section_input from (value, duration) pairs; returns (current, total duration) as BrainPy."""
    pairs = list(I_and_duration)
    for k, pair in enumerate(pairs):
        if len(pair) != 2:
            raise ValueError(f"I_and_duration[{k}] = {pair!r} is not allowed; give (value, duration) pairs")
    return section_input([p[0] for p in pairs], [p[1] for p in pairs], dt, return_length=True)


def spike_input(sp_times, sp_lens, sp_sizes, duration, dt=None):
    """Rectangular pulses: pulse k of sp_sizes[k] from sp_times[k] for sp_lens[k] ms (numbers apply to all)."""
    times = [number(t, f"sp_times[{k}]") for k, t in enumerate(np.asarray(sp_times, dtype=object).reshape(-1))]
    return _rows(_ionode.spike_input(times, _number_or_list(sp_lens, "sp_lens"), _number_or_list(sp_sizes, "sp_sizes"),
                                     number(duration, "duration"), _dt(dt)))


def ramp_input(c_start, c_end, duration, t_start=0, t_end=None, dt=None):
    """A linear ramp from c_start at t_start to c_end at t_end (default: duration), 0 elsewhere."""
    return _rows(_ionode.ramp_input(number(c_start, "c_start"), number(c_end, "c_end"), number(duration, "duration"),
                                    _dt(dt), number(t_start, "t_start"), _optional(t_end, "t_end")))


def sinusoidal_input(amplitude, frequency, duration, dt=None, t_start=0., t_end=None, bias=False):
    """amplitude * sin(2 pi f t), f in Hz, t in ms since t_start, in [t_start, t_end); bias adds amplitude."""
    return _rows(_ionode.sinusoidal_input(number(amplitude, "amplitude"), number(frequency, "frequency"),
                                          number(duration, "duration"), _dt(dt), number(t_start, "t_start"),
                                          _optional(t_end, "t_end"), _flag(bias, "bias")))


def square_input(amplitude, frequency, duration, dt=None, bias=False, t_start=0., t_end=None):
    """A square wave: +amplitude in the first half of each period, -amplitude in the second (BrainPy's
    argument order: bias before t_start)."""
    return _rows(_ionode.square_input(number(amplitude, "amplitude"), number(frequency, "frequency"),
                                      number(duration, "duration"), _dt(dt), number(t_start, "t_start"),
                                      _optional(t_end, "t_end"), _flag(bias, "bias")))


def wiener_process(duration, dt=None, n=1, t_start=0., t_end=None, seed=None, stream="wiener_process"):
    """Increments sqrt(dt) * N(0, 1) in [t_start, t_end), shape (T, n)."""
    return _ionode.wiener_process(number(duration, "duration"), _dt(dt), count(n, "n", 1), number(t_start, "t_start"),
                                  _optional(t_end, "t_end"), seed_or_next(seed, "wiener_process: seed"),
                                  str(stream))


def ou_process(mean, sigma, tau, duration, dt=None, n=1, t_start=0., t_end=None, seed=None, stream="ou_process"):
    """Ornstein-Uhlenbeck: x += dt (mean - x) / tau + sigma sqrt(dt) N(0, 1) from x = mean, shape (T, n)."""
    return _ionode.ou_process(number(mean, "mean"), number(sigma, "sigma"), number(tau, "tau"),
                              number(duration, "duration"), _dt(dt), count(n, "n", 1), number(t_start, "t_start"),
                              _optional(t_end, "t_end"), seed_or_next(seed, "ou_process: seed"), str(stream))
