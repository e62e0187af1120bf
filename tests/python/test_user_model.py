"""A model registered in C++ by an extension module (examples/connor_stevens/python_module.cpp) is a
neuron group like the built-in ones, and gives the same bits as the same model in the C++ command
line program of the example."""

import numpy as np
import pytest

import ionode
from conftest import CONNOR_STEVENS_BIN, assert_same_bits, run_cli_config

pytestmark = pytest.mark.skipif(CONNOR_STEVENS_BIN is None, reason="the examples were not built")


@pytest.fixture(scope="module")
def connor_stevens():
    import ionode_connor_stevens  # noqa: F401  (registers the model with ionode)
    return ionode.neurons.get("ConnorStevens")


def test_the_registered_model_is_listed_and_described(connor_stevens):
    assert "ConnorStevens" in ionode.neurons.models()
    assert ionode.neurons.ConnorStevens is connor_stevens
    group = connor_stevens(3)
    assert group.variables == ["V", "m", "h", "n", "a", "b"]
    assert "gA" in group.parameters and group.inputs == ["input"]
    np.testing.assert_array_equal(group.V, [-68.0] * 3)
    assert "A-current" in connor_stevens.__doc__


def test_it_equals_the_command_line_bit_for_bit(connor_stevens, tmp_path):
    group = connor_stevens(2, method="rk4", gA=np.array([47.7, 20.0]), V_initializer=-68.0)
    runner = ionode.DSRunner(group, monitors=["V", "a", "b"], inputs=("input", 10.0), dt=0.01)
    runner.run(200.0)
    cli = run_cli_config(tmp_path, """
model = "ConnorStevens"
size = 2
duration = 200.0
dt = 0.01
method = "rk4"
[params]
gA = [47.7, 20.0]
[initial]
V = -68.0
[[inputs]]
target = "input"
value = 10.0
[monitors]
variables = ["V", "a", "b"]
""", binary=CONNOR_STEVENS_BIN)
    for key in ("V", "a", "b"):
        assert_same_bits(runner.mon[key], cli[key], key)
    assert_same_bits(runner.spikes.times, cli["spike_times"], "spike times")
    assert len(runner.spikes) >= 4


def test_its_errors_are_value_errors_naming_the_keyword(connor_stevens):
    with pytest.raises(ValueError, match="'gAA'.*did you mean 'gA'"):
        connor_stevens(1, gAA=1.0)
    # Thrown by the extension's own copy of the library, translated by the module's translator.
    with pytest.raises(ValueError, match="gNa"):
        connor_stevens(1, gNa=-1.0)


def test_registering_the_same_name_twice_is_refused(connor_stevens):
    import ionode_connor_stevens
    with pytest.raises(ValueError, match="already registered"):
        ionode_connor_stevens.register_again()
