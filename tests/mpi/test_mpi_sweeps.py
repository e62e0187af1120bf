"""Sweeps over MPI ranks (issue 14): `mpirun -np P ionode analyze fi` shares the values (each is its own
batch copy, its drawn initial state keyed by its index among all values) or the up and down sweeps
among the ranks, and writes the one-process JSON byte for byte."""

import pytest

from conftest import run_alone, run_mpi

FI = ["analyze", "fi", "--range", "0", "20", "--points", "11", "--transient", "100", "--window", "200",
      "--threads", "1"]


@pytest.mark.parametrize("model,ranks", [("HH", 3), ("WangBuzsaki", 4), ("MorrisLecar", 2)])
def test_an_fi_curve_over_ranks_is_the_one_process_curve(tmp_path, model, ranks):
    alone = run_alone([*FI, "--model", model, "-o", "alone.json", "-q"], tmp_path)
    assert alone.returncode == 0, alone.stderr
    spread = run_mpi(ranks, [*FI, "--model", model, "-o", "spread.json"], tmp_path)
    assert spread.returncode == 0, spread.stderr
    assert (tmp_path / "spread.json").read_bytes() == (tmp_path / "alone.json").read_bytes()
    assert spread.stdout.count("firing rate for") == 1, spread.stdout  # rank 0 speaks


def test_up_and_down_sweeps_run_on_two_ranks_as_on_one(tmp_path):
    args = [*FI, "--model", "HH", "--sweep", "both"]
    assert run_alone([*args, "-o", "alone.json", "-q"], tmp_path).returncode == 0
    spread = run_mpi(2, [*args, "-o", "spread.json", "-q"], tmp_path)
    assert spread.returncode == 0, spread.stderr
    assert (tmp_path / "spread.json").read_bytes() == (tmp_path / "alone.json").read_bytes()


def test_a_bad_output_is_every_rank_error(tmp_path):
    proc = run_mpi(3, [*FI, "--model", "HH", "-o", "missing/fi.json"], tmp_path, timeout=60)
    said = [line for line in proc.stderr.splitlines() if line.startswith("ionode")]
    assert proc.returncode == 2 and len(said) == 1 and "missing" in said[0], proc.stderr
