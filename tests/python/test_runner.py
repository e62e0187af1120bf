"""The runner from Python: the GIL is released while it runs (other Python threads go on; a 'func'
input takes the GIL back), initializers and seeds, batches for parameter sweeps, precision."""

import threading
import time

import numpy as np
import pytest

import ionode
from conftest import assert_same_bits


def gaps_while_running(runner, duration):
    """Runs in a thread while this one keeps time; returns (longest pause of this thread, run time)."""
    stamps = []
    worker = threading.Thread(target=runner.run, args=(duration,))
    start = time.perf_counter()
    worker.start()
    while worker.is_alive():
        stamps.append(time.perf_counter())
    elapsed = time.perf_counter() - start
    return max(np.diff(stamps)) if len(stamps) > 1 else elapsed, elapsed


def test_run_releases_the_gil():
    runner = ionode.DSRunner(ionode.HH(20000), monitors=[("V", [0])], inputs=("input", 10.0), threads=1)
    longest, elapsed = gaps_while_running(runner, 200.0)
    assert elapsed > 0.1, "the run is too short to tell"
    assert longest < 0.25 * elapsed, f"this thread stalled {longest:.3f} s of a {elapsed:.3f} s run"
    assert runner.mon.V.shape == (2000, 1)


def test_a_func_input_takes_the_gil_back_while_other_threads_run():
    calls = []
    runner = ionode.DSRunner(ionode.HH(20000), inputs=("input", lambda t: calls.append(t) or 10.0, "func"),
                             threads=1)
    longest, elapsed = gaps_while_running(runner, 200.0)
    assert len(calls) == 2000
    assert longest < 0.25 * elapsed


def test_an_initializer_with_its_own_seed_equals_the_groups_seed():
    by_group = ionode.HH(5, seed=7, V_initializer=ionode.init.Uniform(-70.0, -60.0), gL=ionode.init.Normal(0.03, 0.001))
    by_initializer = ionode.HH(5, V_initializer=ionode.init.Uniform(-70.0, -60.0, seed=7),
                               gL=ionode.init.Normal(0.03, 0.001, seed=7))
    assert_same_bits(by_initializer.V, by_group.V, "V")
    assert_same_bits(by_initializer.gL, by_group.gL, "gL")
    assert not np.array_equal(ionode.HH(5, seed=8).V, by_group.V)
    # The default V (the seed's Uniform(-70, -60)) is the same draw as an explicit one.
    assert_same_bits(ionode.HH(5, seed=7).V, by_group.V, "default V")


def test_initializers_as_brainpy_uses_them():
    assert ionode.init.OneInit(-65.0)((2, 3)).shape == (2, 3)
    assert np.all(ionode.init.Constant(2.0)(4) == 2.0)
    values = ionode.init.Uniform(1.0, 2.0, seed=1)(1000)
    assert values.shape == (1000,) and 1.0 <= values.min() and values.max() < 2.0
    group = ionode.HH(4, V_initializer=lambda shape: np.full(shape, -63.0), m_initializer=ionode.init.OneInit(0.1))
    assert np.all(group.V == -63.0) and np.all(group.m == 0.1)
    assert np.all(group.h != 0.1)  # h and n still start at steady state for V


def test_a_batch_sweeps_a_parameter():
    gNa = np.linspace(80.0, 160.0, 5)
    group = ionode.HH(1, batch=5, gNa=gNa[:, None], V_initializer=-65.0)
    assert_same_bits(group.gNa[:, 0], gNa, "gNa per copy")
    runner = ionode.DSRunner(group, monitors=["V"], inputs=("input", 10.0))
    runner.run(100.0)
    for b in (0, 4):
        alone = ionode.DSRunner(ionode.HH(1, gNa=gNa[b], V_initializer=-65.0), monitors=["V"], inputs=("input", 10.0))
        alone.run(100.0)
        assert_same_bits(runner.mon.V[b], alone.mon.V, f"copy {b} alone")


def test_float32_is_close_to_float64():
    def run(precision):
        runner = ionode.DSRunner(ionode.WangBuzsakiModel(3, precision=precision), monitors=["V"],
                                 inputs=("input", 1.0))
        runner.run(50.0)
        return runner

    single, double = run("float32"), run("float64")
    np.testing.assert_allclose(single.mon.V, double.mon.V, atol=1.0)  # the upstroke: a slightly shifted spike
    np.testing.assert_allclose(single.spikes.times, double.spikes.times, atol=0.01)


def test_no_progress_bar_off_a_terminal(capfd):
    ionode.DSRunner(ionode.HH(2), progress_bar=True).run(10.0)
    assert capfd.readouterr().err == ""


def test_methods_and_the_default_dt():
    assert {"exp_auto", "rk4", "rkdp", "euler", "milstein"} <= set(ionode.methods())
    assert ionode.get_dt() == 0.1
    ionode.set_dt(0.05)
    try:
        runner = ionode.DSRunner(ionode.HH(1), monitors=["V"])
        runner.run(1.0)
        assert runner.dt == 0.05 and runner.mon.V.shape == (20, 1)
        assert ionode.inputs.spike_input([0.0], 0.5, 1.0, 1.0).shape == (20,)
    finally:
        ionode.set_dt(0.1)
    with pytest.raises(ValueError):
        ionode.HH(1, method="rk5")


def test_ctrl_c_stops_at_a_step_boundary_and_keeps_the_samples():
    import _thread
    runner = ionode.DSRunner(ionode.HH(20000), monitors=[("V", [0])], inputs=("input", 10.0), threads=1)
    timer = threading.Timer(0.05, _thread.interrupt_main)  # as Ctrl-C does, while run() is in C++
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        runner.run(2000.0)
    timer.join()
    samples = runner.mon.V.shape[0]
    assert 0 < samples < 20000 and runner.t == pytest.approx(0.1 * samples)
    runner.run(1.0)  # and it goes on from there
    np.testing.assert_allclose(runner.mon.ts[0], 0.1 * (samples + 1), rtol=1e-12)


def test_a_runner_runs_in_one_thread_at_a_time():
    runner = ionode.DSRunner(ionode.HH(20000), inputs=("input", 10.0), threads=1)
    worker = threading.Thread(target=runner.run, args=(300.0,))
    worker.start()
    time.sleep(0.05)
    try:
        with pytest.raises(ValueError, match="running"):
            runner.run(1.0)
    finally:
        worker.join()
    runner.run(1.0)
