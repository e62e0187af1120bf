#!/usr/bin/env bash
# What one rank of P holds and receives, by dry runs (ionode run --dry-run P: rank 0's part computed, the
# other ranks' spikes made from its own), for docs/scaling.md:
#   strong: COBAHH with N = 40,000 (p = 0.02: in-degree about 800) on P = 1 ... 1024 ranks;
#   weak:   a COBAHH network of 1000 neurons per rank with a fixed in-degree K [1000] (0.8 K from E, 0.2 K
#           from I; Brian2's weights divided by K / 80, so each cell's total input is COBAHH's), N = 1000 P;
#           at P = 1024: 1.02e6 neurons and 1.02e9 synapses.
# Prints per P: neurons and synapses per rank, table MiB, peak resident MiB, the bytes each rank receives
# per epoch, and the loop's seconds per step of rank 0's part (compute and delivery, no network).
# Usage: bench/run_dry_scaling.sh [DURATION_MS [K]]   (IONODE=path/to/ionode)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-50}
K=${2:-1000}
IONODE=${IONODE:-build/ionode}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$IONODE" "$work" "$DURATION" "$K" <<'PY'
import re, subprocess, sys
ionode, work, duration, k = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
base = open("examples/networks/cobahh.toml").read()
base = re.sub(r"(?m)^duration = .*$", f"duration = {duration}", base)
base = re.sub(r'(?m)^variables = \["V"\]\n', "", base)
base = re.sub(r"(?m)^indices = \[0, 1, 2\]\n", "", base)
def config(name, ne, ni, degree=None):
    text = base.replace("size = 3200", "size = NE").replace("size = 800", f"size = {ni}").replace("size = NE", f"size = {ne}")
    if degree is not None:
        # Fixed in-degree from each side, weights scaled so that each cell's summed input is COBAHH's.
        blocks = text.split("[[projections]]")
        out = [blocks[0]]
        for block in blocks[1:]:
            pre = re.search(r'(?m)^pre = "(\w)"', block).group(1)
            d = int(0.8 * degree) if pre == "E" else degree - int(0.8 * degree)
            block = re.sub(r'connect = \{rule = "probability", p = 0.02\}', f'connect = {{rule = "in_degree", degree = {d}}}', block)
            block = re.sub(r"(?m)^weight = ([0-9.e+-]+)", lambda m: f"weight = {float(m.group(1)) * 80.0 / degree!r}", block)
            out.append(block)
        text = "[[projections]]".join(out)
    path = f"{work}/{name}.toml"
    open(path, "w").write(text)
    return path
def dry(path, ranks):
    out = subprocess.run([ionode, "run", path, "--threads", "1", "--dry-run", str(ranks)],
                         check=True, capture_output=True, text=True).stdout
    held = re.search(r"per rank: (\d+) neurons, (\d+) synapses \(([0-9.e+-]+) MiB of tables\), ([0-9.e+-]+) MiB of neuron "
                     r"state; peak resident memory of this process ([0-9.e+-]+) MiB", out)
    x = re.search(r"exchange: (\d+) epochs of up to (\d+) steps, ([0-9.e+]+) bytes", out)
    wall = float(re.search(r"wall:\s+([0-9.e+-]+) s", out).group(1))
    steps = int(re.search(r"steps:\s+(\d+)", out).group(1))
    rates = re.findall(r"\(([0-9.]+) Hz per neuron\)", out)
    return held.groups(), x.groups() if x else ("0", "1", "0"), wall / steps, rates
print("strong scaling: COBAHH N = 40,000, p = 0.02")
print("P, neurons/rank, synapses/rank, table MiB, peak RSS MiB, bytes received per epoch, epoch steps, s per step (rank 0), rates Hz")
strong = config("strong", 32000, 8000)
for p in [1, 2, 4, 16, 64, 256, 1024]:
    held, x, per_step, rates = dry(strong, p)
    print(f"{p}, {held[0]}, {held[1]}, {held[2]}, {held[4]}, {x[2]}, {x[1]}, {per_step:.3e}, {'/'.join(rates)}", flush=True)
print(f"weak scaling: 1000 neurons per rank, in-degree {k}")
print("P, N, neurons/rank, synapses/rank, table MiB, peak RSS MiB, bytes received per epoch, epoch steps, s per step (rank 0), rates Hz")
for p in [1, 4, 16, 64, 256, 1024]:
    n = 1000 * p
    weak = config(f"weak{p}", n * 4 // 5, n - n * 4 // 5, k)
    held, x, per_step, rates = dry(weak, p)
    print(f"{p}, {n}, {held[0]}, {held[1]}, {held[2]}, {held[4]}, {x[2]}, {x[1]}, {per_step:.3e}, {'/'.join(rates)}", flush=True)
PY
