# Draws the JSON of `ionode analyze`: a bifurcation diagram (equilibria stable solid, unstable
# dashed, Hopf points and saddle-nodes, the cycles' extremes of V, stable filled, unstable open;
# below, the cycles' frequency), f-I curves, or a phase plane (limit cycles stable solid, unstable
# dashed). Run by ionode as `python3 -c SCRIPT --output=FIGURE -- RESULT.json`. The Python module
# draws with the same functions (a copy, ionode/_plot_analysis.py): bp.analysis.PhasePlane2D's
# plot_* methods call the phase-plane pieces one by one on the current axes, and Bifurcation1D
# calls draw_bifurcation; the results may hold NumPy arrays where the JSON has lists.
import json
import sys

USER_ERROR = 2


def main(argv):
    output = None
    files = []
    rest = False
    for arg in argv:
        if rest:
            files.append(arg)
        elif arg == "--":
            rest = True
        elif arg.startswith("--output="):
            output = arg[len("--output="):]
    if output is None or len(files) != 1:
        print("usage: --output=FIGURE -- RESULT.json", file=sys.stderr)
        return USER_ERROR
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (Debian: python3-matplotlib)", file=sys.stderr)
        return USER_ERROR
    with open(files[0]) as f:
        r = json.load(f)
    kind = r.get("analysis", "bifurcation")
    if kind == "fi":
        return draw_fi(plt, r, output)
    if kind == "phase-plane":
        return draw_phase_plane(plt, r, output)
    fig = draw_bifurcation(plt, r)
    fig.savefig(output, dpi=110)
    return 0


def draw_bifurcation(plt, r):
    """The bifurcation diagram in a new figure: equilibria and cycles above, the cycles' frequency below."""
    var, param = r["variable"], r["param"]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), sharex=True, gridspec_kw={"height_ratios": [3, 1.2]})
    eq = r["equilibria"]
    # Split the branch where stability changes, so each piece is one line style.
    start = 0
    for i in range(1, len(eq) + 1):
        if i == len(eq) or eq[i]["stable"] != eq[start]["stable"]:
            piece = eq[start:i + 1] if i < len(eq) else eq[start:i]
            top.plot([p["param"] for p in piece], [p["V"] for p in piece], "k-" if eq[start]["stable"] else "k--",
                     lw=1.5)
            start = i
    for h in r["hopf"]:
        top.plot(h["param"], h["V"], "s", color="tab:red", ms=7,
                 label=f"Hopf {h['param']:.4g} ({h['criticality']})")
    for fo in r["folds"]:
        top.plot(fo["param"], fo["V"], "D", color="tab:purple", ms=7, label=f"saddle-node {fo['param']:.4g}")
    cyc = r["cycles"]
    for stable, style in ((True, dict(color="tab:blue", s=10)), (False, dict(facecolors="none", edgecolors="tab:blue", s=10))):
        pts = [c for c in cyc if c["stable"] == stable]
        if pts:
            xs = [c["param"] for c in pts]
            top.scatter(xs, [c["Vmax"] for c in pts], **style, label="stable cycles" if stable else "unstable cycles")
            top.scatter(xs, [c["Vmin"] for c in pts], **style)
            bottom.scatter(xs, [1000.0 / c["period"] for c in pts], **style)
    for cf in r["cycle_folds"]:
        bottom.plot(cf["param"], 1000.0 / cf["period"], "o", color="tab:orange", ms=7,
                    label=f"fold of cycles {cf['param']:.4g}")
        top.axvline(cf["param"], color="tab:orange", lw=0.8, ls=":")
    top.set_ylabel(f"{var} (equilibria; cycle min/max)")
    top.set_title(f"{r['model']}: bifurcation diagram in {param}")
    top.legend(fontsize=8, loc="best")
    unit = r.get("param_unit", "")
    bottom.set_xlabel(f"{param} ({unit})" if unit and unit != "1" else param)
    bottom.set_ylabel("cycle frequency (Hz)")
    if r["cycle_folds"]:
        bottom.legend(fontsize=8)
    top.set_xlim(r["range"][0], r["range"][1])
    fig.tight_layout()
    return fig


def draw_fi(plt, r, output):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    styles = {"from_state": ("k", "o", "-", "from the initial state"),
              "up": ("tab:blue", "^", "-", "up sweep (state carried over)"),
              "down": ("tab:red", "v", "--", "down sweep (state carried over)")}
    for key, (color, marker, ls, label) in styles.items():
        if key in r:
            pts = r[key]
            ax.plot([p["param"] for p in pts], [p["rate_hz"] for p in pts], color=color, marker=marker, ls=ls,
                    ms=4, label=label)
    unit = r.get("param_unit", "")
    ax.set_xlabel(f"{r['param']} ({unit})" if unit else r["param"])
    ax.set_ylabel("firing rate (Hz)")
    ax.set_title(f"{r['model']}: f-I curve (rate over {r['window_ms']:g} ms after {r['transient_ms']:g} ms)")
    ax.set_xlim(r["range"][0], r["range"][1])
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    return 0


