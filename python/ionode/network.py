"""Networks with BrainPy's names: ``Network(*objs, **named)`` and ``DynSysGroup`` (the same), also as
a subclass (``class EINet(bp.Network): def __init__(self): super().__init__(); self.E = ...``), run by
``DSRunner(net, monitors=..., inputs=...)``.

A network holds neuron groups, spike sources and projections (``ionode.synapses``, ``bp.dyn``'s
projections), and other networks; each member is named by its attribute or keyword name (``E``, or
``sub.E`` inside a nested network), else by its own ``name``. Monitors and inputs name a member and a
variable: ``'E.spike'``, ``('I.V', [0, 1])``, ``{'E.V': net.E.V}``, ``('E.input', 20.)``. The runner
builds ionode's network engine from the members (docs/networks.md has the semantics), with the same
connectivity, order of events and results as the command line's configuration of the same network
(tested bit for bit).
"""

import time
import warnings

import numpy as np

from . import _ionode
from ._checks import count, did_you_mean, positive_number, number
from ._config import get_dt
from ._monitors import parse_monitors, recorded_indices
from ._runner_inputs import parse_inputs
from ._state import SpikeView, StateView
from .neurons import NeuronGroup
from .sources import PoissonGroup, SpikeTimeGroup, _Source
from .synapses import SynapticProjection

__all__ = ["DynSysGroup", "Network", "NetworkRunner", "Projection"]


def is_group(obj):
    return isinstance(obj, (NeuronGroup, _Source))


def _is_member(obj):
    return is_group(obj) or isinstance(obj, (SynapticProjection, Network))


class Network:
    """Groups, sources, projections and networks run together with one dt."""

    def __init__(self, *ds_tuple, name=None, mode=None, **ds_dict):
        object.__setattr__(self, "_members", {})
        object.__setattr__(self, "name", name)
        for i, obj in enumerate(ds_tuple):
            if isinstance(obj, (list, tuple)):
                for j, inner in enumerate(obj):
                    self._add(self._name_of(inner, f"ds_tuple[{i}][{j}]"), inner)
            elif isinstance(obj, dict):
                for key, inner in obj.items():
                    self._add(key, inner)
            else:
                self._add(self._name_of(obj, f"ds_tuple[{i}]"), obj)
        for key, obj in ds_dict.items():
            self._add(key, obj)

    def _name_of(self, obj, where):
        if not _is_member(obj):
            raise ValueError(f"Network: {where} = {obj!r} is not allowed; give neuron groups, spike sources, "
                             "synapses or projections, and networks")
        return getattr(obj, "name", None) or f"{type(obj).__name__}{id(obj)}"

    def _add(self, key, obj):
        if not _is_member(obj):
            raise ValueError(f"Network: {key} = {obj!r} is not allowed; give neuron groups, spike sources, synapses "
                             "or projections, and networks")
        if "." in key:
            raise ValueError(f"Network: the name '{key}' is not allowed; names cannot contain '.'")
        self.__dict__["_members"][key] = obj

    def __setattr__(self, key, value):
        # The subclass pattern: self.E = HH(...) makes E a member.
        if "_members" not in self.__dict__:
            raise ValueError(f"{type(self).__name__}: call super().__init__() before setting members")
        if _is_member(value):
            self._add(key, value)
        object.__setattr__(self, key, value)

    def __getattr__(self, key):
        # Members given by keyword or position (bp.Network(E=E).E), as BrainPy's children.
        members = self.__dict__.get("_members", {})
        if key in members:
            return members[key]
        raise AttributeError(f"{type(self).__name__} has no member '{key}'{did_you_mean(key, members)}; it has: "
                             f"{', '.join(members) or 'none'}")

    def members(self):
        """(path, object) of every member, nested networks flattened, in the order they were added."""
        out = []
        for key, obj in self._members.items():
            if isinstance(obj, Network):
                out += [(f"{key}.{path}", inner) for path, inner in obj.members()]
            else:
                out.append((key, obj))
        return out

    def groups(self):
        """{path: group or source}."""
        return {path: obj for path, obj in self.members() if is_group(obj)}

    def projections(self):
        """{path: projection}."""
        return {path: obj for path, obj in self.members() if isinstance(obj, SynapticProjection)}

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(path for path, _ in self.members())})"


DynSysGroup = Network


class Projection(Network):
    """BrainPy's ``bp.Projection`` as a user's class: ``class AMPA(bp.Projection): def __init__(self, ...):
    super().__init__(); self.proj = bp.dyn.ProjAlignPostMg2(...)``; its projections join the network
    that holds it."""


