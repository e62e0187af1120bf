"""Compares two network results file by file (.npz or .h5): every array bit for bit, and the metadata
except the keys that say how the run was spread or resumed (threads, ranks, resumed_from). Exit
status 0 when equal, 1 with the differences. Used by tests/mpi and tests/cli/test_cli_checkpoint.py."""
import json
import sys

import numpy as np

HOW_SPREAD = {"threads", "ranks", "resumed_from"}


def load(path):
    if str(path).endswith((".h5", ".hdf5")):
        import h5py
        with h5py.File(path, "r") as f:
            arrays = {k: f[k][()] for k in f.keys() if k != "metadata"}
            meta = json.loads(f["metadata"].asstr()[()])
        return arrays, meta
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files if k != "metadata"}
        meta = json.loads(str(f["metadata"]))
    return arrays, meta


def differences(a_path, b_path):
    a, a_meta = load(a_path)
    b, b_meta = load(b_path)
    out = []
    if sorted(a) != sorted(b):
        out.append(f"arrays {sorted(a)} != {sorted(b)}")
    for key in sorted(set(a) & set(b)):
        x, y = a[key], b[key]
        if x.shape != y.shape or x.dtype != y.dtype:
            out.append(f"{key}: shape/dtype {x.shape} {x.dtype} != {y.shape} {y.dtype}")
        elif x.tobytes() != y.tobytes():
            bad = np.flatnonzero(x.reshape(-1) != y.reshape(-1))
            out.append(f"{key}: {bad.size} values differ, first at flat index {bad[:5]}")
    for key in sorted((set(a_meta) | set(b_meta)) - HOW_SPREAD):
        if a_meta.get(key) != b_meta.get(key):
            out.append(f"metadata {key}: {str(a_meta.get(key))[:80]} != {str(b_meta.get(key))[:80]}")
    return out


if __name__ == "__main__":
    pairs = sys.argv[1:]
    failed = False
    for a_path, b_path in zip(pairs[::2], pairs[1::2]):
        diff = differences(a_path, b_path)
        if diff:
            failed = True
            print(f"{a_path} vs {b_path}:")
            for line in diff:
                print("  " + line)
    sys.exit(1 if failed else 0)
