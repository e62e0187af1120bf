"""The few brainpy.math names that are not NumPy's, written for NumPy: Variable, for_loop, exprel,
as_numpy, and the environment calls that hold in ionode (enable_x64, set_platform('cpu')). Kept apart
from math.py, whose NumPy names (sum, max, abs, bool...) would shadow Python's builtins here."""

import numpy as np

__all__ = ["Variable", "as_numpy", "as_ndarray", "enable_x64", "exprel", "for_loop", "get_platform", "set_platform"]


class Variable(np.ndarray):
    """BrainPy's bm.Variable as a NumPy array: ``v.value`` reads it, ``v.value = x`` writes it in place
    (same shape, as BrainPy requires). ``batch_axis`` is kept for BrainPy code that reads it. Arithmetic
    on a Variable gives plain arrays. It does not connect to a group: a group's state is set through
    the group (``group.V = ...``)."""

    def __new__(cls, value, dtype=None, batch_axis=None):
        obj = np.array(value, dtype=dtype).view(cls)
        obj.batch_axis = batch_axis
        return obj

    def __array_finalize__(self, obj):
        self.batch_axis = getattr(obj, "batch_axis", None)

    def __array_wrap__(self, out, context=None, *args):
        # Results of ufuncs are plain arrays, as BrainPy's are Arrays and not Variables; an in-place
        # operation (out is self) stays this Variable.
        out = super().__array_wrap__(out, context, *args) if args else super().__array_wrap__(out, context)
        return out if out is self else out.view(np.ndarray)

    @property
    def value(self):
        return self.view(np.ndarray)

    @value.setter
    def value(self, new):
        new = np.asarray(new)
        if new.shape != self.shape:
            raise ValueError(f"Variable.value: shape {new.shape} is not allowed; the Variable has shape {self.shape} "
                             "and keeps it (BrainPy's rule)")
        self[...] = new

    def __repr__(self):
        return f"Variable(value={np.array2string(self.view(np.ndarray), separator=', ')}, dtype={self.dtype})"


def as_numpy(x, dtype=None):
    """x as a NumPy array."""
    return np.asarray(x, dtype=dtype)


as_ndarray = as_numpy


def for_loop(body_fun, operands, reverse=False, unroll=1, remat=False, jit=None, progress_bar=False):
    """BrainPy's for_loop in plain Python: calls body_fun on each slice of operands along the first axis
    (a tuple or list of arrays: one argument each) and stacks what it returns along a new first axis
    (a tuple of stacked arrays for tuple results; None when it returns None). ``reverse`` runs from
    the last slice, results still in the operands' order, as BrainPy's. unroll, remat, jit and
    progress_bar only tune JAX's compilation and change no result; they are accepted for BrainPy code."""
    del unroll, remat, jit, progress_bar
    if not callable(body_fun):
        raise ValueError(f"for_loop: body_fun = {body_fun!r} is not allowed; it must be a function")
    several = isinstance(operands, (tuple, list))
    arrays = [np.asarray(a) for a in operands] if several else [np.asarray(operands)]
    if not arrays or any(a.ndim == 0 for a in arrays):
        raise ValueError("for_loop: operands must be an array, or a tuple of arrays, with a first axis to loop over")
    length = len(arrays[0])
    if any(len(a) != length for a in arrays):
        raise ValueError(f"for_loop: operands have first axes of lengths {[len(a) for a in arrays]}; they must agree")
    order = range(length - 1, -1, -1) if reverse else range(length)
    results = [None] * length
    for i in order:
        results[i] = body_fun(*(a[i] for a in arrays))
    if length == 0 or results[0] is None:
        return None
    if isinstance(results[0], tuple):
        return tuple(np.stack(parts) for parts in zip(*results))
    return np.stack(results)


def exprel(x):
    """(exp(x) - 1) / x, and 1 at x = 0 (the removable singularity of the HH rates)."""
    x = np.asarray(x, dtype=np.float64)
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 1.0, np.expm1(safe) / safe)


def enable_x64(x64=None):
    """Holds already: ionode computes in float64 (a group's precision='float32' asks otherwise)."""
    if x64 is not None and not x64:
        raise ValueError("enable_x64(False) is not supported: ionode computes in float64; give a group "
                         "precision='float32' for single precision")


def set_platform(platform):
    """ionode runs on the CPU: 'cpu' holds already; anything else is refused."""
    if platform != "cpu":
        raise ValueError(f"set_platform: platform = {platform!r} is not allowed; ionode runs on the CPU "
                         "('cpu'), with threads (DSRunner(..., threads=k))")


def get_platform():
    return "cpu"