def draw_phase_plane(plt, r, output):
    fig, ax = plt.subplots(figsize=(7, 6))
    phase_plane_field(ax, r)
    phase_plane_nullclines(ax, r)
    phase_plane_trajectories(ax, r)
    phase_plane_cycles(ax, r)
    phase_plane_fixed_points(ax, r)
    phase_plane_labels(ax, r)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    return 0


def phase_plane_field(ax, r, **style):
    """Arrows of equal length (the direction); the field's size spans decades."""
    f = r["field"]
    xs, ys = f["x"], f["y"]
    sx, sy = r["x_range"][1] - r["x_range"][0], r["y_range"][1] - r["y_range"][0]
    X, Y, U, V = [], [], [], []
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            du, dv = f["dx"][j * len(xs) + i] / sx, f["dy"][j * len(xs) + i] / sy
            norm = (du * du + dv * dv) ** 0.5 or 1.0
            X.append(x), Y.append(y), U.append(du / norm * sx), V.append(dv / norm * sy)
    style = dict(dict(color="0.7", angles="xy", scale_units="xy", scale=len(xs) * 1.3, width=0.003), **style)
    return ax.quiver(X, Y, U, V, **style)


NULLCLINE_COLORS = ("tab:orange", "tab:green")


def phase_plane_nullclines(ax, r, styles=(None, None)):
    """Each variable's nullcline, a line per piece; `styles`: matplotlib keywords per variable."""
    for (name, pieces), color, style in zip(r["nullclines"].items(), NULLCLINE_COLORS, styles):
        for k, c in enumerate(pieces):
            ax.plot([p[0] for p in c], [p[1] for p in c],
                    **(style or dict(color=color, lw=2)), label=f"d{name}/dt = 0 (nullcline)" if k == 0 else None)


def phase_plane_trajectories(ax, r, **style):
    for k, c in enumerate(r["trajectories"]):
        ax.plot([p[0] for p in c], [p[1] for p in c], **(style or dict(color="tab:gray", lw=1)),
                label="trajectories" if k == 0 else None)
        ax.plot(c[0][0], c[0][1], ".", color="tab:gray")


def phase_plane_cycles(ax, r):
    # "cycles" (stable and unstable) since unstable cycles were added; a JSON from before has only "cycle".
    cycles = r.get("cycles")
    if cycles is None:
        cycles = [dict(r["cycle"], stable=True)] if r.get("cycle") else []
    for c in cycles:
        phase_plane_cycle(ax, c["points"], c["stable"], c["period"])


def phase_plane_cycle(ax, points, stable, period):
    kind = "stable" if stable else "unstable"
    ax.plot([p[0] for p in points], [p[1] for p in points], color="tab:red", lw=2, ls="-" if stable else "--",
            label=f"{kind} limit cycle ({period:.4g} ms, {1000.0 / period:.3g} Hz)")


FIXED_POINT_STYLE = {
    "stable node": ("o", "black", "black"),
    "stable focus": ("o", "tab:blue", "tab:blue"),
    "unstable node": ("o", "white", "black"),
    "unstable focus": ("o", "white", "tab:blue"),
    "saddle": ("X", "tab:purple", "tab:purple"),
    "degenerate": ("D", "tab:gray", "tab:gray"),
}


def phase_plane_fixed_points(ax, r):
    for fp in r["fixed_points"]:
        marker, face, edge = FIXED_POINT_STYLE.get(fp["type"], ("o", "gray", "gray"))
        ax.plot(fp["x"][0], fp["x"][1], marker, mfc=face, mec=edge, ms=9, mew=1.5, ls="none",
                label=f"{fp['type']} ({fp['x'][0]:.3g}, {fp['x'][1]:.3g})")


def phase_plane_labels(ax, r):
    """The box, the axes' names with units, and the title with the input."""
    (xn, yn), (xu, yu) = r["variables"], r["units"]
    ax.set_xlim(*r["x_range"])
    ax.set_ylim(*r["y_range"])
    ax.set_xlabel(f"{xn} ({xu})" if xu and xu != "1" else xn)
    ax.set_ylabel(f"{yn} ({yu})" if yu and yu != "1" else yn)
    inputs = ", ".join(f"{k} = {v:g}" for k, v in r["parameters"].items() if k in ("input", "I"))
    ax.set_title(f"{r['model']}: phase plane" + (f" ({inputs})" if inputs else ""))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
