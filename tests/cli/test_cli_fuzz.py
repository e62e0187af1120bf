"""A bounded, seeded mutation run of `ionode run` over the example configurations and input files.

Spec (issue 11, section 8): whatever the configuration or data file, `ionode run` never dies by a
signal (139 segfault, 134 abort), never prints "internal error", never hangs before the run starts,
and exits 0 only with an output file that exists and reads back; anything it refuses is exit 2.
Mutations: byte flips, huge and non-finite numbers, wrong types, odd files (devices, folders, .npy
files whose headers lie). Each case is a pure function of (seed, index), so a failure reruns alone:

    IONODE_FUZZ_SEED=11 IONODE_FUZZ_CASE=123 python3 -m pytest tests/cli/test_cli_fuzz.py

IONODE_FUZZ_SECONDS bounds the run (default 45 s on 2 workers); IONODE_FUZZ_CASES the count.
"""

import concurrent.futures
import csv
import json
import os
import random
import re
import resource
import signal
import struct
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np

from conftest import IONODE_BIN as _BIN

IONODE_BIN = os.path.abspath(_BIN)

SOURCE_DIR = Path(os.environ.get("IONODE_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SEED = int(os.environ.get("IONODE_FUZZ_SEED", "11"))
SECONDS = float(os.environ.get("IONODE_FUZZ_SECONDS", "45"))
MAX_CASES = int(os.environ.get("IONODE_FUZZ_CASES", "100000"))
ONLY_CASE = os.environ.get("IONODE_FUZZ_CASE")
WORKERS = 2
CASE_TIMEOUT_S = 8  # then SIGTERM: a run that started finalizes its file and exits 143
MEMORY_LIMIT = 4 << 30  # address space per ionode process: a mutant must not take the machine's memory

# Values that break naive size arithmetic: past int64 and size_t, products that wrap, non-finite.
HUGE = [
    "1e18", "9.3e18", "1.8446744073709552e+19", "1e20", "1e300", "1.7976931348623157e308", "-1e18",
    "4611686018427387904", "6148914691236517206", "9223372036854775807", "-9223372036854775808",
    "4294967296", "1000000000000", "0", "-1", "0.0", "-0.0", "1e-300", "5e-324", "nan", "inf", "-inf",
]
WRONG_TYPES = ['"x"', "[]", "{}", "true", '[1, "a"]', "{uniform = [1]}", '""', "[[1, 2], [3]]", "1979-05-27"]
EXTRA_LINES = [
    "batch = 4611686018427387904", "batch = 1000000000000", "size = [3, 6148914691236517206]",
    "size = 1000000000000", "size = [65536, 65536, 65536]", "threads = 1025", "threads = 0",
    "seed = 9223372036854775807", 'precision = "float32"', 'method = "rkdp"', 'method = "milstein"',
    "noise = 1e308", "duration = 1e18", "dt = 5e-324",
]
ODD_FILES = ["/dev/zero", "/dev/null", ".", "missing.npy", "good.npy", "huge.npy", "wraps.npy", "trunc.npy",
             "mutant.npy", "f4.npy", "bad_dtype.npy", "run.toml"]
GENERATORS = [
    "{wiener = {n = 4611686018427387904}}", "{wiener = {n = 3}}",
    "{ou = {mean = 0.0, sigma = 1.0, tau = 5.0, duration = 1.8446744073709552e+19, t_start = 1.0, t_end = 5.0}}",
    "{ou = {mean = 0.0, sigma = 1.0, tau = 5.0, duration = 1e20}}",
    "{ramp = {c_start = 0.0, c_end = 10.0, duration = 1e17}}",
    "{spike = {times = [1e300], lens = 1e300, sizes = 5.0}}",
    "{section = {values = [1.0, 2.0], durations = [1e308, 1e308]}}",
    "{sinusoidal = {amplitude = 1.0, frequency = 1e300}}", "{square = {amplitude = 1.0, frequency = 10.0, t_end = 1e19}}",
]
NUMBER = re.compile(r"(?<![A-Za-z_\"])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![A-Za-z_\"])")
VALUE = re.compile(r"^(\s*[A-Za-z_][A-Za-z_0-9]*\s*=\s*)(.+)$", re.M)


def npy_bytes(dict_text, data=b""):
    header = dict_text
    while (10 + len(header) + 1) % 64:
        header += " "
    header += "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def write_files(folder, rng):
    """The data files a mutant may name: good ones, ones whose header lies, and a byte-flipped one."""
    good = np.lib.format  # NumPy's own writer for the good files
    with open(folder / "good.npy", "wb") as f:
        good.write_array(f, np.linspace(0.0, 20.0, 4000).reshape(2000, 2))
    with open(folder / "f4.npy", "wb") as f:
        good.write_array(f, np.full(3000, 5.0, dtype=np.float32))
    shape = lambda s: "{'descr': '<f8', 'fortran_order': False, 'shape': " + s + ", }"
    (folder / "huge.npy").write_bytes(npy_bytes(shape("(4611686018427387904, 4)"), bytes(64)))
    (folder / "wraps.npy").write_bytes(npy_bytes(shape("(4294967296, 4294967296)"), bytes(64)))
    (folder / "trunc.npy").write_bytes(npy_bytes(shape("(2000, 2)"), bytes(100)))
    (folder / "bad_dtype.npy").write_bytes(npy_bytes("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }", bytes(24)))
    data = bytearray((folder / "good.npy").read_bytes())
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(0, 128) if rng.random() < 0.8 else rng.randrange(len(data))
        data[at] = rng.randrange(256)
    (folder / "mutant.npy").write_bytes(bytes(data))


def seeds():
    """The example configurations, shortened to 20 ms so that a case takes a fraction of a second."""
    out = {}
    for path in sorted((SOURCE_DIR / "examples" / "configs").glob("*.toml")):
        text = re.sub(r"(?m)^duration = [0-9.]+", "duration = 20.0", path.read_text())
        out[path.name] = re.sub(r'(?m)^path = ".*"', "", text)  # the output is -o, given per case
    return out


def mutate(text, rng):
    """1 to 3 mutations of one kind or another."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["flip", "number", "number", "type", "line", "file", "generator"])
        if kind == "flip" and text:
            data = bytearray(text.encode())
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(len(data))
                choice = rng.random()
                if choice < 0.6:
                    data[at] = rng.choice(b"0123456789.-+e[]{}=\",\n #x") if rng.random() < 0.7 else rng.randrange(256)
                elif choice < 0.8:
                    del data[at]
                else:
                    data.insert(at, data[at])
            text = data.decode("utf-8", errors="replace")
        elif kind == "number":
            numbers = list(NUMBER.finditer(text))
            if numbers:
                m = rng.choice(numbers)
                text = text[: m.start()] + rng.choice(HUGE) + text[m.end():]
        elif kind == "type":
            values = list(VALUE.finditer(text))
            if values:
                m = rng.choice(values)
                text = text[: m.start(2)] + rng.choice(WRONG_TYPES) + text[m.end(2):]
        elif kind == "line":
            text = rng.choice(EXTRA_LINES) + "\n" + text  # top-level keys go before the first table
        elif kind == "file":
            text += f'\n[[inputs]]\ntarget = "input"\nvalue = {{file = "{rng.choice(ODD_FILES)}"}}\n'
        else:
            text += f'\n[[inputs]]\ntarget = "input"\nvalue = {rng.choice(GENERATORS)}\n'
    return text


def output_readable(path):
    """None if the result file reads back (its format's own reader), else why not."""
    try:
        if path.suffix == ".npz":
            with np.load(path, allow_pickle=False) as data:
                json.loads(str(data["metadata"]))
                for name in data.files:
                    data[name]
        elif path.suffix == ".h5":
            with h5py.File(path, "r") as f:
                json.loads(f["metadata"].asstr()[()])
                for name in f:
                    f[name][()]
        else:
            with open(path, newline="") as f:
                rows = list(csv.reader(f))
            assert rows and rows[0][0] == "t", "no header row"
            assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
            json.loads((path.parent / (path.stem + ".metadata.json")).read_text())
        return None
    except Exception as e:  # noqa: BLE001 - any failure to read is the finding
        return f"{type(e).__name__}: {e}"


def limit_memory():
    # AddressSanitizer reserves terabytes of address space for its shadow memory: under
    # scripts/sanitize.sh (IONODE_SANITIZED=1) its own allocator limit stands in for ulimit -v.
    if not os.environ.get("IONODE_SANITIZED"):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_case(index, base_dir, seed_texts):
    """Runs case `index`; returns None or a description of what went wrong."""
    rng = random.Random(SEED * 1_000_003 + index)
    folder = base_dir / f"case{index}"
    folder.mkdir()
    write_files(folder, rng)
    name = rng.choice(sorted(seed_texts))
    text = mutate(seed_texts[name], rng)
    (folder / "run.toml").write_text(text, errors="replace")
    output = folder / ("out." + rng.choice(["npz", "npz", "h5", "csv"]))
    args = [IONODE_BIN, "run", "run.toml", "-o", output.name, "--quiet"]
    proc = subprocess.Popen(args, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", preexec_fn=limit_memory)
    started = time.monotonic()
    try:
        stdout, stderr = proc.communicate(timeout=CASE_TIMEOUT_S)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        try:
            stdout, stderr = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
        timed_out = True
    where = f"case {index} (seed {name}, {time.monotonic() - started:.1f} s)"
    report = f"{where}\n--- run.toml ---\n{text}\n--- stderr ---\n{stderr[-2000:]}"
    if proc.returncode < 0:
        return f"killed by signal {-proc.returncode}: {report}"
    if proc.returncode in (132, 134, 135, 136, 139):
        return f"exit status {proc.returncode} (a crash): {report}"
    if "internal error" in stderr:
        return f"internal error: {report}"
    if timed_out:
        # A long run that started (its file exists) was stopped by us; one that never began hangs.
        if not any(folder.glob("out.*")) and not any(folder.glob(".out*")):
            return f"hang before the run started: {report}"
        return None
    if proc.returncode not in (0, 2):
        return f"exit status {proc.returncode}, expected 0 or 2: {report}"
    if proc.returncode == 2 and not stderr.strip():
        return f"exit status 2 without a message: {report}"
    if proc.returncode == 0:
        if not output.exists():
            return f"exit 0 but no output file: {report}"
        why = output_readable(output)
        if why is not None:
            return f"exit 0 but the output does not read back ({why}): {report}"
    return None


def test_mutated_configurations_never_crash_hang_or_report_internal_errors(tmp_path):
    seed_texts = seeds()
    assert len(seed_texts) >= 3, f"no example configurations under {SOURCE_DIR}"
    if ONLY_CASE is not None:
        indices = iter([int(ONLY_CASE)])
    else:
        indices = iter(range(MAX_CASES))
    deadline = time.monotonic() + SECONDS
    failures, done = [], 0
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        running = set()
        while True:
            while len(running) < WORKERS and time.monotonic() < deadline:
                index = next(indices, None)
                if index is None:
                    break
                running.add(pool.submit(run_case, index, tmp_path, seed_texts))
            if not running:
                break
            finished, running = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in finished:
                done += 1
                if (why := future.result()) is not None:
                    failures.append(why)
    assert not failures, f"{len(failures)} of {done} mutated cases failed; the first:\n\n" + "\n\n".join(failures[:3])
    if ONLY_CASE is None:
        assert done >= 40, f"only {done} cases ran in {SECONDS} s"
