"""BrainPy's low-dimensional analyzers, ``bp.analysis.PhasePlane2D`` and ``bp.analysis.Bifurcation1D``,
over ionode's analyses (``phase_plane`` and ``bifurcation`` in ionode.analysis) and drawn with the
figures' own functions (``_plot_analysis``, a copy of the command line's src/cli/plot_analysis.py).

What differs from BrainPy (docs/python.md): ``model`` is a registered model (a name, a group class of
ionode.neurons, or a group), not an arbitrary function; a phase plane is of a two-variable model
(``fixed_vars`` cannot reduce a larger one); a bifurcation is continued in one parameter by
pseudo-arclength, not sampled on a grid (no ``resolutions``), and draws the cycles born at its Hopf
points too. BrainPy arguments that ionode cannot honour are refused with a ValueError, never dropped.
"""

import numpy as np

from ._checks import positive_number
from .neurons import NeuronGroup, _entry

_TRAJECTORY_DT = 0.05  # ms: the rk4 step of ionode's trajectories (src/analysis/phase_plane.cpp)
_MAX_GRID = 200  # arrows per axis: more draws nothing more, and the result grows as its square


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def _draw():
    from . import _plot_analysis

    return _plot_analysis


def _only(value, default, name, why):
    """Refuses a BrainPy argument that ionode cannot honour, unless it has its default."""
    if value is default or (default is not None and value == default):
        return
    raise ValueError(f"{name} = {value!r} is not allowed: {why}; leave it out")


def _name_and_options(model):
    """(registry name, options) of a model's name, group class or group."""
    if isinstance(model, str):
        return _entry(model)["name"], {}
    if isinstance(model, type) and issubclass(model, NeuronGroup) and model.model is not None:
        return model.model, {}
    if isinstance(model, NeuronGroup):
        return type(model).model, dict(model.options)
    raise ValueError(f"model = {model!r} is not allowed; give a model's name, a group class of ionode.neurons "
                     "or a group (ionode analyzes registered models, not functions)")


def _variables(model):
    """The model's variables, in order, from its registry entry (a group's options included)."""
    from . import _ionode

    return [v["name"] for v in _ionode.describe(*_name_and_options(model))["variables"]]


def _box(target, name, allowed, count):
    """{variable or parameter: (lo, hi)} with `count` entries from `allowed`, as a list of (name, lo, hi)."""
    from .analysis import _range

    if not isinstance(target, dict) or len(target) != count:
        raise ValueError(f"{name} = {target!r} is not allowed; give a dict of {count} "
                         f"{{name: (lo, hi)}} with names from {', '.join(allowed)}")
    out = []
    for key, value in target.items():
        if key not in allowed:
            raise ValueError(f"{name}: {key!r} is not allowed; use one of {', '.join(allowed)}")
        out.append((key, *_range(value, repr(key), name)))
    return out


def _values(pars_update):
    if pars_update is None:
        return {}
    if not isinstance(pars_update, dict):
        raise ValueError(f"pars_update = {pars_update!r} is not allowed; give a dict {{parameter: value}}")
    return dict(pars_update)


def _rescale(lo, hi, lim_scale):
    """BrainPy's axis limits: the range widened by (lim_scale - 1) / 2 of its length on each side."""
    margin = (lim_scale - 1.0) / 2.0 * (hi - lo)
    return lo - margin, hi + margin


