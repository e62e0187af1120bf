"""ionode.math.random (BrainPy's ``bm.random``): NumPy draws with BrainPy's names and arguments, from
the generator that ``ionode.random.seed(s)`` (also ``bm.random.seed(s)``) restarts, so a seeded script
draws the same numbers on every run; unseeded, fresh entropy. ``key=k`` (an integer) draws from a
generator of its own seeded by k, as BrainPy's key does, without touching the shared one."""

import importlib
import numbers

import numpy as np

__all__ = ["bernoulli", "beta", "binomial", "choice", "default_rng", "exponential", "gamma", "lognormal",
           "normal", "permutation", "poisson", "rand", "randint", "randn", "random", "random_sample", "ranf",
           "sample", "seed", "shuffle", "standard_normal", "uniform"]



def _seeds():
    # ionode.random holds the global seed and the shared generator; looked up at each call, since
    # seed() replaces the generator.
    return importlib.import_module(".random", __package__)


def seed(seed=None):
    """ionode.random.seed: restarts these draws (and the seeds of groups and generators created
    after it) from ``seed``; None: fresh entropy."""
    _seeds().seed(seed)


def default_rng(seed=None):
    """The shared generator (seed None), or a new one seeded by ``seed``."""
    return _seeds().default_rng() if seed is None else np.random.default_rng(_key(seed))


def _key(key):
    if not isinstance(key, (numbers.Integral, np.integer)) or isinstance(key, (bool, np.bool_)) or key < 0:
        raise ValueError(f"ionode.math.random: key = {key!r} is not allowed; it must be an integer >= 0 (a seed "
                         "for this draw alone; ionode has no JAX keys)")
    return int(key)


def _rng(key):
    return _seeds().default_rng() if key is None else np.random.default_rng(_key(key))


def _shape(dn):
    # rand(2, 3) and rand((2, 3)) alike.
    return tuple(dn[0]) if len(dn) == 1 and isinstance(dn[0], (tuple, list)) else dn


def rand(*dn, key=None):
    """Uniform on [0, 1), of shape dn (a float with no dn)."""
    return _rng(key).random(_shape(dn) or None)


def randn(*dn, key=None):
    """Standard normal, of shape dn."""
    return _rng(key).standard_normal(_shape(dn) or None)


def randint(low, high=None, size=None, dtype=int, key=None):
    """Integers from [low, high), or [0, low) without high."""
    if high is None:
        low, high = 0, low
    return _rng(key).integers(low, high, size=size, dtype=dtype)


def random(size=None, key=None):
    """Uniform on [0, 1)."""
    return _rng(key).random(size)


random_sample = ranf = sample = random


def uniform(low=0.0, high=1.0, size=None, key=None):
    return _rng(key).uniform(low, high, size)


def normal(loc=None, scale=None, size=None, key=None):
    """Normal with mean loc (default 0) and standard deviation scale (default 1)."""
    return _rng(key).normal(0.0 if loc is None else loc, 1.0 if scale is None else scale, size)


def standard_normal(size=None, key=None):
    return _rng(key).standard_normal(size)


def choice(a, size=None, replace=True, p=None, key=None):
    return _rng(key).choice(a, size=size, replace=replace, p=p)


def permutation(x, axis=0, independent=False, key=None):
    """A permuted copy of x along axis (of arange(x) for an integer); ``independent``: each slice
    along the other axes permuted on its own."""
    if independent:
        return _rng(key).permuted(x, axis=axis)
    return _rng(key).permutation(x, axis=axis)


def shuffle(x, axis=0, key=None):
    """Shuffles the array x in place along axis (as BrainPy does to an Array)."""
    _rng(key).shuffle(x, axis=axis)


def bernoulli(p=0.5, size=None, key=None):
    """Booleans, True with probability p."""
    return _rng(key).random(size if size is not None else np.shape(p)) < p


def exponential(scale=None, size=None, key=None):
    return _rng(key).exponential(1.0 if scale is None else scale, size)


def poisson(lam=1.0, size=None, key=None):
    return _rng(key).poisson(lam, size)


def binomial(n, p, size=None, key=None):
    return _rng(key).binomial(n, p, size)


def gamma(shape, scale=None, size=None, key=None):
    return _rng(key).gamma(shape, 1.0 if scale is None else scale, size)


def beta(a, b, size=None, key=None):
    return _rng(key).beta(a, b, size)


def lognormal(mean=None, sigma=None, size=None, key=None):
    return _rng(key).lognormal(0.0 if mean is None else mean, 1.0 if sigma is None else sigma, size)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"ionode.math.random has no '{name}'; it has {', '.join(__all__)}; for other "
                         f"distributions use ionode.math.random.default_rng().{name}(...) (a NumPy Generator "
                         "that follows ionode.random.seed)")
