"""Sweeps over MPI ranks (issue 14): `mpirun -np P ionode analyze fi` shares the values (each is its own
batch copy, its drawn initial state keyed by its index among all values) or the up and down sweeps
among the ranks, and writes the one-process JSON byte for byte; `mpirun -np P ionode run` of a batch
shares its copies and writes the one-process file value for value."""

import pytest

from compare_results import differences
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


BATCH = """\
model = "{model}"
size = 3
batch = 7
duration = 40.0
dt = 0.05
initial = {{{v} = {{uniform = [-70.0, -60.0]}}}}
{noise}
[[inputs]]
target = "{input}"
value = [{inputs}]
[monitors]
variables = ["{v}"]
indices = [2, 0]
spikes = true
"""


@pytest.mark.parametrize("model,v,input,noisy,ext,ranks,threads", [
    ("HH", "V", "input", True, ".npz", 3, 1),
    ("HH", "V", "input", False, ".h5", 4, 1),
    ("PinskyRinzel", "Vs", "Is", True, ".npz", 2, 2),
])
def test_batch_copies_over_ranks_are_the_one_process_run(tmp_path, model, v, input, noisy, ext, ranks, threads):
    # Copies split in units that keep the noise's packs of 4 instances whole (3 neurons: units of 4 copies),
    # drawn initial values keyed by the global instance, a list of one input per neuron and copy.
    inputs = ", ".join(f"{2.0 + 0.5 * i:.1f}" for i in range(21))
    text = BATCH.format(model=model, v=v, input=input, inputs=inputs, noise=f"noise = {{{v} = 0.3}}" if noisy else "")
    config = tmp_path / "batch.toml"
    config.write_text(text)
    alone = run_alone(["run", config, "-o", f"alone{ext}", "-q", "--threads", "1"], tmp_path)
    assert alone.returncode == 0, alone.stderr
    spread = run_mpi(ranks, ["run", config, "-o", f"spread{ext}", "-q", "--threads", threads], tmp_path)
    assert spread.returncode == 0, spread.stderr
    assert not differences(tmp_path / f"alone{ext}", tmp_path / f"spread{ext}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["batch.toml", f"alone{ext}", f"spread{ext}"])


def test_a_copy_diverging_on_one_rank_cuts_every_copy_where_one_process_stops(tmp_path):
    inputs = ", ".join("1e12" if i == 9 else "10.0" for i in range(12))  # copy 4, on rank 2 of 3
    config = tmp_path / "div.toml"
    config.write_text('model = "HH"\nsize = 2\nbatch = 6\nduration = 20.0\ndt = 0.05\nmethod = "euler"\n'
                      f'[[inputs]]\ntarget = "input"\nvalue = [{inputs}]\n[monitors]\nvariables = ["V"]\n')
    alone = run_alone(["run", config, "-o", "alone.npz"], tmp_path)
    assert alone.returncode == 2 and "batch copy 4" in alone.stderr, alone.stderr
    spread = run_mpi(3, ["run", config, "-o", "spread.npz"], tmp_path, timeout=60)
    said = [line for line in spread.stderr.splitlines() if line.startswith("ionode")]
    assert spread.returncode == 2 and said == alone.stderr.splitlines(), spread.stderr
    assert not differences(tmp_path / "alone.npz", tmp_path / "spread.npz")