class PhasePlane2D:
    """The phase plane of a two-variable model (Morris-Lecar), BrainPy's constructor and plot_* methods::

        pp = bp.analysis.PhasePlane2D('MorrisLecar', target_vars={'V': (-70., 60.), 'W': (0., 1.)},
                                      pars_update={'I': 100.}, resolutions=0.5)
        pp.plot_vector_field(); pp.plot_nullcline(); pp.plot_fixed_point()
        pp.plot_trajectory({'V': [-40.], 'W': [0.2]}, duration=200.)

    ``target_vars``: the model's two variables in its order (x, then y) with their ranges;
    ``pars_update``: parameter and input values (``I``: the first input) and model options;
    ``resolutions``: a step (or {variable: step}) of the vector field's grid (the nullclines are
    solved on ionode's own 400 columns). The figures are the command line's
    (``ionode analyze phase-plane``), drawn on the current axes."""

    def __init__(self, model, target_vars, fixed_vars=None, target_pars=None, pars_update=None, resolutions=None,
                 jit_device=None, lim_scale=1.05, options=None):
        variables = _variables(model)
        if len(variables) != 2:
            raise ValueError(f"PhasePlane2D: model {model!r} has {len(variables)} variables ({', '.join(variables)}); "
                             "ionode's phase plane is of a two-variable model, and fixed_vars cannot reduce a larger "
                             "one (ionode integrates the registered model whole)")
        if fixed_vars:
            raise ValueError(f"fixed_vars = {fixed_vars!r} is not allowed: the model has only the two variables "
                             f"{variables[0]} and {variables[1]}; leave it out")
        if target_pars:
            raise ValueError(f"target_pars = {target_pars!r} is not allowed: a phase plane has fixed parameters "
                             "(BrainPy refuses them too); give their values in pars_update")
        _only(jit_device, None, "jit_device", "ionode compiles no JAX functions")
        _only(options or None, None, "options", "BrainPy's solver options do not apply to ionode's phase plane")
        box = _box(target_vars, "target_vars", variables, 2)
        if [b[0] for b in box] != variables:
            raise ValueError(f"target_vars = {target_vars!r} is not allowed: give the variables in the model's "
                             f"order, {variables[0]} (x) then {variables[1]} (y)")
        self.model = model
        self.x_var, self.y_var = variables
        self.target_vars = {name: (lo, hi) for name, lo, hi in box}
        self.pars_update = _values(pars_update)
        self.lim_scale = positive_number(lim_scale, "lim_scale")
        self.grid = self._grid(resolutions)
        self._result = None

    def _grid(self, resolutions):
        """Arrows per axis: BrainPy's default 20, or the number of steps of `resolutions` in a range.
        ionode's grid has one number of points for both axes: the larger count (a step that fits the
        V range fits W's in a few points, which would draw no field)."""
        if resolutions is None:
            return 20
        steps = resolutions if isinstance(resolutions, dict) else {v: resolutions for v in self.target_vars}
        if not isinstance(steps, dict) or set(steps) != set(self.target_vars):
            raise ValueError(f"resolutions = {resolutions!r} is not allowed; give one step, or a step for each of "
                             f"{self.x_var} and {self.y_var} (arrays of points are not taken)")
        counts = []
        for name, step in steps.items():
            lo, hi = self.target_vars[name]
            counts.append(int(np.ceil((hi - lo) / positive_number(step, f"resolutions[{name!r}]") - 1e-9)))
        if max(counts) > _MAX_GRID:
            raise ValueError(f"resolutions = {resolutions!r} gives {max(counts)} points per axis; ionode's vector "
                             f"field takes at most {_MAX_GRID}: give a larger step")
        return max(2, max(counts))

    def _analysis(self, starts=(), duration=200.0):
        from .analysis import phase_plane

        (_, x_lo, x_hi), (_, y_lo, y_hi) = [(v, *self.target_vars[v]) for v in (self.x_var, self.y_var)]
        return phase_plane(self.model, (x_lo, x_hi), (y_lo, y_hi), starts, duration=duration, grid=self.grid,
                           **self.pars_update)

    @property
    def result(self):
        """ionode.analysis.phase_plane's result (computed once, on the first need)."""
        if self._result is None:
            self._result = self._analysis()
        return self._result

    def _finish(self, ax, show):
        xs = _rescale(*self.target_vars[self.x_var], self.lim_scale)
        ys = _rescale(*self.target_vars[self.y_var], self.lim_scale)
        _draw().phase_plane_labels(ax, dict(self.result, x_range=xs, y_range=ys))
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8, loc="best")
        if show:
            _pyplot().show()

    def plot_vector_field(self, with_plot=True, with_return=False, plot_method="streamplot", plot_style=None,
                          show=False):
        """The field on the grid: ``plot_method='streamplot'`` (BrainPy's default, line width by speed) or
        ``'quiver'`` (the command line's arrows of equal length); returns (dx, dy), shape (ny, nx)."""
        if plot_method not in ("streamplot", "quiver"):
            raise ValueError(f"plot_method = {plot_method!r} is not allowed; use 'streamplot' or 'quiver'")
        f = self.result["field"]
        nx, ny = len(f["x"]), len(f["y"])
        dx, dy = np.reshape(f["dx"], (ny, nx)), np.reshape(f["dy"], (ny, nx))
        if with_plot:
            ax = _pyplot().gca()
            style = dict(plot_style or {})
            if plot_method == "quiver":
                _draw().phase_plane_field(ax, self.result, **style)
            else:
                if "linewidth" not in style:
                    speed = np.nan_to_num(np.hypot(dx, dy))
                    style["linewidth"] = 0.5 + 5.5 * speed / (speed.max() or 1.0)
                style = dict(dict(arrowsize=1.2, density=1, color="thistle"), **style)
                ax.streamplot(np.asarray(f["x"]), np.asarray(f["y"]), dx, dy, **style)
            self._finish(ax, show)
        if with_return:
            return dx, dy

    def plot_nullcline(self, with_plot=True, with_return=False, y_style=None, x_style=None, show=False,
                       coords=None, tol_nullcline=1e-7):
        """Each variable's nullcline (ionode's lines unless ``x_style``/``y_style`` are given); returns
        {variable: (xs, ys)}, the pieces joined with NaN between them."""
        _only(coords, None, "coords", "ionode solves each nullcline on its own columns of x")
        _only(tol_nullcline, 1e-7, "tol_nullcline", "ionode bisects each root to machine precision")
        out = {}
        for name, pieces in self.result["nullclines"].items():
            joined = [np.vstack([p, [[np.nan, np.nan]]]) for p in pieces]
            points = np.vstack(joined)[:-1] if joined else np.zeros((0, 2))
            out[name] = (points[:, 0], points[:, 1])
        if with_plot:
            ax = _pyplot().gca()
            _draw().phase_plane_nullclines(ax, self.result, styles=(x_style, y_style))
            self._finish(ax, show)
        if with_return:
            return out

    def plot_fixed_point(self, with_plot=True, with_return=False, show=False, tol_unique=1e-2, tol_aux=1e-8,
                         tol_opt_screen=None, select_candidates="fx-nullcline", num_rank=100):
        """The fixed points, marked by type (the command line's markers); returns them, shape (k, 2)."""
        why = "ionode finds every fixed point by Newton's method from the nullclines' crossings"
        _only(tol_unique, 1e-2, "tol_unique", why)
        _only(tol_aux, 1e-8, "tol_aux", why)
        _only(tol_opt_screen, None, "tol_opt_screen", why)
        _only(select_candidates, "fx-nullcline", "select_candidates", why)
        _only(num_rank, 100, "num_rank", why)
        points = np.array([fp["x"] for fp in self.result["fixed_points"]], dtype=np.float64).reshape(-1, 2)
        if with_plot:
            ax = _pyplot().gca()
            _draw().phase_plane_fixed_points(ax, self.result)
            self._finish(ax, show)
        if with_return:
            return points

    def _starts(self, initials):
        """(k, 2) starts from {x_var: values, y_var: values} (BrainPy's form), (x, y) or [(x, y), ...]."""
        if isinstance(initials, dict):
            if set(initials) != {self.x_var, self.y_var}:
                raise ValueError(f"initials = {initials!r} is not allowed; give {{{self.x_var!r}: values, "
                                 f"{self.y_var!r}: values}}")
            xs = np.atleast_1d(np.asarray(initials[self.x_var], dtype=np.float64))
            ys = np.atleast_1d(np.asarray(initials[self.y_var], dtype=np.float64))
            if xs.ndim != 1 or xs.shape != ys.shape:
                raise ValueError(f"initials = {initials!r}: give as many values of {self.x_var} as of {self.y_var}")
            starts = np.stack([xs, ys], axis=1)
        else:
            starts = np.asarray(initials, dtype=np.float64)
            starts = starts.reshape(1, 2) if starts.shape == (2,) else starts
        if starts.ndim != 2 or starts.shape[1] != 2 or starts.shape[0] == 0 or not np.all(np.isfinite(starts)):
            raise ValueError(f"initials = {initials!r} is not allowed; give (x, y), [(x, y), ...] or "
                             f"{{{self.x_var!r}: values, {self.y_var!r}: values}} of finite numbers")
        return starts

    def _simulate(self, initials, duration, dt):
        _only(dt, None if dt is None else _TRAJECTORY_DT, "dt",
              f"ionode's trajectories are rk4 with dt = {_TRAJECTORY_DT} ms")
        if isinstance(duration, (tuple, list)):
            raise ValueError(f"duration = {duration!r} is not allowed; give the duration in ms (a number)")
        duration = positive_number(duration, "duration")
        result = self._analysis(self._starts(initials), duration)
        return Trajectories(result["trajectories"], self.x_var, self.y_var)

    def plot_trajectory(self, initials, duration, plot_durations=None, axes="v-v", dt=None, show=False,
                        with_plot=True, with_return=False, **kwargs):
        """Trajectories from ``initials`` over ``duration`` ms (rk4, dt 0.05 ms), in the plane
        (``axes='v-v'``) or against time (``'t-v'``); ``plot_durations``: (start, end) ms, for all or
        one per initial state; ``kwargs``: matplotlib's line keywords. Returns the Trajectories."""
        if axes not in ("v-v", "t-v"):
            raise ValueError(f"axes = {axes!r} is not allowed; use 'v-v' or 't-v'")
        traj = self._simulate(initials, duration, dt)
        if with_plot:
            ax = _pyplot().gca()
            windows = self._windows(plot_durations, traj, duration)
            for i, (start, end) in enumerate(windows):
                part = slice(int(round(start / _TRAJECTORY_DT)), int(round(end / _TRAJECTORY_DT)) + 1)
                x, y = traj[self.x_var][part, i], traj[self.y_var][part, i]
                legend = f"traj {i}: {self.x_var}={traj[self.x_var][0, i]:.4g}, {self.y_var}={traj[self.y_var][0, i]:.4g}"
                if axes == "v-v":
                    ax.plot(x, y, label=legend, **kwargs)
                else:
                    ax.plot(traj.ts[part], x, label=f"{legend}, {self.x_var}", **kwargs)
                    ax.plot(traj.ts[part], y, label=f"{legend}, {self.y_var}", **kwargs)
            if axes == "v-v":
                self._finish(ax, show)
            else:
                ax.set_xlabel("time (ms)")
                ax.legend(title="Initial values", fontsize=8)
                if show:
                    _pyplot().show()
        if with_return:
            return traj

    @staticmethod
    def _windows(plot_durations, traj, duration):
        count = traj[next(iter(traj))].shape[1]
        if plot_durations is None:
            return [(0.0, duration)] * count
        windows = np.asarray(plot_durations, dtype=np.float64)
        windows = np.tile(windows, (count, 1)) if windows.shape == (2,) else windows
        if windows.shape != (count, 2) or np.any(windows[:, 0] < 0) or np.any(windows[:, 1] > duration) \
                or np.any(windows[:, 0] >= windows[:, 1]):
            raise ValueError(f"plot_durations = {plot_durations!r} is not allowed; give (start, end) within "
                             f"[0, {duration}] ms, or one such pair per initial state ({count})")
        return [tuple(w) for w in windows]

    def plot_limit_cycle_by_sim(self, initials, duration, tol=0.01, show=False, dt=None):
        """The limit cycle reached from each initial state, found as BrainPy finds it: between the last
        two maxima of x (where its gradient turns from >= 0 to <= 0) that differ by at most
        ``tol`` times the orbit's extent in x. Drawn in the command line's style for a stable cycle."""
        tol = positive_number(tol, "tol")
        traj = self._simulate(initials, duration, dt)
        ax = _pyplot().gca()
        for i in range(traj[self.x_var].shape[1]):
            x, y = traj[self.x_var][:, i], traj[self.y_var][:, i]
            keep = np.isfinite(x)
            x, y = x[keep], y[keep]
            span = _last_cycle(x, tol)
            if span is None:
                print(f"No limit cycle found for initial value ({x[0]:g}, {y[0]:g})")
                continue
            period = (span[1] - span[0]) * _TRAJECTORY_DT
            _draw().phase_plane_cycle(ax, np.stack([x[span[0]:span[1] + 1], y[span[0]:span[1] + 1]], axis=1),
                                      True, period)
        self._finish(ax, show)


