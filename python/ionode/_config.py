"""The default time step (ms), as BrainPy's brainpy.math.set_dt/get_dt: DSRunner and the input
generators use it when they are given no dt."""

from ._checks import positive_number

_dt = 0.1


def set_dt(dt):
    """Sets the default time step in ms (BrainPy's default, and ionode's, is 0.1)."""
    global _dt
    _dt = positive_number(dt, "dt")


def get_dt():
    """The default time step in ms."""
    return _dt
