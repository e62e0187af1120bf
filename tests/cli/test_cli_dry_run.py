"""`ionode run NET.toml --dry-run P` (issue 14): one process computes rank 0's part of P ranks, the other
ranks' spikes made from its own, and reports what a rank holds and receives; it writes no output.
Checked against what the partition and the connectivity rule imply, computed here independently."""

import math
import re
import sys
from pathlib import Path

from conftest import run_ionode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
from network_examples import example  # noqa: E402


def part_of(neurons, rank, ranks):
    """docs/networks.md: whole 16-neuron chunks, chunk c on the rank r with ceil(C r / P) <= c < ceil(C (r+1) / P)."""
    chunks = -(-neurons // 16)
    first, last = -(-chunks * rank // ranks), -(-chunks * (rank + 1) // ranks)
    return min(neurons, 16 * first), min(neurons, 16 * last) - min(neurons, 16 * first)


def test_a_dry_run_of_one_rank_is_the_one_process_run_and_writes_nothing(tmp_path):
    config = example("ei_poisson_delays", tmp_path, 100.0)
    alone = run_ionode(["run", config, "-o", "a.npz", "--threads", "1"], tmp_path)
    dry = run_ionode(["run", config, "-o", "d.npz", "--threads", "1", "--dry-run", "1"], tmp_path)
    assert alone.returncode == 0 and dry.returncode == 0, dry.stderr
    spikes = lambda out: re.findall(r"(\d+) spikes", out)
    assert spikes(dry.stdout) == spikes(alone.stdout) and spikes(alone.stdout)
    assert not list(tmp_path.glob("d.*")), list(tmp_path.glob("d.*"))


def test_a_dry_run_holds_one_rank_share(tmp_path):
    ranks = 64
    config = example("cobahh", tmp_path, 10.0)
    proc = run_ionode(["run", config, "--threads", "1", "--dry-run", ranks], tmp_path)
    assert proc.returncode == 0, proc.stderr
    held = part_of(3200, 0, ranks)[1] + part_of(800, 0, ranks)[1]
    line = re.search(r"per rank: (\d+) neurons, (\d+) synapses", proc.stdout)
    assert line and int(line.group(1)) == held, proc.stdout
    # Bernoulli(0.02) from each of the 4000 sources onto each held target: within 5 standard deviations.
    mean = 0.02 * 4000 * held
    assert abs(int(line.group(2)) - mean) < 5 * math.sqrt(mean * 0.98), (line.group(2), mean)
    # Every rank's record has at least its flags and one count per step (no delay: an epoch is a step).
    epochs, per_epoch = re.search(r"exchange: (\d+) epochs of up to 1 steps, ([0-9.e+]+) bytes", proc.stdout).groups()
    assert int(epochs) == 100 and float(per_epoch) >= ranks * 8, proc.stdout


def test_a_dry_run_refuses_checkpoints(tmp_path):
    config = example("cobahh", tmp_path, 10.0)
    proc = run_ionode(["run", config, "--dry-run", "8", "--checkpoint-every", "5"], tmp_path)
    assert proc.returncode == 2 and "--dry-run measures and writes nothing" in proc.stderr, proc.stderr
    proc = run_ionode(["run", config, "--dry-run", "0"], tmp_path)
    assert proc.returncode == 2, proc.stderr
