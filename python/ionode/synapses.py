"""Synapses with BrainPy 2.4's classic names (``bp.synapses``) and what every projection hands to the
network engine.

``Exponential(pre, post, conn, output=CUBA(), g_max=1., delay_step=None, tau=8.0)``,
``DualExponential(pre, post, conn, output=CUBA(), g_max=1., delay_step=None, tau_decay=10., tau_rise=1.)``,
``Alpha(pre, post, conn, output=CUBA(), g_max=1., delay_step=None, tau_decay=10.)``, and the graded
Wang-Buzsaki (1996) GABA_A synapse ``WangBuzsakiGABAA(pre, post, conn, g_max=0.1, E=-75., alpha=12.,
beta=0.1, theta=0., sigma=2.)``. BrainPy's ``GABAa`` is a different, pulse-driven kinetic model and is
not offered under that name.

Each keeps BrainPy's definition of g: Exponential g += g_max per spike; DualExponential and Alpha are
BrainPy's unnormalized ``g' = -g/tau_decay + h, h' = -h/tau_rise, h += 1`` (Alpha: tau_rise = tau_decay),
which ionode's peak-normalized kernels (NEURON's Exp2Syn; alpha peaking at w) give exactly with the
weight scaled by the kernel's peak (``_engine_weight``). The order of one step is Brian2's, not BrainPy's
(docs/networks.md, "How BrainPy differs"). ionode adds ``target=`` (the compartment: Pinsky-Rinzel's
'soma' or 'dendrite') and takes g_max as a number, one value per synapse (in ``conn.require('pre_ids',
'post_ids')`` order), or a (pre_num, post_num) matrix, and ``initial={'g': ...}``: the receptor state
before the first run (a number, one value per postsynaptic neuron, or an initializer drawn from the
projection's seed, a drawn conductance clipped at zero), as the configuration's ``initial`` of a
projection; the graded synapse's gates are ``'s'`` (one per presynaptic neuron).
"""

import math
import numbers

import numpy as np

from . import conn as _conn
from ._checks import count, float_array, number, positive_number
from .synouts import COBA, CUBA, SynOut

__all__ = ["Alpha", "DualExponential", "Exponential", "SynapticProjection", "WangBuzsakiGABAA"]


