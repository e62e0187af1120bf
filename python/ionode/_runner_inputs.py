"""BrainPy's runner inputs, checked against a group: (target, value[, kind[, op]]) or a list of them,
kind 'fix' (a number, or an array with one value per neuron), 'iter' (an array with one row per step)
or 'func' (a function called before each step: ``lambda: ...``, ``lambda tdi: ...``, ``lambda t, dt:
...``, returning a number or one value per neuron), op '+', '-', '*', '/', '='. An array with a batch
of B copies may also be per copy and neuron, (B, N), or per copy, (B, 1) (broadcast over the neurons).

Each becomes an ``InputSpec`` for the C++ runner's add_input; ``input_history`` folds them again for
the ``'input'`` monitor (the total each neuron received in a step)."""

from collections import namedtuple

import numpy as np

from ._checks import float_array, is_number, shape_text, unknown
from ._shared_args import caller

KINDS = ("fix", "iter", "func")
OPS = ("+", "-", "*", "/", "=")

# value: fix, a float or a flat array (N or B*N); iter, a (rows, 1 | N | B*N) array; func, a FuncInput.
InputSpec = namedtuple("InputSpec", "target kind value op origin")


def parse_inputs(inputs, group, t0=0.0, dt=0.1):
    """The InputSpecs; t0 and dt (ms) are the runner's, for the shared arguments of 'func' inputs."""
    if inputs is None:
        return []
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(f"inputs = {inputs!r} is not allowed; give (target, value[, kind[, op]]) or a list of them")
    if inputs and isinstance(inputs[0], str):
        inputs = [inputs]
    return [_one(one, group, f"inputs[{i}]", t0, dt) for i, one in enumerate(inputs)]


def _one(one, group, where, t0, dt):
    if not isinstance(one, (list, tuple)) or not 2 <= len(one) <= 4:
        raise ValueError(f"{where} = {one!r} is not allowed; give (target, value[, kind[, op]])")
    target, value = one[0], one[1]
    kind = one[2] if len(one) >= 3 else "fix"
    op = one[3] if len(one) == 4 else "+"
    if not isinstance(target, str) or target not in group.inputs:
        raise unknown(f"{where}: target", target, group.inputs)
    if kind not in KINDS:
        raise unknown(f"{where}: kind", kind, KINDS)
    if op not in OPS:
        raise unknown(f"{where}: operation", op, OPS)
    where = f"{where} ('{target}', {kind})"
    if kind == "func":
        value = FuncInput(value, group, where, t0, dt)
    elif kind == "fix":
        value = float(value) if is_number(value) else _per_instance(float_array(value, where), group, where, "a 'fix' value")
    else:
        value = _iter(value, group, where)
    return InputSpec(target, kind, value, op, f"kind '{kind}'")


class FuncInput:
    """A 'func' input as the C++ runner calls it: with the step's index, returning one float64 value per
    neuron (N) or per copy and neuron (B*N). Keeps the values of the steps that ``record_every`` marks
    (the 'input' monitor's samples) in ``log``."""

    def __init__(self, function, group, where, t0, dt):
        self._call = caller(function, where, "a 'func' input")
        self._group, self._where, self._t0, self._dt = group, where, t0, dt
        self.record_every = None  # set by the runner when an 'input' monitor needs the values
        self.log = {}

    def __call__(self, step):
        t = self._t0 + step * self._dt
        value = self._call(t, self._dt, step)
        what = f"{self._where}: the function returned {value!r} at t = {t:g} ms;"
        if is_number(value):
            flat = np.full(self._group.num, float(value))
        else:
            try:
                array = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(f"{what} it must return one number, or an array of one value per neuron") from None
            flat = _per_instance(array, self._group, what[:-1], "its value")
            flat = np.full(self._group.num, flat) if isinstance(flat, float) else flat
        if not np.all(np.isfinite(flat)):
            raise ValueError(f"{what} inputs must be finite")
        if self.record_every is not None and (step + 1) % self.record_every == 0:
            self.log[step] = flat
        return flat


