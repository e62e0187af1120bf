"""Neuron groups with BrainPy's names: HH, MorrisLecar, PinskyRinzelModel, WangBuzsakiModel, and
any model in ionode's registry (``get(name)``; a C++ extension can add models:
include/ionode/python/register_model.hpp).

A group's keywords are BrainPy's: the model's parameters (``gNa=...``), ``<variable>_initializer``
for each state variable, ``noise``, ``method``, ``keep_size``, ``name``; each parameter, initial value
or noise is a number, an array of the group's shape, or an initializer (ionode.init, or a callable
of a shape). ``mode`` is BrainPy's computing mode: ``bm.BatchingMode(B)`` or 'batching' (B = 1) is
ionode's ``batch``. ionode adds ``batch`` (B independent copies: outputs (B, T, N)), ``seed`` (for random
initializers and noise; by default drawn by ionode.random and readable as ``group.seed``),
``precision`` ('float64' or 'float32'), ``method_options`` (``rtol``,
``atol``, ``max_substeps`` for adaptive methods) and the model's options (HH ``preset``,
PinskyRinzel ``variant``).

``group.V`` (each state variable) is a live view: reads show the current state, and ``group.V[...] = x``,
``group.V.value = x`` and ``group.V = x`` set the state the next run starts from (``reset_state()``
restores the initializers). Parameters (``group.gNa``) read alike and refuse writes: they are fixed
when the group is built.
"""

import itertools
import numbers

import numpy as np

from . import _ionode
from ._checks import count, did_you_mean, number, unknown
from ._state import ParameterView, SpikeView, StateView
from ._values import group_value, state_values
from .modes import BatchingMode, NonBatchingMode, batch_of
from .random import seed_or_next

__all__ = ["HH", "MorrisLecar", "NeuronGroup", "PinskyRinzelModel", "PoissonGroup", "SpikeTimeGroup",
           "WangBuzsakiModel", "get", "models"]

# Keywords of every group besides the model's parameters, initializers and options.
_COMMON = ("keep_size", "noise", "method", "name", "batch", "mode", "seed", "precision", "method_options")
_METHOD_OPTIONS = {"rtol": float, "atol": float, "max_substeps": int}
_names = itertools.count()  # default group names, HH0, HH1, ... as BrainPy's


def _size(size, model):
    """BrainPy's size: an int or a sequence of ints, each >= 1."""
    refused = ValueError(f"{model}: size = {size!r} is not allowed; it must be an int >= 1 or a tuple of them")
    if isinstance(size, (str, bytes, bool, np.bool_)):
        raise refused  # a string is iterable: '10' must not become the shape (1, 0)
    dims = (size,) if isinstance(size, (numbers.Integral, np.integer)) else size
    try:
        dims = tuple(dims)
    except TypeError:
        raise refused from None
    if not dims:
        raise ValueError(f"{model}: size = () is not allowed; it must have at least one dimension")
    try:
        return tuple(count(d, f"{model}: size", 1) for d in dims)
    except ValueError:
        raise refused from None


def _batch(batch, mode, label):
    """ionode's batch and BrainPy's mode, which must agree when both are given."""
    from_mode = batch_of(mode, f"{label}: mode")
    if batch is None:
        return from_mode
    batch = count(batch, f"{label}: batch", 1)
    if mode is not None and from_mode != batch:
        raise ValueError(f"{label}: batch = {batch} and mode = {mode!r} disagree; give one of them "
                         f"(mode=bm.BatchingMode({batch}) is batch={batch})")
    return batch


