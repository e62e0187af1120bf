"""ionode.math (``import ionode as bp; bm = bp.math``): brainpy.math's names for the scripts around
these models, on NumPy. It holds

- BrainPy's NumPy-compatible functions and constants (array, zeros, stack, exp, tanh, where,
  logical_and, ... : brainpy.math's ``compat_numpy`` list, each NumPy's own function) and dtypes;
- ``set_dt`` / ``get_dt`` (ionode's default time step, as ``ionode.set_dt``) and ``bm.dt``;
- ``random``: BrainPy's random functions drawing from the generator ``random.seed`` restarts;
- the computing modes (``BatchingMode(B)``, ``NonBatchingMode()``, ...) for a group's ``mode``;
- ``Variable`` (a NumPy array with ``.value``), ``for_loop``, ``exprel``, ``as_numpy``,
  ``enable_x64()`` and ``set_platform('cpu')`` (which hold in ionode as they are).

Arrays are NumPy arrays. A name outside this namespace raises AttributeError naming what to use
instead (``bm.jit``: not needed, ionode runs compiled C++ kernels).
"""

import numpy as _np

from . import _math_random as random
from ._checks import did_you_mean as _did_you_mean
from ._config import get_dt, set_dt
from ._math_tools import Variable, as_ndarray, as_numpy, enable_x64, exprel, for_loop, get_platform, set_platform

fft, linalg = _np.fft, _np.linalg

# brainpy.math's compat_numpy names (BrainPy 2.4-2.6), each served by NumPy's function of that name
# when this NumPy has it.
_NUMPY_NAMES = """
trapz fill_diagonal empty empty_like ones ones_like zeros zeros_like array asarray arange linspace logspace full
full_like eye identity diag tri tril triu real imag conj conjugate ndim isreal isscalar add reciprocal negative
positive multiply divide power subtract true_divide floor_divide float_power fmod mod modf divmod remainder abs exp
exp2 expm1 log log10 log1p log2 logaddexp logaddexp2 lcm gcd arccos arccosh arcsin arcsinh arctan arctan2 arctanh
cos cosh sin sinc sinh tan tanh deg2rad hypot rad2deg degrees radians round around round_ rint floor ceil trunc fix
prod sum diff median nancumprod nancumsum nanprod nansum cumprod cumsum ediff1d cross isfinite isinf isnan signbit
copysign nextafter ldexp frexp convolve sqrt cbrt square absolute fabs sign heaviside maximum minimum fmax fmin
interp clip angle bitwise_and bitwise_not bitwise_or bitwise_xor invert left_shift right_shift equal not_equal
greater greater_equal less less_equal array_equal isclose allclose logical_and logical_not logical_or logical_xor
all any alltrue sometrue shape size reshape ravel moveaxis transpose swapaxes concatenate stack vstack hstack dstack
column_stack split dsplit hsplit vsplit tile repeat unique append flip fliplr flipud roll atleast_1d atleast_2d
atleast_3d expand_dims squeeze sort argsort argmax argmin argwhere nonzero flatnonzero where searchsorted extract
count_nonzero max min amax amin array_split meshgrid vander tril_indices tril_indices_from triu_indices
triu_indices_from take select nanmin nanmax ptp percentile nanpercentile quantile nanquantile average mean std var
nanmedian nanmean nanstd nanvar corrcoef correlate cov histogram bincount digitize bartlett blackman hamming
hanning kaiser e pi inf nan dot vdot inner outer kron matmul trace dtype finfo iinfo product row_stack
apply_over_axes apply_along_axis array_equiv array_repr array_str block broadcast_arrays broadcast_shapes
broadcast_to compress cumproduct diag_indices diag_indices_from diagflat diagonal einsum einsum_path geomspace
gradient histogram2d histogram_bin_edges histogramdd i0 in1d indices insert intersect1d iscomplex isin ix_ lexsort
load save savez mask_indices msort nan_to_num nanargmax setdiff1d nanargmin pad poly polyadd polyder polyfit
polyint polymul polysub polyval resize rollaxis roots rot90 setxor1d tensordot trim_zeros union1d unravel_index
unwrap take_along_axis can_cast choose copy frombuffer fromfile fromfunction fromiter fromstring get_printoptions
iscomplexobj isneginf isposinf isrealobj issubdtype packbits piecewise printoptions set_printoptions
promote_types ravel_multi_index result_type sort_complex unpackbits delete asanyarray ascontiguousarray asfarray
common_type genfromtxt loadtxt place polydiv put putmask savetxt savez_compressed copyto
uint8 uint16 uint32 uint64 int8 int16 int32 int64 float16 float32 float64 complex64 complex128 ndarray
""".split()
# BrainPy's defaults, with x64 on (ionode computes in float64).
float_, int_, bool_, complex_ = _np.float64, _np.int64, _np.bool_, _np.complex128
Array = _np.ndarray

