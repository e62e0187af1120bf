# Draws the JSON of `ionode analyze bifurcation`: equilibria (stable solid, unstable dashed), Hopf
# points and saddle-nodes, and the cycles' extremes of V (stable filled, unstable open); below, the
# cycles' frequency. Run by ionode as `python3 -c SCRIPT --output=FIGURE -- RESULT.json`.
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
    bottom.set_xlabel(param)
    bottom.set_ylabel("cycle frequency (Hz)")
    if r["cycle_folds"]:
        bottom.legend(fontsize=8)
    top.set_xlim(r["range"][0], r["range"][1])
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
