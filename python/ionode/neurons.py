"""Neuron groups with BrainPy's names: HH, MorrisLecar, PinskyRinzelModel, WangBuzsakiModel, and
any model in ionode's registry (``get(name)``; a C++ extension can add models:
include/ionode/python/register_model.hpp).

A group's keywords are BrainPy's: the model's parameters (``gNa=...``), ``<variable>_initializer``
for each state variable, ``noise``, ``method``, ``keep_size``, ``name``; each parameter, initial value
or noise is a number, an array of the group's shape, or an initializer (ionode.init, or a callable
of a shape). ionode adds ``batch`` (B independent copies: outputs (B, T, N)), ``seed`` (for random
initializers and noise), ``precision`` ('float64' or 'float32'), ``method_options`` (``rtol``,
``atol``, ``max_substeps`` for adaptive methods) and the model's options (HH ``preset``,
PinskyRinzel ``variant``).
"""

import itertools
import numbers

import numpy as np

from . import _ionode
from ._checks import count, did_you_mean, number, unknown
from ._values import group_value

__all__ = ["HH", "MorrisLecar", "NeuronGroup", "PinskyRinzelModel", "WangBuzsakiModel", "get", "models"]

# Keywords of every group besides the model's parameters, initializers and options.
_COMMON = ("keep_size", "noise", "method", "name", "batch", "seed", "precision", "method_options")
_METHOD_OPTIONS = {"rtol": float, "atol": float, "max_substeps": int}
_names = itertools.count()  # default group names, HH0, HH1, ... as BrainPy's


def _size(size, model):
    """BrainPy's size: an int or a sequence of ints, each >= 1."""
    dims = (size,) if isinstance(size, (numbers.Integral, np.integer)) else size
    try:
        dims = tuple(dims)
    except TypeError:
        raise ValueError(f"{model}: size = {size!r} is not allowed; it must be an int or a tuple of ints") from None
    if not dims:
        raise ValueError(f"{model}: size = () is not allowed; it must have at least one dimension")
    return tuple(count(d, f"{model}: size", 1) for d in dims)


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

        self.size = _size(size, label)
        if not isinstance(keep_size, (bool, np.bool_)):
            raise ValueError(f"{label}: keep_size = {keep_size!r} is not allowed; it must be True or False")
        self.keep_size = bool(keep_size)
        self.num = int(np.prod(self.size))
        self.varshape = self.size if self.keep_size else (self.num,)
        batch = kwargs.get("batch")
        self.batch = None if batch is None else count(batch, f"{label}: batch", 1)
        self.seed = count(kwargs.get("seed", 0), f"{label}: seed", 0)
        self.name = kwargs.get("name") or f"{label}{next(_names)}"
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

    def __getattr__(self, name):
        # A state variable or parameter by name (group.V, group.gNa): the current values, of shape
        # varshape, or (B, *varshape) with a batch (a copy; changing it does not change the group).
        population = self.__dict__.get("_population")
        if population is not None:
            if name in self.__dict__["variables"]:
                return self._shaped(population.values(name))
            if name in self.__dict__["parameters"]:
                return self._shaped(population.parameter(name))
        raise AttributeError(f"{type(self).__name__} has no attribute '{name}'")

    def _shaped(self, flat):
        return flat.reshape(((self.batch,) if self.batch else ()) + tuple(self.varshape))

    def reset_state(self):
        """Back to the initial state (the same seed gives the same state)."""
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
