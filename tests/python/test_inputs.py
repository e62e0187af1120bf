"""Runner inputs of every kind ('fix', 'iter', 'func') and operation (+ - * / =), and the input
generators with BrainPy's signatures and shapes. Equivalent inputs must give the same bits."""

import numpy as np
import pytest

import ionode
from conftest import assert_same_bits

DT, DURATION, N = 0.1, 30.0, 3
STEPS = int(DURATION / DT)


def voltages(inputs, batch=None, group=ionode.HH):
    group = group(N, batch=batch, V_initializer=np.array([-70.0, -66.0, -62.0]))
    runner = ionode.DSRunner(group, monitors=["V"], inputs=inputs, dt=DT)
    runner.run(DURATION)
    return runner.mon.V


def test_every_kind_of_the_same_constant_gives_the_same_bits():
    reference = voltages(("input", 7.0))
    same = {
        "fix per neuron": ("input", np.full(N, 7.0)),
        "fix list": ("input", [7.0, 7.0, 7.0], "fix"),
        "iter (T,)": ("input", np.full(STEPS, 7.0), "iter"),
        "iter (T, N)": ("input", np.full((STEPS, N), 7.0), "iter"),
        "iter (T, 1)": ("input", np.full((STEPS, 1), 7.0), "iter", "+"),
        "func": ("input", lambda t: 7.0, "func"),
        "two halves": [("input", 3.5), ("input", 3.5)],
        "=": [("input", 100.0), ("input", 7.0, "fix", "=")],
        "*": [("input", 3.5), ("input", 2.0, "fix", "*")],
        "/": [("input", 14.0), ("input", 2.0, "fix", "/")],
        "-": [("input", 10.0), ("input", 3.0, "fix", "-")],
    }
    for name, inputs in same.items():
        assert_same_bits(voltages(inputs), reference, name)


def test_operations_apply_in_order():
    # ((0 + 4) * 2 - 1) / 7 * 7 = 7, every step exact in binary floating point.
    ops = [("input", 4.0), ("input", 2.0, "fix", "*"), ("input", 1.0, "fix", "-"),
           ("input", 7.0, "fix", "/"), ("input", 7.0, "fix", "*")]
    assert_same_bits(voltages(ops), voltages(("input", 7.0)), "+ * - / *")
    assert_same_bits(voltages([("input", 4.0), ("input", 2.0, "fix", "=")]), voltages(("input", 2.0)), "=")


def test_per_neuron_and_per_copy_values():
    per_neuron = np.array([5.0, 7.0, 9.0])
    reference = voltages(("input", per_neuron))
    assert_same_bits(voltages(("input", np.tile(per_neuron, (STEPS, 1)), "iter")), reference, "iter (T, N)")
    # With a batch: one value per copy and neuron, fix (B, N) or iter (T, B, N).
    per_copy = np.array([[5.0, 7.0, 9.0], [9.0, 7.0, 5.0]])
    batched = voltages(("input", per_copy), batch=2)
    assert batched.shape == (2, STEPS, N)
    assert_same_bits(batched[0], reference, "copy 0")
    assert_same_bits(voltages(("input", np.broadcast_to(per_copy, (STEPS, 2, N)), "iter"), batch=2), batched,
                     "iter (T, B, N)")
    assert_same_bits(voltages(("input", per_neuron), batch=2)[1], reference, "a per-neuron value in each copy")


def test_a_func_input_gets_the_steps_start_time():
    seen = []
    voltages(("input", lambda t: seen.append(t) or 0.0, "func"))
    np.testing.assert_allclose(seen, np.arange(STEPS) * DT, rtol=0, atol=1e-12)
    ramp = voltages(("input", lambda t: t / 3.0, "func"))
    assert_same_bits(ramp, voltages(("input", np.arange(STEPS) * DT / 3.0, "iter")), "func = iter")


