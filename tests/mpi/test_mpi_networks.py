"""Networks over MPI ranks (issue 14): `mpirun -np P ionode run NET.toml` writes bitwise the files of the
one-process run, for P = 1 to 4 and threads per rank 1 or 2; a failure on one rank stops them all with
its message and finalized files; SIGTERM finalizes them too.

The reference is the same binary without mpirun (one process, one thread), itself validated against
Brian2 and the high-accuracy gamma network (tests/validation). Equality is bit for bit: each rank owns
contiguous parts of every population and applies every event to its targets in the canonical order, so
no sum is reordered; any difference is a bug, so there is no tolerance.
"""

import json
import re
import signal
import subprocess
import time

import numpy as np
import pytest

from compare_results import differences
from network_examples import example
from conftest import MPI_ENV, mpirun_command, run_alone, run_mpi


def population_names(config):
    return re.findall(r'(?m)^name = "(\w+)"\s*\n(?:model|source)', config.read_text())


def assert_same_as_one_process(config, cwd, runs):
    alone = run_alone(["run", config, "-o", "alone.npz", "-q", "--threads", "1"], cwd)
    assert alone.returncode == 0, alone.stderr
    names = population_names(config)
    assert names
    for ranks, threads in runs:
        out = f"p{ranks}t{threads}.npz"
        proc = run_mpi(ranks, ["run", config, "-o", out, "-q", "--threads", threads], cwd)
        assert proc.returncode == 0, proc.stderr
        for name in names:
            diff = differences(cwd / f"alone.{name}.npz", cwd / f"p{ranks}t{threads}.{name}.npz")
            assert not diff, (ranks, threads, name, diff)
            with np.load(cwd / f"p{ranks}t{threads}.{name}.npz") as f:
                meta = json.loads(str(f["metadata"]))
            assert meta["complete"] is True
            if ranks > 1:
                assert meta.get("ranks", ranks) == ranks


ALL = [(1, 1), (2, 1), (3, 1), (4, 1), (2, 2)]


def test_cobahh_is_bitwise_the_one_process_run(tmp_path):
    # Delay 0: an exchange every step. The monitored neurons in a scrambled order, over every rank's part.
    config = example("cobahh", tmp_path, 100.0,
                     [("indices = [0, 1, 2]", "indices = [3199, 0, 1700, 17, 2500, 1]")])
    assert_same_as_one_process(config, tmp_path, ALL)


def test_poisson_driven_network_with_delays_is_bitwise_the_one_process_run(tmp_path):
    # Delays of 1 to 3 ms: epochs of 11 steps; Poisson sources split over the ranks like populations.
    config = example("ei_poisson_delays", tmp_path, 200.0,
                     [("indices = [0, 1, 2]", "indices = [790, 0, 17, 400, 2]")])
    assert_same_as_one_process(config, tmp_path, ALL)


def test_gamma_network_with_graded_synapses_is_bitwise_the_one_process_run(tmp_path):
    # Graded GABA_A synapses: the presynaptic voltages are exchanged every step (100 cells: 7 chunks of 16).
    config = example("wang_buzsaki_gamma", tmp_path, 30.0)
    assert_same_as_one_process(config, tmp_path, [(2, 1), (3, 1), (4, 1), (2, 2)])


