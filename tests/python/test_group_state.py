"""A group's state and parameters as BrainPy users read and write them (bm.Variable habits): group.V
shows the current state, and group.V[...] = x, group.V.value = x and group.V = x set the state the
next run starts from; parameters refuse writes; reset_state() restores the initializers."""

import numpy as np
import pytest

import ionode
from conftest import assert_same_bits

GATES = ("m", "h", "n")


def set_by_item(group, name, values):
    getattr(group, name)[:] = values


def set_by_value(group, name, values):
    getattr(group, name).value = values


def set_by_attribute(group, name, values):
    setattr(group, name, values)


WRITES = [set_by_item, set_by_value, set_by_attribute]


def run(group, duration=20.0, current=8.0):
    runner = ionode.DSRunner(group, monitors=["V", "m"], inputs=("input", current), progress_bar=False)
    runner.run(duration)
    return runner


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_a_written_state_is_what_the_next_run_starts_from(write, precision):
    # Reference: a group built with these values as its initializers. Its gates start at steady
    # state for V0; the written group gets the same gates written too (a write of V alone leaves
    # the gates where they were, as in BrainPy).
    V0 = np.array([-71.5, -64.25, -58.0])
    reference = ionode.HH(3, V_initializer=V0, seed=1, precision=precision)
    written = ionode.HH(3, seed=2, precision=precision)
    for name in ("V",) + GATES:
        write(written, name, np.asarray(getattr(reference, name)))
    for name in ("V",) + GATES:
        assert_same_bits(np.asarray(getattr(written, name)), np.asarray(getattr(reference, name)), name)
    expected, actual = run(reference), run(written)
    assert_same_bits(actual.mon.V, expected.mon.V, "V after the run")
    assert_same_bits(actual.mon.m, expected.mon.m, "m after the run")


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_reads_show_the_current_state_after_a_run(precision):
    group = ionode.HH(3, seed=3, precision=precision)
    kept = group.V  # a view kept from before the run shows the state after it, as a bm.Variable does
    group.V = -65.0
    runner = run(group)
    assert_same_bits(np.asarray(group.V), runner.mon.V[-1], "group.V")
    assert_same_bits(np.asarray(kept), runner.mon.V[-1], "a view kept from before the run")
    assert_same_bits(group.V.value, runner.mon.V[-1], "group.V.value")
    assert not np.any(group.V == -65.0)  # not the stale write


def test_float32_writes_round_to_single_precision():
    group = ionode.HH(2, precision="float32")
    group.V = [-65.3, -60.1]
    assert_same_bits(group.V.value, np.array([-65.3, -60.1], np.float32).astype(np.float64), "V")


def test_partial_and_in_place_writes():
    group = ionode.HH(4, seed=4)
    before = group.V.value
    group.V[1] = -50.0
    expected = before.copy()
    expected[1] = -50.0
    assert_same_bits(group.V.value, expected, "V[1] = -50")
    group.V += 1.0
    assert_same_bits(group.V.value, expected + 1.0, "V += 1")
    group.V[group.V > -60] = -60.0  # a mask computed from the view itself
    assert_same_bits(group.V.value, np.minimum(expected + 1.0, -60.0), "masked write")


def test_batch_and_keep_size_shapes():
    group = ionode.HH(2, batch=3, seed=5)
    per_copy = np.array([[-70.0, -69.0], [-68.0, -67.0], [-66.0, -65.0]])
    group.V = per_copy
    assert_same_bits(group.V.value, per_copy, "(B, N)")
    group.V = [-61.0, -62.0]  # one value per neuron: every batch copy
    assert_same_bits(group.V.value, np.tile([-61.0, -62.0], (3, 1)), "(N,) to every copy")
    group.V = [[-55.0], [-56.0], [-57.0]]  # (B, 1) broadcasts over the neurons
    assert_same_bits(group.V.value, np.repeat([[-55.0], [-56.0], [-57.0]], 2, axis=1), "(B, 1)")
    with pytest.raises(ValueError, match=r"HH\.V has shape \(4,\); allowed: .*\(2,\).*\(3, 2\)"):
        group.V = np.zeros(4)
    with pytest.raises(ValueError, match=r"HH\.V"):
        group.V = np.full((3, 2), np.nan)
    shaped = ionode.HH((2, 3), keep_size=True, seed=6)
    shaped.V[1, 2] = -50.0
    assert shaped.V.shape == (2, 3) and shaped.V[1, 2] == -50.0
    assert_same_bits(shaped.V.value.reshape(6)[5:], np.array([-50.0]), "keep_size write lands on neuron 5")


def test_parameters_refuse_writes():
    group = ionode.HH(3, gNa=np.array([100.0, 110.0, 120.0]))
    assert_same_bits(group.gNa.value, np.array([100.0, 110.0, 120.0]), "gNa")
    attempts = {
        "attribute": lambda: setattr(group, "gNa", 90.0),
        "item": lambda: group.gNa.__setitem__(0, 90.0),
        "value": lambda: setattr(group.gNa, "value", 90.0),
    }
    for how, attempt in attempts.items():
        with pytest.raises(ValueError, match=r"HH\.gNa is a parameter, fixed when the group is built.*gNa=\.\.\."):
            attempt()
    with pytest.raises(ValueError, match=r"HH\.gNa is a parameter"):
        group.gNa += 1.0
    assert_same_bits(group.gNa.value, np.array([100.0, 110.0, 120.0]), "gNa unchanged")


def test_settings_fixed_at_construction_refuse_assignment():
    group = ionode.HH(3)
    for name, value in (("method", "rk4"), ("seed", 3), ("batch", 2), ("noise", 1.0), ("size", (4,))):
        with pytest.raises(ValueError, match=f"HH: {name} is fixed when the group is built"):
            setattr(group, name, value)
    # BrainPy's group.input is a Variable; ionode's inputs belong to the runner: say so, both ways.
    with pytest.raises(ValueError, match=r"HH\.input is an input, held by the runner.*inputs=\('input', value\)"):
        group.input = 10.0
    with pytest.raises(AttributeError, match=r"HH\.input is an input, held by the runner"):
        group.input += 10.0
    group.label = "my own attribute"  # new attributes stay allowed, as on any BrainPy object
    assert group.label == "my own attribute"


def test_reset_state_restores_the_initializers_after_writes():
    group = ionode.HH(3, seed=7)
    initial = group.V.value
    group.V = -50.0
    group.reset_state()
    assert_same_bits(group.V.value, initial, "group.reset_state()")
    runner = run(group)
    group.V = -50.0
    runner.reset_state()
    assert_same_bits(group.V.value, initial, "runner.reset_state()")
    assert runner.t == 0.0
    group.reset_state(batch_size=None)
    with pytest.raises(ValueError, match="batch_size = 2 is not allowed"):
        group.reset_state(batch_size=2)
