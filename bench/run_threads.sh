#!/usr/bin/env bash
# Two threads against one, end to end, as issue 11 measured it: whole `ionode run` processes (HH,
# N = 10240, 40,000 steps at dt = 0.01 ms, V of 10 neurons recorded), REPS [5] rounds run alternately;
# prints each round's wall and CPU times and the medians of the speed-up and of the CPU-time ratio.
# Each round also runs two one-thread processes at once: the slower of them, halved, is what two cores
# of this machine allow two threads at best (two busy cores of a shared or virtual machine are each
# slower than one alone); "of ceiling" is that time over the two-thread run's.
# Usage: bench/run_threads.sh [N] [STEPS]   (REPS=..., IONODE=path/to/ionode)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10240}
STEPS=${2:-40000}
REPS=${REPS:-5}
IONODE=${IONODE:-build/ionode}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
duration=$(/usr/bin/python3 -c "print($STEPS * 0.01)")
cat > "$work/run.toml" <<TOML
model = "HH"
size = $N
duration = $duration
dt = 0.01
[[inputs]]
target = "input"
value = 10.0
[monitors]
variables = ["V"]
indices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
spikes = true
[output]
path = "$work/out.npz"
TOML
# wall and CPU (user + sys) seconds of one whole process
one_run() {
  /usr/bin/python3 - "$IONODE" "$work/run.toml" "$1" <<'PY'
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run([sys.argv[1], "run", sys.argv[2], "-q", "--threads", sys.argv[3]], check=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.4f} {usage.ru_utime + usage.ru_stime:.4f}")
PY
}
echo "ionode run, HH N = $N, $STEPS steps, dt = 0.01 ms, V of 10 neurons; $(nproc) cores; $(git rev-parse --short HEAD 2>/dev/null)"
# the slower of two one-thread processes started together
pair_run() {
  /usr/bin/python3 - "$IONODE" "$work/run.toml" <<'PY'
import subprocess, sys, time
start = time.perf_counter()
runs = [subprocess.Popen([sys.argv[1], "run", sys.argv[2], "-q", "--threads", "1", "-o", sys.argv[2] + f".{k}.npz"])
        for k in range(2)]
ends = []
for p in runs:
    p.wait()
    ends.append(time.perf_counter() - start)
print(f"{max(ends):.4f}")
PY
}
echo "round  wall1  wall2  cpu1  cpu2  pair  speedup  cpu_ratio  of_ceiling"
speedups=(); cpus=(); ceilings=()
for r in $(seq "$REPS"); do
  read -r w1 c1 < <(one_run 1)
  read -r w2 c2 < <(one_run 2)
  pair=$(pair_run)
  s=$(/usr/bin/python3 -c "print(f'{$w1 / $w2:.3f}')")
  c=$(/usr/bin/python3 -c "print(f'{$c2 / $c1:.3f}')")
  e=$(/usr/bin/python3 -c "print(f'{$pair / 2 / $w2:.3f}')")
  speedups+=("$s"); cpus+=("$c"); ceilings+=("$e")
  echo "$r  $w1  $w2  $c1  $c2  $pair  $s  $c  $e"
done
/usr/bin/python3 -c "
import statistics, sys
s, c, e = ([float(x) for x in a.split()] for a in sys.argv[1:4])
print(f'median speed-up {statistics.median(s):.3f}x, median CPU time 2 threads / 1 thread {statistics.median(c):.3f}, '
      f'median of ceiling {statistics.median(e):.3f}')
" "${speedups[*]}" "${cpus[*]}" "${ceilings[*]}"