_names = {}
for _name in _NUMPY_NAMES:
    try:
        _names[_name] = getattr(_np, _name)
    except AttributeError:  # a name this NumPy removed (NumPy 2 dropped alltrue, product, ...)
        pass
globals().update(_names)

_OWN = ["Array", "Variable", "as_ndarray", "as_numpy", "bool_", "complex_", "dt", "enable_x64", "exprel", "fft",
        "float_", "for_loop", "get_dt", "get_platform", "int_", "linalg", "random", "set_dt", "set_platform"]
_MODES = ["BatchingMode", "Mode", "NonBatchingMode", "TrainingMode", "batching_mode", "nonbatching_mode",
          "training_mode"]
__all__ = sorted(set(_OWN + _MODES + list(_names)) - {"dt"})

_JAX_TRANSFORM = ("ionode has no JAX transformations: loop in Python (or ionode.math.for_loop); for copies of a "
                  "group run together give it a batch (HH(N, mode=bm.BatchingMode(B)) or batch=B)")
_AUTODIFF = ("ionode has no automatic differentiation in Python; ionode.analysis computes the models' "
             "Jacobians (equilibria, bifurcations) itself")
_CONTROL = "use Python's if/while (or ionode.math.where for arrays): ionode.math works on NumPy arrays"
_NO_JAX = "ionode has no JAX arrays; its arrays are NumPy's: use ionode.math.asarray or as_numpy"
_NO_NETWORK = ("ionode simulates neuron groups without synapses or connectivity, so it has no {}; the inputs "
               "to a group are DSRunner's inputs")
_REPLACEMENTS = {
    "jit": "ionode.math.jit is not needed: ionode runs compiled C++ kernels; remove the decorator",
    "cls_jit": "ionode.math.cls_jit is not needed: ionode runs compiled C++ kernels; remove the decorator",
    "vmap": _JAX_TRANSFORM, "pmap": _JAX_TRANSFORM,
    "grad": _AUTODIFF, "vector_grad": _AUTODIFF, "functional_vector_grad": _AUTODIFF, "jacobian": _AUTODIFF,
    "jacrev": _AUTODIFF, "jacfwd": _AUTODIFF, "hessian": _AUTODIFF,
    "cond": _CONTROL, "ifelse": _CONTROL, "while_loop": _CONTROL, "scan": "use ionode.math.for_loop",
    "as_jax": _NO_JAX, "as_device_array": _NO_JAX, "JaxArray": _NO_JAX, "ShardedArray": _NO_JAX,
    "disable_x64": "ionode computes in float64; give a group precision='float32' for single precision",
    "set_float": "ionode computes in float64; give a group precision='float32' for single precision",
    "set_mode": "give each group its mode: HH(N, mode=bm.BatchingMode(B)), or batch=B",
    "get_mode": "a group's mode is its own: group.batch is B with a batch, None without",
    "set_environment": "set the time step with ionode.math.set_dt; modes and precision per group (mode=, precision=)",
    "environment": "set the time step with ionode.math.set_dt; modes and precision per group (mode=, precision=)",
    "clear_buffer_memory": "not needed: ionode holds no device buffers; a runner's recordings go with the runner",
    "set_host_device_count": "ionode runs on the CPU's threads: DSRunner(..., threads=k)",
    "TrainVar": "ionode simulates and does not train models", "Parameter": "ionode does not train models",
    "VarList": "use a Python list of ionode.math.Variable", "VarDict": "use a dict of ionode.math.Variable",
    "sparse": _NO_NETWORK.format("sparse connectivity"), "event": _NO_NETWORK.format("event-driven operators"),
    "jitconn": _NO_NETWORK.format("just-in-time connectivity"), "surrogate": "ionode does not train models",
}


def __getattr__(name):
    if name == "dt":
        return get_dt()  # BrainPy's bm.dt: the default time step now
    if name in _MODES:
        # The modes live in ionode.modes (groups read them); imported on first use.
        from . import modes
        return getattr(modes, name)
    if name in _REPLACEMENTS:
        message = _REPLACEMENTS[name]
        raise AttributeError(message if message.startswith("ionode.math.") else
                             f"ionode.math.{name} is not available: {message}")
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"ionode.math has no '{name}'{_did_you_mean(name, __all__)}: it holds brainpy.math's "
                         "NumPy-compatible functions (as NumPy's), random, set_dt/get_dt, the modes, Variable and "
                         "for_loop (ionode.math.__all__ lists them); for other NumPy functions use numpy directly")


def __dir__():
    return sorted(set(globals()) | set(_MODES) | {"dt"})