def _last_cycle(x, tol):
    """(i, j): BrainPy's find_indexes_of_limit_cycle_max, or None."""
    if x.size < 3:
        return None
    grad = np.gradient(x)
    peaks = np.where((grad[:-1] * grad[1:] <= 0) & (grad[:-1] >= 0))[0]
    if len(peaks) < 2:
        return None
    i, j = peaks[-2], peaks[-1]
    length = np.max(x[i:j]) - np.min(x[i:j])
    return (int(i), int(j)) if length > 1e-3 and abs(x[i] - x[j]) <= tol * length else None


class Trajectories(dict):
    """Trajectories as BrainPy's monitors hold them: ``ts`` (ms) and {variable: (steps + 1, k)} arrays,
    NaN after a trajectory that left the finite numbers."""

    def __init__(self, curves, x_var, y_var):
        steps = max(len(c) for c in curves)
        x = np.full((steps, len(curves)), np.nan)
        y = np.full((steps, len(curves)), np.nan)
        for i, c in enumerate(curves):
            c = np.asarray(c, dtype=np.float64).reshape(-1, 2)
            x[:len(c), i], y[:len(c), i] = c[:, 0], c[:, 1]
        super().__init__({x_var: x, y_var: y})
        self.ts = np.arange(steps) * _TRAJECTORY_DT