class SynapticProjection:
    """A projection as the network engine takes it: pre and post groups, a connector, the synapse's
    kind and time constants, the output, the weights, the delay (steps or ms), the target compartment.
    Subclasses fill it in from BrainPy's arguments."""

    kind = None
    _label = "SynapticProjection"

    def _setup(self, pre, post, conn, output, g_max, delay_steps=None, delay_ms=None, name=None, target=None,
               initial=None, **synapse):
        from .network import is_group  # the groups and sources a projection may join
        for role, group in (("pre", pre), ("post", post)):
            if not is_group(group):
                raise ValueError(f"{self._label}: {role} = {group!r} is not allowed; it must be a neuron group or a "
                                 "spike source (PoissonGroup, SpikeTimeGroup)")
        if not hasattr(post, "_population"):
            raise ValueError(f"{self._label}: post = {post!r} is a spike source; a source cannot receive synapses")
        self.pre, self.post = pre, post
        if isinstance(conn, np.ndarray) and conn.ndim == 2:  # BrainPy takes a connection matrix too
            i, j = np.nonzero(conn)
            conn = _conn.IJConn(i, j)
        if not isinstance(conn, _conn.Connector):
            raise ValueError(f"{self._label}: conn = {conn!r} is not allowed; give a connector (ionode.conn.FixedProb"
                             "(0.02), All2All(), ...) or a (pre_num, post_num) boolean matrix")
        self.conn = conn(pre.num, post.num)
        if output is None:
            output = CUBA()
        if not isinstance(output, SynOut):
            raise ValueError(f"{self._label}: output = {output!r} is not allowed; it must be COBA(E=...) or CUBA() "
                             "(ionode.synouts or bp.dyn.COBA.desc / CUBA.desc)")
        self.output = output
        self.g_max = self._weights(g_max)
        if delay_steps is not None:
            self.delay_steps, self.delay_ms = count(delay_steps, f"{self._label}: delay_step", 0), None
        else:
            self.delay_steps = None
            self.delay_ms = 0.0 if delay_ms is None else number(delay_ms, f"{self._label}: delay")
            if self.delay_ms < 0:
                raise ValueError(f"{self._label}: delay = {delay_ms!r} ms is not allowed; it must be >= 0")
        if name is not None and not isinstance(name, str):
            raise ValueError(f"{self._label}: name = {name!r} is not allowed; it must be a string")
        self.name = name
        if target is not None and not isinstance(target, str):
            raise ValueError(f"{self._label}: target = {target!r} is not allowed; it must be a compartment's name")
        self.target = target or ""
        self.synapse = synapse
        if initial is not None and not isinstance(initial, dict):
            raise ValueError(f"{self._label}: initial = {initial!r} is not allowed; give a dict such as "
                             "{'g': bp.init.Normal(0.2, 0.075)}")
        self.initial = dict(initial or {})

    def _initial_values(self):
        """{variable: a number, one value per postsynaptic neuron, or an initializer's tuple}."""
        from ._values import group_value
        return {var: group_value(value, f"{self._label}: initial['{var}']", (self.post.num,), 0, f"initial {var}")
                for var, value in self.initial.items()}

    def _weights(self, g_max):
        if isinstance(g_max, (numbers.Real, np.floating, np.integer)) and not isinstance(g_max, bool):
            return float(number(g_max, f"{self._label}: g_max"))
        array = float_array(g_max, f"{self._label}: g_max")
        if array.ndim == 0:
            return float(array)
        pre, post = self.conn.require("pre_ids", "post_ids")
        if array.shape == (self.pre.num, self.post.num):
            return array[pre, post]
        if array.ndim == 1 and len(array) == len(pre):
            return array
        raise ValueError(f"{self._label}: g_max has shape {array.shape}; give a number, one value per synapse "
                         f"(({len(pre)},), in conn.require('pre_ids', 'post_ids') order) or a "
                         f"({self.pre.num}, {self.post.num}) matrix")

    def _engine_weight(self, w):
        """The weight of ionode's kernel that gives this synapse's g."""
        return w

    def _spec(self, name, pre_name, post_name, same, dt):
        """The dict network.cpp's connect takes."""
        rule, seed = self.conn._for_projection(name, self.pre.num, self.post.num, same)
        weight = self.g_max
        if not isinstance(weight, float):
            if rule["kind"] != "explicit_list":  # per-synapse weights need the synapses in a known order
                raise ValueError(f"{self._label} {name}: per-synapse g_max needs the connector's synapses")
            weight = np.asarray(self._engine_weight(weight), dtype=np.float64)
        else:
            weight = float(self._engine_weight(weight))
        delay = self.delay_ms if self.delay_steps is None else self.delay_steps * dt
        synapse = {"kind": self.kind, "tau": 5.0, "tau_rise": 1.0, "output": self.output.output, "E": self.output.E,
                   "alpha": 12.0, "beta": 0.1, "theta": 0.0, "sigma": 2.0}
        synapse.update(self.synapse)
        return {"name": name, "pre": pre_name, "post": post_name, "target": self.target, "synapse": synapse,
                "rule": rule, "weight": weight, "delay": float(delay), "seed": seed}


def _tau(value, label, key):
    return positive_number(value, f"{label}: {key}")


class Exponential(SynapticProjection):
    """g' = -g/tau; g += g_max per presynaptic spike."""

    kind = "exponential"
    _label = "Exponential"

    def __init__(self, pre, post, conn, output=None, stp=None, comp_method="sparse", g_max=1., delay_step=None,
                 tau=8.0, method="exp_auto", name=None, mode=None, stop_spike_gradient=False, target=None, initial=None):
        _no_stp(stp, self._label)
        self.tau = _tau(tau, self._label, "tau")
        self._setup(pre, post, conn, output, g_max, delay_step, name=name, target=target, initial=initial, tau=self.tau)


