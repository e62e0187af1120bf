#!/usr/bin/env bash
# HH exp_auto throughput, one thread: ionode (bench/hh_throughput.cpp) beside the CPU limit probe
# (../shared/bench/hh_roofline.cpp, fp64), alternating the two, equal work per run, medians of REPS runs.
# Also the fixed cost per step at N = 1. See bench/README.md and docs/performance.md.
#
# Usage: bench/run_foundation.sh
# Environment (all optional):
#   WORK=5e7      neuron-steps per run (steps = WORK / N, rounded)
#   REPS=5        runs per engine and size
#   CPU=0         the core both engines are pinned to (taskset -c)
#   INIT=probe    ionode's initial state: probe (the probe's, so the spike counts must agree) or default
#   BUILD=build   the build folder (already configured or not)
#   SHARED=../shared  where bench/hh_roofline.cpp lives
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$root/build}
[[ $build = /* ]] || build=$root/$build
WORK=${WORK:-5e7}
REPS=${REPS:-5}
CPU=${CPU:-0}
INIT=${INIT:-probe}
shared=${SHARED:-$root/../shared}
probe_src=$shared/bench/hh_roofline.cpp

if [[ ! -f $probe_src ]]; then
  echo "error: the probe $probe_src is missing (set SHARED=...)" >&2
  exit 1
fi

configure=(cmake -S "$root" -B "$build")
[[ -n ${SHARED:-} ]] && configure+=(-DIONODE_ROOFLINE_SOURCE="$probe_src")
"${configure[@]}" >/dev/null
cmake --build "$build" -j2 --target ionode_bench_hh hh_roofline_probe >/dev/null
ionode=$build/bench/ionode_bench_hh
probe=$build/bench/hh_roofline

export OMP_NUM_THREADS=1
pin=(taskset -c "$CPU")

steps_for() { awk -v w="$WORK" -v n="$1" 'BEGIN { s = int(w / n + 0.5); print (s < 1 ? 1 : s) }'; }
rate_of() { sed -n 's/.* \([0-9.e+-]*\) neuron-steps\/s.*/\1/p' <<<"$1"; }
secs_of() { sed -n 's/.*: \([0-9.]*\) s, .*/\1/p' <<<"$1"; }
spikes_of() { sed -n 's/.*spikes=\([0-9]*\).*/\1/p' <<<"$1"; }
# median, min and max of the numbers given as arguments
stats() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
  m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3g %.3g %.3g\n", m, a[1], a[NR] }'; }

echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "cpu:      $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) logical CPUs ($(lscpu | sed -n 's/^Core(s) per socket: *//p') cores per socket); pinned to CPU $CPU, OMP_NUM_THREADS=1"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages before the runs)"
echo "compiler: $("$(sed -n 's/^CMAKE_CXX_COMPILER:FILEPATH=//p' "$build/CMakeCache.txt")" --version | head -1)"
echo "ionode:   $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt") build, flags: $(sed -n 's/^CMAKE_CXX_FLAGS_RELEASE:STRING=//p' "$build/CMakeCache.txt") $(sed -n 's/^CMAKE_CXX_FLAGS:STRING=//p' "$build/CMakeCache.txt")"
echo "ionode:   commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- include src 2>/dev/null || echo ' + uncommitted changes in include/ or src/')"
echo "probe:    -O3 -march=native -ffast-math -fopenmp -lmvec, fp64 ($probe_src)"
echo "workload: HH, exp_auto, dt = 0.01 ms, I = 10 uA/cm^2, WORK=$WORK neuron-steps per run, REPS=$REPS, ionode INIT=$INIT"
echo

# ionode N : probe N (the probe needs a multiple of 64: 1e3 -> 1024 for both; 1e5 -> 100032 for the probe)
sizes=("1024:1024" "100000:100032")
declare -A rates spikes
echo "raw runs (alternating probe, ionode):"
for ((rep = 1; rep <= REPS; ++rep)); do
  for pair in "${sizes[@]}"; do
    ni=${pair%%:*} np=${pair##*:}
    line=$("${pin[@]}" "$probe" "$np" "$(steps_for "$np")" 64)
    echo "  $line"
    rates[probe,$ni]+="$(rate_of "$line") "
    spikes[probe,$ni]=$(spikes_of "$line")
    line=$("${pin[@]}" "$ionode" "$ni" "$(steps_for "$ni")" exp_auto 0 "$INIT")
    echo "  $line"
    rates[ionode,$ni]+="$(rate_of "$line") "
    spikes[ionode,$ni]=$(spikes_of "$line")
  done
done

# Fixed cost per step: ionode at N = 1 (spikes only, and recording V every step); the probe at its
# smallest N, 64, for scale.
fixed_steps=1000000
declare -a us_spikes us_monitor us_probe64
echo "  fixed cost per step ($fixed_steps steps):"
for ((rep = 1; rep <= REPS; ++rep)); do
  line=$("${pin[@]}" "$probe" 64 "$fixed_steps" 64)
  us_probe64+=("$(awk -v s="$(secs_of "$line")" -v n="$fixed_steps" 'BEGIN { print s / n * 1e6 }')")
  line=$("${pin[@]}" "$ionode" 1 "$fixed_steps" exp_auto 0 "$INIT")
  echo "  $line"
  us_spikes+=("$(sed -n 's/.* \([0-9.]*\) us\/step.*/\1/p' <<<"$line")")
  line=$("${pin[@]}" "$ionode" 1 "$fixed_steps" exp_auto 1 "$INIT")
  echo "  $line"
  us_monitor+=("$(sed -n 's/.* \([0-9.]*\) us\/step.*/\1/p' <<<"$line")")
done

echo
echo "| N (ionode / probe) | steps (ionode / probe) | probe neuron-steps/s, median (min-max) | ionode neuron-steps/s, median (min-max) | ionode / probe | spikes probe / ionode (last run) |"
echo "|---|---|---|---|---|---|"
for pair in "${sizes[@]}"; do
  ni=${pair%%:*} np=${pair##*:}
  # shellcheck disable=SC2086
  read -r pm plo phi < <(stats ${rates[probe,$ni]})
  # shellcheck disable=SC2086
  read -r im ilo ihi < <(stats ${rates[ionode,$ni]})
  ratio=$(awk -v a="$im" -v b="$pm" 'BEGIN { printf "%.3f", a / b }')
  echo "| $ni / $np | $(steps_for "$ni") / $(steps_for "$np") | $pm ($plo-$phi) | $im ($ilo-$ihi) | $ratio | ${spikes[probe,$ni]} / ${spikes[ionode,$ni]} |"
done
echo
read -r a alo ahi < <(stats "${us_spikes[@]}")
read -r b blo bhi < <(stats "${us_monitor[@]}")
read -r c clo chi < <(stats "${us_probe64[@]}")
echo "ionode N = 1, spikes only:        $a us/step (min-max $alo-$ahi)"
echo "ionode N = 1, V recorded per step: $b us/step (min-max $blo-$bhi)"
echo "probe  N = 64 (its smallest N):   $c us/step (min-max $clo-$chi)"
echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
