"""Connectors with BrainPy's names (``bp.conn``): who connects to whom.

``All2All(include_self=True)``, ``One2One()``, ``FixedProb(prob, include_self=True, seed=None)``,
``FixedPreNum(num, include_self=True, seed=None)``, ``FixedPostNum(num, include_self=True, seed=None)``,
``IJConn(i, j)``, ``CSRConn(indices, inptr)``, and ionode's ``Bernoulli(prob, include_self=True, seed=None)``.

BrainPy's ``FixedProb`` is a fixed out-degree: every presynaptic neuron gets ``int(prob * post_num)``
distinct targets (its CSR construction), not a coin per pair. ionode keeps that definition under that
name; ``Bernoulli`` is the coin per pair (Brian2's ``connect(p=...)``, the command line's
``rule = "probability"``). ``FixedPreNum(num)`` is a fixed in-degree, ``FixedPostNum(num)`` a fixed
out-degree (a float num in (0, 1] is a fraction of the other population, as in BrainPy).

Random rules draw from ionode's counter-based generator keyed by the connector's seed and the
projection's name, per neuron, so a network comes out the same for any thread count and equals the
command line's for the same seed and projection name. ``conn(pre_size, post_size)`` sets the sizes
(BrainPy's call); ``conn.require('pre2post', 'post2pre', 'conn_mat', 'pre_ids', 'post_ids', 'ij',
'csr')`` gives the arrays. A connector whose arrays were read before it joins a projection keeps
exactly those synapses in the projection (what was inspected is what runs).
"""

import numbers

import numpy as np

from . import _ionode
from ._checks import count, did_you_mean
from .random import seed_or_next

__all__ = ["All2All", "Bernoulli", "CSRConn", "Connector", "FixedPostNum", "FixedPreNum", "FixedProb", "IJConn",
           "One2One"]

_REQUIRES = ("pre2post", "post2pre", "conn_mat", "pre_ids", "post_ids", "ij", "csr", "pre2syn", "post2syn")


def _size_of(size, what):
    if isinstance(size, (numbers.Integral, np.integer)) and not isinstance(size, bool):
        return count(size, what, 1)
    try:
        return int(np.prod([count(s, what, 1) for s in size]))
    except TypeError:
        raise ValueError(f"{what} = {size!r} is not allowed; it must be an int >= 1 or a tuple of them") from None


def _probability(prob, what):
    if isinstance(prob, bool) or not isinstance(prob, (numbers.Real, np.floating, np.integer)) or not 0 <= prob <= 1:
        raise ValueError(f"{what} = {prob!r} is not allowed; it must be a number in [0, 1]")
    return float(prob)


class Connector:
    """The base of every connector: sizes, seed, the arrays on demand."""

    _label = "Connector"

    def __init__(self, pre=None, post=None, seed=None):
        self.pre_num = self.post_num = None
        self.seed = seed_or_next(seed, f"{self._label}: seed")
        self._arrays = None   # (pre, post) once read
        self._inspected = False
        self._bound = None    # (network core, projection index) once a network has built it
        if pre is not None or post is not None:
            if pre is None or post is None:
                raise ValueError(f"{self._label}: give both pre= and post= (their sizes or groups), or neither")
            self(pre, post)

    def __call__(self, pre_size, post_size=None):
        """Sets the sizes (BrainPy's ``conn(pre.size, post.size)``); a group stands for its size."""
        post_size = pre_size if post_size is None else post_size
        pre_num = _size_of(getattr(pre_size, "num", pre_size), f"{self._label}: pre_size")
        post_num = _size_of(getattr(post_size, "num", post_size), f"{self._label}: post_size")
        if self.pre_num is not None and (pre_num, post_num) != (self.pre_num, self.post_num):
            raise ValueError(f"{self._label}: it connects {self.pre_num} -> {self.post_num} neurons; it cannot be used "
                             f"for {pre_num} -> {post_num} (make a connector per projection)")
        self.pre_num, self.post_num = pre_num, post_num
        self._check_sizes()
        return self

    def _check_sizes(self):
        pass

    def _same(self):
        return self.pre_num == self.post_num

    def _rule(self, same):
        raise NotImplementedError

    def _materialized(self, name, same):
        """(pre, post) of every synapse, pre-major: C++ draws them as a projection named `name` would."""
        if self._arrays is None and self._bound is not None:  # a projection's synapses, built by its network
            core, index = self._bound
            built = core.synapses(index)
            self._arrays = (built["pre"], built["post"])
        if self._arrays is None:
            if self.pre_num is None:
                raise ValueError(f"{self._label}: its sizes are unknown; call it with them first "
                                 "(conn(pre.size, post.size)) or use it in a projection")
            built = _ionode.build_synapses(name, self.pre_num, self.post_num, same, self._rule(same), self.seed)
            self._arrays = (built["pre"], built["post"])
        return self._arrays

    def require(self, *names):
        """BrainPy's connector arrays: 'pre2post' (post indices, indptr), 'post2pre' (pre indices, indptr),
        'conn_mat' (pre_num x post_num booleans), 'pre_ids' and 'post_ids' (one per synapse), 'ij'
        (both), 'csr' (as pre2post), 'pre2syn' and 'post2syn' (synapse ids, indptr). One name: that
        value; several: a tuple."""
        if not names:
            raise ValueError(f"{self._label}.require: name what to give: {', '.join(_REQUIRES)}")
        # A connector alone cannot know whether pre and post are one population; like BrainPy, it applies
        # include_self whenever the sizes are equal.
        pre, post = self._materialized(self._label, self._same())
        self._inspected = True
        out = []
        for name in names:
            if name not in _REQUIRES:
                raise ValueError(f"{self._label}.require: unknown '{name}'{did_you_mean(name, _REQUIRES)}; "
                                 f"allowed: {', '.join(_REQUIRES)}")
            out.append(_arrays_for(name, pre, post, self.pre_num, self.post_num))
        return out[0] if len(out) == 1 else tuple(out)

    def _for_projection(self, name, pre_num, post_num, same):
        """What the C++ network connects with: the rule, or the inspected synapses as an explicit list."""
        self(pre_num, post_num)
        if self._inspected:
            pre, post = self._arrays
            return {"kind": "explicit_list", "pre": pre.tolist(), "post": post.tolist()}, self.seed
        return self._rule(same), self.seed


