"""The analysis of the dynamics, as ``ionode analyze`` does it (docs/analysis.md): bifurcation
diagrams (equilibria, saddle-nodes, Hopf points, cycles), f-I curves and phase planes.

``model`` is a model's name or alias ('HH', 'WangBuzsakiModel', ...), a group class of
ionode.neurons (``ionode.HH``), or a group (its options and parameters, which must be one value
each). Keywords: the model's options (``preset='classic'``) and parameter or input values
(``gL=0.3``), on top of the group's. The results are the command line's JSON as dicts and lists, the
same keys and meanings, with every list of numbers (or of equal-length lists of numbers) a NumPy
array::

    r = ionode.analysis.bifurcation('HH', range=(0., 200.), preset='classic', EL=-54.4, cycles=False)
    r['hopf'][0]['param']       # 9.7793..., subcritical (Hassard 1978: 9.7795)

BrainPy's analyzers ``PhasePlane2D`` and ``Bifurcation1D`` (``bp.analysis.*``, _analysis_classes.py)
call these and draw the command line's figures.
"""

import json
import math
import numbers

import numpy as np

from . import _ionode
from ._checks import count, float_array, is_number, number, positive_number, unknown
from .init import Constant
from .neurons import NeuronGroup, _entry

__all__ = ["Bifurcation1D", "PhasePlane2D", "bifurcation", "fi_curve", "phase_plane"]

_SWEEPS = ("up", "down", "both")


def bifurcation(model, param="I", range=None, *, cycles=True, max_cycles=300, cycle_steps=1000, **values):
    """Equilibria along ``param`` (``'I'``: the first input, or an input's or parameter's name) over
    ``range = (lo, hi)``, their stability, folds and Hopf points, and (``cycles=True``) the cycles
    born at the Hopf points. Keys: equilibria [{param, V, x, stable, unstable, eigenvalues}], hopf
    [{param, V, frequency_hz, criticality, lyapunov}], folds [{param, V}], cycles [{param, period,
    Vmin, Vmax, stable, branch}], cycle_folds [{param, period, frequency_hz}], notes, and the settings
    (model, options, param, range, variable, parameters)."""
    what = "bifurcation"
    name, options, given, info = _model(model, values, what)
    control = _control(param, info, values, what)
    lo, hi = _range(range, "range", what)
    given.pop(control, None)
    text = _ionode.analyze_bifurcation(
        name, options, list(given.items()), param, lo, hi, _flag(cycles, f"{what}: cycles"),
        count(max_cycles, f"{what}: max_cycles", 1), count(cycle_steps, f"{what}: cycle_steps", 10))
    return _arrays(json.loads(text))


def fi_curve(model, currents, sweep=None, *, param="I", transient=1000., window=2000., dt=0.01, method="rk4",
             ramp=100., threads=0, **values):
    """The firing rate at each value in ``currents`` (increasing) of ``param`` (``'I'``: the first
    input). ``sweep=None``: every value from the same initial state (key ``from_state``); ``'up'``,
    ``'down'``, ``'both'``: the values one after another, the state carried over (keys ``up``,
    ``down``: the down sweep in decreasing order), which shows hysteresis. Each curve is a list of
    {param, rate_hz, spikes}; the rate is 1 / the mean inter-spike interval over ``window`` ms after
    ``transient`` ms (rk4 with ``dt`` ms by default). In a sweep a swept input moves linearly from
    each value to the next over the first ``ramp`` ms (a parameter jumps). ``<variable>_initializer``
    (a number, or ``ionode.init.OneInit(v)``) sets the initial state (the first value's, in a
    sweep); unset: the model's default. ``threads``: 0 for the machine's cores (the result does not
    depend on it), as ``ionode analyze fi --threads``."""
    what = "fi_curve"
    initial = _initial_state(values, what)
    name, options, given, info = _model(model, values, what)
    control = _control(param, info, values, what)
    given.pop(control, None)
    variables = [v["name"] for v in info["variables"]]
    for var in initial:
        if var not in variables:
            raise unknown(f"{what}: keyword", f"{var}_initializer", [f"{v}_initializer" for v in variables])
    currents = float_array(currents, f"{what}: currents")
    if currents.ndim != 1 or currents.size == 0 or np.any(np.diff(currents) <= 0):
        raise ValueError(f"{what}: currents = {currents!r} is not allowed; give one or more values in increasing "
                         "order (sweep='down' runs them backwards)")
    if sweep is not None and sweep not in _SWEEPS:
        raise ValueError(f"{what}: sweep = {sweep!r} is not allowed; use None, 'up', 'down' or 'both'")
    if not isinstance(method, str):
        raise ValueError(f"{what}: method = {method!r} is not allowed; it must be a method's name")
    text = _ionode.analyze_fi(
        name, options, list(given.items()), param, currents.tolist(), sweep or "",
        _not_negative(transient, f"{what}: transient"), positive_number(window, f"{what}: window"),
        positive_number(dt, f"{what}: dt"), _ionode.find_method(method)["name"], _not_negative(ramp, f"{what}: ramp"),
        initial, count(threads, f"{what}: threads", 0))
    return _arrays(json.loads(text))


def _initial_state(values, what):
    """Takes the ``<variable>_initializer`` keywords out of ``values``: {variable: number}."""
    initial = {}
    for key in [k for k in values if k.endswith("_initializer")]:
        value = values.pop(key)
        if isinstance(value, Constant) and np.ndim(value.value) == 0:
            value = value.value
        if not is_number(value) or not math.isfinite(float(value)):
            raise ValueError(f"{what}: {key} = {value!r} is not allowed; every value of the curve starts from one "
                             "state: give a finite number (or ionode.init.OneInit(number))")
        initial[key[:-len("_initializer")]] = float(value)
    return initial


