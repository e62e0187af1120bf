#!/usr/bin/env bash
# The bounded-memory check of issue 4 at full size, in one command: V of 10,000 HH neurons recorded
# at every step for 100,000 steps (1e9 values, an 8 GB file) through `ionode run`, with its peak
# resident memory (/usr/bin/time -v, must stay under 300 MB), its write rate (values/s, MB/s), and
# the file read back with h5py against a run that records only a sample of the neurons. The big
# files are deleted at the end. Not part of the test suite (minutes, and 8 GB of disk per format).
#
#   bench/run_output.sh                  # .h5 (about 1 to 3 minutes and 9 GB free disk)
#   FORMATS="h5 npz" bench/run_output.sh # also .npz (needs twice its size while it is zipped)
#
# Knobs: N [10000], STEPS [100000], DT [0.01], FORMATS [h5], OUT [build/bench/output] (the folder
# for the big files: put it on the disk you want to measure), BUILD [build], SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
STEPS=${STEPS:-100000}
DT=${DT:-0.01}
FORMATS=${FORMATS:-h5}
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench/output}
PYTHON=/usr/bin/python3  # Debian's, which sees python3-numpy and python3-h5py
LIMIT_MB=300

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" --target ionode_exe >/dev/null
fi
IONODE=$(realpath "$BUILD/ionode")
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
trap 'rm -f "$OUT"/big.h5 "$OUT"/big.npz "$OUT"/few.npz; rm -rf "$OUT"/.big.npz.ionode-*' EXIT

VALUES=$((N * STEPS))
BYTES=$((VALUES * 8))
DURATION=$($PYTHON -c "print($STEPS * $DT)")
# Sampled neurons, read back from the big file and compared with a run that records only them.
PICK=$($PYTHON -c "import numpy as np; print(sorted(set(np.random.default_rng(1).integers(0, $N, 8).tolist()) | {0, $N - 1}))")

cat > "$OUT/run.toml" <<EOF
model = "HH"
size = $N
duration = $DURATION
dt = $DT
seed = 11
[monitors]
variables = ["V"]
[[inputs]]
target = "input"
value = 10.0
EOF

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "disk:    $(df -h "$OUT" | awk 'NR == 2 {print $4 " free of " $2 " on " $1}') ($OUT)"
echo "run:     HH, N = $N, $STEPS steps of $DT ms, V every step: $VALUES values, $((BYTES / 1000000)) MB"
echo

# Whole seconds and peak RSS of one command, from GNU time's report.
measure() {
  /usr/bin/time -v "$@" 2> "$OUT/time.txt" >/dev/null || { cat "$OUT/time.txt" >&2; return 1; }
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$OUT/time.txt")
  RSS_MB=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$OUT/time.txt")
}

measure "$IONODE" run "$OUT/run.toml" -q --set 'monitors.variables=[]' -o "$OUT/few.npz"
BASE_WALL=$WALL
BASE_RSS=$RSS_MB
echo "baseline (nothing recorded but spikes): ${BASE_WALL} s, peak RSS ${BASE_RSS} MB"
"$IONODE" run "$OUT/run.toml" -q --set "monitors.indices=$PICK" -o "$OUT/few.npz"

status=0
for format in $FORMATS; do
  sync
  measure "$IONODE" run "$OUT/run.toml" -q -o "$OUT/big.$format"
  SIZE=$(stat -c %s "$OUT/big.$format")
  $PYTHON - "$WALL" "$BASE_WALL" "$RSS_MB" "$SIZE" "$format" <<EOF
import sys
wall, base, rss, size, fmt = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
values, nbytes = $VALUES, $BYTES
print(f"{fmt}: {wall:.1f} s, peak RSS {rss:.0f} MB (limit $LIMIT_MB), file {size / 1e9:.2f} GB")
print(f"  whole run:   {values / wall:.3g} values/s, {nbytes / 1e6 / wall:.0f} MB/s")
print(f"  writing:     {nbytes / 1e6 / max(wall - base, 1e-9):.0f} MB/s (wall minus the baseline run's)")
EOF
  [ "$RSS_MB" -lt "$LIMIT_MB" ] || { echo "  FAIL: peak RSS ${RSS_MB} MB is not under ${LIMIT_MB} MB"; status=1; }
  READ_START=$(date +%s.%N)
  $PYTHON - "$OUT/big.$format" "$OUT/few.npz" "$N" "$STEPS" "$DT" "$PICK" <<'EOF' || status=1
"""Reads the big file back: shape, ts, metadata, and every sample of the picked neurons."""
import json
import sys

import numpy as np

path, few_path, n, steps, dt, pick = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), json.loads(sys.argv[6])
with np.load(few_path) as f:
    few_v, few_ts, few_spikes = f["V"], f["ts"], f["spike_times"]
if path.endswith(".h5"):
    import h5py
    f = h5py.File(path, "r")
    meta = json.loads(f["metadata"].asstr()[()])
    V, ts, spikes = f["V"], f["ts"][()], f["spike_times"][()]
else:
    import struct
    import zipfile

    def member(name):
        """An uncompressed .npz member memory-mapped (np.load would read all 8 GB into memory)."""
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(name + ".npy")
        assert info.compress_type == zipfile.ZIP_STORED
        with open(path, "rb") as fh:
            fh.seek(info.header_offset + 26)
            name_len, extra_len = struct.unpack("<HH", fh.read(4))
            fh.seek(info.header_offset + 30 + name_len + extra_len)
            np.lib.format.read_magic(fh)
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            offset = fh.tell()
        return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape)

    with np.load(path) as small:
        meta = json.loads(str(small["metadata"]))
        ts, spikes = small["ts"], small["spike_times"]
    V = member("V")
assert V.shape == (steps, n), V.shape
assert meta["complete"] is True, meta
np.testing.assert_array_equal(ts, few_ts)
np.testing.assert_allclose(ts, dt * np.arange(1, steps + 1), rtol=1e-12)
assert np.array_equal(spikes, few_spikes), "spike times differ"
band = 2000  # rows read at a time, so that this check too stays in bounded memory
for t0 in range(0, steps, band):
    rows = V[t0:t0 + band]
    got = rows[:, pick]
    assert np.array_equal(got, few_v[t0:t0 + band]), f"rows {t0}..{t0 + band} differ"
    assert np.isfinite(rows).all(), f"non-finite values in rows {t0}..{t0 + band}"
print(f"  read back:   shape {V.shape}, ts, {len(spikes)} spikes and all {steps} samples of neurons {pick} equal; "
      "every value finite")
EOF
  READ_END=$(date +%s.%N)
  $PYTHON -c "print(f'  read rate:   {$BYTES / 1e6 / ($READ_END - $READ_START):.0f} MB/s (h5py/NumPy, whole file)')"
  rm -f "$OUT/big.$format"
done
exit $status
