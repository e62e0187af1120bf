"""Initializers, as BrainPy's brainpy.init: values for a group's parameters and initial state,
evaluated once per neuron (and per batch copy).

Random ones draw from ionode's counter-based generator (Philox), keyed by a seed and by what they
initialize ("parameter gNa", "initial V"), so a value depends only on its place, never on the order of
evaluation. With ``seed=None`` (the default) they use the group's ``seed`` (itself drawn fresh unless
given, see ionode.random); with a seed of their own, they give what a group built with that seed gives.
Called with a shape and no seed, they draw a fresh seed per call, as BrainPy's do.
"""

import numpy as np

from . import _ionode
from ._checks import float_array, number
from .random import explicit_seed, next_seed

__all__ = ["Constant", "Initializer", "Normal", "OneInit", "Uniform", "ZeroInit"]


class Initializer:
    """Base class: ``spec(stream, instances, neurons)`` gives what ionode's C++ layer takes
    (a number, an array, or a ("uniform", low, high) / ("normal", mean, sd) tuple); calling an
    initializer with a shape gives an array, as in BrainPy."""

    def spec(self, stream, instances, neurons):
        raise NotImplementedError

    def __call__(self, shape, dtype=None):
        shape = (shape,) if np.ndim(shape) == 0 else tuple(shape)
        total = int(np.prod(shape))
        return np.broadcast_to(np.asarray(self.spec("init", total, total), dtype=dtype or np.float64), shape).copy()


class Constant(Initializer):
    """Every element is ``value`` (a number, or an array of the group's shape)."""

    def __init__(self, value=1.):
        self.value = value

    def spec(self, stream, instances, neurons):
        if np.ndim(self.value) == 0:
            return number(self.value, f"{type(self).__name__}(value)")
        return float_array(self.value, f"{type(self).__name__}(value)")

    def __repr__(self):
        return f"{type(self).__name__}(value={self.value!r})"


class OneInit(Constant):
    """BrainPy's name for Constant (``OneInit(-65.)`` is -65 everywhere; the default is 1)."""


class ZeroInit(Constant):
    """Every element is 0."""

    def __init__(self):
        super().__init__(0.)


class _Random(Initializer):
    kind = ""

    def __init__(self, a, b, seed):
        self.a, self.b = a, b
        self.seed = None if seed is None else explicit_seed(seed, f"{type(self).__name__}(seed)")

    def _tuple(self):
        name = type(self).__name__
        return (self.kind, number(self.a, f"{name}({self._names[0]})"), number(self.b, f"{name}({self._names[1]})"))

    def spec(self, stream, instances, neurons):
        if self.seed is None:
            return self._tuple()  # the population draws it, from the group's seed
        return _ionode.evaluate(self._tuple(), instances, neurons, self.seed, stream)

    def __call__(self, shape, dtype=None):
        shape = (shape,) if np.ndim(shape) == 0 else tuple(shape)
        total = int(np.prod(shape))
        seed = next_seed() if self.seed is None else self.seed
        values = _ionode.evaluate(self._tuple(), total, total, seed, "init")
        return np.asarray(values, dtype=dtype or np.float64).reshape(shape)

    def __repr__(self):
        return (f"{type(self).__name__}({self._names[0]}={self.a!r}, {self._names[1]}={self.b!r}, "
                f"seed={self.seed!r})")


class Uniform(_Random):
    """Uniform on [min_val, max_val), drawn per neuron (and batch copy)."""
    kind = "uniform"
    _names = ("min_val", "max_val")

    def __init__(self, min_val=0., max_val=1., seed=None):
        super().__init__(min_val, max_val, seed)


class Normal(_Random):
    """Normal with the given mean and standard deviation (``scale``), drawn per neuron (and batch copy)."""
    kind = "normal"
    _names = ("mean", "scale")

    def __init__(self, mean=0., scale=1., seed=None):
        super().__init__(mean, scale, seed)