class NeuronGroup:
    """A group of neurons of one registered model (subclasses set ``model``). See the module's help."""

    model = None

    def __init__(self, size, keep_size=False, **kwargs):
        model = type(self).model
        if model is None:
            raise ValueError("NeuronGroup is abstract; use HH, MorrisLecar, ... or ionode.neurons.get(name)")
        entry = _entry(model)
        label = type(self).__name__
        option_names = [o["name"] for o in entry["options"]]
        options = {k: kwargs.pop(k) for k in option_names if k in kwargs}
        for key, value in options.items():
            if not isinstance(value, str):
                raise ValueError(f"{label}: {key} = {value!r} is not allowed; it must be a string")
        info = _ionode.describe(entry["name"], options)
        variables = [v["name"] for v in info["variables"]]
        parameters = [p["name"] for p in info["parameters"]]
        initializers = {f"{v}_initializer": v for v in variables}
        allowed = parameters + list(initializers) + option_names + list(_COMMON[1:])
        for key in kwargs:
            if key not in allowed:
                raise ValueError(f"{label}: unknown keyword '{key}'{did_you_mean(key, allowed)}; "
                                 f"allowed: {', '.join(allowed)}")

        self._label = label
        self.size = _size(size, label)
        if not isinstance(keep_size, (bool, np.bool_)):
            raise ValueError(f"{label}: keep_size = {keep_size!r} is not allowed; it must be True or False")
        self.keep_size = bool(keep_size)
        self.num = int(np.prod(self.size))
        self.varshape = self.size if self.keep_size else (self.num,)
        self.batch = _batch(kwargs.get("batch"), kwargs.get("mode"), label)
        self.mode = BatchingMode(self.batch) if self.batch else NonBatchingMode()
        self.seed = seed_or_next(kwargs.get("seed"), f"{label}: seed")
        name = kwargs.get("name")
        if name is not None and not isinstance(name, str):
            raise ValueError(f"{label}: name = {name!r} is not allowed; it must be a string")
        self.name = name or f"{label}{next(_names)}"
        self.method = _method(kwargs.get("method", "exp_auto"), label)
        self.method_options = _method_options(kwargs.get("method_options"), label)
        precision = kwargs.get("precision", "float64")
        if precision not in ("float64", "float32"):
            raise ValueError(f"{label}: precision = {precision!r} is not allowed; use 'float64' or 'float32'")
        self.info = info
        self.options = dict(options)  # the model's options (HH preset, ...), for ionode.analysis
        self.variables, self.parameters = variables, parameters
        self.inputs = [i["name"] for i in info["inputs"]]
        self.spike_variable = info["spike_variable"]

        def value(key, stream):
            return group_value(kwargs[key], f"{label}: {key}", self.varshape, self.batch, stream)

        params = {p: value(p, f"parameter {p}") for p in parameters if p in kwargs}
        initial = {v: value(k, f"initial {v}") for k, v in initializers.items() if kwargs.get(k) is not None}
        noise = _noise(kwargs.get("noise"), variables, label, value_of=lambda given, var: group_value(
            given, f"{label}: noise" + ("" if var == variables[0] else f"['{var}']"), self.varshape, self.batch,
            f"noise {var}"))
        self._population = _ionode.Population(entry["name"], options, list(self.size), self.batch or 0, params,
                                              initial, noise, self.seed, precision)
        self.noise = kwargs.get("noise")
        self._built = True  # from here on, the configuration's attributes are read-only

    def __getattr__(self, name):
        # A state variable or parameter by name (group.V, group.gNa): a live view (ionode._state).
        population = self.__dict__.get("_population")
        if population is not None:
            if name in self.__dict__["variables"]:
                return StateView(self, name)
            if name in self.__dict__["parameters"]:
                return ParameterView(self, name)
            if name in self.__dict__["inputs"]:
                raise AttributeError(self._input_message(name))
            if name == "spike":
                return SpikeView(self)
        raise AttributeError(f"{type(self).__name__} has no attribute '{name}'")

    def __setattr__(self, name, value):
        # A plain attribute named V would shadow the state and be ignored by the next run: group.V = x
        # writes the state instead; a parameter or a setting fixed at construction refuses.
        if self.__dict__.get("_built"):
            if name in self.variables:
                if not (isinstance(value, StateView) and value._group is self and value._name == name):
                    self._write(name, value)  # (group.V += 1 has already written through the view)
                return
            if name in self.parameters:
                self._refuse_parameter_write(name)
            if name in self.inputs:
                raise ValueError(self._input_message(name))
            if name in self.__dict__ and not name.startswith("_"):
                raise ValueError(f"{self._label}: {name} is fixed when the group is built; create a new group "
                                 f"with {name}=... instead of assigning it")
        object.__setattr__(self, name, value)

    def _read(self, name):
        """The current values of a variable or parameter, of shape varshape or (B, *varshape)."""
        population = self._population
        flat = population.values(name) if name in self.variables else population.parameter(name)
        return flat.reshape(((self.batch,) if self.batch else ()) + tuple(self.varshape))

    def _write(self, name, value):
        """Sets a state variable for every neuron and batch copy (the next run starts from it)."""
        if isinstance(value, ParameterView):
            value = value.value
        self._population.set_values(name, state_values(value, f"{self._label}.{name}", self.varshape, self.batch))

    def _input_message(self, name):
        # BrainPy keeps a group's input as a Variable to add to; ionode's inputs are the runner's.
        return (f"{self._label}.{name} is an input, held by the runner: give it as "
                f"DSRunner(group, inputs=('{name}', value))")

    def _refuse_parameter_write(self, name):
        raise ValueError(f"{self._label}.{name} is a parameter, fixed when the group is built: create the group "
                         f"with {name}=... (a number, one value per neuron, or an initializer)")

    def reset_state(self, batch_size=None):
        """Back to the initial state: the initializers evaluated again (the same seed gives the same
        state), whatever was written to the state since. ``batch_size`` (BrainPy's) must be the
        group's batch: a group's batch is fixed when it is built."""
        if batch_size is not None and count(batch_size, f"{self._label}.reset_state: batch_size", 1) != self.batch:
            raise ValueError(f"{self._label}.reset_state: batch_size = {batch_size!r} is not allowed; this group's "
                             f"batch is {self.batch} (fixed when it is built)")
        self._population.reset()

    def __repr__(self):
        batch = f", batch={self.batch}" if self.batch else ""
        return f"{type(self).__name__}(size={self.size}{batch}, method='{self.method}', name='{self.name}')"