def _arrays_for(name, pre, post, pre_num, post_num):
    if name in ("pre_ids",):
        return pre.copy()
    if name == "post_ids":
        return post.copy()
    if name == "ij":
        return pre.copy(), post.copy()
    if name in ("pre2post", "csr"):
        order = np.lexsort((post, pre))
        return post[order], np.concatenate([[0], np.cumsum(np.bincount(pre, minlength=pre_num))])
    if name == "post2pre":
        order = np.lexsort((pre, post))
        return pre[order], np.concatenate([[0], np.cumsum(np.bincount(post, minlength=post_num))])
    if name == "pre2syn":
        order = np.lexsort((np.arange(len(pre)), pre))
        return order, np.concatenate([[0], np.cumsum(np.bincount(pre, minlength=pre_num))])
    if name == "post2syn":
        order = np.lexsort((np.arange(len(post)), post))
        return order, np.concatenate([[0], np.cumsum(np.bincount(post, minlength=post_num))])
    mat = np.zeros((pre_num, post_num), dtype=bool)  # conn_mat
    mat[pre, post] = True
    return mat


class All2All(Connector):
    """Every presynaptic neuron onto every postsynaptic one (include_self=False: no autapses when
    pre and post are one population)."""

    _label = "All2All"

    def __init__(self, include_self=True, pre=None, post=None, seed=None):
        self.include_self = bool(include_self)
        super().__init__(pre, post, seed)

    def _rule(self, same):
        return {"kind": "all_to_all", "autapses": self.include_self}


class One2One(Connector):
    """Neuron i onto neuron i (equal sizes)."""

    _label = "One2One"

    def _check_sizes(self):
        if self.pre_num != self.post_num:
            raise ValueError(f"One2One: pre_size = {self.pre_num} and post_size = {self.post_num} differ; one-to-one "
                             "needs equal sizes")

    def _rule(self, same):
        return {"kind": "one_to_one"}


class FixedProb(Connector):
    """BrainPy's FixedProb: each presynaptic neuron onto int(prob * post_num) distinct postsynaptic
    neurons (a fixed out-degree; include_self=False leaves out i -> i within one population). For a
    coin per pair use Bernoulli."""

    _label = "FixedProb"

    def __init__(self, prob, include_self=True, pre=None, post=None, seed=None, allow_multi_conn=False):
        self.prob = _probability(prob, "FixedProb: prob")
        self.include_self = bool(include_self)
        if allow_multi_conn:
            raise ValueError("FixedProb: allow_multi_conn=True is not offered: ionode's connections are distinct "
                             "pairs; use the default (False)")
        super().__init__(pre, post, seed)

    def _rule(self, same):
        return {"kind": "out_degree", "degree": int(self.prob * self.post_num), "autapses": self.include_self}


