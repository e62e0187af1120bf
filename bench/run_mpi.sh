#!/usr/bin/env bash
# COBAHH (examples/networks/cobahh.toml scaled to N neurons, p = 0.02 as Brian2's benchmark: in-degree
# about 0.02 N), DURATION ms at dt = 0.1 ms: one process with 1 and 2 threads against 2 MPI ranks of one
# thread each (Open MPI, mpirun --oversubscribe as root), REPS [5] rounds alternately. Prints each
# round's seconds of the time loop ("wall:") and the exchanges' cost from the summary, and the medians
# of the ratios to one thread. Spikes are exchanged every step here (COBAHH has no delay).
# Usage: bench/run_mpi.sh [N] [DURATION_MS]   (REPS=..., IONODE=path/to/ionode)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40000}
DURATION=${2:-200}
REPS=${REPS:-5}
IONODE=${IONODE:-build/ionode}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
NE=$((N * 4 / 5)); NI=$((N - NE))
sed -e "s/^duration = .*/duration = $DURATION/" -e "s/size = 3200/size = $NE/" -e "s/size = 800/size = $NI/" \
    -e '/^variables = \["V"\]/d' -e '/^indices = \[0, 1, 2\]/d' examples/networks/cobahh.toml > "$work/cobahh.toml"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
/usr/bin/python3 - "$IONODE" "$work" "$REPS" <<'PY'
import re, statistics, subprocess, sys
ionode, work, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run(ranks, threads):
    command = [ionode, "run", f"{work}/cobahh.toml", "-o", f"{work}/out.npz", "--threads", str(threads)]
    if ranks > 1:
        command = ["mpirun", "--oversubscribe", "-np", str(ranks), "--bind-to", "none"] + command
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall = float(re.search(r"wall:\s+([0-9.e+-]+) s", out).group(1))
    exchange = re.search(r"exchange: (\d+) epochs .*?, ([0-9.e+]+) bytes received per rank per epoch, ([0-9.e+-]+) s", out)
    build = re.search(r"build:\s+([0-9.e+-]+) s", out).group(1)
    return wall, exchange.groups() if exchange else None, build, re.findall(r"(\d+) spikes", out)
cases = [(1, 1), (1, 2), (2, 1)]
walls = {c: [] for c in cases}
for r in range(reps):
    for c in cases:
        wall, exchange, build, spikes = run(*c)
        walls[c].append(wall)
        extra = "" if exchange is None else f"; exchange: {exchange[0]} epochs, {float(exchange[1]):.0f} B each, {exchange[2]} s"
        print(f"round {r}: {c[0]} rank(s) x {c[1]} thread(s): loop {wall:.3f} s, build {build} s, spikes {spikes}{extra}",
              flush=True)
for c in cases:
    ratios = [a / b for a, b in zip(walls[(1, 1)], walls[c])]
    print(f"{c[0]} rank(s) x {c[1]} thread(s): median loop {statistics.median(walls[c]):.3f} s, "
          f"speed-up over one thread (median of per-round ratios) {statistics.median(ratios):.3f}")
PY
