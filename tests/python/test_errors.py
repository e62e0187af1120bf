"""Every bad keyword, shape and value raises ValueError, and its message names what was wrong.
(C++ errors arrive through one translator: ionode::error -> ValueError.)"""

import re

import numpy as np
import pytest

import ionode
from ionode import inputs as gen
from ionode.init import Normal, Uniform


def group(**keywords):
    return ionode.HH(2, **keywords)


def runner(**keywords):
    return ionode.DSRunner(ionode.HH(2), **keywords)


CASES = {
    # name: (what to call, text the message must contain)
    "unknown group keyword": (lambda: group(gNaa=1.0), "'gNaa' (did you mean 'gNa'?)"),
    "unknown initializer": (lambda: group(X_initializer=1.0), "'X_initializer'"),
    "parameter not a number": (lambda: group(gNa="a lot"), "gNa"),
    "parameter of the wrong shape": (lambda: group(gNa=np.ones(3)), "gNa has shape (3,)"),
    "parameter out of range": (lambda: group(gNa=-1.0), "gNa"),
    "parameter not finite": (lambda: group(gNa=np.nan), "gNa"),
    "parameter per copy without a batch": (lambda: group(gNa=np.ones((4, 2))), "gNa has shape (4, 2)"),
    "per copy of the wrong batch": (lambda: group(batch=3, gNa=np.ones((4, 1))), "gNa has shape (4, 1)"),
    "initial state of the wrong shape": (lambda: group(V_initializer=np.ones((2, 2))), "V_initializer"),
    "uniform with low > high": (lambda: group(gNa=Uniform(2.0, 1.0)), "gNa"),
    "normal with sd < 0": (lambda: group(V_initializer=Normal(-65.0, -1.0)), "initial V"),
    "initializer seed": (lambda: Uniform(0.0, 1.0, seed=-1), "Uniform(seed)"),
    "size zero": (lambda: ionode.HH(0), "size"),
    "size not an int": (lambda: ionode.HH("ten"), "size"),
    "keep_size not a bool": (lambda: ionode.HH(2, "yes"), "keep_size"),
    "batch zero": (lambda: group(batch=0), "batch"),
    "negative seed": (lambda: group(seed=-1), "seed"),
    "unknown method": (lambda: group(method="rk5"), "rk5"),
    "unknown precision": (lambda: group(precision="float16"), "precision"),
    "negative noise": (lambda: group(noise=-1.0), "noise"),
    "noise on an unknown variable": (lambda: group(noise={"Q": 1.0}), "'Q'"),
    "noise of the wrong shape": (lambda: group(noise=np.ones(5)), "noise has shape (5,)"),
    "unknown model option value": (lambda: group(preset="modern"), "modern"),
    "model option not a string": (lambda: group(preset=1), "preset"),
    "unknown method option": (lambda: group(method_options={"rtoll": 1e-3}), "'rtoll'"),
    "bad method option": (lambda: ionode.DSRunner(group(method="rkdp", method_options={"rtol": -1.0})), "rtol"),
    "noise with a method that cannot take it": (
        lambda: ionode.DSRunner(group(method="rkdp", noise=1.0)), "rkdp"),
    "unknown model": (lambda: ionode.neurons.get("Izhikevich"), "'Izhikevich'"),
    "runner target": (lambda: ionode.DSRunner("HH"), "target"),
    "unknown runner keyword": (lambda: runner(monitor=["V"]), "'monitor' (did you mean 'monitors'?)"),
    "dt zero": (lambda: runner(dt=0.0), "dt"),
    "dt not a number": (lambda: runner(dt="small"), "dt"),
    "monitor_every zero": (lambda: runner(monitor_every=0), "monitor_every"),
    "negative threads": (lambda: runner(threads=-1), "threads"),
    "monitors not a list": (lambda: runner(monitors="V"), "monitors"),
    "unknown monitored variable": (lambda: runner(monitors=["W"]), "'W'"),
    "monitored neuron out of range": (lambda: runner(monitors=[("V", [5])]), "neuron 5"),
    "monitor indices not integers": (lambda: runner(monitors=[("V", [0.5])]), "monitors[0]: indices"),
    "a key twice": (lambda: runner(monitors=["V", ("V", [0])]), "'V' is monitored twice"),
    "monitor key not a string": (lambda: runner(monitors={1: "V"}), "key 1"),
    "input tuple too short": (lambda: runner(inputs=("input",)), "inputs[0]"),
    "unknown input target": (lambda: runner(inputs=("inpt", 1.0)), "'inpt' is not known (did you mean 'input'?)"),
    "unknown input kind": (lambda: runner(inputs=("input", 1.0, "fixed")), "'fixed'"),
    "unknown input op": (lambda: runner(inputs=("input", 1.0, "fix", "^")), "'^'"),
    "fix of the wrong shape": (lambda: runner(inputs=("input", np.ones(3))), "shape (3,)"),
    "fix not numbers": (lambda: runner(inputs=("input", "ten")), "inputs[0]"),
    "iter of the wrong shape": (lambda: runner(inputs=("input", np.ones((10, 3)), "iter")), "shape (10, 3)"),
    "iter given a number": (lambda: runner(inputs=("input", 5.0, "iter")), "'iter'"),
    "iter not finite": (lambda: runner(inputs=("input", np.full(10, np.inf), "iter")), "non-finite"),
    "func not callable": (lambda: runner(inputs=("input", 5.0, "func")), "not callable"),
    "duration zero": (lambda: runner().run(0.0), "duration"),
    "duration not a number": (lambda: runner().run("long"), "duration"),
    "duration shorter than dt": (lambda: runner().run(0.05), "shorter than dt"),
    "iter shorter than the run": (lambda: runner(inputs=("input", np.ones(10), "iter")).run(5.0), "10 rows"),
    "func returning a string": (lambda: runner(inputs=("input", lambda t: "x", "func")).run(1.0),
                                "must return one number"),
    "spike_input lens": (lambda: gen.spike_input([1.0, 2.0], [1.0], 1.0, 5.0), "lens"),
    "spike_input times": (lambda: gen.spike_input([1.0, "b"], 1.0, 1.0, 5.0), "sp_times[1]"),
    "generator dt": (lambda: gen.ramp_input(0.0, 1.0, 10.0, dt=0.0), "dt"),
    "section lengths": (lambda: gen.section_input([1.0, 2.0], [1.0]), "durations"),
    "wiener n": (lambda: gen.wiener_process(10.0, n=0), "n = 0"),
    "ou tau": (lambda: gen.ou_process(0.0, 1.0, 0.0, 10.0), "tau"),
    "sinusoidal amplitude": (lambda: gen.sinusoidal_input("big", 10.0, 100.0), "amplitude"),
    "square window": (lambda: gen.square_input(1.0, 10.0, 100.0, t_end=200.0), "t_end"),
    "set_dt": (lambda: ionode.set_dt(-0.1), "dt"),
    "line_plot plot_ids": (lambda: ionode.visualize.line_plot(np.arange(3), np.ones((3, 2)), plot_ids="all"),
                           "plot_ids"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_raises_a_value_error_naming_it(case):
    call, text = CASES[case]
    with pytest.raises(ValueError, match=re.escape(text)):
        call()


def test_a_divergence_is_a_runtime_error_and_keeps_what_was_recorded():
    # C = 1e-6 uF/cm^2 makes V explode under euler within a few steps.
    group = ionode.HH(2, method="euler", C=1e-6)
    runner = ionode.DSRunner(group, monitors=["V"], inputs=("input", 10.0), dt=0.1)
    with pytest.raises(ionode.DivergenceError) as caught:
        runner.run(10.0)
    error = caught.value
    assert isinstance(error, RuntimeError)
    assert error.variable in group.variables and error.neuron in (0, 1) and error.batch_index == 0
    T = runner.mon.V.shape[0]
    assert 1 <= T < 100 and np.all(np.isfinite(runner.mon.V))
    np.testing.assert_allclose(runner.mon.ts, 0.1 * np.arange(1, T + 1), rtol=1e-12)
    assert error.time == pytest.approx(0.1 * T)
    with pytest.raises(ValueError, match="reset"):
        runner.run(1.0)
    runner.reset_state()