MIXED = """\
# Everything a part must slice or key by global index: per-neuron lists (parameters, initial values,
# inputs), drawn values and noise, populations smaller than a rank's share (5 neurons: only rank 0 holds
# any), sizes that are not multiples of 16, the in-degree, out-degree and probability rules with drawn
# weights and delays, spike-time sources, current-based synapses, and the target compartment.
duration = 60.0
dt = 0.05
seed = 9

[[populations]]
name = "S"
source = "spike_times"
size = 7
indices = [0, 3, 6, 2, 5]
times = [1.0, 2.5, 4.0, 10.0, 12.35]

[[populations]]
name = "Q"
source = "poisson"
size = 50
rate = 40.0

[[populations]]
name = "A"
model = "HH"
size = 37
params = {gNa = {uniform = [100.0, 140.0]}}
initial = {V = {normal = [-65.0, 3.0]}}
noise = {V = 0.5}
monitors = {variables = ["V", "m"], indices = [36, 0, 20, 5], spikes = true}
[[populations.inputs]]
target = "input"
value = [%(inputs)s]

[[populations]]
name = "B"
model = "PinskyRinzel"
size = 5
monitors = {variables = ["Vs"], spikes = true}
[[populations.inputs]]
target = "Is"
value = 1.0

[[populations]]
name = "C"
model = "TraubMiles"
size = 70
initial = {V = {uniform = [-70.0, -55.0]}}
monitors = {variables = ["V"], spikes = true}

[[projections]]
pre = "Q"
post = "A"
synapse = "exponential"
tau = 3.0
E = 0.0
connect = {rule = "in_degree", degree = 6}
weight = {lognormal = [-3.0, 0.5]}
delay = {uniform = [0.5, 2.0]}

[[projections]]
pre = "A"
post = "C"
synapse = "dual_exponential"
tau_rise = 1.0
tau = 4.0
E = 0.0
connect = {rule = "out_degree", degree = 9}
weight = {normal = [0.02, 0.01]}
delay = 1.0

[[projections]]
pre = "S"
post = "B"
target = "dendrite"
synapse = "exponential"
tau = 2.0
E = 0.0
connect = {rule = "all_to_all"}
weight = 0.3

[[projections]]
pre = "C"
post = "A"
synapse = "alpha"
tau = 2.0
output = "current"
connect = {rule = "probability", p = 0.2}
weight = {normal = [-0.5, 0.2]}
delay = {uniform = [0.3, 1.2]}
"""


def test_parts_of_every_kind_of_population_are_bitwise_the_one_process_run(tmp_path):
    inputs = ", ".join(f"{3.0 + 0.25 * i:.2f}" for i in range(37))
    config = tmp_path / "mixed.toml"
    config.write_text(MIXED % {"inputs": inputs})
    assert_same_as_one_process(config, tmp_path, [(2, 1), (3, 1), (4, 1), (3, 2)])


DIVERGING = """\
duration = 50.0
dt = 0.05
seed = 4
[[populations]]
name = "A"
model = "TraubMiles"
size = 40
monitors = {variables = ["V"], spikes = true}
[[populations]]
name = "B"
model = "HH"
size = 48
method = "euler"
monitors = {variables = ["V"], indices = [0, 47], spikes = true}
[[populations.inputs]]
target = "input"
value = [%(inputs)s]
[[projections]]
pre = "B"
post = "A"
E = 0.0
connect = {rule = "probability", p = 0.3}
weight = 0.01
delay = 0.5
"""


def test_a_divergence_on_one_rank_stops_every_rank_with_its_message(tmp_path):
    # Neuron 40 of B (rank 2's part of 3) gets an input that blows it up; the others are ordinary.
    inputs = ", ".join("1e12" if i == 40 else "10.0" for i in range(48))
    config = tmp_path / "diverging.toml"
    config.write_text(DIVERGING % {"inputs": inputs})
    alone = run_alone(["run", config, "-o", "alone.npz"], tmp_path)
    assert alone.returncode == 2 and "neuron 40" in alone.stderr, alone.stderr
    start = time.monotonic()
    proc = run_mpi(3, ["run", config, "-o", "d.npz"], tmp_path, timeout=120)
    assert time.monotonic() - start < 60, "a rank was left waiting"
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "population B" in proc.stderr and "neuron 40" in proc.stderr and "non-finite" in proc.stderr, proc.stderr
    assert proc.stderr.count("ionode: error") == 1, proc.stderr  # rank 0 speaks for all
    for name in ("A", "B"):
        with np.load(tmp_path / f"d.{name}.npz") as f:
            meta = json.loads(str(f["metadata"]))
            assert meta["complete"] is False and "population B" in meta["stop_reason"], meta
            assert f["ts"].size > 0 and np.all(np.isfinite(f["V"]))


def test_a_bad_drawn_value_on_one_rank_is_every_rank_error(tmp_path):
    # Delays drawn per synapse, about one of the 192 above the limit of 65535 steps (2.55 sd above the
    # mean): found by the one rank that builds its target, agreed by all (else the others would wait).
    config = tmp_path / "bad.toml"
    config.write_text(
        'duration = 5.0\ndt = 0.001\n[[populations]]\nname = "A"\nmodel = "TraubMiles"\nsize = 64\n'
        '[[projections]]\npre = "A"\npost = "A"\nE = 0.0\nconnect = {rule = "in_degree", degree = 3}\n'
        'weight = 0.01\ndelay = {normal = [40.0, 10.0]}\n')
    alone = run_alone(["run", config, "-o", "a.npz"], tmp_path)
    assert alone.returncode == 2 and "delay" in alone.stderr, alone.stderr
    proc = run_mpi(4, ["run", config, "-o", "a.npz"], tmp_path, timeout=60)
    said = [line for line in proc.stderr.splitlines() if line.startswith("ionode")]  # not mpirun's notice
    assert proc.returncode == 2 and said == alone.stderr.splitlines(), (proc.stderr, alone.stderr)