class Bifurcation1D:
    """A bifurcation diagram in one parameter, BrainPy's constructor and ``plot_bifurcation``::

        bif = bp.analysis.Bifurcation1D(bp.neurons.HH, target_pars={'I': (0., 20.)},
                                        target_vars={'V': (-90., 50.)})
        bif.plot_bifurcation(show=True)

    ``target_pars``: one parameter (or ``I``, the first input, or an input's name) with its range;
    ``target_vars``: the membrane potential with the diagram's limits; ``pars_update``: other
    parameter values and model options. Unlike BrainPy's grid of fixed points for a one-variable
    system, ionode continues the equilibria of the whole model in the parameter (pseudo-arclength),
    with their stability, saddle-nodes, Hopf points and (``cycles=True``) the cycles born there: the
    figure of ``ionode analyze bifurcation``."""

    def __init__(self, model, target_pars, target_vars, fixed_vars=None, pars_update=None, resolutions=None,
                 options=None, *, cycles=True, max_cycles=300, cycle_steps=1000):
        from . import _ionode

        variables = _variables(model)
        if fixed_vars:
            raise ValueError(f"fixed_vars = {fixed_vars!r} is not allowed: ionode continues the equilibria of the "
                             "whole model; it cannot hold variables fixed")
        _only(resolutions, None, "resolutions", "ionode continues the branch by pseudo-arclength with adaptive "
                                                "steps, not on a grid")
        _only(options or None, None, "options", "BrainPy's solver options do not apply to ionode's continuation")
        if not isinstance(target_pars, dict) or len(target_pars) != 1:
            raise ValueError(f"target_pars = {target_pars!r} is not allowed; ionode continues in one parameter: "
                             "give {name: (lo, hi)} (codimension-2 diagrams are not available)")
        (param, lo, hi), = _box(target_pars, "target_pars", list(target_pars), 1)
        # The diagram is of the membrane potential (the cycles' extremes are measured in it).
        spike = _ionode.describe(*_name_and_options(model))["spike_variable"]
        (var, v_lo, v_hi), = _box(target_vars, "target_vars", [spike], 1)
        self.model = model
        self.param, self.x_var = param, var
        self.target_pars = {param: (lo, hi)}
        self.target_vars = {var: (v_lo, v_hi)}
        self.pars_update = _values(pars_update)
        self.settings = dict(cycles=cycles, max_cycles=max_cycles, cycle_steps=cycle_steps)
        self._result = None

    @property
    def result(self):
        """ionode.analysis.bifurcation's result (computed once, on the first need)."""
        if self._result is None:
            from .analysis import bifurcation

            self._result = bifurcation(self.model, self.param, self.target_pars[self.param], **self.settings,
                                       **self.pars_update)
        return self._result

    def plot_bifurcation(self, with_plot=True, show=False, with_return=False, tol_aux=1e-8, loss_screen=None):
        """Draws the diagram in a new figure (equilibria stable solid, unstable dashed, Hopf points,
        saddle-nodes, the cycles' extremes; below, the cycles' frequency). Returns
        ionode.analysis.bifurcation's result (BrainPy returns its grid of fixed points)."""
        why = "ionode locates the equilibria by continuation, to Newton's precision"
        _only(tol_aux, 1e-8, "tol_aux", why)
        _only(loss_screen, None, "loss_screen", why)
        if with_plot:
            plt = _pyplot()
            fig = _draw().draw_bifurcation(plt, self.result)
            fig.axes[0].set_ylim(*self.target_vars[self.x_var])
            if show:
                plt.show()
        if with_return:
            return self.result
