"""ionode: Hodgkin-Huxley-type neuron models with BrainPy's names, on ionode's C++ engine.

Code written for BrainPy runs after changing its import::

    import ionode as bp              # was: import brainpy as bp
    group = bp.neurons.HH(2)
    runner = bp.DSRunner(group, monitors=['V'], inputs=('input', 10.))
    runner.run(200.)
    bp.visualize.line_plot(runner.mon.ts, runner.mon.V, show=True)

The tutorial, and where ionode differs from BrainPy: docs/python.md.
"""

from . import _ionode
from ._ionode import DivergenceError, __version__
from ._config import get_dt, set_dt
from . import analysis, init, inputs, modes, neurons, random, visualize
from .neurons import HH, MorrisLecar, NeuronGroup, PinskyRinzelModel, WangBuzsakiModel
from .runner import DSRunner, Monitor, Spikes
from . import conn, dnn, dyn, synapses, synouts
from .network import DynSysGroup, Network, Projection
from .check import check

__all__ = [
    "DSRunner", "DivergenceError", "DynSysGroup", "HH", "Network", "Projection", "conn", "dnn", "dyn", "synapses", "synouts", "Monitor", "MorrisLecar", "NeuronGroup", "PinskyRinzelModel",
    "Spikes", "WangBuzsakiModel", "analysis", "check", "get_dt", "init", "inputs", "methods", "modes", "neurons",
    "random", "set_dt", "visualize", "__version__",
]

from . import math, measure  # noqa: E402  (BrainPy's bp.math and bp.measure)
__all__ += ["math", "measure"]


def methods():
    """The integration methods' names (BrainPy's), for a group's ``method``."""
    return [m["name"] for m in _ionode.methods()]