class NetworkRunner:
    """DSRunner over a Network (ionode.DSRunner returns one for a network): monitors and inputs name a
    member ('E.V', 'I.spike', ('E.input', 20.)); run(duration); runner.mon['E.spike'] etc. as BrainPy;
    runner.spikes['E'] the sparse spikes of each group. ``threads`` (0: the machine's cores) and
    ``monitor_every`` as for one group; results do not depend on threads."""

    def __init__(self, target, inputs=(), monitors=None, dt=None, progress_bar=True, *, t0=0.0, monitor_every=1,
                 threads=0, jit=True, numpy_mon_after_run=True, **unknown_keywords):
        for key in unknown_keywords:
            allowed = ["target", "inputs", "monitors", "dt", "t0", "progress_bar", "monitor_every", "threads", "jit",
                       "numpy_mon_after_run"]
            raise ValueError(f"DSRunner: unknown keyword '{key}'{did_you_mean(key, allowed)}; "
                             f"allowed: {', '.join(allowed)}")
        from .runner import Spikes  # (runner imports this module)
        self.target = target
        self.dt = positive_number(get_dt() if dt is None else dt, "DSRunner: dt")
        self.t0 = number(t0, "DSRunner: t0")
        if self.t0 != 0:
            raise ValueError("DSRunner: t0 is not offered for a network yet; leave it 0")
        self.monitor_every = count(monitor_every, "DSRunner: monitor_every", 1)
        _warn_about_update(target)
        self._groups = target.groups()
        self._paths = {}
        for path, group in self._groups.items():
            if id(group) in self._paths:  # one population stepped twice per step would be a silent error
                raise ValueError(f"Network: group {group!r} is a member twice, as {self._paths[id(group)]} and {path}; "
                                 "give each group one place in the network")
            self._paths[id(group)] = path
        seen = {}
        for path, projection in target.projections().items():
            if id(projection) in seen:
                raise ValueError(f"Network: projection {path} is also {seen[id(projection)]}; give each projection "
                                 "one place in the network")
            seen[id(projection)] = path
        self._core = _ionode.Network(self.dt, count(threads, "DSRunner: threads", 0))
        self._index = {}
        for path, group in self._groups.items():
            self._index[path] = self._add_group(path, group)
        for path, projection in target.projections().items():
            self._connect(path, projection)
        self._items, self._inputs, self._recorded = {}, {}, {}
        self._parse_inputs(inputs)
        self._parse_monitors(monitors)
        self.mon = _monitor()
        self.spikes = {path: Spikes(np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64), False)
                       for path in self._groups}
        self._diverged = None

    # ---- building ----
    def _add_group(self, path, group):
        if isinstance(group, PoissonGroup):
            return self._core.add_poisson(path, group.num, group.freqs.tolist(), group.seed)
        if isinstance(group, SpikeTimeGroup):
            return self._core.add_spike_times(path, group.num, group.indices.tolist(), group.times.tolist())
        if group.batch:
            raise ValueError(f"Network: group {path} has batch = {group.batch}; a group in a network has no batch axis")
        options = group.method_options
        return self._core.add_population(path, group._population, group.method, options["rtol"], options["atol"],
                                         options["max_substeps"], True)

    def _path_of(self, group, role, projection):
        path = self._paths.get(id(group))
        if path is None:
            raise ValueError(f"Network: projection {projection}: its {role} group {group!r} is not in this network "
                             f"(its groups: {', '.join(self._groups)}); add it to the network, or connect groups of "
                             "one network")
        return path

    def _connect(self, path, projection):
        name = projection.name or path
        pre = self._path_of(projection.pre, "pre", name)
        post = self._path_of(projection.post, "post", name)
        projection._index = self._core.connect(projection._spec(name, pre, post, pre == post, self.dt))
        projection.conn._bound = (self._core, projection._index)  # conn.require gives what was built
        for variable, value in projection._initial_values().items():
            self._core.set_receptor_state(projection._index, variable, value)

    def _split(self, text, where):
        """'E.V' -> (group path, variable), the group found by its path in the network or its name."""
        if not isinstance(text, str) or "." not in text:
            raise ValueError(f"{where}: '{text}' is not allowed; name a group and a variable, such as 'E.V' or "
                             f"'E.spike' (the groups: {', '.join(self._groups)})")
        path, variable = text.rsplit(".", 1)
        if path not in self._groups:
            by_name = [p for p, g in self._groups.items() if g.name == path]
            if len(by_name) != 1:
                raise ValueError(f"{where}: no group '{path}'{did_you_mean(path, self._groups)} in this network; it "
                                 f"has: {', '.join(self._groups)}")
            path = by_name[0]
        return path, variable

    def _parse_inputs(self, inputs):
        if inputs is None:
            inputs = []
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"inputs = {inputs!r} is not allowed; give (target, value[, kind[, op]]) or a list of them")
        if inputs and isinstance(inputs[0], str):
            inputs = [inputs]
        per_group = {}
        for i, one in enumerate(inputs):
            if not isinstance(one, (list, tuple)) or not 2 <= len(one) <= 4:
                raise ValueError(f"inputs[{i}] = {one!r} is not allowed; give (target, value[, kind[, op]])")
            path, name = self._split(one[0], f"inputs[{i}]")
            if isinstance(self._groups[path], _Source):
                raise ValueError(f"inputs[{i}]: '{one[0]}': {path} is a spike source; it takes no input")
            if len(one) >= 3 and one[2] == "func":
                raise ValueError(f"inputs[{i}]: 'func' inputs are not offered for a network yet; give 'fix' or 'iter'")
            per_group.setdefault(path, []).append((name,) + tuple(one[1:]))
        for path, given in per_group.items():
            specs = parse_inputs(given, self._groups[path], 0.0, self.dt)
            self._inputs[path] = specs
            for spec in specs:
                self._core.add_input(self._index[path], spec.target, spec.kind, spec.value, spec.op, spec.origin)

    def _parse_monitors(self, monitors):
        if monitors is None:
            monitors = []
        if isinstance(monitors, (list, tuple)):
            monitors = {(m if isinstance(m, str) else m[0]): m for m in monitors}
        if not isinstance(monitors, dict):
            raise ValueError(f"monitors = {monitors!r} is not allowed; give a list of 'group.variable' names or a dict")
        per_group = {}
        for key, value in monitors.items():
            where = f"monitors['{key}']"
            if isinstance(value, (StateView, SpikeView)):  # {'E.V': net.E.V}, {'E.spike': net.E.spike}
                path = self._paths.get(id(value._group))
                if path is None:
                    raise ValueError(f"{where}: its group is not in this network")
                local = value._name
            elif callable(value):
                raise ValueError(f"{where}: function monitors are not offered for a network yet")
            else:
                text, indices = (value, None) if isinstance(value, str) else (value[0], value[1] if len(value) > 1
                                                                              else None)
                path, local = self._split(text, where)
            per_group.setdefault(path, {})[key] = local if indices_of(value) is None else (local, indices_of(value))
        for path, items in per_group.items():
            group = self._groups[path]
            parsed = parse_monitors(items, group)
            self._items[path] = parsed
            recorded = recorded_indices(parsed)
            self._recorded[path] = recorded
            if not isinstance(group, _Source):
                variables = sorted({it.variable for it in parsed if it.variable in group.variables})
                self._core.monitor(self._index[path], variables, [] if recorded is None else list(recorded),
                                   self.monitor_every)

    # ---- running ----
    @property
    def t(self):
        return self._core.time

    def run(self, duration, eval_time=False):
        """Runs int(duration / dt) steps of the whole network (GIL released); replaces mon and spikes
        with this run's. On ionode.DivergenceError or Ctrl-C, they hold what was recorded before.
        Returns None, or with eval_time=True (BrainPy's) (seconds the run took, None)."""
        from .runner import Spikes
        duration = positive_number(duration, "duration")
        start = time.perf_counter()
        if self._diverged is not None:
            raise ValueError(f"this network's last run diverged ({self._diverged}); it cannot continue")
        first = self._core.steps_done
        diverged = False
        try:
            self._core.run(duration)
        except _ionode.DivergenceError as e:
            diverged = True
            self._diverged = str(e)
            raise
        finally:
            end = self._core.steps_done - 1 if diverged else self._core.steps_done
            steps = np.arange(first, end, dtype=np.int64)
            steps = steps[(steps + 1) % self.monitor_every == 0]
            self._collect(steps, Spikes)
        return (time.perf_counter() - start, None) if eval_time else None

    predict = run
    __call__ = run

    def _collect(self, sample_steps, Spikes):
        from .runner import monitor_arrays
        mon = _monitor()
        mon["ts"] = (sample_steps + 1).astype(np.float64) * self.dt
        for path, group in self._groups.items():
            taken = self._core.take(self._index[path])
            self.spikes[path] = Spikes(taken["spike_times"], taken["spike_indices"], taken["spike_batch"], False)
            items = self._items.get(path)
            if not items:
                continue
            arrays = monitor_arrays(taken, items, group, self._inputs.get(path, []), sample_steps,
                                    self._recorded[path])
            mon.update(arrays)
        self.mon = mon


def indices_of(value):
    if isinstance(value, (list, tuple)) and len(value) == 2 and not isinstance(value, str):
        return value[1]
    return None


def _monitor():
    from .runner import Monitor
    return Monitor()


def _warn_about_update(network):
    """BrainPy calls a network's update(); ionode's step is its own (docs/networks.md), so a user's
    update() is not called: say so once per class, rather than ignore it silently."""
    for owner in [network] + [obj for _, obj in _containers(network)]:
        cls = type(owner)
        if "update" in {name for klass in cls.__mro__ if klass not in (Network, Projection, object)
                        for name in vars(klass)}:
            warnings.warn(f"{cls.__name__}.update() is not called: ionode advances a network in its own order "
                          "(docs/networks.md, 'One step'); monitors and inputs go to DSRunner", stacklevel=4)


def _containers(network):
    for key, obj in network._members.items():
        if isinstance(obj, Network):
            yield key, obj
            yield from _containers(obj)
