"""Input generators in a configuration file: `value = {spike = {...}}`, `{ramp = ...}`, `{ou = ...}`...

Spec (issue 4, section 2; SEMANTICS.md "Inputs"): the eight generators of BrainPy's brainpy.inputs with
its definitions, rows = steps of the run (dt is the run's, duration defaults to the run's), one shared
column or n columns. The expected arrays below are written from BrainPy's definitions with NumPy and fed
to the same run as an input file; the generator must give the same run.
"""

import numpy as np
import pytest

from conftest import load_npz, run_config

DT = 0.1
DURATION = 20.0


def hh(value, size=1, duration=DURATION, dt=DT, seed=0, method="exp_auto"):
    """HH neurons that all start at -65 mV (the default initial V is drawn per neuron), one input."""
    return (
        f'model = "HH"\nsize = {size}\nduration = {duration}\ndt = {dt}\nseed = {seed}\nmethod = "{method}"\n\n'
        f'[initial]\nV = -65.0\n\n[monitors]\nvariables = ["V"]\n\n[[inputs]]\ntarget = "input"\nvalue = {value}\n'
    )


# BrainPy's definitions (brainpy/_src/inputs/currents.py), for parameters where t/dt is exact.
def section(values, durations):
    current = np.zeros(int(np.ceil(sum(durations) / DT)))
    start = 0
    for value, duration in zip(values, durations):
        length = int(duration / DT)
        current[start : start + length] = value
        start += length
    return current


def spike(times, length, size, duration=DURATION):
    current = np.zeros(int(np.ceil(duration / DT)))
    for t in times:
        current[int(t / DT) : int(t / DT) + int(length / DT)] = size
    return current


def ramp(c_start, c_end, t_start, t_end, duration=DURATION):
    current = np.zeros(int(np.ceil(duration / DT)))
    p1, p2 = int(np.ceil(t_start / DT)), int(np.ceil(t_end / DT))
    current[p1:p2] = np.linspace(c_start, c_end, p2 - p1)
    return current


def oscillation(wave, amplitude, frequency, t_start, t_end, bias, duration=DURATION):
    times = np.arange(0, t_end - t_start, DT)
    signal = amplitude * wave(2 * np.pi * times * (frequency / 1000.0)) + (amplitude if bias else 0.0)
    current = np.zeros(int(duration / DT))
    current[int(t_start / DT) : int(t_end / DT)] = signal
    return current


def square_wave(phase):
    return np.where(np.mod(phase, 2 * np.pi) < np.pi, 1.0, -1.0)