def _method(method, label):
    if not isinstance(method, str):
        raise ValueError(f"{label}: method = {method!r} is not allowed; it must be a method's name")
    try:
        return _ionode.find_method(method)["name"]
    except ValueError as e:
        raise ValueError(f"{label}: method: {e}") from None


def _method_options(options, label):
    if options is not None and not isinstance(options, dict):
        raise ValueError(f"{label}: method_options = {options!r} is not allowed; it must be a dict such as "
                         "{'rtol': 1e-6, 'atol': 1e-8, 'max_substeps': 100000}")
    options = dict(options or {})
    out = {"rtol": 1e-6, "atol": 1e-8, "max_substeps": 100000}
    for key, value in options.items():
        if key not in _METHOD_OPTIONS:
            raise unknown(f"{label}: method_options key", key, _METHOD_OPTIONS)
        out[key] = number(value, f"{label}: method_options['{key}']") if key != "max_substeps" \
            else count(value, f"{label}: method_options['max_substeps']", 1)
    return out


def _noise(noise, variables, label, value_of):
    """BrainPy's noise goes on the first variable (V, or Vs); ionode also takes a dict by variable."""
    if noise is None:
        return {}
    if isinstance(noise, dict):
        out = {}
        for var, given in noise.items():
            if var not in variables:
                raise unknown(f"{label}: noise variable", var, variables)
            out[var] = value_of(given, var)
        return out
    return {variables[0]: value_of(noise, variables[0])}


def models():
    """The names of every registered model (built-in ones, and those C++ extensions added)."""
    return [entry["name"] for entry in _ionode.models()]


def _entry(name):
    for entry in _ionode.models():
        if name == entry["name"] or name in entry["aliases"]:
            return entry
    raise unknown("model", name, models())


_classes = {}


def _make_class(model, class_name):
    entry = _entry(model)
    return type(class_name, (NeuronGroup,), {"model": entry["name"], "__doc__": _doc(entry), "__module__": __name__})


def get(name):
    """The group class of a registered model, by its name or alias: ``get('ConnorStevens')(10)``."""
    entry = _entry(name)
    if entry["name"] not in _classes:
        _classes[entry["name"]] = _make_class(entry["name"], entry["name"])
    return _classes[entry["name"]]


def _doc(entry):
    info = _ionode.describe(entry["name"])
    lines = [f"{entry['name']}: {entry['summary']}", "", "Parameters (defaults):"]
    lines += [f"  {p['name']} = {p['default']} {p['unit']}: {p['description']}" for p in info["parameters"]]
    lines += ["State variables (keyword <name>_initializer):"]
    lines += [f"  {v['name']} ({v['unit']}): {v['description']}" for v in info["variables"]]
    lines += ["Inputs (DSRunner targets): " + ", ".join(i["name"] for i in info["inputs"])]
    lines += [f"Option {o['name']}: {', '.join(o['values'])} ({o['description']})" for o in entry["options"]]
    return "\n".join(lines)


def __getattr__(name):
    # ionode.neurons.ConnorStevens once an extension has registered it.
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return get(name)
    except ValueError:
        raise AttributeError(f"module 'ionode.neurons' has no attribute '{name}'") from None


# The seed's four models under BrainPy's class names (get() returns these for their names too).
HH = _classes["HH"] = _make_class("HH", "HH")
MorrisLecar = _classes["MorrisLecar"] = _make_class("MorrisLecar", "MorrisLecar")
PinskyRinzelModel = _classes["PinskyRinzel"] = _make_class("PinskyRinzel", "PinskyRinzelModel")
WangBuzsakiModel = _classes["WangBuzsaki"] = _make_class("WangBuzsaki", "WangBuzsakiModel")

from .sources import PoissonGroup, SpikeTimeGroup  # noqa: E402  (bp.neurons.PoissonGroup, as BrainPy's)