class DualExponential(SynapticProjection):
    """BrainPy's dual exponential: g' = -g/tau_decay + h, h' = -h/tau_rise, h += g_max per spike."""

    kind = "dual_exponential"
    _label = "DualExponential"

    def __init__(self, pre, post, conn, output=None, stp=None, comp_method="dense", g_max=1., tau_decay=10.0,
                 tau_rise=1., delay_step=None, method="exp_auto", name=None, mode=None, stop_spike_gradient=False,
                 target=None, initial=None):
        _no_stp(stp, self._label)
        self.tau_decay = _tau(tau_decay, self._label, "tau_decay")
        self.tau_rise = _tau(tau_rise, self._label, "tau_rise")
        if not self.tau_rise < self.tau_decay:
            raise ValueError(f"{self._label}: tau_rise = {tau_rise} must be shorter than tau_decay = {tau_decay} "
                             "(use Alpha for equal time constants)")
        self._setup(pre, post, conn, output, g_max, delay_step, name=name, target=target, initial=initial,
                    tau=self.tau_decay, tau_rise=self.tau_rise)

    def _engine_weight(self, w):
        # BrainPy's g for one spike: w tau_d tau_r / (tau_d - tau_r) (exp(-t/tau_d) - exp(-t/tau_r)); ionode's
        # kernel peaks at its weight, at t_peak.
        td, tr = self.tau_decay, self.tau_rise
        t_peak = td * tr / (td - tr) * math.log(td / tr)
        return w * td * tr / (td - tr) * (math.exp(-t_peak / td) - math.exp(-t_peak / tr))


class Alpha(SynapticProjection):
    """BrainPy's alpha synapse: the dual exponential with tau_rise = tau_decay, g = g_max t exp(-t/tau)."""

    kind = "alpha"
    _label = "Alpha"

    def __init__(self, pre, post, conn, output=None, stp=None, comp_method="dense", g_max=1., delay_step=None,
                 tau_decay=10.0, method="exp_auto", name=None, mode=None, stop_spike_gradient=False, target=None,
                 initial=None):
        _no_stp(stp, self._label)
        self.tau_decay = _tau(tau_decay, self._label, "tau_decay")
        self._setup(pre, post, conn, output, g_max, delay_step, name=name, target=target, initial=initial,
                    tau=self.tau_decay)

    def _engine_weight(self, w):
        return w * self.tau_decay / math.e  # ionode's alpha kernel peaks at its weight at t = tau


class WangBuzsakiGABAA(SynapticProjection):
    """Wang & Buzsaki (1996)'s graded GABA_A synapse: one gate per presynaptic cell,
    s' = alpha F(V_pre) (1 - s) - beta s, F = 1 / (1 + exp(-(V_pre - theta) / sigma)); the current
    g_max s (V - E) per synapse. No delay (it follows the presynaptic voltage)."""

    kind = "graded"
    _label = "WangBuzsakiGABAA"

    def __init__(self, pre, post, conn, g_max=0.1, E=-75., alpha=12., beta=0.1, theta=0., sigma=2., name=None,
                 mode=None, method="exp_auto", target=None, initial=None):
        if not hasattr(pre, "_population"):
            raise ValueError(f"{self._label}: pre = {pre!r} is a spike source; a graded synapse follows the "
                             "presynaptic voltage")
        values = {k: number(v, f"{self._label}: {k}") for k, v in
                  {"alpha": alpha, "beta": beta, "theta": theta, "sigma": sigma}.items()}
        self._setup(pre, post, conn, COBA(E=E), g_max, 0, name=name, target=target, initial=initial, **values)


def _no_stp(stp, label):
    if stp is not None:
        raise ValueError(f"{label}: stp = {stp!r} is not offered: ionode has no short-term plasticity yet")