CASES = {
    "spike": ("{spike = {times = [2.0, 11.0], lens = 3.0, sizes = 15.0}}", spike([2.0, 11.0], 3.0, 15.0)),
    "spike_lists": (
        "{spike = {times = [2.0, 11.0], lens = [3.0, 1.0], sizes = [15.0, 30.0]}}",
        np.maximum(spike([2.0], 3.0, 15.0), spike([11.0], 1.0, 30.0)),
    ),
    "ramp": ("{ramp = {c_start = 0, c_end = 15, t_start = 5, t_end = 15}}", ramp(0.0, 15.0, 5.0, 15.0)),
    "section": ("{section = {values = [0, 12, 3], durations = [5, 10, 5]}}", section([0, 12, 3], [5, 10, 5])),
    "constant": ("{constant = [[0, 5], [12, 10], [3, 5]]}", section([0, 12, 3], [5, 10, 5])),
    "sinusoidal": (
        "{sinusoidal = {amplitude = 8, frequency = 150, t_start = 2, t_end = 18, bias = true}}",
        oscillation(np.sin, 8.0, 150.0, 2.0, 18.0, True),
    ),
    # 70 Hz: no sample falls on a half period (t = m * 500/70 ms) within 20 ms except t = 0.
    "square": ("{square = {amplitude = 10, frequency = 70}}", oscillation(square_wave, 10.0, 70.0, 0.0, DURATION, False)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_generator_gives_the_same_run_as_its_definition_in_a_file(tmp_path, name):
    generator, expected = CASES[name]
    assert np.abs(expected).max() > 0
    np.save(tmp_path / "expected.npy", expected)
    run_config(tmp_path, hh(generator), output="generated.npz")
    run_config(tmp_path, hh('{file = "expected.npy"}'), output="file.npz")
    generated, meta = load_npz(tmp_path / "generated.npz")
    from_file, _ = load_npz(tmp_path / "file.npz")
    # The input moves V (so the comparison means something), and both runs agree to rounding.
    assert np.ptp(generated["V"]) > 1.0
    np.testing.assert_allclose(generated["V"], from_file["V"], rtol=1e-9, atol=1e-9)
    assert generated["spike_times"].shape == from_file["spike_times"].shape


def test_spike_train_makes_hh_fire_only_during_its_pulses(tmp_path):
    times, length = [20.0, 60.0, 100.0], 5.0
    value = f"{{spike = {{times = {times}, lens = {length}, sizes = 20.0}}}}"
    run_config(tmp_path, hh(value, duration=150.0, dt=0.01))
    arrays, _ = load_npz(tmp_path / "out.npz")
    spikes = arrays["spike_times"]
    # A spike peaks within a few ms of its pulse's onset: none outside [onset, onset + length + 3 ms].
    for t in spikes:
        assert any(on <= t <= on + length + 3.0 for on in times), f"a spike at {t} ms, outside every pulse"
    for on in times:
        assert np.any((spikes >= on) & (spikes <= on + length + 3.0)), f"no spike for the pulse at {on} ms"


@pytest.mark.parametrize("noise", ["{{wiener = {{n = {n}}}}}", "{{ou = {{mean = 0, sigma = 20, tau = 5, n = {n}}}}}"])
def test_noise_is_per_neuron_with_n_columns_shared_with_one_and_fixed_by_the_seed(tmp_path, noise):
    run_config(tmp_path, hh(noise.format(n=3), size=3, seed=1), output="a.npz")
    run_config(tmp_path, hh(noise.format(n=3), size=3, seed=1), output="b.npz")
    run_config(tmp_path, hh(noise.format(n=3), size=3, seed=2), output="c.npz")
    run_config(tmp_path, hh(noise.format(n=1), size=3, seed=1), output="shared.npz")
    a, b, c, shared = (load_npz(tmp_path / f)[0]["V"] for f in ["a.npz", "b.npz", "c.npz", "shared.npz"])
    assert a.tobytes() == b.tobytes(), "the same seed must give the same run"
    assert not np.array_equal(a, c), "another seed must give other noise"
    assert not np.array_equal(a[:, 0], a[:, 1]) and not np.array_equal(a[:, 1], a[:, 2])
    assert np.array_equal(shared[:, 0], shared[:, 1]) and np.array_equal(shared[:, 0], shared[:, 2])


@pytest.mark.parametrize(
    "value, words",
    [
        ("{spkie = {times = [1.0], lens = 1, sizes = 1}}", ["spkie", "spike", "ramp", "ou", "file"]),
        ("{spike = {times = [1.0], len = 1, sizes = 1}}", ["len", "lens", "times", "sizes"]),
        ("{spike = {times = [1.0, 2.0], lens = [1.0], sizes = 1}}", ["lens", "1", "2"]),
        ("{section = {values = [0, 5, 0], durations = [10, 10]}}", ["values", "durations", "3", "2"]),
        ("{ou = {mean = 0, sigma = 1}}", ["tau"]),
        ("{ou = {mean = 0, sigma = 1, tau = -5}}", ["tau", "-5"]),
        ("{ramp = {c_start = 0, c_end = 1, t_end = 50}}", ["t_end", "50", "duration"]),
        ("{wiener = {n = 0}}", ["n", "0"]),
        # A series shorter than the run: 10 ms of rows for a 20 ms run.
        ("{section = {values = [1], durations = [10]}}", ["rows", "100", "200"]),
    ],
)
def test_bad_generator_is_a_clear_error(tmp_path, value, words):
    proc, _ = run_config(tmp_path, hh(value), expect_rc=2)
    for word in words:
        assert word in proc.stderr, f"stderr does not mention {word!r}:\n{proc.stderr}"
    assert "inputs[0].value" in proc.stderr, proc.stderr
    assert not (tmp_path / "out.npz").exists()