def test_pinsky_rinzel_takes_soma_and_dendrite_inputs():
    def run(inputs):
        runner = ionode.DSRunner(ionode.PinskyRinzelModel(1), monitors=["Vs", "Vd"], inputs=inputs)
        runner.run(50.0)
        return runner.mon

    soma, dendrite = run(("Is", 2.0)), run(("Id", 2.0))
    assert soma.Vs[-1, 0] != dendrite.Vs[-1, 0]
    assert_same_bits(run([("Is", 2.0), ("Id", 0.0)]).Vs, soma.Vs, "Id = 0 adds nothing")


# The generators: BrainPy's shapes, and their definitions (docs/inputs.md) at a few points.
def test_section_and_constant_inputs():
    I = ionode.inputs.section_input([0.0, 1.0, 2.0], [10.0, 5.0, 5.0], dt=0.5)
    assert I.shape == (40,)
    np.testing.assert_array_equal(I, np.repeat([0.0, 1.0, 2.0], [20, 10, 10]))
    per_neuron = ionode.inputs.section_input([0.0, [1.0, 2.0]], [1.0, 1.0], dt=0.5)
    assert per_neuron.shape == (4, 2)
    current, duration = ionode.inputs.constant_input([(0.0, 10.0), (1.0, 10.0)], dt=0.5)
    assert duration == 20.0 and current.shape == (40,)
    series, length = ionode.inputs.section_input([1.0], [3.0], return_length=True)
    assert length == 3.0 and series.shape == (30,)


def test_spike_ramp_sinusoidal_square():
    I = ionode.inputs.spike_input(sp_times=[1.0, 3.0], sp_lens=0.5, sp_sizes=[2.0, 4.0], duration=5.0, dt=0.5)
    np.testing.assert_array_equal(I, [0, 0, 2, 0, 0, 0, 4, 0, 0, 0])
    ramp = ionode.inputs.ramp_input(0.0, 1.0, 10.0, t_start=2.0, t_end=7.0, dt=1.0)
    np.testing.assert_array_equal(ramp, [0, 0, 0, 0.25, 0.5, 0.75, 1.0, 0, 0, 0])
    sine = ionode.inputs.sinusoidal_input(2.0, 100.0, 20.0, dt=0.5)
    assert sine.shape == (40,)
    np.testing.assert_allclose(sine[:5], 2.0 * np.sin(2 * np.pi * 0.1 * np.arange(5) * 0.5), atol=1e-12)
    square = ionode.inputs.square_input(1.0, 100.0, 20.0, dt=1.0, bias=True)
    np.testing.assert_array_equal(square[:10], [2, 2, 2, 2, 2, 0, 0, 0, 0, 0])


def test_wiener_and_ou_are_reproducible_and_keyed():
    w = ionode.inputs.wiener_process(100.0, dt=0.1, n=4, seed=3)
    assert w.shape == (1000, 4)
    assert_same_bits(w, ionode.inputs.wiener_process(100.0, dt=0.1, n=4, seed=3), "same seed")
    assert not np.array_equal(w, ionode.inputs.wiener_process(100.0, dt=0.1, n=4, seed=4))
    assert abs(w.std() - np.sqrt(0.1)) < 0.02
    ou = ionode.inputs.ou_process(mean=1.0, sigma=0.5, tau=5.0, duration=2000.0, n=2, seed=1)
    assert ou.shape == (20000, 2) and abs(ou.mean() - 1.0) < 0.1
    window = ionode.inputs.wiener_process(10.0, dt=1.0, t_start=3.0, t_end=6.0, seed=3)
    assert np.count_nonzero(window) == 3 and np.all(window[:3] == 0)


def test_a_generated_noisy_input_drives_a_group_per_neuron():
    I = ionode.inputs.ou_process(mean=8.0, sigma=2.0, tau=5.0, duration=DURATION, n=N, seed=2)
    V = voltages(("input", I, "iter"))
    assert not np.array_equal(V[:, 0], V[:, 1])
    with pytest.raises(ValueError, match="rows"):
        voltages(("input", I[:100], "iter"))
