"""BrainPy 2.4+'s projection API (``bp.dyn``) for ionode's synapses and sources.

``ProjAlignPostMg2(pre=, delay=, comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(p, pre=, post=), w),
syn=bp.dyn.Expon.desc(n, tau=), out=bp.dyn.COBA.desc(E=), post=)`` is an exponential synapse with
weight w, a delay in ms (None: 0), the output COBA or CUBA, onto the post group: the same projection as
``bp.synapses.Exponential`` with the same connector, so the same results. ``bp.dyn.Expon`` is the only
synapse dynamics offered here (BrainPy's DualExpon and Alpha normalize differently across versions: use
the classic ``bp.synapses.DualExponential``/``Alpha``, whose definitions ionode keeps).
``PoissonGroup``, ``SpikeTimeGroup``, ``COBA``, ``CUBA`` are here too.
"""

from ._checks import count, positive_number
from .dnn import EventCSRLinear
from .network import DynSysGroup, Network
from .sources import PoissonGroup, SpikeTimeGroup
from .synapses import SynapticProjection
from .synouts import COBA, CUBA

__all__ = ["COBA", "CUBA", "DynSysGroup", "Expon", "Network", "PoissonGroup", "ProjAlignPostMg2", "SpikeTimeGroup"]


class Expon:
    """Exponential synapse dynamics for a projection: g' = -g/tau, g += w per spike; ``size`` is the
    postsynaptic group's number of neurons."""

    def __init__(self, size, keep_size=False, sharding=None, method="exp_auto", name=None, mode=None, tau=8.0,
                 g_initializer=None):
        self.size = count(size, "Expon: size", 1) if not isinstance(size, tuple) else size
        self.tau = positive_number(tau, "Expon: tau")
        self.g_initializer = g_initializer

    @classmethod
    def desc(cls, *args, **kwargs):
        """BrainPy's lazy description: here, the dynamics itself."""
        return cls(*args, **kwargs)


class ProjAlignPostMg2(SynapticProjection):
    """pre -> comm -> syn -> out -> post, the synapse state kept per postsynaptic neuron (align-post:
    how ionode keeps every linear synapse)."""

    kind = "exponential"
    _label = "ProjAlignPostMg2"

    def __init__(self, pre, delay, comm, syn, out, post, out_label=None, name=None, mode=None):
        if not isinstance(comm, EventCSRLinear):
            raise ValueError(f"ProjAlignPostMg2: comm = {comm!r} is not allowed; give bp.dnn.EventCSRLinear(conn, "
                             "weight), AllToAll or OneToOne")
        if not isinstance(syn, Expon):
            raise ValueError(f"ProjAlignPostMg2: syn = {syn!r} is not allowed; give bp.dyn.Expon.desc(size, tau=...)")
        post_num = getattr(post, "num", None)
        size = syn.size if isinstance(syn.size, int) else int(__import__("numpy").prod(syn.size))
        if post_num is not None and size != post_num:
            raise ValueError(f"ProjAlignPostMg2: syn has size {size} but post has {post_num} neurons; the synapse "
                             "dynamics are per postsynaptic neuron")
        delay_ms = None if delay is None else delay
        initial = None if syn.g_initializer is None else {"g": syn.g_initializer}
        self._setup(pre, post, comm.conn, out, comm.weight, delay_ms=delay_ms, name=name, initial=initial, tau=syn.tau)
