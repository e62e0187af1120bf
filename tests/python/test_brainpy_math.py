"""ionode.math (``bm = bp.math``): brainpy.math's names on NumPy, the seed's own use of it (the second
HH docstring example, verbatim but for the import), the time step, random draws that follow the
global seed, Variable, for_loop, and the messages for names outside the namespace."""

import math

import numpy as np
import pytest

import ionode as bp


@pytest.fixture(autouse=True)
def default_dt():
    yield
    bp.math.set_dt(0.1)


def test_the_seeds_second_hh_example_runs_as_written():
    import ionode as bp
    import ionode.math as bm
    group = bp.neurons.HH(2)
    I1 = bp.inputs.spike_input(sp_times=[500., 550., 1000, 1030, 1060, 1100, 1200], sp_lens=5, sp_sizes=5., duration=2000, )
    I2 = bp.inputs.spike_input(sp_times=[600., 900, 950, 1500], sp_lens=5, sp_sizes=5., duration=2000, )
    I1 += bp.math.random.normal(0, 3, size=I1.shape)
    I2 += bp.math.random.normal(0, 3, size=I2.shape)
    I = bm.stack((I1, I2), axis=-1)
    runner = bp.DSRunner(group, monitors=['V'], inputs=('input', I, 'iter'), progress_bar=False)
    runner.run(2000.)
    assert I.shape == (20000, 2) and runner.mon.V.shape == (20000, 2)
    # The noise has the asked standard deviation (3) around the pulses: outside them I1 is the noise.
    quiet = I[:4000, 0]
    assert abs(np.std(quiet) - 3) < 5 * 3 / math.sqrt(2 * len(quiet))


def test_bm_is_ionode_math_and_its_array_functions_are_numpys():
    bm = bp.math
    import ionode.math
    assert bm is ionode.math
    for name in ["array", "asarray", "zeros", "ones", "full", "arange", "linspace", "exp", "tanh", "cosh", "where",
                 "logical_and", "logical_or", "stack", "concatenate", "sum", "mean", "sqrt", "clip", "abs", "maximum"]:
        assert getattr(bm, name) is getattr(np, name), name
    assert bm.pi == math.pi and bm.float_ is np.float64 and bm.float32 is np.float32
    np.testing.assert_array_equal(bm.logical_and(bm.array([True, False]), bm.ones(2, dtype=bool)), [True, False])
    assert bm.zeros((2, 3)).shape == (2, 3) and isinstance(bm.zeros(1), np.ndarray)


def test_set_dt_get_dt_and_dt_attribute_set_the_runners_default():
    bm = bp.math
    assert bm.get_dt() == 0.1 and bm.dt == 0.1
    bm.set_dt(0.01)
    assert bm.get_dt() == 0.01 and bm.dt == 0.01 and bp.get_dt() == 0.01
    runner = bp.DSRunner(bp.neurons.HH(1), monitors=["V"], progress_bar=False)
    runner.run(1.)
    assert runner.dt == 0.01 and runner.mon.ts.shape == (100,)
    with pytest.raises(ValueError, match="dt = -1"):
        bm.set_dt(-1.)


def test_modes_are_ionodes():
    bm = bp.math
    import ionode.modes
    assert bm.BatchingMode is ionode.modes.BatchingMode and bm.NonBatchingMode is ionode.modes.NonBatchingMode
    assert bm.BatchingMode(4).batch_size == 4 and bm.nonbatching_mode.is_nonbatch_mode()
    assert "BatchingMode" in bm.__all__
    assert bp.neurons.HH(3, mode=bm.BatchingMode(2)).batch == 2   # the seed's bm.BatchingMode(B), through bm


