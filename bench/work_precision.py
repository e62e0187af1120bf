"""Work-precision diagram and table of docs/numerics.md from build/bench/ionode_bench_work_precision.

Usage: /usr/bin/python3 bench/work_precision.py [--build build] [--neurons 64] [--reps 3] [--from LINES.jsonl]
                                                [--figure docs/images/work_precision.png]
Runs the bench (or reads its JSON lines from --from), prints the markdown table (error and cost at the
steps users take) and the rows of the accuracy warning's table (src/cli/accuracy_warning.cpp), and
draws the error against the cost per neuron and simulated second, one panel per reference case.
"""
import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
STEPS = [0.1, 0.05, 0.025, 0.01]
REGISTRY = {"HH": ("HH", ""), "WB": ("WangBuzsaki", ""), "ML": ("MorrisLecar", ""),
            "PR_seed": ("PinskyRinzel", "seed"), "PR_paper": ("PinskyRinzel", "paper")}
ORDERS = {"exp_auto": 1, "exp_midpoint": 2, "euler": 1, "rk2": 2, "rk4": 4}


def rows_of(args):
    if args.from_file:
        text = pathlib.Path(args.from_file).read_text()
    else:
        binary = ROOT / args.build / "bench" / "ionode_bench_work_precision"
        command = [str(binary), str(args.neurons), str(args.reps), args.cases, args.methods]
        print("running:", " ".join(command), file=sys.stderr)
        text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        if args.save:
            pathlib.Path(args.save).write_text(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def error_text(row):
    if row["diverged"]:
        return "diverges"
    missed = abs(row["spikes"] - row["reference_spikes"])
    text = f"{row['worst_error_ms']:.2g}"
    return text + (f" ({missed} spikes off)" if missed else "")


def table(rows):
    lines = ["| case | method | " + " | ".join(f"dt = {dt}" for dt in STEPS) + " | us per neuron per simulated s at dt = 0.1 |",
             "|---|---|" + "---|" * len(STEPS) + "---|"]
    for case in dict.fromkeys(r["case"] for r in rows):
        for method in dict.fromkeys(r["method"] for r in rows if r["case"] == case):
            mine = [r for r in rows if r["case"] == case and r["method"] == method]
            if method in ("rkdp", "cvode", "rkf45", "bs"):
                continue  # adaptive: in their own table
            cells = []
            for dt in STEPS:
                match = [r for r in mine if abs(r["dt"] - dt) < 1e-12]
                cells.append(error_text(match[0]) if match else "-")
            cost = [r for r in mine if abs(r["dt"] - 0.1) < 1e-12]
            cost_text = f"{cost[0]['seconds_per_neuron_per_simulated_s'] * 1e6:.3g}" \
                if cost and not cost[0]["diverged"] else "-"
            lines.append(f"| {case} | {method} | " + " | ".join(cells) + f" | {cost_text} |")
    return "\n".join(lines)


def adaptive_table(rows):
    """Adaptive methods: error and cost at each tolerance (dt = 0.1 ms output steps)."""
    adaptive = [r for r in rows if r["method"] in ("rkdp", "cvode", "rkf45", "bs")]
    if not adaptive:
        return ""
    tolerances = sorted({r["rtol"] for r in adaptive}, reverse=True)
    lines = ["| case | method | " + " | ".join(f"{t:g}" for t in tolerances) + " |",
             "|---|---|" + "---|" * len(tolerances)]
    for case in dict.fromkeys(r["case"] for r in adaptive):
        for method in dict.fromkeys(r["method"] for r in adaptive if r["case"] == case):
            cells = []
            for t in tolerances:
                match = [r for r in adaptive if r["case"] == case and r["method"] == method and r["rtol"] == t]
                if not match:
                    cells.append("-")
                    continue
                r = match[0]
                cost = r["seconds_per_neuron_per_simulated_s"] * 1e6
                cells.append(error_text(r) + f" / {cost:.3g}")
            lines.append(f"| {case} | {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def warning_rows(rows):
    out = []
    for case, (model, variant) in REGISTRY.items():
        for method in ("exp_auto", "exp_midpoint", "euler", "rk2", "rk4"):
            mine = [r for r in rows if r["case"] == case and r["method"] == method]
            if not mine:
                continue
            errors, counts = [], []
            for dt in STEPS:
                match = [r for r in mine if abs(r["dt"] - dt) < 1e-12][0]
                errors.append(1e9 if match["diverged"] else match["worst_error_ms"])
                counts.append(match["reference_spikes"] if match["diverged"]
                              else abs(match["spikes"] - match["reference_spikes"]))
            duration = {"HH": 200, "WB": 200, "ML": 1000}.get(case, 1000)
            out.append(f'    {{"{model}", "{variant}", "{method}", {duration}.0, {ORDERS[method]}, '
                       f'{{{", ".join(f"{e:.3g}" for e in errors)}}}, {{{", ".join(str(c) for c in counts)}}}}},')
    return "\n".join(out)


def figure(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cases = list(dict.fromkeys(r["case"] for r in rows))
    columns = min(3, len(cases))
    rows_needed = (len(cases) + columns - 1) // columns
    fig, axes = plt.subplots(rows_needed, columns, figsize=(5.2 * columns, 4.4 * rows_needed), squeeze=False)
    flat = list(axes.flat)
    for ax in flat[len(cases):]:
        ax.axis("off")
    for ax, case in zip(flat, cases):
        for method in dict.fromkeys(r["method"] for r in rows if r["case"] == case):
            mine = [r for r in rows if r["case"] == case and r["method"] == method and not r["diverged"]
                    and r["spikes"] == r["reference_spikes"] and r["worst_error_ms"] > 0]
            if not mine:
                continue
            cost = [r["seconds_per_neuron_per_simulated_s"] * 1e6 for r in mine]
            error = [r["worst_error_ms"] for r in mine]
            ax.loglog(cost, error, "o-", label=method, markersize=4)
            for r, c, e in zip(mine, cost, error):
                if method in ORDERS:
                    if abs(r["dt"] - 0.1) < 1e-12:
                        ax.annotate("0.1", (c, e), fontsize=7, textcoords="offset points", xytext=(3, 3))
        ax.axhline(0.1, color="grey", lw=0.8, ls="--")
        ax.set_title(case)
        ax.set_xlabel("us per neuron per simulated s (1 thread)")
        ax.set_ylabel("largest spike-time error (ms)")
        ax.grid(True, which="major", alpha=0.3)
    handles, labels = flat[0].get_legend_handles_labels()
    if len(flat) > len(cases):
        flat[-1].legend(handles, labels, loc="center", fontsize=11, title="method")
    else:
        flat[0].legend(fontsize=8)
    fig.suptitle("Work against precision on the reference cases (points with every spike; '0.1': dt = 0.1 ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print("figure:", path, file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    parser.add_argument("--neurons", type=int, default=64)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--cases", default="HH,WB,ML,PR_seed,PR_paper")
    parser.add_argument("--methods", default="exp_auto,exp_midpoint,rk4,rkdp,cvode")
    parser.add_argument("--from", dest="from_file")
    parser.add_argument("--save", help="keep the bench's JSON lines in this file")
    parser.add_argument("--figure", default=str(ROOT / "docs" / "images" / "work_precision.png"))
    args = parser.parse_args()
    rows = rows_of(args)
    print(table(rows))
    print()
    print(adaptive_table(rows))
    print()
    print(warning_rows(rows))
    figure(rows, args.figure)


if __name__ == "__main__":
    main()
