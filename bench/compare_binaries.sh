#!/usr/bin/env bash
# Two ionode binaries (say, before and after a change) on the same COBAHH network (N = 4000, 1 s, no
# traces: examples/networks/cobahh.toml), alternating, REPS rounds: each round's time loops ("wall:")
# and the median of the per-round ratios A / B (> 1: B faster). Ratios from alternating rounds are what
# survives this shared machine's noise; the absolute times drift from one minute to the next.
# Usage: bench/compare_binaries.sh A B [THREADS 1] [REPS 8]
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1; B=$2; THREADS=${3:-1}; REPS=${4:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e '/^variables = \["V"\]/d' -e '/^indices = \[0, 1, 2\]/d' examples/networks/cobahh.toml > "$work/cobahh.toml"
for _ in $(seq "$REPS"); do
  a=$("$A" run "$work/cobahh.toml" -o "$work/a.npz" --threads "$THREADS" | sed -n 's/.*wall: *\([0-9.e+-]*\) s.*/\1/p')
  b=$("$B" run "$work/cobahh.toml" -o "$work/b.npz" --threads "$THREADS" | sed -n 's/.*wall: *\([0-9.e+-]*\) s.*/\1/p')
  echo "$a $b"
done | /usr/bin/python3 -c '
import statistics, sys
rounds = [tuple(map(float, line.split())) for line in sys.stdin]
for a, b in rounds: print(f"A {a:.3f} s  B {b:.3f} s  A/B {a / b:.3f}")
print(f"median A/B {statistics.median(a / b for a, b in rounds):.3f} over {len(rounds)} rounds")'
