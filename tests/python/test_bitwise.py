"""The Python module gives the same bits as the C++ API and the command line for the same
configuration: parameters per neuron and random, random initial state, noise, constant and
generated inputs, batches, several methods, and a user-defined model (test_user_model.py)."""

import numpy as np
import pytest

import ionode
from conftest import API_REFERENCE, assert_same_bits, run_cli_config, run_program


def hh_noisy_python(threads=0):
    """API_CONFIG of api_reference.cpp and HH_TOML below, through the Python module."""
    group = ionode.neurons.HH(3, seed=5, gNa=np.array([110., 120., 130.]), gL=ionode.init.Uniform(0.02, 0.04),
                              V_initializer=ionode.init.Normal(-65., 2.), noise=0.5)
    pulses = ionode.inputs.spike_input([10., 30.], 2., 10., 60., dt=0.02)
    runner = ionode.DSRunner(group, monitors=['V', 'n'], inputs=[('input', 6.), ('input', pulses, 'iter')],
                             dt=0.02, threads=threads)
    runner.run(60.)
    return runner


HH_TOML = """
model = "HH"
size = 3
seed = 5
duration = 60.0
dt = 0.02
noise = 0.5
[params]
gNa = [110.0, 120.0, 130.0]
gL = {uniform = [0.02, 0.04]}
[initial]
V = {normal = [-65.0, 2.0]}
[[inputs]]
target = "input"
value = 6.0
[[inputs]]
target = "input"
value = {spike = {times = [10.0, 30.0], lens = 2.0, sizes = 10.0}}
[monitors]
variables = ["V", "n"]
"""


def test_hh_with_noise_equals_the_cpp_api():
    runner = hh_noisy_python()
    samples, spikes = [], []
    for line in run_program([API_REFERENCE], ".").splitlines():
        kind, *fields = line.split()
        if kind == "sample":
            samples.append([float.fromhex(f) for f in fields])
        else:
            spikes.append((float.fromhex(fields[0]), int(fields[1])))
    samples = np.array(samples)
    assert_same_bits(runner.mon.ts, samples[:, 0], "ts")
    assert_same_bits(np.ascontiguousarray(runner.mon.V), samples[:, 1:4], "V")
    assert_same_bits(np.ascontiguousarray(runner.mon.n), samples[:, 4:7], "n")
    assert_same_bits(runner.spikes.times, np.array([s[0] for s in spikes]), "spike times")
    assert_same_bits(runner.spikes.indices, np.array([s[1] for s in spikes], dtype=np.int64), "spike indices")
    assert len(spikes) > 3


def test_hh_with_noise_equals_the_command_line(tmp_path):
    runner = hh_noisy_python()
    cli = run_cli_config(tmp_path, HH_TOML)
    for key, value in (("ts", runner.mon.ts), ("V", runner.mon.V), ("n", runner.mon.n),
                       ("spike_times", runner.spikes.times), ("spike_indices", runner.spikes.indices)):
        assert_same_bits(value, cli[key], key)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_the_thread_count_changes_nothing(threads):
    reference, runner = hh_noisy_python(threads=1), hh_noisy_python(threads=threads)
    assert_same_bits(runner.mon.V, reference.mon.V, f"V with {threads} threads")


BATCH_CASES = {
    # model, Python keywords, runner keywords, TOML
    "pinsky_rinzel_rkdp_batch": (
        ionode.neurons.PinskyRinzelModel, dict(size=2, batch=3, seed=2, variant="seed", method="rkdp",
                                               gc=np.array([[1.5], [2.1], [2.7]]),
                                               Vs_initializer=ionode.init.Uniform(-66., -62.)),
        dict(inputs=[('Is', 1.5), ('Id', np.array([0.5, 1.0]), 'fix', '+')], monitors=['Vs', 'Ca']),
        """
model = "PinskyRinzel"
size = 2
batch = 3
seed = 2
method = "rkdp"
duration = 80.0
dt = 0.05
[model_options]
variant = "seed"
[params]
gc = [1.5, 1.5, 2.1, 2.1, 2.7, 2.7]
[initial]
Vs = {uniform = [-66.0, -62.0]}
[[inputs]]
target = "Is"
value = 1.5
[[inputs]]
target = "Id"
value = [0.5, 1.0]
[monitors]
variables = ["Vs", "Ca"]
"""),
    "morris_lecar_rk4_every": (
        ionode.neurons.MorrisLecar, dict(size=(2, 2), method="rk4", V_initializer=np.array([-60., -50, -40, -30])),
        dict(inputs=('input', ionode.inputs.ramp_input(0., 150., 80., dt=0.05), 'iter'), monitors=['V', 'W'],
             monitor_every=4),
        """
model = "MorrisLecar"
size = [2, 2]
method = "rk4"
duration = 80.0
dt = 0.05
[initial]
V = [-60.0, -50.0, -40.0, -30.0]
[[inputs]]
target = "input"
value = {ramp = {c_start = 0.0, c_end = 150.0}}
[monitors]
variables = ["V", "W"]
every = 4
"""),
}


@pytest.mark.parametrize("case", sorted(BATCH_CASES))
def test_batches_methods_and_generators_equal_the_command_line(tmp_path, case):
    group_class, group_keywords, runner_keywords, toml = BATCH_CASES[case]
    group_keywords = dict(group_keywords)
    group = group_class(group_keywords.pop("size"), **group_keywords)
    runner = ionode.DSRunner(group, dt=0.05, **runner_keywords)
    runner.run(80.)
    cli = run_cli_config(tmp_path, toml)
    assert_same_bits(runner.mon.ts, cli["ts"], "ts")
    for item in runner_keywords["monitors"]:
        assert_same_bits(runner.mon[item], cli[item], item)
    assert_same_bits(runner.spikes.times, cli["spike_times"], "spike times")
    assert_same_bits(runner.spikes.indices, cli["spike_indices"], "spike indices")
    if group.batch:
        assert_same_bits(runner.spikes.batch, cli["spike_batch"], "spike batch")
        assert runner.mon[runner_keywords["monitors"][0]].shape[0] == group.batch