def test_random_follows_the_global_seed():
    bm = bp.math
    bm.random.seed(42)
    a = (bm.random.normal(0, 3, size=5), bm.random.uniform(2, 4, size=3), bm.random.randint(0, 10, size=4),
         bm.random.rand(2, 3), bm.random.randn(3))
    bp.random.seed(42)  # ionode.random.seed is bm.random.seed
    b = (bm.random.normal(0, 3, size=5), bm.random.uniform(2, 4, size=3), bm.random.randint(0, 10, size=4),
         bm.random.rand(2, 3), bm.random.randn(3))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], bm.random.normal(0, 3, size=5))  # the stream goes on
    bm.random.seed(None)
    assert not np.array_equal(bm.random.normal(size=5), bm.random.normal(size=5))


def test_random_distributions_and_shapes():
    bm = bp.math
    bm.random.seed(1)
    n = 200_000
    x = bm.random.normal(1., 3., size=n)
    # Mean and standard deviation within 5 standard errors.
    assert abs(x.mean() - 1) < 5 * 3 / math.sqrt(n) and abs(x.std() - 3) < 5 * 3 / math.sqrt(2 * n)
    u = bm.random.uniform(2., 4., size=n)
    assert u.min() >= 2 and u.max() < 4 and abs(u.mean() - 3) < 5 * (2 / math.sqrt(12)) / math.sqrt(n)
    k = bm.random.randint(5, size=n)
    assert set(np.unique(k)) == {0, 1, 2, 3, 4}
    assert bm.random.rand(2, 3).shape == (2, 3) and bm.random.randn(4).shape == (4,)
    assert isinstance(bm.random.rand(), float)
    assert bm.random.bernoulli(0.5, size=10).dtype == bool
    np.testing.assert_array_equal(bm.random.normal(size=3, key=7), bm.random.normal(size=3, key=7))
    arr = np.arange(10)
    assert bm.random.shuffle(arr) is None and sorted(arr) == list(range(10))
    with pytest.raises(AttributeError, match="default_rng"):
        bm.random.zipf  # noqa: B018


def test_variable_has_a_value():
    v = bp.math.Variable(np.zeros(3), batch_axis=None)
    v.value = np.array([1., 2., 3.])
    np.testing.assert_array_equal(v.value, [1., 2., 3.])
    v += 1
    assert isinstance(v, bp.math.Variable)
    np.testing.assert_array_equal(v, [2., 3., 4.])
    assert type(v * 2) is np.ndarray
    with pytest.raises(ValueError, match=r"shape \(2,\).*\(3,\)"):
        v.value = np.zeros(2)


def test_for_loop():
    bm = bp.math
    np.testing.assert_array_equal(bm.for_loop(lambda x: x * x, bm.arange(4)), [0, 1, 4, 9])
    s, p = bm.for_loop(lambda a, b: (a + b, a * b), (np.array([1, 2]), np.array([3, 4])))
    np.testing.assert_array_equal(s, [4, 6])
    np.testing.assert_array_equal(p, [3, 8])
    seen = []
    assert bm.for_loop(seen.append, np.arange(3), reverse=True) is None and seen == [2, 1, 0]


def test_exprel_and_environment_calls_that_hold():
    bm = bp.math
    np.testing.assert_allclose(bm.exprel(np.array([0., 1., -1e-12])), [1., math.e - 1, 1.], rtol=1e-12)
    bm.enable_x64()
    bm.set_platform("cpu")
    with pytest.raises(ValueError, match="platform = 'gpu'"):
        bm.set_platform("gpu")


@pytest.mark.parametrize("name, message", [
    ("jit", r"ionode\.math\.jit is not needed: ionode runs compiled C\+\+ kernels; remove the decorator"),
    ("vmap", "no JAX transformations.*batch"),
    ("grad", "no automatic differentiation"),
    ("as_jax", "NumPy"),
    ("disable_x64", "precision='float32'"),
    ("zeross", "did you mean 'zeros'"),
])
def test_names_outside_the_namespace_say_what_to_use(name, message):
    with pytest.raises(AttributeError, match=message):
        getattr(bp.math, name)
