"""Spike sources with BrainPy's names: ``PoissonGroup(size, freqs, seed=None)`` and
``SpikeTimeGroup(size, indices, times)`` (also as ``ionode.neurons.*`` and ``ionode.dyn.*``).

A source only fires: it projects like a neuron group but has no state and takes no input. Its spikes
come from ionode's network engine (docs/networks.md, "Drives"): Poisson spikes fire with probability
``freqs * dt / 1000`` per step from the counter-based generator keyed by (seed, neuron, step), so they
do not depend on threads; a spike time t falls in the step that contains it (floor(t / dt)), at most one
spike per neuron and step. Monitor them as ``'P.spike'``.
"""

import itertools

import numpy as np

from ._checks import count, float_array
from .random import seed_or_next

__all__ = ["PoissonGroup", "SpikeTimeGroup"]

_names = itertools.count()


def _size(size, label):
    dims = (size,) if np.isscalar(size) else tuple(size)
    return tuple(count(d, f"{label}: size", 1) for d in dims)


class _Source:
    """What a source shares with a neuron group, for networks and monitors."""

    variables, parameters, inputs = [], [], []
    batch = 0
    keep_size = False
    method = "exp_auto"

    @property
    def spike(self):
        """A monitor target, as BrainPy's ``{'P.spike': net.P.spike}``."""
        from ._state import SpikeView
        return SpikeView(self)

    def __init__(self, size, name, label):
        self._label = label
        self.size = _size(size, label)
        self.num = int(np.prod(self.size))
        self.varshape = (self.num,)
        if name is not None and not isinstance(name, str):
            raise ValueError(f"{label}: name = {name!r} is not allowed; it must be a string")
        self.name = name or f"{label}{next(_names)}"


class PoissonGroup(_Source):
    """Independent Poisson spike trains: ``freqs`` in Hz, one rate for all or one per neuron."""

    def __init__(self, size, freqs, seed=None, keep_size=False, name=None, mode=None):
        super().__init__(size, name, "PoissonGroup")
        rates = float_array(freqs, "PoissonGroup: freqs").ravel()
        if rates.size not in (1, self.num):
            raise ValueError(f"PoissonGroup: freqs has {rates.size} values; give one, or one per neuron ({self.num})")
        if np.any(rates < 0):
            raise ValueError(f"PoissonGroup: freqs = {float(rates[rates < 0][0])} Hz is not allowed; rates are >= 0")
        self.freqs = rates
        self.seed = seed_or_next(seed, "PoissonGroup: seed")

    def __repr__(self):
        return f"PoissonGroup(size={self.size}, name='{self.name}')"


class SpikeTimeGroup(_Source):
    """Neuron ``indices[k]`` fires at ``times[k]`` (ms)."""

    def __init__(self, size, indices, times, name=None, mode=None, need_sort=True):
        super().__init__(size, name, "SpikeTimeGroup")
        idx = np.asarray(indices)
        if idx.ndim != 1 or (idx.size and not np.issubdtype(idx.dtype, np.integer)):
            raise ValueError("SpikeTimeGroup: indices must be a 1-D array of neuron indices")
        t = float_array(times, "SpikeTimeGroup: times").ravel()
        if len(t) != len(idx):
            raise ValueError(f"SpikeTimeGroup: indices has {len(idx)} entries and times {len(t)}; give one time per "
                             "index")
        self.indices, self.times = idx.astype(np.int64), t

    def __repr__(self):
        return f"SpikeTimeGroup(size={self.size}, {len(self.times)} spikes, name='{self.name}')"
