"""A group's keywords of the wrong type are refused with the keyword, the value and what is allowed
(never converted: '120' is not 120), and BrainPy's ``mode`` keyword is ionode's batch."""

import numpy as np
import pytest

import ionode
from ionode.modes import BatchingMode, NonBatchingMode, TrainingMode, batching_mode, nonbatching_mode
from conftest import assert_same_bits


def test_a_string_parameter_is_refused():
    with pytest.raises(ValueError, match=r"HH: gNa = '120' is not allowed; it must be a number or an array"):
        ionode.HH(3, gNa="120")


def test_a_string_size_is_named_whole():
    with pytest.raises(ValueError, match=r"HH: size = '10' is not allowed; it must be an int >= 1 or a tuple"):
        ionode.HH("10")


BAD_KEYWORDS = {
    "bool parameter": (dict(gNa=True), r"gNa = True is not allowed"),
    "None parameter": (dict(gNa=None), r"gNa = None is not allowed"),
    "ragged parameter": (dict(gNa=[[1.0, 2.0], [3.0]]), r"gNa = .* is not allowed.*rectangular"),
    "array of strings": (dict(gNa=["1", "2", "3"]), r"gNa = .* is not allowed"),
    "nested parameter of the wrong shape": (dict(gNa=[[120.0, 120.0, 120.0]]), r"gNa has shape \(1, 3\)"),
    "string initial value": (dict(V_initializer="-65"), r"V_initializer = '-65' is not allowed"),
    "initializer giving strings": (dict(V_initializer=lambda shape: np.full(shape, "x")), r"V_initializer"),
    "string noise": (dict(noise="1"), r"noise = '1' is not allowed"),
    "bool noise": (dict(noise=True), r"noise = True is not allowed"),
    "string noise in a dict": (dict(noise={"V": "1"}), r"noise = '1' is not allowed"),
    "name not a string": (dict(name=5), r"name = 5 is not allowed; it must be a string"),
    "method_options not a dict": (dict(method_options="rtol"), r"method_options = 'rtol' is not allowed"),
    "string method option": (dict(method="rkdp", method_options={"rtol": "1e-3"}), r"method_options\['rtol'\]"),
    "string batch": (dict(batch="2"), r"batch = '2' is not allowed"),
    "bool batch": (dict(batch=True), r"batch = True is not allowed"),
    "string seed": (dict(seed="1"), r"seed = '1' is not allowed"),
    "string keep_size": (dict(keep_size="yes"), r"keep_size = 'yes' is not allowed"),
    "precision not a string": (dict(precision=32), r"precision = 32 is not allowed"),
    "method not a string": (dict(method=None), r"method = None is not allowed"),
    "preset not a string": (dict(preset=1), r"preset = 1 is not allowed"),
}


@pytest.mark.parametrize("case", BAD_KEYWORDS, ids=list(BAD_KEYWORDS))
def test_bad_keyword_types_are_refused(case):
    kwargs, message = BAD_KEYWORDS[case]
    with pytest.raises(ValueError, match=message):
        ionode.HH(3, **kwargs)


@pytest.mark.parametrize("size", [2.5, None, True, ["2"], (2, "3"), [[2, 3]]])
def test_bad_sizes_are_refused_whole(size):
    with pytest.raises(ValueError, match=r"HH: size = .* is not allowed; it must be an int >= 1 or a tuple"):
        ionode.HH(size)


def test_generator_flags_must_be_bools():
    with pytest.raises(ValueError, match=r"bias = 'no' is not allowed; it must be True or False"):
        ionode.inputs.sinusoidal_input(1.0, 10.0, 100.0, bias="no")


# ---- mode -----------------------------------------------------------------------------------------

def test_a_batching_mode_is_a_batch():
    group = ionode.HH(10, mode=BatchingMode(4))
    assert group.batch == 4 and group.V.shape == (4, 10) and group.mode == BatchingMode(4)
    runner = ionode.DSRunner(group, monitors=["V"], progress_bar=False)
    runner.run(1.0)
    assert runner.mon.V.shape == (4, 10, 10)


def test_a_batching_mode_runs_as_the_same_batch():
    by_mode = ionode.HH(3, mode=BatchingMode(2), seed=1, noise=0.5)
    by_batch = ionode.HH(3, batch=2, seed=1, noise=0.5)
    outputs = []
    for group in (by_mode, by_batch):
        runner = ionode.DSRunner(group, monitors=["V"], inputs=("input", 6.0), progress_bar=False)
        runner.run(10.0)
        outputs.append(runner.mon.V)
    assert_same_bits(outputs[0], outputs[1], "V")


@pytest.mark.parametrize("mode", ["batching", batching_mode])
def test_batching_by_name_is_brainpys_default_batch_size_1(mode):
    group = ionode.HH(10, mode=mode)
    assert group.batch == 1 and group.V.shape == (1, 10)


@pytest.mark.parametrize("mode", [None, "non_batching", nonbatching_mode, NonBatchingMode()])
def test_non_batching_modes_have_no_batch_axis(mode):
    group = ionode.HH(10, mode=mode)
    assert group.batch is None and group.V.shape == (10,) and group.mode == NonBatchingMode()


@pytest.mark.parametrize("mode", [TrainingMode(), TrainingMode(3), "training"])
def test_training_modes_are_refused(mode):
    with pytest.raises(ValueError, match=r"HH: mode = .* is not allowed: ionode simulates and does not train"):
        ionode.HH(10, mode=mode)


@pytest.mark.parametrize("mode, message", [
    ("batched", r"mode = 'batched' is not allowed; use 'non_batching', 'batching'"),
    (4, r"mode = 4 is not allowed"),
    (BatchingMode(0), r"mode: batch_size = 0 is not allowed"),
    (BatchingMode("4"), r"mode: batch_size = '4' is not allowed"),
])
def test_bad_modes_are_refused(mode, message):
    with pytest.raises(ValueError, match=message):
        ionode.HH(10, mode=mode)


def test_batch_and_mode_must_agree():
    assert ionode.HH(3, batch=4, mode=BatchingMode(4)).batch == 4
    with pytest.raises(ValueError, match=r"batch = 4 and mode = BatchingMode\(batch_size=2\) disagree"):
        ionode.HH(3, batch=4, mode=BatchingMode(2))
    with pytest.raises(ValueError, match=r"batch = 2 and mode = 'non_batching' disagree"):
        ionode.HH(3, batch=2, mode="non_batching")
