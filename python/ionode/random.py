"""Seeds for everything random in ionode (BrainPy's ``bm.random.seed``).

A group (noise, random initial values and parameters) or a generator (wiener_process, ou_process)
given no ``seed`` draws one here when it is created: fresh entropy from the operating system, or,
after ``seed(s)``, the k-th seed drawn since then is a fixed function of (s, k), so a whole script
gives the same numbers on every run. An explicit ``seed=`` is used as given and draws nothing, so
it never shifts the seeds of the objects created after it.

The seed an object used is always readable (``group.seed``; ``last_seed()`` right after a generator
call) and giving it back as ``seed=`` repeats that object exactly. Drawn seeds are below 2**63, so
they also fit the command line's TOML ``seed``.
"""

import secrets

import numpy as np

from ._checks import count

__all__ = ["default_rng", "get_seed", "last_seed", "seed"]

SEED_LIMIT = 2 ** 64  # seeds are uint64 in the C++ layer
_DRAWN_BITS = 63      # drawn seeds fit a signed 64-bit integer (TOML, int64 metadata)
# Spawn keys below keep the object seeds and the NumPy generator apart (independent streams).
_OBJECTS, _NUMPY = 0, 1

_global_seed = None   # the seed given to seed(), or None: fresh entropy
_drawn = 0            # seeds drawn since the last seed() call
_last = None
_rng = np.random.default_rng()


def seed(seed=None):
    """Makes the rest of the script reproducible (BrainPy's ``bm.random.seed``): after ``seed(s)``
    the k-th group or generator created without ``seed=`` uses a seed derived from (s, k), and
    ``default_rng()`` restarts from s. ``seed(None)`` goes back to fresh entropy."""
    global _global_seed, _drawn, _rng
    if seed is None:
        _global_seed = None
        _rng = np.random.default_rng()
    else:
        _global_seed = explicit_seed(seed, "ionode.random.seed: seed")
        _rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(_global_seed, spawn_key=(_NUMPY,))))
    _drawn = 0


def get_seed():
    """The seed given to ``seed()``, or None when seeds come from fresh entropy."""
    return _global_seed


def last_seed():
    """The seed drawn last (by the group or generator created last without a ``seed=``), or None."""
    return _last


def default_rng():
    """A NumPy Generator that ``seed(s)`` restarts (for NumPy-backed draws, such as ionode.math's
    random functions, that should follow the global seed)."""
    return _rng


def explicit_seed(value, name):
    """A seed as given by the user: an integer in [0, 2**64)."""
    value = count(value, name, 0)
    if value >= SEED_LIMIT:
        raise ValueError(f"{name} = {value!r} is not allowed; it must be an integer in [0, 2**64)")
    return value


def next_seed():
    """The seed for an object created without one: fresh entropy, or the next one derived from the
    global seed."""
    global _drawn, _last
    if _global_seed is None:
        drawn = secrets.randbits(_DRAWN_BITS)
    else:
        sequence = np.random.SeedSequence(_global_seed, spawn_key=(_OBJECTS, _drawn))
        drawn = int(sequence.generate_state(1, np.uint64)[0]) >> (64 - _DRAWN_BITS)
    _drawn += 1
    _last = drawn
    return drawn


def seed_or_next(value, name):
    """``value`` checked if given, else the next seed (``seed=None`` is BrainPy's "draw one")."""
    return next_seed() if value is None else explicit_seed(value, name)
