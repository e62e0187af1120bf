#!/usr/bin/env bash
# Runs the peer measurements recorded in RESULTS.md, one after another, and appends one JSON line
# per run to $OUT (each line is the benchmark's own JSON plus "label", "cmd", "loadavg_before").
# About 12 minutes on a 2-core AMD EPYC. Single-thread runs are pinned with taskset to core $CPU.
#
#   bench/peers/measure.sh                 # everything
#   ONLY=fixed bench/peers/measure.sh      # one group: fixed | hh | threads | models
#
# Knobs: OUT [bench/peers/measurements.jsonl], CPU [0], PY [/usr/bin/python3], ONLY [all],
#        TAG [empty]: appended to every label (to tell repeated passes apart).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${OUT:-$HERE/measurements.jsonl}"
CPU="${CPU:-0}"
PY="${PY:-/usr/bin/python3}"
ONLY="${ONLY:-all}"
TAG="${TAG:-}"
B2="$HERE/brian2_bench.py"
NRN="$HERE/neuron_bench.py"

one() {  # one LABEL PIN(0|1) ARGS...
  local label="$1$TAG" pin="$2"; shift 2
  local load; load="$(cut -d' ' -f1-3 /proc/loadavg)"
  local pre=(env)
  if [ "$pin" = 1 ]; then pre=(env OMP_NUM_THREADS=1 taskset -c "$CPU"); fi
  local line
  if ! line="$("${pre[@]}" "$PY" "$@" 2> >(grep -v -e Warning -e DISPLAY -e 'No graphics' >&2))"; then
    echo "FAILED: $label: $*" >&2
    return 1
  fi
  LABEL="$label" CMD="${pre[*]} $PY $*" LOAD="$load" LINE="$line" "$PY" -c '
import json, os
d = json.loads(os.environ["LINE"].strip().splitlines()[-1])
d["label"] = os.environ["LABEL"]; d["cmd"] = os.environ["CMD"].strip(); d["loadavg_before"] = os.environ["LOAD"]
print(json.dumps(d))' | tee -a "$OUT" | cut -c1-220
}

want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }

if want fixed; then
  # fixed cost per step: N = 1, 1e5 steps
  one b2_fixed_omp1   1 "$B2"  --model HH --n 1 --duration 1000 --dt 0.01 --threads 1 --method exponential_euler --reps 5
  one b2_fixed_serial 1 "$B2"  --model HH --n 1 --duration 1000 --dt 0.01 --threads 0 --method exponential_euler --reps 5
  one nrn_fixed       1 "$NRN" --n 1 --duration 1000 --dt 0.01 --reps 5
fi
if want hh; then
  for n in 1e3 1e4; do
    one "b2_hh_$n"  1 "$B2"  --model HH --n $n --duration 100 --dt 0.01 --threads 1 --method exponential_euler --reps 3 --per-neuron
    one "nrn_hh_$n" 1 "$NRN" --n $n --duration 100 --dt 0.01 --reps 3 --per-neuron
  done
  one b2_hh_1e5        1 "$B2"  --model HH --n 1e5 --duration 100 --dt 0.01 --threads 1 --method exponential_euler --per-neuron
  one b2_hh_1e5_serial 1 "$B2"  --model HH --n 1e5 --duration 100 --dt 0.01 --threads 0 --method exponential_euler --per-neuron
  one nrn_hh_1e5       1 "$NRN" --n 1e5 --duration 100 --dt 0.01 --per-neuron
  one b2_hh_1e6_10ms   1 "$B2"  --model HH --n 1e6 --duration 10 --dt 0.01 --threads 1 --method exponential_euler --per-neuron
fi
if want threads; then
  one b2_hh_1e5_t2 0 "$B2" --model HH --n 1e5 --duration 100 --dt 0.01 --threads 2 --method exponential_euler --per-neuron
  one b2_hh_1e5_t1_unpinned 0 "$B2" --model HH --n 1e5 --duration 100 --dt 0.01 --threads 1 --method exponential_euler --per-neuron
fi
if want models; then
  for m in MorrisLecar WangBuzsaki PinskyRinzel; do
    one "b2_${m}_1e5" 1 "$B2" --model $m --n 1e5 --duration 100 --dt 0.01 --threads 1 --method exponential_euler --per-neuron
  done
fi