def _not_negative(value, name):
    value = number(value, name)
    if value < 0:
        raise ValueError(f"{name} = {value!r} is not allowed; it must be a number >= 0")
    return value


def phase_plane(model, x_range=None, y_range=None, starts=(), *, duration=200., grid=21, **values):
    """The phase plane of a two-variable model (Morris-Lecar): keys nullclines {variable: [(k, 2)
    arrays]}, field {x, y, dx, dy} (dx[j * len(x) + i] at (x[i], y[j])), fixed_points [{x, type,
    eigenvalues}], trajectories (from ``starts``, (k, 2) states, over ``duration`` ms), cycles
    [{period, stable, multiplier, x_min, x_max, points}] (the limit cycles, stable and unstable,
    smallest first), cycle ({period, points} of the stable one, or None), x_range, y_range (given,
    else around a simulation), notes."""
    what = "phase_plane"
    name, options, given, info = _model(model, values, what)
    if len(info["variables"]) != 2:
        raise ValueError(f"{what}: a phase plane needs a model with two variables; {name} has "
                         f"{len(info['variables'])}")
    starts = float_array(starts, f"{what}: starts")
    if starts.size == 0:
        starts = starts.reshape(0, 2)
    if starts.ndim == 1 and starts.size == 2:
        starts = starts.reshape(1, 2)
    if starts.ndim != 2 or starts.shape[1] != 2:
        raise ValueError(f"{what}: starts has shape {starts.shape}; give (x, y) pairs, shape (k, 2)")
    text = _ionode.analyze_phase_plane(
        name, options, list(given.items()),
        (0., 0.) if x_range is None else _range(x_range, "x_range", what),
        (0., 0.) if y_range is None else _range(y_range, "y_range", what),
        [tuple(s) for s in starts.tolist()], positive_number(duration, f"{what}: duration"),
        count(grid, f"{what}: grid", 2))
    return _arrays(json.loads(text))


def _model(model, values, what):
    """(registry name, options, {parameter or input: value}, describe()) of a name, class or group."""
    given = {}
    if isinstance(model, str):
        name, options = _entry(model)["name"], {}
    elif isinstance(model, type) and issubclass(model, NeuronGroup) and model.model is not None:
        name, options = model.model, {}
    elif isinstance(model, NeuronGroup):
        name, options = type(model).model, dict(model.options)
        for p in model.parameters:
            v = np.unique(np.asarray(getattr(model, p)))
            if v.size != 1:
                raise ValueError(f"{what}: the group's parameter {p} differs between neurons; the analysis needs "
                                 "one value per parameter (give it as a keyword)")
            given[p] = float(v[0])
    else:
        raise ValueError(f"{what}: model = {model!r} is not allowed; give a model's name, a group class of "
                         "ionode.neurons or a group")
    entry = _entry(name)
    option_names = [o["name"] for o in entry["options"]]
    for key in option_names:
        if key in values:
            value = values.pop(key)
            if not isinstance(value, str):
                raise ValueError(f"{what}: {key} = {value!r} is not allowed; it must be a string")
            options[key] = value
    info = _ionode.describe(name, options)
    inputs = [i["name"] for i in info["inputs"]]
    names = [p["name"] for p in info["parameters"]] + inputs
    for key in list(values):
        if key == "I" and inputs and "I" not in names:  # the first input, as the command line's I=...
            if inputs[0] in values:
                raise ValueError(f"{what}: give I or {inputs[0]}, not both")
            values[inputs[0]] = values.pop("I")
    for key, value in values.items():
        if key not in names:
            raise unknown(f"{what}: keyword", key, names + option_names + (["I"] if inputs else []))
        given[key] = number(value, f"{what}: {key}")
    return name, options, given, info


def _control(param, info, values, what):
    """The name of the swept parameter or input; ValueError if unknown or also given a value."""
    inputs = [i["name"] for i in info["inputs"]]
    allowed = ["I"] + [p["name"] for p in info["parameters"]] + inputs
    if not isinstance(param, str) or param not in allowed:
        raise unknown(f"{what}: param", param, allowed)
    control = inputs[0] if param == "I" and inputs else param
    if control in values:
        raise ValueError(f"{what}: {control} = {values[control]!r} is the swept param; give its values instead")
    return control


def _range(value, name, what):
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise ValueError(f"{what}: {name} = {value!r} is not allowed; give (lo, hi) with lo < hi") from None
    lo, hi = number(lo, f"{what}: {name}[0]"), number(hi, f"{what}: {name}[1]")
    if not lo < hi:
        raise ValueError(f"{what}: {name} = ({lo}, {hi}) is empty or reversed; give (lo, hi) with lo < hi")
    return lo, hi


def _flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} = {value!r} is not allowed; it must be True or False")
    return bool(value)


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _arrays(value):
    """The JSON's lists of numbers, and lists of equal-length lists of numbers, as float arrays."""
    if isinstance(value, dict):
        return {k: _arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(_is_number(v) for v in value):
            return np.array(value, dtype=np.float64)
        if value and all(isinstance(v, list) and v and all(_is_number(u) for u in v) for v in value) \
                and len({len(v) for v in value}) == 1:
            return np.array(value, dtype=np.float64)
        return [_arrays(v) for v in value]
    return value


from ._analysis_classes import Bifurcation1D, PhasePlane2D  # noqa: E402  (they call the functions above)
