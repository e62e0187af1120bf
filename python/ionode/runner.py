"""DSRunner with BrainPy's arguments and results: monitors, inputs, dt, t0, progress_bar;
run(duration); runner.mon.ts, runner.mon.V / runner.mon['V'] of shape (T, N), or (B, T, N) with a
batch; the dense boolean 'spike' monitor, the 'input' monitor, function monitors; and ionode's sparse
spikes, runner.spikes.

Sample j of a monitor holds the state after the step that ends at mon.ts[j], and ionode labels it
with that time, as its command line does (ts[0] = t0 + dt). BrainPy labels the same sample with the
step's start, ts[j] - dt. Each run() replaces runner.mon with that run's samples, as in BrainPy; time
goes on from one run to the next.
"""

import time

import numpy as np

from . import _ionode
from ._ionode import DivergenceError
from ._checks import count, did_you_mean, number, positive_number
from ._config import get_dt
from ._monitors import parse_monitors, recorded_indices
from ._runner_inputs import input_history, parse_inputs
from .neurons import NeuronGroup

__all__ = ["DSRunner", "Monitor", "Spikes"]


class Monitor(dict):
    """BrainPy's runner.mon: a dict whose keys are also attributes (mon.ts, mon.V)."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"nothing monitored as '{key}'{did_you_mean(key, self)}; "
                                 f"monitored: {', '.join(self)}") from None


class Spikes:
    """ionode's sparse spikes of the last run: ``times`` (ms, each crossing located inside its step),
    ``indices`` (neuron), ``batch`` (batch copy; zeros without a batch), in time order per step. Every
    spike of every neuron, whatever the monitors. Unpacks as ``times, indices`` (with a batch,
    ``times, indices, batch``), and indexes as that tuple: ``spikes[0]`` is ``times``."""

    def __init__(self, times, indices, batch, has_batch):
        self.times, self.indices, self.batch = times, indices, batch
        self._has_batch = has_batch

    def __iter__(self):
        return iter((self.times, self.indices, self.batch) if self._has_batch else (self.times, self.indices))

    def __getitem__(self, index):
        return tuple(self)[index]

    def __len__(self):
        return len(self.times)

    def __repr__(self):
        return f"Spikes({len(self.times)} spikes)"


class DSRunner:
    """Runs a neuron group (BrainPy's DSRunner).

    target: the group. inputs: (target, value[, 'fix'|'iter'|'func'[, op]]) or a list of them.
    monitors: ['V', ...], [('V', [0, 3])], or {'v': 'V'} / {'v': ('V', [0, 3])}; 'spike' is the dense
    boolean spike monitor, an input's name ('input') the total input each neuron received in the step,
    and a dict's value may be a function (lambda: ..., lambda tdi: ..., lambda t, dt: ...) called after
    each recorded step. dt: ms (default ionode.get_dt(), 0.1). t0: the time (ms) the clock starts at
    (mon.ts, spike times, the t of 'func' inputs). progress_bar: a bar on stderr when it
    is a terminal and the run takes over about two seconds. ionode's own: monitor_every (record every
    k-th step), threads (0: the machine's cores; results do not depend on it), vectorize (False: the
    scalar reference path). jit and numpy_mon_after_run are accepted for BrainPy code and do nothing.
    """

    def __new__(cls, target=None, *args, **kwargs):
        # A network is run by the network's runner (ionode.network.NetworkRunner), with the same arguments.
        from .network import Network, NetworkRunner
        if cls is DSRunner and isinstance(target, Network):
            return NetworkRunner(target, *args, **kwargs)
        return super().__new__(cls)

    def __init__(self, target, inputs=(), monitors=None, dt=None, progress_bar=True, *, t0=0.0, monitor_every=1,
                 threads=0, vectorize=True, jit=True, numpy_mon_after_run=True, **unknown_keywords):
        for key in unknown_keywords:
            allowed = ["target", "inputs", "monitors", "dt", "t0", "progress_bar", "monitor_every", "threads",
                       "vectorize", "jit", "numpy_mon_after_run"]
            raise ValueError(f"DSRunner: unknown keyword '{key}'{did_you_mean(key, allowed)}; "
                             f"allowed: {', '.join(allowed)}")
        if not isinstance(target, NeuronGroup):
            raise ValueError(f"DSRunner: target = {target!r} is not allowed; it must be a neuron group "
                             "(ionode.neurons.HH(...), ...) or a network (ionode.Network(...))")
        self.target = target
        self.dt = positive_number(get_dt() if dt is None else dt, "DSRunner: dt")
        self.t0 = number(t0, "DSRunner: t0")
        self.progress_bar = bool(progress_bar)
        self.monitor_every = count(monitor_every, "DSRunner: monitor_every", 1)
        self._items = parse_monitors(monitors, target)
        self._inputs = parse_inputs(inputs, target, self.t0, self.dt)
        options = target.method_options
        self._core = _ionode.Runner(target._population, self.dt, target.method, options["rtol"], options["atol"],
                                    options["max_substeps"], count(threads, "DSRunner: threads", 0),
                                    bool(vectorize))
        for spec in self._inputs:
            self._core.add_input(*spec)
        self._recorded = recorded_indices(self._items)
        variables = sorted({item.variable for item in self._items if item.variable in target.variables})
        self._core.monitor(variables, [] if self._recorded is None else list(self._recorded), self.monitor_every)
        if any(item.variable in target.inputs and item.variable not in target.variables for item in self._items):
            for spec in self._inputs:  # the 'input' monitor folds their values again (input_history)
                if spec.kind == "func":
                    spec.value.record_every = self.monitor_every
        self._sampled = {item.key: {} for item in self._items if item.function is not None}
        if self._sampled:
            self._core.set_sampler(self._sample, self.monitor_every)
        self._diverged = None
        self.mon = Monitor()
        self.spikes = Spikes(*(np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64)), bool(target.batch))

    @property
    def t(self):
        """The simulated time (ms): the end of the last step run (t0 before the first)."""
        return self.t0 + self._core.time

    def run(self, duration, eval_time=False):
        """Runs int(duration / dt) steps (a ratio within rounding of an integer counts as it); the GIL is
        released meanwhile. Replaces mon and spikes with this run's. On ionode.DivergenceError (a
        RuntimeError) or Ctrl-C, mon and spikes hold what was recorded before. Returns None, or with
        eval_time=True (BrainPy's) (seconds the run took, None)."""
        duration = positive_number(duration, "duration")
        start = time.perf_counter()
        if self._diverged is not None:
            raise ValueError(f"this runner's last run diverged ({self._diverged}); call runner.reset_state() before "
                             "running again")
        first = self._core.steps_done
        diverged = False
        try:
            self._core.run(duration, self.progress_bar)
        except DivergenceError as e:
            diverged = True
            self._diverged = f"neuron {e.neuron}, batch copy {e.batch_index}, variable {e.variable}, t = {e.time:g} ms"
            raise
        finally:
            self._collect(first, diverged)
        return (time.perf_counter() - start, None) if eval_time else None

    predict = run
    __call__ = run

    def reset_state(self):
        """Back to t = 0 with the group's initial state (same seed): BrainPy's runner.reset_state() and
        group.reset_state() together. Inputs and monitors stay."""
        self._core.reset()
        self._diverged = None
        self.mon = Monitor()

    def _sample(self, step):
        # After each recorded step (the C++ runner calls it with the GIL): the function monitors.
        t = self.t0 + step * self.dt
        for item in self._items:
            if item.function is not None:
                self._sampled[item.key][step] = np.array(item.function(t, self.dt, step))

    def _collect(self, first, diverged):
        taken = self._core.take()
        # A diverged step counts in steps_done but records nothing; a run stopped by Python (Ctrl-C, an
        # exception in a 'func' input or function monitor) stops after recording its last step.
        end = self._core.steps_done - 1 if diverged else self._core.steps_done
        every = self.monitor_every
        sample_steps = np.arange(first, end, dtype=np.int64)
        sample_steps = sample_steps[(sample_steps + 1) % every == 0]
        ts = taken["ts"] if taken["values"] else (sample_steps + 1).astype(np.float64) * self.dt
        group = self.target
        has_batch = bool(group.batch)
        times = taken["spike_times"] + self.t0 if self.t0 else taken["spike_times"]
        self.spikes = Spikes(times, taken["spike_indices"], taken["spike_batch"], has_batch)
        arrays = monitor_arrays(taken, self._items, group, self._inputs, sample_steps, self._recorded)
        for spec in self._inputs:
            if spec.kind == "func":
                spec.value.log.clear()
        mon = Monitor(ts=ts + self.t0 if self.t0 else ts)
        for item in self._items:
            if item.function is not None:
                mon[item.key] = _stacked(self._sampled[item.key], sample_steps, has_batch)
                self._sampled[item.key].clear()
            else:
                mon[item.key] = arrays[item.key]
        self.mon = mon


def monitor_arrays(taken, items, group, specs, sample_steps, recorded):
    """BrainPy's arrays of a group's monitor items (not the function monitors) from what its runner
    recorded (``take()``): variables, the dense 'spike' monitor, inputs' totals; (T, N), (B, T, N) with
    a batch, varshape for keep_size."""
    values = dict(taken["values"])
    if any(item.variable == "spike" for item in items):
        values["spike"] = _dense_spikes(taken, sample_steps, group, recorded)
    for name in {item.variable for item in items} & set(group.inputs) - set(group.variables):
        values[name] = input_history(name, specs, sample_steps, group, recorded)
    has_batch = bool(group.batch)
    out = {}
    for item in items:
        if item.function is not None:
            continue
        data = values[item.variable]  # (T, copies, columns), sample-major as the runner records
        if item.indices is not None and not np.array_equal(item.indices, recorded):
            # Items asked for different neurons: the runner recorded them all, or their union;
            # this item's columns are a copy (see recorded_indices).
            data = data[:, :, item.indices if recorded is None else np.searchsorted(recorded, item.indices)]
        data = data.transpose(1, 0, 2) if has_batch else data[:, 0, :]
        if item.indices is None and group.keep_size:
            data = data.reshape(data.shape[:-1] + tuple(group.size))
        out[item.key] = data
    return out


def _stacked(values, sample_steps, has_batch):
    """A function monitor's values at the recorded steps, stacked on a first axis (T, ...); with a batch,
    BrainPy's batch-first order puts an array's first axis (B) before T."""
    data = np.array([values[s] for s in sample_steps if s in values])
    return np.moveaxis(data, 0, 1) if has_batch and data.ndim >= 2 else data


def _dense_spikes(taken, sample_steps, group, recorded):
    """BrainPy's spike monitor, (T, copies, columns) booleans: sample j is True for a neuron that spiked
    in a step after sample j - 1, up to and including sample j's step (with monitor_every = 1, the
    step of sample j itself)."""
    indices = np.arange(group.num) if recorded is None else recorded
    copies = group.batch or 1
    rows = np.searchsorted(sample_steps, taken["spike_steps"], side="left")
    unique, inverse = np.unique(indices, return_inverse=True)
    column_of = np.full(group.num, -1, dtype=np.int64)
    column_of[unique] = np.arange(len(unique))
    columns = column_of[taken["spike_indices"]]
    keep = (rows < len(sample_steps)) & (columns >= 0)
    dense = np.zeros((len(sample_steps), copies, len(unique)), dtype=bool)
    dense[rows[keep], taken["spike_batch"][keep], columns[keep]] = True
    return dense if np.array_equal(unique, indices) else dense[:, :, inverse]
