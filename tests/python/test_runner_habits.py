"""DSRunner as BrainPy users write it: 'func' inputs with BrainPy's signatures returning a number or one
value per neuron, function monitors, the 'input' monitor, t0, (B, 1) inputs for a batch, the message
after a divergence, and runner.spikes[0]."""

import re

import numpy as np
import pytest

import ionode
from conftest import assert_same_bits

DT, STEPS = 0.1, 200


def run(inputs, monitors=("V",), size=2, batch=None, **runner_options):
    group = ionode.HH(size, batch=batch, seed=0)
    runner = ionode.DSRunner(group, monitors=list(monitors) if not isinstance(monitors, dict) else monitors,
                             inputs=inputs, dt=DT, progress_bar=False, **runner_options)
    runner.run(STEPS * DT)
    return runner


def voltages(inputs, **kwargs):
    return run(inputs, **kwargs).mon.V


# ---- 'func' inputs ---------------------------------------------------------------------------------

def test_func_inputs_take_brainpys_signatures():
    fixed = voltages(("input", 7.0))
    assert_same_bits(voltages(("input", lambda: 7.0, "func")), fixed, "lambda: 7")
    assert_same_bits(voltages(("input", lambda tdi: 7.0, "func")), fixed, "lambda tdi: 7")
    assert_same_bits(voltages(("input", lambda t, dt: 7.0, "func")), fixed, "lambda t, dt: 7")
    ramp = voltages(("input", np.arange(STEPS) * DT / 3.0, "iter"))
    assert_same_bits(voltages(("input", lambda tdi: tdi.t / 3.0, "func")), ramp, "tdi.t")
    assert_same_bits(voltages(("input", lambda tdi: tdi["i"] * tdi["dt"] / 3.0, "func")), ramp, "tdi['i']")
    assert_same_bits(voltages(("input", lambda t, dt: t / 3.0, "func")), ramp, "t, dt")
    assert_same_bits(voltages(("input", lambda t: t / 3.0, "func")), ramp, "ionode's lambda t")


def test_the_shared_arguments_are_brainpys():
    seen = []
    run(("input", lambda tdi: seen.append((tdi.t, tdi.dt, tdi.i)) or 0.0, "func"))
    t, dt, i = map(np.array, zip(*seen))
    np.testing.assert_array_equal(i, np.arange(STEPS))
    np.testing.assert_allclose(t, np.arange(STEPS) * DT, rtol=0, atol=1e-12)
    assert np.all(dt == DT)


def test_a_func_input_may_return_one_value_per_neuron():
    currents = np.array([2.0, 9.0])
    expected = voltages(("input", currents))
    assert_same_bits(voltages(("input", lambda: currents, "func")), expected, "(N,)")
    # A value per neuron that changes with time: the same as the 'iter' array of those rows.
    rows = np.outer(np.arange(STEPS) * DT, [0.05, 0.1])
    assert_same_bits(voltages(("input", lambda tdi: rows[tdi.i], "func")), voltages(("input", rows, "iter")), "rows")


def test_with_a_batch_a_func_input_may_return_b_by_n_or_b_by_1():
    per_copy = np.array([[1.0, 2.0], [8.0, 9.0], [4.0, 4.0]])
    expected = voltages(("input", per_copy), batch=3)
    assert_same_bits(voltages(("input", lambda: per_copy, "func"), batch=3), expected, "(B, N)")
    column = np.array([[3.0], [6.0], [10.0]])
    assert_same_bits(voltages(("input", lambda: column, "func"), batch=3),
                     voltages(("input", np.repeat(column, 2, axis=1)), batch=3), "(B, 1)")


@pytest.mark.parametrize("function, message", [
    (lambda a, b, c: 0.0, "cannot be called as a 'func' input; write it as lambda: ..., lambda tdi"),
    (lambda: np.ones(3), r"returned .* at t = 0 ms: shape \(3,\) is not allowed"),
    (lambda: "x", "must return one number"),
    (lambda tdi: np.inf, "finite"),
])
def test_bad_func_inputs_are_refused(function, message):
    with pytest.raises(ValueError, match=message):
        run(("input", function, "func"))


