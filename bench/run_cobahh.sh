#!/usr/bin/env bash
# COBAHH (Brette et al. 2007, Brian2's example; examples/networks/cobahh.toml), N = 4000, 1 s at
# dt = 0.1 ms: ionode's time loop against the hand-written probe (../shared/bench/cobahh_probe.cpp, the
# same network semantics, one thread, compiled here with its own flags), REPS [5] rounds alternately.
# Prints each round's seconds per biological second and the medians of the ratios probe / ionode
# (> 1: ionode faster) for one and two threads, and the two-thread ceiling of this machine (two one-thread
# runs at once: half the slower is the best two threads could do). The figure of both is the time loop only (ionode's
# "wall:" line; the probe's "loop"), not the building of the synapses (printed separately).
# With PEERS=1 each round also runs Brian2 C++ standalone (bench/peers/cobahh_brian2.py, its own draw of
# the network; Network::run only) and NEURON (bench/peers/cobahh_neuron.py, psolve only), one thread.
# Usage: bench/run_cobahh.sh [N] [DURATION_MS] [P]   (REPS=..., IONODE=path/to/ionode, PEERS=1)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-4000}
DURATION=${2:-1000}
P=${3:-0.02}
REPS=${REPS:-5}
IONODE=${IONODE:-build/ionode}
SHARED=${IONODE_SHARED_DIR:-../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -O3 -march=native -ffast-math -fopenmp-simd -std=c++20 "$SHARED/bench/cobahh_probe.cpp" -o "$work/probe" -lmvec
NE=$((N * 4 / 5)); NI=$((N - NE))
sed -e "s/^duration = .*/duration = $DURATION/" -e "s/size = 3200/size = $NE/" -e "s/size = 800/size = $NI/" \
    -e "s/p = 0.02/p = $P/" -e '/^variables = \["V"\]/d' -e '/^indices = \[0, 1, 2\]/d' \
    examples/networks/cobahh.toml > "$work/cobahh.toml"
PROBE_ARGS="$N $DURATION $P" /usr/bin/python3 - "$IONODE" "$work" "$REPS" "$DURATION" <<'PY'
import re, statistics, subprocess, sys
ionode, work, reps, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
seconds = duration / 1000.0
def ionode_run(threads):
    out = subprocess.run([ionode, "run", f"{work}/cobahh.toml", "-o", f"{work}/out.npz", "--threads", str(threads)],
                         check=True, capture_output=True, text=True).stdout
    wall = float(re.search(r"wall:\s+([0-9.e+-]+) s", out).group(1))
    build = re.search(r"build:\s+(.*)", out).group(1)
    rates = re.findall(r"\(([0-9.]+) Hz per neuron\)", out)
    return wall / seconds, build, rates
import os
probe_args = os.environ["PROBE_ARGS"].split()
def probe_run():
    out = subprocess.run([f"{work}/probe"] + probe_args, check=True, capture_output=True, text=True).stdout
    return float(re.search(r"\(([0-9.]+) s per biological s\)", out).group(1)), out.strip()
import json
peers = os.environ.get("PEERS") == "1"
n, p_connect = probe_args[0], probe_args[2]
def peer_run(script):
    out = subprocess.run(["/usr/bin/python3", f"bench/peers/{script}", "--n", n, "--duration", str(duration),
                          "--p", p_connect, "--threads", "1", "--seed", "11"],
                         check=True, capture_output=True, text=True).stdout
    line = json.loads(out.strip().splitlines()[-1])
    return line["seconds"] / seconds, line
def two_at_once():
    # Two one-thread runs started together: each core then runs at the speed it has when the other is
    # busy too (shared caches, the host's other guests). Half the slower one is the best two threads
    # could do; "ceiling" below is one thread's time over that.
    procs = [subprocess.Popen([ionode, "run", f"{work}/cobahh.toml", "-o", f"{work}/both{k}.npz", "--threads", "1"],
                              stdout=subprocess.PIPE, text=True) for k in range(2)]
    walls = [float(re.search(r"wall:\s+([0-9.e+-]+) s", proc.communicate()[0]).group(1)) for proc in procs]
    return max(walls) / seconds
one, two, probe, brian, nrn, both = [], [], [], [], [], []
for r in range(reps):
    p, text = probe_run()
    a, build, rates = ionode_run(1)
    b, _, _ = ionode_run(2)
    c2 = two_at_once()
    probe.append(p); one.append(a); two.append(b); both.append(c2)
    extra = ""
    if peers:
        c, bl = peer_run("cobahh_brian2.py")
        d, nl = peer_run("cobahh_neuron.py")
        brian.append(c); nrn.append(d)
        extra = (f"; Brian2 C++ {c:.3f} ({bl['rate_E_hz']:.1f} Hz), NEURON {d:.3f} ({nl['rate_E_hz']:.1f} Hz)")
    print(f"round {r + 1}: probe {p:.3f}, ionode 1 thread {a:.3f}, 2 threads {b:.3f}, two 1-thread runs at once "
          f"{c2:.3f} s per biological s; "
          f"ionode rates {', '.join(rates)} Hz; build {build}{extra}")
print(f"probe: {text}")
print(f"median probe / ionode, 1 thread: {statistics.median(p / a for p, a in zip(probe, one)):.2f}; "
      f"2 threads: {statistics.median(p / b for p, b in zip(probe, two)):.2f}; "
      f"ionode 2 threads / 1 thread speed-up: {statistics.median(a / b for a, b in zip(one, two)):.2f} "
      f"(ceiling, 2 x one thread / two runs at once: {statistics.median(2 * a / c for a, c in zip(one, both)):.2f})")
if peers:
    print(f"median Brian2 / ionode (1 thread each): {statistics.median(c / a for c, a in zip(brian, one)):.2f}; "
          f"NEURON / ionode: {statistics.median(d / a for d, a in zip(nrn, one)):.2f}")
PY