def test_sigterm_finalizes_every_file(tmp_path):
    config = example("cobahh", tmp_path, 100000.0)
    proc = subprocess.Popen(mpirun_command(2, ["run", config, "-o", "t.npz", "--threads", "1"]), cwd=tmp_path,
                            env=MPI_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 3 and time.monotonic() < deadline:  # the config and two spool folders
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    for name in ("E", "I"):
        with np.load(tmp_path / f"t.{name}.npz") as f:
            meta = json.loads(str(f["metadata"]))
            assert meta["complete"] is False and "interrupted" in meta["stop_reason"], (meta, stderr)
            assert f["spike_times"].size > 0


def test_a_single_population_is_refused_over_several_ranks(tmp_path):
    proc = run_mpi(2, ["run", "-o", "x.npz"], tmp_path, timeout=60)
    assert proc.returncode == 2 and "[[populations]]" in proc.stderr, proc.stderr


@pytest.mark.parametrize("example_name,duration,names,writers,readers", [
    ("ei_poisson_delays", 200.0, ["P", "E", "I"], 2, 3),
    ("wang_buzsaki_gamma", 30.0, ["WB"], 1, 4),
    ("cobahh", 100.0, ["E", "I"], 4, 1),
])
def test_a_checkpoint_resumes_bitwise_on_another_number_of_ranks(tmp_path, example_name, duration, names, writers,
                                                                  readers):
    # The checkpoint holds the one-process layout: any number of ranks reads its own parts of it.
    config = example(example_name, tmp_path, duration)
    alone = run_alone(["run", config, "-o", "s.npz", "-q", "--threads", "1"], tmp_path)
    assert alone.returncode == 0, alone.stderr
    half = duration / 2
    run = run_mpi if writers > 1 else (lambda ranks, args, cwd: run_alone(args, cwd))
    first = run(writers, ["run", config, "--set", f"duration={half}", "-o", "c.npz", "-q", "--threads", "1",
                          "--checkpoint-every", half], tmp_path)
    assert first.returncode == 0, first.stderr
    run = run_mpi if readers > 1 else (lambda ranks, args, cwd: run_alone(args, cwd))
    resumed = run(readers, ["run", config, "-o", "c.npz", "-q", "--threads", "1", "--resume", "c.checkpoint.h5"],
                  tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    for name in names:
        diff = differences(tmp_path / f"s.{name}.npz", tmp_path / f"c.{name}.npz")
        assert not diff, (name, diff)


def test_cobahh_with_delays_over_three_ranks_reproduces_brian2_spike_for_spike(tmp_path):
    # Brian2's COBAHH with drawn delays (../shared/reference/networks): explicit synapses, weights, delays
    # and initial states read by each rank for its own targets; the raster must be Brian2's, as one
    # process's is (tests/cli/test_cli_network.py).
    import os
    from pathlib import Path
    from network_examples import cobahh_from_reference
    reference = Path(os.environ.get("IONODE_SHARED_DIR", "/work/shared")) / "reference" / "networks" / \
        "cobahh_delays_seed11.npz"
    if not reference.exists():
        pytest.skip("the shared network references are absent")
    ref = np.load(reference)
    ne = int(ref["NE"])
    config = tmp_path / "cobahh.toml"
    config.write_text(cobahh_from_reference(reference))
    proc = run_mpi(3, ["run", config, "-o", "out.npz", "-q", "--threads", "1"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    ours = []
    for name, offset in (("E", 0), ("I", ne)):
        with np.load(tmp_path / f"out.{name}.npz") as f:
            steps = np.ceil(f["spike_times"] / 0.1 - 1e-9).astype(np.int64) - 1  # the step the crossing lies in
            ours += list(zip(steps.tolist(), (f["spike_indices"] + offset).tolist()))
    theirs = sorted(zip(np.rint(ref["spike_times"] / 0.1).astype(np.int64).tolist(), ref["spike_indices"].tolist()))
    assert len(theirs) > 100000 and sorted(ours) == theirs