class Bernoulli(Connector):
    """Each (pre, post) pair connected independently with probability prob (Brian2's connect(p=...))."""

    _label = "Bernoulli"

    def __init__(self, prob, include_self=True, pre=None, post=None, seed=None):
        self.prob = _probability(prob, "Bernoulli: prob")
        self.include_self = bool(include_self)
        super().__init__(pre, post, seed)

    def _rule(self, same):
        return {"kind": "probability", "p": self.prob, "autapses": self.include_self}


class _FixedNum(Connector):
    def __init__(self, num, include_self=True, pre=None, post=None, seed=None, allow_multi_conn=False):
        if isinstance(num, bool) or not isinstance(num, (numbers.Real, np.integer, np.floating)) or num < 0:
            raise ValueError(f"{self._label}: num = {num!r} is not allowed; it must be an int >= 0, or a float in "
                             "(0, 1) for a fraction")
        self.num = num
        self.include_self = bool(include_self)
        if allow_multi_conn:
            raise ValueError(f"{self._label}: allow_multi_conn=True is not offered: ionode's connections are distinct "
                             "pairs")
        super().__init__(pre, post, seed)

    def _degree(self, other):
        if isinstance(self.num, (float, np.floating)) and 0 < self.num < 1:
            return int(self.num * other)
        if isinstance(self.num, (float, np.floating)) and not float(self.num).is_integer():
            raise ValueError(f"{self._label}: num = {self.num!r} is not allowed; a float must be a fraction in (0, 1)")
        return int(self.num)


class FixedPreNum(_FixedNum):
    """Each postsynaptic neuron receives from num distinct presynaptic neurons (a fixed in-degree)."""

    _label = "FixedPreNum"

    def _rule(self, same):
        return {"kind": "in_degree", "degree": self._degree(self.pre_num), "autapses": self.include_self}


class FixedPostNum(_FixedNum):
    """Each presynaptic neuron projects onto num distinct postsynaptic neurons (a fixed out-degree)."""

    _label = "FixedPostNum"

    def _rule(self, same):
        return {"kind": "out_degree", "degree": self._degree(self.post_num), "autapses": self.include_self}


class IJConn(Connector):
    """Explicit synapses: i[k] -> j[k]."""

    _label = "IJConn"

    def __init__(self, i, j, pre=None, post=None):
        i, j = np.asarray(i), np.asarray(j)
        if i.ndim != 1 or j.ndim != 1 or len(i) != len(j):
            raise ValueError(f"IJConn: i and j must be 1-D arrays of one length; got shapes {i.shape} and {j.shape}")
        if len(i) and (not np.issubdtype(i.dtype, np.integer) or not np.issubdtype(j.dtype, np.integer)):
            raise ValueError("IJConn: i and j must be integer arrays")
        self.i, self.j = i.astype(np.int64), j.astype(np.int64)
        super().__init__(pre, post, seed=0)

    def _rule(self, same):
        return {"kind": "explicit_list", "pre": self.i.tolist(), "post": self.j.tolist()}


class CSRConn(Connector):
    """Explicit synapses in CSR form: the targets of presynaptic neuron i are indices[inptr[i]:inptr[i+1]]."""

    _label = "CSRConn"

    def __init__(self, indices, inptr, pre=None, post=None):
        indices, inptr = np.asarray(indices), np.asarray(inptr)
        if indices.ndim != 1 or inptr.ndim != 1 or len(inptr) < 1:
            raise ValueError("CSRConn: indices and inptr must be 1-D arrays (inptr of length pre_num + 1)")
        if inptr[0] != 0 or inptr[-1] != len(indices) or np.any(np.diff(inptr) < 0):
            raise ValueError(f"CSRConn: inptr must rise from 0 to len(indices) = {len(indices)}; got {inptr[0]} .. "
                             f"{inptr[-1]}")
        self.indices, self.inptr = indices.astype(np.int64), inptr.astype(np.int64)
        super().__init__(pre, post, seed=0)

    def _check_sizes(self):
        if len(self.inptr) != self.pre_num + 1:
            raise ValueError(f"CSRConn: inptr has {len(self.inptr)} entries; pre_size = {self.pre_num} needs "
                             f"{self.pre_num + 1}")

    def _rule(self, same):
        pre = np.repeat(np.arange(self.pre_num), np.diff(self.inptr))
        return {"kind": "explicit_list", "pre": pre.tolist(), "post": self.indices.tolist()}
