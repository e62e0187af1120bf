"""BrainPy 2.4+'s communication layers (``bp.dnn``) for projections: which synapses, and their weights.

``EventCSRLinear(conn, weight)`` (and ``CSRLinear``): the connector's synapses, each with ``weight``
(a number, one per synapse, or a (pre_num, post_num) matrix); ``AllToAll(num_pre, num_post, weight,
include_self=True)``; ``OneToOne(num, weight)``; ``EventJitFPHomoLinear(num_in, num_out, prob, weight,
seed=None)``, BrainPy's just-in-time random connectivity: each pair with probability prob, drawn here
once (as ``bp.conn.Bernoulli``) instead of regenerated at every step. They only describe: the projection
(``bp.dyn.ProjAlignPostMg2``) hands them to the network engine.
"""

from . import conn as _conn

__all__ = ["AllToAll", "CSRLinear", "EventCSRLinear", "EventJitFPHomoLinear", "OneToOne"]


class EventCSRLinear:
    """Spikes through the connector's synapses, scaled by ``weight``."""

    def __init__(self, conn, weight, sharding=None, mode=None, name=None, transpose=True):
        if not isinstance(conn, _conn.Connector):
            raise ValueError(f"{type(self).__name__}: conn = {conn!r} is not allowed; give a connector "
                             "(bp.conn.FixedProb(p, pre=..., post=...), ...)")
        self.conn, self.weight = conn, weight


CSRLinear = EventCSRLinear


class AllToAll(EventCSRLinear):
    """Every presynaptic neuron onto every postsynaptic one (include_self=False: no i -> i)."""

    def __init__(self, num_pre, num_post, weight, include_self=True, sharding=None, mode=None, name=None):
        super().__init__(_conn.All2All(include_self=include_self, pre=num_pre, post=num_post), weight)


class OneToOne(EventCSRLinear):
    """Neuron i onto neuron i."""

    def __init__(self, num, weight, sharding=None, mode=None, name=None):
        super().__init__(_conn.One2One(pre=num, post=num), weight)


class EventJitFPHomoLinear(EventCSRLinear):
    """Each (pre, post) pair connected with probability prob, one weight for all (BrainPy regenerates
    this connectivity from its seed at every step; ionode draws it once, the same for any thread count)."""

    def __init__(self, num_in, num_out, prob, weight, seed=None, sharding=None, mode=None, name=None,
                 transpose=False, atomic=False):
        super().__init__(_conn.Bernoulli(prob, pre=num_in, post=num_out, seed=seed), weight)
