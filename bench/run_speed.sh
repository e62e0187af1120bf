#!/usr/bin/env bash
# Speed of ionode beside the CPU limit probe (../shared/bench/hh_roofline.cpp), Brian2 C++ standalone
# and NEURON, in one script: it builds what it needs, installs the peers from Debian where missing,
# runs every workload with the engines alternating (probe, ionode, Brian2, NEURON, then again),
# REPS times, and prints one markdown table of medians (bench/speed_table.py).
#
# Workloads (dt = 0.01 ms, each model's reference input: HH I = 10 uA/cm^2):
#   - HH at N = 1e3, 1e4, 1e5, 1e6; one thread (pinned) and all threads; fp64 and fp32
#     (fp32: the probe and ionode only). steps = min(100 ms / dt, WORK / N).
#   - MorrisLecar, WangBuzsaki, PinskyRinzel at N = 1e5 (ionode and Brian2), same threads/precisions.
#   - the cost of recording V of 10 neurons every step: ionode HH at N = 1e5, with and without.
#   - the cost of noise (1 mV/sqrt(ms) on V): ionode HH at N = 1e5 (MONITOR_N), with and without.
#   - the fixed cost per step at N = 1 (us/step): ionode, Brian2 (serial and OpenMP builds), NEURON;
#     the probe at N = 64, its smallest size, for scale.
#   - the HH spike-count check: every neuron from V0 = -65 mV, 100 ms, must spike 7 times in
#     ionode (its CLI), Brian2 and NEURON.
#
# Usage: bench/run_speed.sh                   # everything: about an hour on 2 cores (mostly the peers)
#        QUICK=1 bench/run_speed.sh           # smoke test: tiny sizes, figures meaningless
# Environment (all optional; defaults in brackets):
#   REPS [3]            runs per engine and workload; the table reports medians
#   WORK [1e9]          neuron-steps per run at most: steps = min(DURATION / DT, WORK / N)
#                       (with the default, N <= 1e5 run 100 ms and N = 1e6 runs 10 ms)
#   PEER_WORK [WORK]    the same cap for Brian2 and NEURON only
#   SIZES [1e3 1e4 1e5 1e6]      HH sizes
#   MODELS [MorrisLecar WangBuzsaki PinskyRinzel]   other models (empty: none)
#   MODEL_N [1e5]       their size
#   THREADS [1 all]     thread settings; "all" = nproc. One thread is pinned with taskset -c $CPU.
#   PRECISIONS [fp64 fp32]
#   PEERS [1]           0: no Brian2 and no NEURON
#   B2_MAX_N [1e6], NRN_MAX_N [1e5]   skip that peer above this N (NEURON takes
#                       minutes and gigabytes just to build 1e6 sections)
#   MONITOR_N [1e5]     size of the monitor-cost measurement
#   FIXED_STEPS [1e5]   steps of the N = 1 runs
#   CHECK_N [1000]      size of ionode's spike-count check
#   METHOD [exp_auto]   ionode's method (Brian2 runs its exponential_euler, the same update)
#   CPU [0]             the core one-thread runs are pinned to
#   INSTALL [1]         0: do not apt-get install missing peers (they are then reported n/a)
#   SKIP_BUILD [0]      1: use the binaries already in $BUILD (do not run cmake or g++)
#   BUILD [build], SHARED [../shared], PY [/usr/bin/python3]
#   QUICK [0]           1: REPS=1, SIZES="1e2 1e3", MODEL_N=MONITOR_N=1e3, WORK=2e6,
#                       FIXED_STEPS=1e4, CHECK_N=10 (each set only if not given)
# Output: the table on stdout; everything (raw lines, table) also in $BUILD/bench/speed/run-<UTC>.log,
# the parsed records in run-<UTC>.tsv, the peers' stderr in run-<UTC>.stderr.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$root/build}
[[ $build = /* ]] || build=$root/$build
shared=${SHARED:-$root/../shared}
probe_src=$shared/bench/hh_roofline.cpp
PY=${PY:-/usr/bin/python3}
table_py=$root/bench/speed_table.py

if [[ ${QUICK:-0} = 1 ]]; then
  : "${REPS:=1}" "${SIZES:=1e2 1e3}" "${MODEL_N:=1e3}" "${MONITOR_N:=1e3}" "${WORK:=2e6}"
  : "${FIXED_STEPS:=1e4}" "${CHECK_N:=10}"
fi
REPS=${REPS:-3}
WORK=${WORK:-1e9}
PEER_WORK=${PEER_WORK:-$WORK}
SIZES=${SIZES:-1e3 1e4 1e5 1e6}
MODELS=${MODELS-MorrisLecar WangBuzsaki PinskyRinzel}
MODEL_N=${MODEL_N:-1e5}
THREADS=${THREADS:-1 all}
PRECISIONS=${PRECISIONS:-fp64 fp32}
PEERS=${PEERS:-1}
B2_MAX_N=${B2_MAX_N:-1e6}
NRN_MAX_N=${NRN_MAX_N:-1e5}
MONITOR_N=${MONITOR_N:-1e5}
FIXED_STEPS=${FIXED_STEPS:-1e5}
CHECK_N=${CHECK_N:-1000}
METHOD=${METHOD:-exp_auto}
CPU=${CPU:-0}
INSTALL=${INSTALL:-1}
SKIP_BUILD=${SKIP_BUILD:-0}
DT=0.01
DURATION=100
NPROC=$(nproc)

int() { awk -v x="$1" 'BEGIN { printf "%d", x + 0.5 }'; }
steps_for() {  # steps_for N WORK
  awk -v n="$1" -v w="$2" -v d="$DURATION" -v dt="$DT" \
    'BEGIN { s = int(d / dt + 0.5); c = int(w / n + 0.5); if (c < s) s = c; print (s < 1 ? 1 : s) }'
}
ms_of() { awk -v s="$1" -v dt="$DT" 'BEGIN { printf "%.10g", s * dt }'; }
round64() { echo $(( ($1 + 63) / 64 * 64 )); }
threads_of() { [[ $1 = all ]] && echo "$NPROC" || echo "$1"; }

out_dir=$build/bench/speed
mkdir -p "$out_dir" || exit 1
stamp=$(date -u +%Y%m%dT%H%M%SZ)
log=$out_dir/run-$stamp.log
tsv=$out_dir/run-$stamp.tsv
errf=$out_dir/run-$stamp.stderr
for f in "$log" "$tsv" "$errf"; do : >"$f"; done
say() { echo "$@" | tee -a "$log" >&2; }  # progress: stderr and the log

# ------------------------------------------------------------------------------------------ build
ionode_bench=$build/bench/ionode_bench_model
ionode_bench_hh=$build/bench/ionode_bench_hh   # N = 1 with V recorded (ionode_bench_model records neurons 0-9)
ionode_cli=$build/ionode
probe=$build/bench/hh_roofline
if [[ $SKIP_BUILD != 1 ]]; then
  if [[ ! -f $probe_src ]]; then
    echo "error: the probe $probe_src is missing (set SHARED=...)" >&2
    exit 1
  fi
  say "building: cmake --build $build --target ionode_bench_model ionode_bench_hh ionode_exe; g++ the probe"
  [[ -f $build/CMakeCache.txt ]] || cmake -S "$root" -B "$build" >>"$errf" 2>&1 || { echo "error: cmake configure failed (see $errf)" >&2; exit 1; }
  cmake --build "$build" -j"$NPROC" --target ionode_bench_model ionode_bench_hh ionode_exe >>"$errf" 2>&1 \
    || { echo "error: building ionode failed (see $errf)" >&2; exit 1; }
  mkdir -p "$build/bench"
  if [[ ! -x $probe || $probe_src -nt $probe ]]; then
    g++ -O3 -march=native -ffast-math -fopenmp -std=c++20 "$probe_src" -o "$probe" -lmvec >>"$errf" 2>&1 \
      || { echo "error: building the probe failed (see $errf)" >&2; exit 1; }
  fi
fi
for b in "$ionode_bench" "$ionode_cli" "$probe"; do
  [[ -x $b ]] || { echo "error: $b is missing (run without SKIP_BUILD=1)" >&2; exit 1; }
done

# ------------------------------------------------------------------------------------------ peers
have_b2=0 have_nrn=0
peer_note=""
if [[ $PEERS = 1 ]]; then
  missing=()
  "$PY" -c 'import brian2' >/dev/null 2>&1 || missing+=(python3-brian)
  "$PY" -c 'import neuron' >/dev/null 2>&1 || missing+=(python3-neuron)
  command -v nrniv >/dev/null 2>&1 || missing+=(neuron)
  if ((${#missing[@]})) && [[ $INSTALL = 1 ]]; then
    sudo=()
    [[ $(id -u) = 0 ]] || sudo=(sudo -n)
    say "installing from Debian: ${missing[*]}"
    { "${sudo[@]}" apt-get install -y "${missing[@]}" || { "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y "${missing[@]}"; }; } >>"$errf" 2>&1 \
      || say "warning: apt-get install ${missing[*]} failed (see $errf)"
  fi
  "$PY" -c 'import brian2' >/dev/null 2>&1 && have_b2=1
  "$PY" -c 'import neuron' >/dev/null 2>&1 && have_nrn=1
  ((have_b2)) || peer_note+="Brian2 not importable by $PY; "
  ((have_nrn)) || peer_note+="NEURON not importable by $PY; "
fi

# ionode's PRECISION argument may not exist yet: an old binary ignores it and runs fp64, so accept
# fp32 only if the output says so, or if the state is smaller than with fp64.
bytes_of() { sed -n 's/.* \([0-9.]*\) bytes\/neuron.*/\1/p' <<<"$1"; }
fp32_ok=0
l64=$("$ionode_bench" HH 64 10 "$METHOD" 1 0 2>/dev/null | tail -1)
if l32=$("$ionode_bench" HH 64 10 "$METHOD" 1 0 float32 2>/dev/null | tail -1) && [[ $l32 = *neuron-steps/s* ]]; then
  if grep -qiE 'float32|fp32|single' <<<"$l32"; then
    fp32_ok=1
  elif [[ -n $(bytes_of "$l32") && -n $(bytes_of "$l64") ]] &&
       awk -v a="$(bytes_of "$l32")" -v b="$(bytes_of "$l64")" 'BEGIN { exit !(a < b) }'; then
    fp32_ok=1
  fi
fi

# ---------------------------------------------------------------------------------------- header
git_desc="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$root" diff --quiet HEAD -- include src bench 2>/dev/null || git_desc+=" + uncommitted changes"
{
  echo "# ionode speed: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1); $NPROC logical CPUs" \
       "($(lscpu | sed -n 's/^Socket(s): *//p') socket(s) x $(lscpu | sed -n 's/^Core(s) per socket: *//p') cores x" \
       "$(lscpu | sed -n 's/^Thread(s) per core: *//p') thread(s)); $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
  echo "- git commit: $git_desc"
  echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- compiler: $(g++ --version | head -1); ionode build type: $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)"
  echo "- probe: $probe_src, -O3 -march=native -ffast-math -fopenmp -lmvec (N rounded up to a multiple of 64)"
  echo "- settings: REPS=$REPS WORK=$WORK PEER_WORK=$PEER_WORK SIZES='$SIZES' MODELS='$MODELS' MODEL_N=$MODEL_N" \
       "THREADS='$THREADS' (all = $NPROC) PRECISIONS='$PRECISIONS' METHOD=$METHOD dt=$DT ms; one thread: taskset -c $CPU, OMP_NUM_THREADS=1"
  echo "- ionode fp32 (PRECISION argument): $([[ $fp32_ok = 1 ]] && echo supported || echo 'not supported by this build (reported n/a)')"
  [[ $PEERS = 1 ]] || echo "- peers: off (PEERS=0)"
  [[ -n $peer_note ]] && echo "- peers: ${peer_note%; } (reported n/a)"
  [[ ${QUICK:-0} = 1 ]] && echo "- QUICK=1: smoke test with tiny sizes; the figures mean nothing"
  echo "- raw lines: $log"
} | tee -a "$log"
echo >>"$log"
printf 'meta\tdt\t%s\nmeta\tduration\t%s\nmeta\tnproc\t%s\nmeta\tmethod\t%s\nmeta\tquick\t%s\n' \
  "$DT" "$DURATION" "$NPROC" "$METHOD" "${QUICK:-0}" >>"$tsv"

# ------------------------------------------------------------------------------------------- runs
# one SECTION MODEL N_NOMINAL ENGINE THREADS PRECISION N_USED STEPS CMD...
# Runs CMD (pinned if THREADS = 1), keeps the last result line and appends one record to the .tsv.
one() {
  local section=$1 model=$2 nn=$3 engine=$4 thr=$5 prec=$6 nu=$7 steps=$8; shift 8
  local pre out rc line status=ok load
  if [[ $thr = 1 ]]; then pre=(env OMP_NUM_THREADS=1 taskset -c "$CPU"); else pre=(env OMP_NUM_THREADS="$thr"); fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "### $section $engine: ${pre[*]} $*" >>"$errf"
  out=$("${pre[@]}" "$@" 2> >(grep -v -e 'Warning' -e 'DISPLAY' -e 'No graphics' -e 'np\.b' -e 'hasattr(numpy' -e 'getattr(themodule' >>"$errf"))
  rc=$?
  line=$(grep -E 'neuron-steps/s|^\{' <<<"$out" | tail -1)
  if [[ $rc -ne 0 || -z $line ]]; then
    status=fail
    line="exit $rc: $(tail -c 300 <<<"$out" | tr '\t\n' '  ')"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$section" "$model" "$nn" "$engine" "$thr" "$prec" "$nu" "$steps" "$status" "$load" "$line" >>"$tsv"
  printf '  %-7s %-5s %s\n' "$engine" "$status" "$line" | cut -c1-400 | tee -a "$log" >&2
}
# skip SECTION MODEL N ENGINE THREADS PRECISION WHY: a row that says why nothing ran
skip() { printf '%s\t%s\t%s\t%s\t%s\t%s\t\t\tskip\t\t%s\n' "$@" >>"$tsv"; }

b2_dir() { echo "$out_dir/brian2_cache/$1_n$2_t$3"; }  # reused across reps: Brian2 recompiles nothing

# HH workloads and the other models
workloads=()
for n in $SIZES; do workloads+=("HH:$(int "$n")"); done
for m in $MODELS; do workloads+=("$m:$(int "$MODEL_N")"); done
for w in "${workloads[@]}"; do
  model=${w%%:*} n=${w##*:}
  steps=$(steps_for "$n" "$WORK")
  psteps=$(steps_for "$n" "$PEER_WORK")
  pms=$(ms_of "$psteps")
  for tsel in $THREADS; do
    thr=$(threads_of "$tsel")
    say "== $model N=$n threads=$thr steps=$steps ($(ms_of "$steps") ms)"
    # rows that will not run
    if [[ $fp32_ok != 1 && " $PRECISIONS " = *" fp32 "* ]]; then skip tp "$model" "$n" ionode "$thr" fp32 "n/a: this ionode_bench_model has no PRECISION argument"; fi
    run_b2=0 run_nrn=0
    if [[ $PEERS = 1 && " $PRECISIONS " = *" fp64 "* ]]; then
      if ((!have_b2)); then skip tp "$model" "$n" brian2 "$thr" fp64 "n/a: Brian2 not installed"
      elif awk -v n="$n" -v m="$B2_MAX_N" 'BEGIN { exit !(n > m) }'; then skip tp "$model" "$n" brian2 "$thr" fp64 "skipped: N > B2_MAX_N=$B2_MAX_N"
      else run_b2=1; fi
      if [[ $model = HH ]]; then
        if ((!have_nrn)); then skip tp "$model" "$n" neuron "$thr" fp64 "n/a: NEURON not installed"
        elif awk -v n="$n" -v m="$NRN_MAX_N" 'BEGIN { exit !(n > m) }'; then skip tp "$model" "$n" neuron "$thr" fp64 "skipped: N > NRN_MAX_N=$NRN_MAX_N"
        else run_nrn=1; fi
      fi
    fi
    for ((rep = 1; rep <= REPS; ++rep)); do
      for prec in $PRECISIONS; do
        if [[ $model = HH ]]; then
          np=$(round64 "$n")
          one tp "$model" "$n" probe "$thr" "$prec" "$np" "$steps" "$probe" "$np" "$steps" "${prec#fp}"
        fi
        if [[ $prec = fp64 ]]; then
          one tp "$model" "$n" ionode "$thr" fp64 "$n" "$steps" "$ionode_bench" "$model" "$n" "$steps" "$METHOD" "$thr" 0
        elif [[ $fp32_ok = 1 ]]; then
          one tp "$model" "$n" ionode "$thr" fp32 "$n" "$steps" "$ionode_bench" "$model" "$n" "$steps" "$METHOD" "$thr" 0 float32
        fi
      done
      if ((run_b2)); then
        one tp "$model" "$n" brian2 "$thr" fp64 "$n" "$psteps" "$PY" "$root/bench/peers/brian2_bench.py" --model "$model" \
          --n "$n" --duration "$pms" --dt "$DT" --threads "$thr" --method exponential_euler --reps 1 --per-neuron \
          --build-dir "$(b2_dir "$model" "$n" "$thr")"
      fi
      if ((run_nrn)); then
        one tp "$model" "$n" neuron "$thr" fp64 "$n" "$psteps" "$PY" "$root/bench/peers/neuron_bench.py" \
          --n "$n" --duration "$pms" --dt "$DT" --threads "$thr" --reps 1 --per-neuron
      fi
    done
  done
done

# The cost of recording V of 10 neurons at every step (ionode, HH, one thread, fp64)
n=$(int "$MONITOR_N")
steps=$(steps_for "$n" "$WORK")
say "== monitor cost: ionode HH N=$n steps=$steps, V of 10 neurons every step or not"
for ((rep = 1; rep <= REPS; ++rep)); do
  for mon in 0 1; do
    one monitor HH "$n" "ionode_m$mon" 1 fp64 "$n" "$steps" "$ionode_bench" HH "$n" "$steps" "$METHOD" 1 "$mon"
  done
done

# The cost of noise (sigma = 1 mV/sqrt(ms) on V, exp_auto + sigma dW; ionode, HH, one thread, fp64)
say "== noise cost: ionode HH N=$n steps=$steps, with and without noise on V"
for ((rep = 1; rep <= REPS; ++rep)); do
  for noise in 0 1; do
    one noise HH "$n" "ionode_noise$noise" 1 fp64 "$n" "$steps" "$ionode_bench" HH "$n" "$steps" "$METHOD" 1 0 float64 "$noise"
  done
done

# The fixed cost per step at N = 1 (the probe at N = 64, its smallest size)
fsteps=$(int "$FIXED_STEPS")
fms=$(ms_of "$fsteps")
say "== fixed cost per step: N = 1, $fsteps steps, one thread"
for ((rep = 1; rep <= REPS; ++rep)); do
  one fixed HH 64 probe 1 fp64 64 "$fsteps" "$probe" 64 "$fsteps" 64
  one fixed HH 1 ionode_m0 1 fp64 1 "$fsteps" "$ionode_bench" HH 1 "$fsteps" "$METHOD" 1 0
  if [[ -x $ionode_bench_hh ]]; then
    one fixed HH 1 ionode_hh_m0 1 fp64 1 "$fsteps" "$ionode_bench_hh" 1 "$fsteps" "$METHOD" 0
    one fixed HH 1 ionode_hh_m1 1 fp64 1 "$fsteps" "$ionode_bench_hh" 1 "$fsteps" "$METHOD" 1
  fi
  if [[ $PEERS = 1 ]] && ((have_b2)); then
    one fixed HH 1 brian2_serial 1 fp64 1 "$fsteps" "$PY" "$root/bench/peers/brian2_bench.py" --model HH --n 1 \
      --duration "$fms" --dt "$DT" --threads 0 --reps 1 --build-dir "$(b2_dir HH 1 serial)"
    one fixed HH 1 brian2 1 fp64 1 "$fsteps" "$PY" "$root/bench/peers/brian2_bench.py" --model HH --n 1 \
      --duration "$fms" --dt "$DT" --threads 1 --reps 1 --build-dir "$(b2_dir HH 1 1)"
  fi
  if [[ $PEERS = 1 ]] && ((have_nrn)); then
    one fixed HH 1 neuron 1 fp64 1 "$fsteps" "$PY" "$root/bench/peers/neuron_bench.py" --n 1 --duration "$fms" --dt "$DT" --reps 1
  fi
done

# The spike-count check: ionode through its CLI from V0 = -65 (the peers' state), 100 ms. The peers'
# per-neuron counts come from their HH runs above that lasted 100 ms.
n=$(int "$CHECK_N")
npz=$out_dir/check-$stamp.npz
say "== spike-count check: ionode CLI, HH N=$n, $DURATION ms from V0 = -65"
# shellcheck disable=SC2016  # expanded by the inner bash
one check HH "$n" ionode_cli 1 fp64 "$n" "$(steps_for 1 1e99)" bash -c '
  "$1" run --set model=HH --set "size=$2" --set "duration=$3" --set "dt=$4" --set "method=$5" \
    --set "initial.V=-65.0" --set "monitors.variables=[]" -o "$6" -q && "$7" "$8" count-npz "$6" "$2"' _ \
  "$ionode_cli" "$n" "$DURATION" "$DT" "$METHOD" "$npz" "$PY" "$table_py"
rm -f "$npz"

say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'meta\tload_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$tsv"
echo >>"$log"
"$PY" "$table_py" "$tsv" | tee -a "$log"
