"""BrainPy's monitor forms, checked against a group: a list of names ['V', 'spike'], names with
neuron indices [('V', [0, 3]), ('m', 1)], or a dict {'v': 'V', 'sp': ('spike', [0, 1]), 'v0': lambda:
group.V[0]}. 'spike' is BrainPy's dense boolean spike monitor, available for every model; an input's
name ('input'; Pinsky-Rinzel's 'Is', 'Id') records the total input each neuron received in the step;
a function (``lambda: ...``, ``lambda tdi: ...``, ``lambda t, dt: ...``) is called after each
recorded step and its results stacked."""

from collections import namedtuple

import numpy as np

from ._checks import unknown
from ._shared_args import caller

# key: the name in runner.mon; variable: a state variable, 'spike', an input's name, or None for a
# function; indices: neurons, or None for all; function: a function monitor's caller of (t, dt, i).
MonitorItem = namedtuple("MonitorItem", "key variable indices function", defaults=(None,))


def parse_monitors(monitors, group):
    if monitors is None:
        return []
    if isinstance(monitors, dict):
        items = [_item(key, value, group, f"monitors['{key}']") for key, value in monitors.items()]
        for key in monitors:
            if not isinstance(key, str):
                raise ValueError(f"monitors: the key {key!r} is not allowed; keys must be strings")
    elif isinstance(monitors, (list, tuple)):
        items = [_item(None, value, group, f"monitors[{i}]") for i, value in enumerate(monitors)]
    else:
        raise ValueError(f"monitors = {monitors!r} is not allowed; give a list of names, of (name, indices) "
                         "pairs, or a dict {key: name or (name, indices)}")
    keys = [item.key for item in items]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"monitors: '{key}' is monitored twice; give each key once")
    return items


def _item(key, value, group, where):
    if callable(value):
        if key is None:
            raise ValueError(f"{where} = {value!r} is not allowed: a function monitor needs a key; give a dict "
                             "{'name': function}")
        return MonitorItem(key, None, None, caller(value, where, "a monitor"))
    if isinstance(value, str):
        name, indices = value, None
    elif isinstance(value, (list, tuple)) and 1 <= len(value) <= 2 and isinstance(value[0], str):
        name, indices = value[0], (value[1] if len(value) == 2 else None)
    else:
        raise ValueError(f"{where} = {value!r} is not allowed; give a name, a (name, indices) pair, or (in a dict) "
                         "a function")
    allowed = group.variables + ["spike"] + [i for i in group.inputs if i not in group.variables]
    if name not in allowed:
        raise unknown(f"{where}: variable", name, allowed)
    return MonitorItem(key if key is not None else name, name, _indices(indices, group, where))


def _indices(indices, group, where):
    if indices is None:
        return None
    array = np.asarray(indices)
    if array.ndim == 0:
        array = array.reshape(1)  # BrainPy: ('V', 1) records neuron 1 as a column, shape (T, 1)
    if array.ndim != 1 or array.size == 0 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{where}: indices {indices!r} are not allowed; give a neuron index or a non-empty "
                         "list of them")
    bad = array[(array < 0) | (array >= group.num)]
    if bad.size:
        raise ValueError(f"{where}: neuron {int(bad[0])} does not exist; the group has {group.num} neurons "
                         f"(0 to {group.num - 1})")
    return array.astype(np.int64)


def recorded_indices(items):
    """The neurons the runner records for all items: one shared set when every item asks for the same
    (then each item's arrays are the runner's buffers, not copies), else the union. None: all."""
    sets = [item.indices for item in items if item.function is None]
    if not sets or any(s is None for s in sets):
        return None
    if all(np.array_equal(s, sets[0]) for s in sets):
        return sets[0]
    return np.unique(np.concatenate(sets))
