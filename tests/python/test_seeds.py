"""Seeds: groups and generators given no seed draw a fresh one each (BrainPy's habit), the seed used
is readable and repeats the object exactly, and ionode.random.seed(s) makes a whole script
reproducible."""

import numpy as np
import pytest

import ionode
from conftest import assert_same_bits


@pytest.fixture
def fresh_entropy():
    ionode.random.seed(None)  # the suite's conftest seeds every test; these check the default


def noisy_trace(group, duration=20.0):
    runner = ionode.DSRunner(group, monitors=["V"], progress_bar=False)
    runner.run(duration)
    return runner.mon.V[:, 0]


def test_unseeded_groups_are_independent_trials(fresh_entropy):
    groups = [ionode.HH(1, noise=2.0) for _ in range(5)]
    assert len({g.seed for g in groups}) == 5
    traces = [noisy_trace(g) for g in groups]
    for a in range(5):
        for b in range(a + 1, 5):
            assert not np.array_equal(traces[a], traces[b]), f"trials {a} and {b} are identical"


def test_unseeded_generators_are_independent(fresh_entropy):
    ou = [ionode.inputs.ou_process(0.0, 1.0, 5.0, 50.0) for _ in range(2)]
    assert not np.array_equal(ou[0], ou[1])
    wiener = [ionode.inputs.wiener_process(50.0) for _ in range(2)]
    assert not np.array_equal(wiener[0], wiener[1])
    uniform = [ionode.init.Uniform(0.0, 1.0)(100) for _ in range(2)]
    assert not np.array_equal(uniform[0], uniform[1])


def test_the_seed_used_is_readable_and_repeats_the_object(fresh_entropy):
    group = ionode.HH(3, noise=1.0)
    assert isinstance(group.seed, int) and 0 <= group.seed < 2 ** 63  # fits the command line's TOML seed
    again = ionode.HH(3, noise=1.0, seed=group.seed)
    assert_same_bits(again.V.value, group.V.value, "random initial V")
    assert_same_bits(noisy_trace(again), noisy_trace(group), "noisy trace")
    series = ionode.inputs.ou_process(0.0, 1.0, 5.0, 50.0, n=2)
    seed = ionode.random.last_seed()
    assert_same_bits(ionode.inputs.ou_process(0.0, 1.0, 5.0, 50.0, n=2, seed=seed), series, "ou_process")


def test_a_global_seed_makes_a_script_reproducible():
    def script():
        group = ionode.HH(2, noise=2.0)
        current = ionode.inputs.ou_process(5.0, 1.0, 5.0, 20.0, n=2)
        runner = ionode.DSRunner(group, monitors=["V"], inputs=("input", current, "iter"), progress_bar=False)
        runner.run(20.0)
        return runner.mon.V, ionode.init.Normal(0.0, 1.0)(4), ionode.random.default_rng().normal(size=3)

    ionode.random.seed(42)
    first = script()
    ionode.random.seed(42)
    second = script()
    for a, b, what in zip(first, second, ("V", "Normal()(4)", "default_rng")):
        assert_same_bits(a, b, what)
    ionode.random.seed(43)
    assert not np.array_equal(script()[0], first[0])
    assert ionode.random.get_seed() == 43


def test_explicit_seeds_do_not_shift_the_drawn_ones():
    ionode.random.seed(7)
    first, second = ionode.HH(1).seed, ionode.HH(1).seed
    assert first != second
    ionode.random.seed(7)
    assert ionode.HH(1, seed=123).seed == 123  # as given, drawing nothing
    assert ionode.HH(1).seed == first
    assert ionode.inputs.wiener_process(5.0) is not None and ionode.random.last_seed() == second


@pytest.mark.parametrize("bad", [-1, 2 ** 64, "1", True, 1.5])
def test_bad_seeds_are_refused(bad):
    with pytest.raises(ValueError, match=r"HH: seed = .* is not allowed"):
        ionode.HH(1, seed=bad)
    with pytest.raises(ValueError, match=r"ou_process: seed = .* is not allowed"):
        ionode.inputs.ou_process(0.0, 1.0, 5.0, 10.0, seed=bad)
    with pytest.raises(ValueError, match=r"ionode.random.seed: seed = .* is not allowed"):
        ionode.random.seed(bad)


def test_the_largest_explicit_seed_still_works():
    assert ionode.HH(1, seed=2 ** 64 - 1).seed == 2 ** 64 - 1
