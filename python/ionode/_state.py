"""Live views of a group's state variables and parameters (BrainPy's bm.Variable habits).

``group.V`` is a view, not a copy: every read (``group.V[0]``, ``np.asarray(group.V)``, arithmetic,
``group.V.value``) shows the population's current state, after a run too, and a view kept from before
a run shows the state after it. Writes (``group.V[:] = x``, ``group.V.value = x``, ``group.V = x``) go to
the population: the next run starts from them. A parameter's view reads alike and refuses writes,
since parameters are fixed when the group is built.
"""

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin


class ParameterView(NDArrayOperatorsMixin):
    """A group's parameter, read-only: its values of shape varshape, or (B, *varshape) with a batch."""

    def __init__(self, group, name):
        self._group, self._name = group, name

    @property
    def value(self):
        """The current values (a new array)."""
        return self._group._read(self._name)

    @value.setter
    def value(self, new):
        self._refuse()

    def __setitem__(self, index, new):
        self._refuse()

    def _refuse(self):
        self._group._refuse_parameter_write(self._name)

    # Reads: everything an array offers, on the current values.
    def __array__(self, dtype=None, *args, **kwargs):
        value = self.value
        return value if dtype is None else value.astype(dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if any(o is self for o in kwargs.get("out", ())):
            self._refuse()  # in place: group.gNa += 1
        inputs = tuple(np.asarray(x) if isinstance(x, ParameterView) else x for x in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __getitem__(self, index):
        return self.value[index]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.value, name)  # shape, dtype, mean(), max(), tolist(), ...

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        return iter(self.value)

    def __float__(self):
        return float(self.value)

    def __bool__(self):
        return bool(self.value)

    def __repr__(self):
        return f"{type(self).__name__}({self._name}={self.value!r})"


class StateView(ParameterView):
    """A group's state variable: reads show the current state, writes set it (the next run starts
    from it). Shapes: a number, varshape (or (N,)) for every batch copy, or (B, *varshape)."""

    @property
    def value(self):
        return self._group._read(self._name)

    @value.setter
    def value(self, new):
        self._group._write(self._name, new)

    def __setitem__(self, index, new):
        current = self.value
        try:
            current[index] = new
        except (IndexError, TypeError, ValueError) as e:
            raise ValueError(f"{self._group._label}.{self._name}[{index!r}] = {new!r} is not allowed: {e}") from None
        self._group._write(self._name, current)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.get("out", ())
        inputs = tuple(np.asarray(x) if isinstance(x, ParameterView) else x for x in inputs)
        if not any(o is self for o in out):
            return getattr(ufunc, method)(*inputs, **kwargs)
        # In place (group.V += 1): compute on the values, then write the result back.
        current = self.value
        kwargs["out"] = tuple(current if o is self else o for o in out)
        getattr(ufunc, method)(*inputs, **kwargs)
        self._group._write(self._name, current)
        return self


class SpikeView:
    """``group.spike``: what BrainPy monitors as ``{'E.spike': net.E.spike}``. ionode keeps no per-step
    spike vector in the group: a run's spikes are in ``runner.mon['E.spike']`` (dense) and
    ``runner.spikes`` (sparse), so reading this view is refused rather than showing stale values."""

    _name = "spike"

    def __init__(self, group):
        self._group = group

    def _refuse(self, *args, **kwargs):
        raise ValueError(f"{self._group._label}.spike is not kept in the group; monitor it (monitors={{'spike': ...}} "
                         "or 'E.spike' in a network) and read runner.mon, or runner.spikes")

    __array__ = __getitem__ = __len__ = __iter__ = __bool__ = _refuse
    value = property(_refuse)

    def __repr__(self):
        return f"SpikeView({self._group._label})"