# ---- monitors --------------------------------------------------------------------------------------

def test_function_monitors_are_called_after_each_recorded_step():
    group = ionode.HH(2, seed=0)
    runner = ionode.DSRunner(group, monitors={"V": "V", "v0": lambda: group.V[0], "t": lambda tdi: tdi.t,
                                              "old": lambda t, dt: t + dt},
                             inputs=("input", 10.0), dt=DT, progress_bar=False, monitor_every=4)
    runner.run(STEPS * DT)
    assert_same_bits(runner.mon.v0, runner.mon.V[:, 0], "v0 = V[:, 0]")
    # BrainPy's shared t is the step's start; ionode labels the sample with the step's end.
    np.testing.assert_allclose(runner.mon.t, runner.mon.ts - DT, rtol=0, atol=1e-12)
    np.testing.assert_allclose(runner.mon.old, runner.mon.ts, rtol=0, atol=1e-12)
    assert runner.mon.v0.shape == (STEPS // 4,)


def test_function_monitors_with_a_batch_are_batch_first():
    group = ionode.HH(2, batch=3, seed=0)
    runner = ionode.DSRunner(group, monitors={"V": "V", "v": lambda: group.V}, inputs=("input", 10.0), dt=DT,
                             progress_bar=False)
    runner.run(10 * DT)
    assert runner.mon.v.shape == (3, 10, 2)
    assert_same_bits(runner.mon.v, runner.mon.V, "batch-first")


def test_a_function_monitor_needs_a_key():
    with pytest.raises(ValueError, match="needs a key"):
        run((), monitors=[lambda: 0.0])


def test_the_input_monitor_is_the_total_each_neuron_received():
    rows = np.sin(np.arange(STEPS) * 0.3)
    per_neuron = np.array([1.0, 4.0])
    inputs = [("input", 2.0), ("input", rows, "iter"), ("input", lambda tdi: 0.5 * tdi.i, "func"),
              ("input", per_neuron, "fix", "*"), ("input", 1.0, "fix", "-")]
    runner = run(inputs, monitors={"V": "V", "input": "input", "late": ("input", 1)}, monitor_every=2)
    steps = np.arange(1, STEPS, 2)  # the steps recorded: (step + 1) % 2 == 0
    expected = (2.0 + rows[steps, None] + 0.5 * steps[:, None]) * per_neuron - 1.0
    np.testing.assert_allclose(runner.mon.input, expected, rtol=1e-15)
    np.testing.assert_allclose(runner.mon.late, expected[:, [1]], rtol=1e-15)
    # It is what the model received: the same total as one 'iter' input gives the same voltages.
    all_steps = np.arange(STEPS)
    total = (2.0 + rows[:, None] + 0.5 * all_steps[:, None]) * per_neuron - 1.0
    np.testing.assert_allclose(runner.mon.V, voltages(("input", total, "iter"))[1::2], rtol=1e-9)


def test_the_input_monitor_with_a_batch_and_pinsky_rinzels_two_inputs():
    group = ionode.PinskyRinzelModel(2, batch=2, seed=0)
    runner = ionode.DSRunner(group, monitors=["Is", "Id"], inputs=[("Is", np.array([[1.0], [2.0]])), ("Id", 0.5)],
                             dt=DT, progress_bar=False)
    runner.run(5 * DT)
    assert runner.mon.Is.shape == (2, 5, 2)
    np.testing.assert_array_equal(runner.mon.Is[0], 1.0)
    np.testing.assert_array_equal(runner.mon.Is[1], 2.0)
    np.testing.assert_array_equal(runner.mon.Id, 0.5)


# ---- t0 ----------------------------------------------------------------------------------------------

def test_t0_starts_the_clock():
    seen = []
    inputs = [("input", 10.0), ("input", lambda tdi: seen.append(tdi.t) or 0.0, "func")]
    shifted = run(inputs, t0=100.0)
    plain = run(("input", 10.0))
    np.testing.assert_allclose(shifted.mon.ts, 100.0 + DT * np.arange(1, STEPS + 1), rtol=1e-12)
    np.testing.assert_allclose(seen, 100.0 + DT * np.arange(STEPS), rtol=1e-12)
    assert_same_bits(shifted.mon.V, plain.mon.V, "the dynamics do not depend on t0")
    assert len(plain.spikes) > 0
    np.testing.assert_allclose(shifted.spikes.times, plain.spikes.times + 100.0, rtol=1e-12)
    assert shifted.t == pytest.approx(100.0 + STEPS * DT)
    shifted.reset_state()
    assert shifted.t == 100.0
    with pytest.raises(ValueError, match="t0 = 'x'"):
        run((), t0="x")


# ---- (B, 1) inputs -------------------------------------------------------------------------------------

def test_b_by_1_inputs_broadcast_over_the_neurons():
    column = np.array([[3.0], [6.0], [10.0]])
    assert_same_bits(voltages(("input", column), batch=3), voltages(("input", np.repeat(column, 2, axis=1)), batch=3),
                     "fix (B, 1)")
    rows = np.outer(np.arange(STEPS) * 0.01, [1.0, 2.0, 3.0])[:, :, None]  # (T, B, 1)
    assert_same_bits(voltages(("input", rows, "iter"), batch=3),
                     voltages(("input", np.repeat(rows, 2, axis=2), "iter"), batch=3), "iter (T, B, 1)")
    with pytest.raises(ValueError, match=r"shape \(2, 1\) is not allowed"):
        voltages(("input", np.ones((2, 1))), batch=3)


# ---- after a divergence; spikes ------------------------------------------------------------------------

def test_the_rerun_after_a_divergence_names_reset_state():
    group = ionode.HH(2, method="euler", C=1e-6, seed=0)
    runner = ionode.DSRunner(group, monitors=["V"], inputs=("input", 10.0), dt=0.1, progress_bar=False)
    with pytest.raises(ionode.DivergenceError):
        runner.run(10.0)
    with pytest.raises(ValueError) as caught:
        runner.run(1.0)
    message = str(caught.value)
    assert "reset_state()" in message and not re.search(r"\breset\(\)", message)
    runner.reset_state()
    with pytest.raises(ionode.DivergenceError):
        runner.run(10.0)  # runs again (and diverges again)


def test_spikes_index_as_the_tuple_they_unpack_to():
    runner = run(("input", 10.0))
    times, indices = runner.spikes
    assert len(times) > 0
    assert runner.spikes[0] is times and runner.spikes[1] is indices and runner.spikes[-1] is indices
    with pytest.raises(IndexError):
        runner.spikes[2]  # noqa: B018
    batch = run(("input", 10.0), batch=2)
    assert batch.spikes[2] is batch.spikes.batch


def test_an_error_in_a_func_input_keeps_every_monitor_up_to_the_last_step():
    def current(tdi):
        if tdi.i == 5:
            raise ZeroDivisionError("at step 5")
        return 1.0
    group = ionode.HH(2, seed=0)
    runner = ionode.DSRunner(group, monitors={"V": "V", "I": "input", "sp": "spike", "t": lambda tdi: tdi.t},
                             inputs=("input", current, "func"), dt=DT, progress_bar=False)
    with pytest.raises(ZeroDivisionError, match="at step 5"):
        runner.run(1.0)
    # Steps 0 to 4 ran and were recorded; step 5's input failed before it ran.
    np.testing.assert_allclose(runner.mon.ts, DT * np.arange(1, 6), rtol=1e-12)
    assert runner.mon.V.shape == runner.mon.I.shape == runner.mon.sp.shape == (5, 2)
    np.testing.assert_array_equal(runner.mon.I, 1.0)
    np.testing.assert_allclose(runner.mon.t, DT * np.arange(5), rtol=0, atol=1e-12)
