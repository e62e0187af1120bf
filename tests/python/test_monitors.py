"""Every monitor form gives BrainPy's shapes, ionode's time labels (sample j holds the state at the
end of its step and is labelled with that time, ts[0] = dt), and the runner's own buffers."""

import numpy as np
import pytest

import ionode


def run(group, monitors, duration=20.0, dt=0.1, **keywords):
    runner = ionode.DSRunner(group, monitors=monitors, inputs=("input", 12.0), dt=dt, **keywords)
    runner.run(duration)
    return runner


def test_a_list_of_names():
    runner = run(ionode.HH(4), ["V", "m", "spike"])
    assert set(runner.mon) == {"ts", "V", "m", "spike"}
    assert runner.mon.V.shape == runner.mon.m.shape == runner.mon.spike.shape == (200, 4)
    assert runner.mon["V"] is runner.mon.V
    assert runner.mon.spike.dtype == bool
    np.testing.assert_array_equal(runner.mon.ts, np.arange(1, 201) * 0.1)


def test_names_with_indices_and_a_dict():
    group = ionode.HH(5)
    listed = run(group, [("V", [0, 3]), ("m", 2), ("spike", [3, 0])])
    assert listed.mon.V.shape == (200, 2) and listed.mon.m.shape == (200, 1) and listed.mon.spike.shape == (200, 2)
    group.reset_state()
    full = run(group, {"v": "V", "s": ("spike", None), "m2": ("m", [2])})
    assert set(full.mon) == {"ts", "v", "s", "m2"}
    np.testing.assert_array_equal(listed.mon.V, full.mon.v[:, [0, 3]])
    np.testing.assert_array_equal(listed.mon.m, full.mon.m2)
    np.testing.assert_array_equal(listed.mon.spike, full.mon.s[:, [3, 0]])


def test_shared_indices_are_the_runners_buffers_not_copies():
    runner = run(ionode.HH(6), [("V", [1, 4]), ("n", [1, 4])])
    for key in ("V", "n"):
        array = runner.mon[key]
        assert not array.flags.owndata
        while isinstance(array.base, np.ndarray):
            array = array.base
        assert type(array.base).__name__ == "PyCapsule", f"{key} is not a view of the runner's buffer"


def test_the_dense_spike_monitor_matches_the_sparse_spikes():
    runner = run(ionode.HH(3, V_initializer=np.array([-70.0, -65.0, -60.0])), ["spike"], duration=100.0)
    times, indices = runner.spikes
    assert len(times) >= 15
    rows, columns = np.nonzero(runner.mon.spike)
    # Each spike is in the row of the step it happened in: its time lies in (ts[row] - dt, ts[row]].
    order = np.lexsort((indices, np.ceil(times / 0.1 - 1e-9)))
    np.testing.assert_array_equal(columns, indices[order])
    assert np.all(runner.mon.ts[rows] - 0.1 < times[order] + 1e-12)
    assert np.all(times[order] <= runner.mon.ts[rows] + 1e-12)


def test_a_batch_puts_the_batch_axis_first():
    group = ionode.HH(3, batch=2, gNa=np.array([[100.0], [140.0]]))
    runner = run(group, ["V", ("spike", [2])])
    assert runner.mon.V.shape == (2, 200, 3) and runner.mon.spike.shape == (2, 200, 1)
    times, indices, batch = runner.spikes
    assert set(batch) <= {0, 1} and len(times) == len(indices) == len(batch)
    assert not np.array_equal(runner.mon.V[0], runner.mon.V[1])  # different gNa per copy


def test_keep_size_gives_the_groups_shape():
    runner = run(ionode.HH((2, 3), keep_size=True), ["V", ("m", [0, 5])])
    assert runner.mon.V.shape == (200, 2, 3) and runner.mon.m.shape == (200, 2)
    flat = run(ionode.HH((2, 3)), ["V"])
    assert flat.mon.V.shape == (200, 6)
    batched = run(ionode.HH((2, 3), keep_size=True, batch=4), ["V"])
    assert batched.mon.V.shape == (4, 200, 2, 3)


def test_monitor_every_and_the_time_labels():
    runner = run(ionode.HH(2, seed=1), ["V", "spike"], duration=20.0, dt=0.05, monitor_every=8)
    assert runner.mon.V.shape == (50, 2) and runner.mon.spike.shape == (50, 2)
    np.testing.assert_array_equal(runner.mon.ts, (np.arange(1, 51) * 8).astype(float) * 0.05)
    every_step = run(ionode.HH(2, seed=1), ["V", "spike"], duration=20.0, dt=0.05)  # the same initial V
    np.testing.assert_array_equal(every_step.mon.V[7::8], runner.mon.V)
    # A spike anywhere in a sample's 8 steps marks that sample.
    np.testing.assert_array_equal(every_step.mon.spike.reshape(50, 8, 2).any(axis=1), runner.mon.spike)


def test_time_continues_and_each_run_replaces_mon():
    group = ionode.HH(2)
    runner = ionode.DSRunner(group, monitors=["V"], inputs=("input", 10.0))
    runner.run(10.0)
    first = runner.mon.V
    runner.run(5.0)
    assert runner.mon.V.shape == (50, 2)
    np.testing.assert_allclose(runner.mon.ts, 10.0 + 0.1 * np.arange(1, 51), rtol=1e-12)
    assert first.shape == (100, 2)  # the first run's arrays stay valid
    assert runner.t == pytest.approx(15.0)
    runner.reset_state()
    assert runner.t == 0 and dict(runner.mon) == {}


@pytest.mark.parametrize("monitors", [None, [], ["spike"]])
def test_without_variables_ts_still_labels_the_steps(monitors):
    runner = run(ionode.WangBuzsakiModel(2), monitors, duration=3.0)
    np.testing.assert_array_equal(runner.mon.ts, np.arange(1, 31).astype(float) * 0.1)


def test_a_group_shows_its_current_state():
    group = ionode.WangBuzsakiModel(3, batch=2)
    assert group.V.shape == (2, 3) and group.gNa.shape == (2, 3)
    runner = run(group, ["V"], duration=5.0)
    np.testing.assert_array_equal(group.V, runner.mon.V[:, -1, :])
