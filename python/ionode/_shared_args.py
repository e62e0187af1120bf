"""BrainPy's shared arguments of a step (``tdi``: t, dt, i) and the ways a user's function takes them,
for 'func' inputs and function monitors: ``lambda: ...``, ``lambda tdi: ...`` (BrainPy 2.3 on), and
``lambda t, dt: ...`` (older BrainPy)."""

import inspect


class SharedArgs(float):
    """One step's shared arguments: ``tdi.t`` (ms, the step's start, t0 + i * dt), ``tdi.dt`` (ms) and
    ``tdi.i`` (the step's index since the runner started or was reset), also as ``tdi['t']``. It is
    also the number t itself, so a function written for ionode's older ``lambda t: 0.01 * t`` gets t."""

    _KEYS = ("t", "dt", "i")

    def __new__(cls, t, dt, i):
        self = super().__new__(cls, t)
        self.t, self.dt, self.i = float(t), float(dt), int(i)
        return self

    def __getitem__(self, key):
        if key not in self._KEYS:
            raise KeyError(f"{key!r}: the shared arguments are {', '.join(self._KEYS)}")
        return getattr(self, key)

    def __contains__(self, key):
        return key in self._KEYS

    def get(self, key, default=None):
        return getattr(self, key) if key in self._KEYS else default

    def keys(self):
        return list(self._KEYS)

    def items(self):
        return [(key, getattr(self, key)) for key in self._KEYS]

    def __repr__(self):
        return f"SharedArgs(t={self.t!r}, dt={self.dt!r}, i={self.i!r})"


def caller(function, where, what):
    """A function of (t, dt, i) that calls ``function`` the way it takes BrainPy's shared arguments:
    with one argument, tdi (BrainPy's rule: that is tried first); with none; or with (t, dt).
    ``where`` and ``what`` ("a 'func' input", 'a monitor') label the error for any other signature."""
    if not callable(function):
        raise ValueError(f"{where}: {function!r} is not callable; {what} is a function: lambda: ..., lambda tdi: ... "
                         "(tdi.t, tdi.dt, tdi.i) or lambda t, dt: ...")
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # builtins and ufuncs without a signature (np.sin): one argument
        return lambda t, dt, i: function(SharedArgs(t, dt, i))
    for arguments in (1, 0, 2):
        try:
            signature.bind(*range(arguments))
        except TypeError:
            continue
        if arguments == 1:
            return lambda t, dt, i: function(SharedArgs(t, dt, i))
        if arguments == 0:
            return lambda t, dt, i: function()
        return lambda t, dt, i: function(t, dt)
    raise ValueError(f"{where}: the function {getattr(function, '__name__', function)}{signature} cannot be called "
                     f"as {what}; write it as lambda: ..., lambda tdi: ... (tdi.t, tdi.dt, tdi.i, as BrainPy's "
                     "shared arguments) or lambda t, dt: ...")
