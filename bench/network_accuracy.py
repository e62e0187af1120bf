"""Spike-time error and run time of each method on the two networks of docs/numerics.md's table.

Usage: /usr/bin/python3 bench/network_accuracy.py [--ionode build/ionode] [--cobahh-ms 100]

- Wang-Buzsaki gamma network (../shared/reference/networks/wb_gamma_seed5.npz: SciPy DOP853 on all
  400 equations at rtol = atol = 1e-12): its drive, initial state and gates, 300 ms.
- COBAHH (examples/networks/cobahh.toml, 4000 neurons, 20 ms by default): no independent solution
  exists, so the reference is ionode's own rkdp at rtol = atol = 1e-9 (the network as one system; the
  same method reaches the gamma reference within 1e-4 ms: tests/validation/test_wb_gamma.cpp). COBAHH
  is chaotic: the window is short so that the errors measure the method, not the divergence of nearby
  trajectories.
Each row: the largest spike-time difference over the neurons whose spike count equals the reference's,
the number of neurons whose count differs, and the wall time of `ionode run` (one process, 2 threads).
"""
import argparse
import os
import pathlib
import subprocess
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("IONODE_SHARED_DIR", ROOT.parent / "shared"))


def gamma_config(path):
    ref = np.load(SHARED / "reference" / "networks" / "wb_gamma_seed5.npz")
    values = lambda a: "[" + ", ".join(repr(float(x)) for x in a) + "]"  # noqa: E731
    text = f"""duration = {float(ref['duration'])}
dt = 0.1
[[populations]]
name = "WB"
model = "WangBuzsaki"
size = {int(ref['N'])}
method = "exp_auto"
params = {{phi = 5.0, V_th = 0.0}}
initial = {{V = {values(ref['V0'])}, h = {values(ref['h0'])}, n = {values(ref['n0'])}}}
[[populations.inputs]]
target = "input"
value = {values(ref['I'])}
[populations.monitors]
variables = []
spikes = true
[[projections]]
name = "GABA"
pre = "WB"
post = "WB"
synapse = "graded"
E = -75.0
alpha = 12.0
beta = 0.1
theta = 0.0
sigma = 2.0
connect = {{rule = "all_to_all", autapses = false}}
weight = {0.1 / (int(ref['N']) - 1)!r}
initial = {{s = {values(ref['s0'])}}}
[output]
path = "gamma.npz"
"""
    path.write_text(text)
    trains = [[] for _ in range(int(ref["N"]))]
    for t, i in zip(ref["spike_times"], ref["spike_indices"]):
        trains[int(i)].append(float(t))
    return trains


def trains_of(path, n):
    with np.load(path) as data:
        trains = [[] for _ in range(n)]
        for t, i in zip(data["spike_times"], data["spike_indices"]):
            trains[int(i)].append(float(t))
    return [sorted(t) for t in trains]


def compare(got, reference):
    """(largest difference over neurons with the reference's count, neurons with another count, spikes)."""
    worst, differ = 0.0, 0
    for a, b in zip(got, reference):
        if len(a) != len(b):
            differ += 1
            continue
        if a:
            worst = max(worst, float(np.max(np.abs(np.array(a) - np.array(b)))))
    return worst, differ, sum(len(a) for a in got)


def run(ionode, config, directory, stem, sets):
    output = directory / f"{stem}.npz"
    args = [ionode, "run", str(config), "-q", "-o", str(output), "--threads", "2"]
    for s in sets:
        args += ["--set", s]
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return None, wall, proc.stderr.strip().splitlines()[-1]
    return output, wall, ""


def population_file(output, name):
    return output.with_name(f"{output.stem}.{name}.npz")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ionode", default=str(ROOT / "build" / "ionode"))
    parser.add_argument("--cobahh-ms", type=float, default=20.0)
    args = parser.parse_args()
    fixed = [("exp_auto", [0.1, 0.05, 0.025, 0.01]), ("exp_midpoint", [0.1, 0.05, 0.025, 0.01]),
             ("rk4", [0.1, 0.05, 0.025, 0.01])]
    with tempfile.TemporaryDirectory() as folder:
        directory = pathlib.Path(folder)
        print("| network | method | dt (ms) or rtol | largest spike-time error (ms) | neurons with another count | spikes "
              "(reference's) | wall (s) |")
        print("|---|---|---|---|---|---|---|")
        # Gamma.
        config = directory / "gamma.toml"
        reference = gamma_config(config)
        rows = [(m, dt, [f"dt={dt}", f'populations.0.method="{m}"']) for m, dts in fixed for dt in dts]
        rows += [("rkdp", tol, ["dt=0.1", 'populations.0.method="rkdp"', f"populations.0.method_options.rtol={tol}",
                                f"populations.0.method_options.atol={tol}"]) for tol in (1e-6, 1e-8)]
        for method, knob, sets in rows:
            output, wall, error = run(args.ionode, config, directory, f"g_{method}_{knob}", sets)
            if output is None:
                print(f"| gamma | {method} | {knob} | {error} | | | {wall:.3g} |")
                continue
            worst, differ, spikes = compare(trains_of(population_file(output, "WB"), 100), reference)
            total = sum(len(t) for t in reference)
            print(f"| gamma | {method} | {knob} | {worst:.3g} | {differ} | {spikes} ({total}) | {wall:.3g} |", flush=True)
        # COBAHH against rkdp at 1e-9.
        cobahh = ROOT / "examples" / "networks" / "cobahh.toml"
        window = [f"duration={args.cobahh_ms}"]
        tight = ["dt=0.1", 'populations.0.method="rkdp"', 'populations.1.method="rkdp"'] + [
            f"populations.{k}.method_options.{o}=1e-9" for k in (0, 1) for o in ("rtol", "atol")]
        ref_out, ref_wall, error = run(args.ionode, cobahh, directory, "c_ref", window + tight)
        if ref_out is None:
            raise SystemExit(f"COBAHH reference failed: {error}")
        reference = {p: trains_of(population_file(ref_out, p), n) for p, n in (("E", 3200), ("I", 800))}
        total = sum(len(t) for p in reference for t in reference[p])
        print(f"| COBAHH | rkdp (reference) | 1e-9 | - | - | {total} | {ref_wall:.3g} |", flush=True)
        for method, dts in fixed:
            for dt in dts:
                sets = window + [f"dt={dt}", f'populations.0.method="{method}"', f'populations.1.method="{method}"']
                output, wall, error = run(args.ionode, cobahh, directory, f"c_{method}_{dt}", sets)
                if output is None:
                    print(f"| COBAHH | {method} | {dt} | {error.split(':')[2].strip()[:40]} | | | {wall:.3g} |")
                    continue
                worst, differ, spikes = 0.0, 0, 0
                for p, n in (("E", 3200), ("I", 800)):
                    w, d, k = compare(trains_of(population_file(output, p), n), reference[p])
                    worst, differ, spikes = max(worst, w), differ + d, spikes + k
                print(f"| COBAHH | {method} | {dt} | {worst:.3g} | {differ} | {spikes} ({total}) | {wall:.3g} |", flush=True)


if __name__ == "__main__":
    main()
