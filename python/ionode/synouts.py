"""Synaptic outputs with BrainPy's names (``bp.synouts``): how a synapse's conductance g acts on the
postsynaptic membrane. ``COBA(E=0.)``: the current g (E - V), with V the voltage being integrated
inside the step (docs/networks.md); ``CUBA()``: the current g itself (uA/cm^2 in ionode's density
units). ``bp.dyn.COBA.desc(E=...)`` and ``bp.dyn.CUBA.desc()`` are the same for the projection API.
"""

import numbers

import numpy as np

__all__ = ["COBA", "CUBA", "SynOut"]


class SynOut:
    """The base of the outputs."""

    output = None

    @classmethod
    def desc(cls, *args, **kwargs):
        """BrainPy 2.4's lazy description (``bp.dyn.COBA.desc(E=0.)``): here, the output itself."""
        return cls(*args, **kwargs)


class COBA(SynOut):
    """Conductance-based: I = g (E - V). E: the reversal potential (mV)."""

    output = "conductance"

    def __init__(self, E=0., target_var=None, name=None, sharding=None):
        if isinstance(E, bool) or not isinstance(E, (numbers.Real, np.floating, np.integer)) or not np.isfinite(E):
            raise ValueError(f"COBA: E = {E!r} mV is not allowed; it must be a finite number (one reversal potential "
                             "per projection)")
        self.E = float(E)

    def __repr__(self):
        return f"COBA(E={self.E})"


class CUBA(SynOut):
    """Current-based: I = g."""

    output = "current"

    def __init__(self, target_var=None, name=None, sharding=None):
        self.E = 0.0

    def __repr__(self):
        return "CUBA()"
