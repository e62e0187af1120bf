"""ionode.measure (BrainPy's bp.measure) against hand computations of BrainPy's definitions on small
arrays: firing_rate, cross_correlation (Wang and Buzsaki's kappa), voltage_fluctuation (chi^2)."""

import math

import numpy as np
import pytest

import ionode as bp


def test_firing_rate_is_a_moving_window_of_the_mean_over_neurons():
    # dt = 1 ms, width = 3 ms: a window of 2 * int(1.5) + 1 = 3 steps, each weighing 1000 / 3.
    spikes = np.zeros((6, 2), dtype=bool)
    spikes[1, 0] = True   # mean over neurons: [0, .5, 0, 0, 1, 0]
    spikes[4, :] = True
    rate = bp.measure.firing_rate(spikes, 3., dt=1.)
    # 'same' centres the window: rate[k] = (m[k-1] + m[k] + m[k+1]) * 1000 / 3.
    expected = np.array([0.5, 0.5, 0.5, 1.0, 1.0, 1.0]) * 1000 / 3
    np.testing.assert_allclose(rate, expected, rtol=1e-12)


def test_firing_rate_of_a_neuron_spiking_every_step_is_1000_over_dt_times_window_fraction():
    # All ones: the full window sums to (2 * int(width / 2 / dt) + 1) * 1000 / width away from the edges.
    spikes = np.ones((50, 3))
    rate = bp.measure.firing_rate(spikes, 1., dt=0.1)  # window 11 steps
    np.testing.assert_allclose(rate[5:-5], 11 * 1000.0, rtol=1e-12)
    np.testing.assert_allclose(rate[0], 6 * 1000.0, rtol=1e-12)  # half the window hangs off the edge


def test_firing_rate_uses_the_default_dt_and_counts_steps_as_the_runner():
    spikes = np.zeros((20, 1))
    spikes[10, 0] = 1
    # width 0.6 ms at the default dt 0.1: 0.6 / 2 / 0.1 = 2.9999999999999996, counted as 3 (7 steps).
    rate = bp.measure.firing_rate(spikes, 0.6)
    assert np.count_nonzero(rate) == 7
    np.testing.assert_allclose(rate[7:14], 1000 / 0.6, rtol=1e-12)


def test_cross_correlation_by_hand():
    # dt = 1, bin = 2 ms: bins of 2 steps; 7 steps make 4 bins, the last padded.
    spikes = np.zeros((7, 3))
    spikes[0, 0] = spikes[3, 0] = 1      # neuron 0 fires in bins 0, 1
    spikes[1, 1] = spikes[6, 1] = 1      # neuron 1 in bins 0, 3
    spikes[2, 2] = 1                     # neuron 2 in bin 1
    # Pairs (1,0): common bin 0 -> 1 / sqrt(2 * 2) = 0.5; (2,0): bin 1 -> 1 / sqrt(2 * 1); (2,1): 0.
    expected = (0.5 + 1 / math.sqrt(2) + 0.0) / 3
    assert bp.measure.cross_correlation(spikes, 2., dt=1.) == pytest.approx(expected, rel=1e-12)


def test_cross_correlation_is_one_for_identical_trains_and_zero_pairs_count_as_zero():
    train = np.zeros((10, 1))
    train[[1, 5, 8]] = 1
    assert bp.measure.cross_correlation(np.hstack([train, train]), 1., dt=1.) == pytest.approx(1.0, rel=1e-12)
    silent = np.zeros((10, 1))
    # (identical pair: 1) + (two pairs with a silent neuron: 0) over 3 pairs.
    value = bp.measure.cross_correlation(np.hstack([train, train, silent]), 1., dt=1., method="vmap")
    assert value == pytest.approx(1 / 3, rel=1e-12)


def test_voltage_fluctuation_by_hand():
    # Two neurons in antiphase: the mean is constant, so chi^2 = 0.
    t = np.arange(8.)
    v = np.stack([np.sin(t), -np.sin(t)], axis=1)
    assert bp.measure.voltage_fluctuation(v) == pytest.approx(0.0, abs=1e-15)
    # In phase with different offsets: the mean's variance equals each one's, chi^2 = 1.
    assert bp.measure.voltage_fluctuation(np.stack([np.sin(t), np.sin(t) + 5], axis=1)) == pytest.approx(1, rel=1e-12)
    # V0 = [0, 2], V1 = [0, 0]: var(V0) = 1, var(V1) = 0, mean = [0, 1] with variance 1/4:
    # chi^2 = (1/4) / ((1 + 0) / 2) = 1/2.
    assert bp.measure.voltage_fluctuation(np.array([[0., 0.], [2., 0.]])) == pytest.approx(0.5, rel=1e-12)
    # Constant potentials: BrainPy's 1.
    assert bp.measure.voltage_fluctuation(np.full((4, 3), -65.)) == 1.0


def test_raster_plot():
    sp = np.array([[0, 1], [1, 1], [0, 0]], dtype=bool)
    index, time = bp.measure.raster_plot(sp, np.array([0.1, 0.2, 0.3]))
    np.testing.assert_array_equal(index, [1, 0, 1])
    np.testing.assert_allclose(time, [0.1, 0.2, 0.2])


def test_measures_on_a_run():
    # Two identical neurons fire together: kappa 1, chi^2 1.
    group = bp.neurons.HH(2, V_initializer=-65.)
    runner = bp.DSRunner(group, monitors=["V", "spike"], inputs=("input", 10.), progress_bar=False)
    runner.run(100.)
    assert runner.mon.spike.sum() > 4
    assert bp.measure.cross_correlation(runner.mon.spike, 5.) == pytest.approx(1.0, rel=1e-12)
    assert bp.measure.voltage_fluctuation(runner.mon.V) == pytest.approx(1.0, rel=1e-9)
    rate = bp.measure.firing_rate(runner.mon.spike, 10.)
    assert rate.shape == runner.mon.ts.shape


@pytest.mark.parametrize("call, message", [
    (lambda: bp.measure.firing_rate(np.zeros((5, 2, 2)), 1.), r"shape \(5, 2, 2\).*\(T, N\).*one copy"),
    (lambda: bp.measure.firing_rate(np.zeros((5, 2)), 10., dt=1.), "window of 11 steps"),
    (lambda: bp.measure.firing_rate(np.zeros((5, 2)), -1.), "width = -1"),
    (lambda: bp.measure.firing_rate(np.zeros((5, 2)), 1., numpy=False), "numpy = False.*JAX"),
    (lambda: bp.measure.cross_correlation(np.zeros((5, 1)), 1.), "at least 2"),
    (lambda: bp.measure.cross_correlation(np.zeros((5, 2)), 0.05), "shorter than dt"),
    (lambda: bp.measure.cross_correlation(np.zeros((5, 2)), 1., method="pmap"), "method = 'pmap'"),
    (lambda: bp.measure.voltage_fluctuation(np.zeros(5)), r"shape \(5,\)"),
])
def test_bad_arguments_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