def _per_instance(array, group, where, what):
    """A float (a 0-d array), or a flat array: N values (one per neuron) or B*N (per copy and neuron;
    (B, 1) and other shapes that broadcast to (B, *varshape) count as that)."""
    if array.ndim == 0:
        return float(array)
    varshape, neurons = tuple(group.varshape), group.num
    if array.shape in (varshape, (neurons,)):
        return np.ascontiguousarray(array.reshape(neurons))
    if group.batch:
        for shape in {(group.batch,) + varshape, (group.batch, neurons)}:
            if array.ndim == len(shape):
                try:
                    return np.ascontiguousarray(np.broadcast_to(array, shape).reshape(-1))
                except ValueError:
                    pass
    raise ValueError(f"{where}: shape {shape_text(array.shape)} is not allowed; {what} is a number or has one of the "
                     f"shapes {', '.join(shape_text(s) for s in _shapes(group))}")


def _shapes(group):
    shapes = [tuple(group.varshape), (group.num,)]
    if group.batch:
        shapes += [(group.batch,) + tuple(group.varshape), (group.batch, group.num), (group.batch, 1)]
    return list(dict.fromkeys(shapes))


def _iter(value, group, where):
    array = float_array(value, where)
    if array.ndim == 0:
        raise ValueError(f"{where}: an 'iter' value needs one row per step; got a number (use 'fix')")
    rows, row_shape = array.shape[0], array.shape[1:]
    if row_shape in ((), (1,)):
        return np.ascontiguousarray(array.reshape(rows, 1))
    try:
        columns = len(_per_instance(np.zeros(row_shape), group, where, ""))  # the shape check of one row
    except ValueError:
        allowed = ", ".join(shape_text((rows,) + s) for s in [(), (1,)] + _shapes(group))
        raise ValueError(f"{where}: shape {shape_text(array.shape)} is not allowed; an 'iter' value has one row per "
                         f"step and one of the shapes {allowed}") from None
    if columns != group.num:  # per copy and neuron: (rows, B, *varshape) or (rows, B, N), maybe broadcast
        per_copy = tuple(group.varshape) if len(row_shape) == 1 + len(group.varshape) else (group.num,)
        array = np.broadcast_to(array, (rows, group.batch) + per_copy)
    return np.ascontiguousarray(array.reshape(rows, columns))


def input_history(target, specs, steps, group, columns):
    """The total input ``target`` received at each of ``steps`` (global step indices), folded as the
    kernels fold it (from 0, each input in order with its op), for the neurons ``columns`` (None: all):
    shape (len(steps), copies, neurons). In float64, whatever the group's precision."""
    copies, neurons = group.batch or 1, group.num
    columns = np.arange(neurons) if columns is None else np.asarray(columns)
    total = np.zeros((len(steps), copies, len(columns)))
    with np.errstate(all="ignore"):  # a division by a zero input is the run's own business
        for spec in specs:
            if spec.target != target:
                continue
            value = _values_at(spec, steps, copies, neurons)[:, :, columns]
            total = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide,
                     "=": lambda _, v: np.broadcast_to(v, total.shape).copy()}[spec.op](total, value)
    return total


def _values_at(spec, steps, copies, neurons):
    # The input's values at the steps, shaped (steps or 1, copies or 1, neurons).
    if spec.kind == "fix":
        value = np.asarray(spec.value, dtype=np.float64)
        return np.broadcast_to(value, (1, 1, neurons)) if value.size in (1, neurons) else value.reshape(1, copies,
                                                                                                        neurons)
    if spec.kind == "iter":
        rows = spec.value[steps]
        if rows.shape[1] == 1:
            return np.broadcast_to(rows.reshape(-1, 1, 1), (len(steps), 1, neurons))
        return rows.reshape(len(steps), 1 if rows.shape[1] == neurons else copies, neurons)
    logged = [spec.value.log[s] for s in steps]
    stacked = np.array(logged).reshape(len(steps), -1)
    return stacked.reshape(len(steps), 1 if stacked.shape[1] == neurons else copies, neurons)
