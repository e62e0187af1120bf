"""A group's parameter, initial value or noise, as BrainPy accepts it, turned into what ionode's
C++ layer takes: a number (shared), a flat array (one value per neuron, or per neuron and batch
copy), or a random initializer's tuple."""

import numpy as np

from ._checks import float_array, is_number, number, shape_text
from .init import Initializer


def group_value(value, name, varshape, batch, stream):
    """value: a number; an array of the group's shape (``varshape``, or flat (N,)), one per neuron;
    with a batch of B copies also (B, *varshape) or anything that broadcasts to it, such as (B, 1), one
    per neuron and copy; an ionode.init initializer; or a callable(shape) giving such an array
    (BrainPy's initializers). ``name`` is the keyword, for errors; ``stream`` keys random draws."""
    neurons = int(np.prod(varshape))
    instances = neurons * (batch or 1)
    if isinstance(value, Initializer):
        value = value.spec(stream, instances, neurons)
        if isinstance(value, tuple):
            return value
    elif callable(value):
        value = value((batch,) + tuple(varshape) if batch else tuple(varshape))
    if is_number(value):
        return number(value, name)
    return _array_value(value, name, varshape, batch, ", or an initializer")


def state_values(value, name, varshape, batch):
    """A write to a state variable (group.V = ..., group.V[...] = ..., group.V.value = ...): a number or
    an array of the shapes group_value takes, as one float64 value per instance (b * N + i)."""
    neurons = int(np.prod(varshape))
    if is_number(value):
        return np.full(neurons * (batch or 1), number(value, name))
    array = _array_value(value, name, varshape, batch, "")
    if np.ndim(array) == 0:
        return np.full(neurons * (batch or 1), float(array))
    return np.tile(array, (batch or 1) if array.size == neurons else 1)


def _array_value(value, name, varshape, batch, also):
    """An array value: a float, (N,) one per neuron, or (B * N,) one per instance."""
    neurons = int(np.prod(varshape))
    array = float_array(value, name)
    if array.ndim == 0:
        return float(array)
    if array.shape in (tuple(varshape), (neurons,)):
        return np.ascontiguousarray(array.reshape(neurons))
    if batch and array.ndim == len(varshape) + 1:
        try:
            return np.ascontiguousarray(np.broadcast_to(array, (batch,) + tuple(varshape)).reshape(neurons * batch))
        except ValueError:
            pass
    allowed = f"a number, shape {shape_text(varshape)} (one per neuron)"
    if batch:
        allowed += f" or {shape_text((batch,) + tuple(varshape))} (per batch copy and neuron; (B, 1) broadcasts)"
    raise ValueError(f"{name} has shape {shape_text(array.shape)}; allowed: {allowed}{also}")
