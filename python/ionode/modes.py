"""BrainPy's computing modes (``bm.BatchingMode``, ...), for a group's ``mode`` keyword: a batching
mode of batch_size B is ionode's ``batch=B``; ionode simulates and never trains, so a training mode is
refused (``batch_of``)."""

from ._checks import count

__all__ = ["BatchingMode", "Mode", "NonBatchingMode", "TrainingMode", "batching_mode", "nonbatching_mode",
           "training_mode"]


class Mode:
    """Base class of the computing modes."""

    def __repr__(self):
        return type(self).__name__

    def __eq__(self, other):
        return type(other) is type(self) and getattr(other, "batch_size", None) == getattr(self, "batch_size", None)

    def __hash__(self):
        return hash((type(self), getattr(self, "batch_size", None)))

    def is_batch_mode(self):
        return isinstance(self, BatchingMode)

    def is_train_mode(self):
        return isinstance(self, TrainingMode)

    def is_nonbatch_mode(self):
        return isinstance(self, NonBatchingMode)


class NonBatchingMode(Mode):
    """One copy of the group: outputs (T, N)."""

    @property
    def batch_size(self):
        return ()  # as BrainPy's


class BatchingMode(Mode):
    """batch_size independent copies of the group (ionode's ``batch``): outputs (B, T, N). BrainPy's
    default batch_size is 1."""

    def __init__(self, batch_size=1):
        self.batch_size = batch_size

    def __repr__(self):
        return f"{type(self).__name__}(batch_size={self.batch_size})"


class TrainingMode(BatchingMode):
    """BrainPy's training mode; ionode does not train, so groups refuse it."""


nonbatching_mode = NonBatchingMode()
batching_mode = BatchingMode()
training_mode = TrainingMode()

_NAMES = {"non_batching": nonbatching_mode, "nonbatching": nonbatching_mode, "batching": batching_mode,
          "training": training_mode}


def batch_of(mode, name):
    """The batch a mode asks for: None (no batch axis) or B >= 1. ``name`` labels errors."""
    if mode is None:
        return None
    if isinstance(mode, str):
        if mode not in _NAMES:
            raise ValueError(f"{name} = {mode!r} is not allowed; use 'non_batching', 'batching', "
                             "bm.NonBatchingMode() or bm.BatchingMode(batch_size)")
        mode = _NAMES[mode]
    if isinstance(mode, TrainingMode):
        raise ValueError(f"{name} = {mode!r} is not allowed: ionode simulates and does not train; use "
                         "bm.BatchingMode(batch_size) for independent copies, or no mode")
    if isinstance(mode, BatchingMode):
        return count(mode.batch_size, f"{name}: batch_size", 1)
    if isinstance(mode, NonBatchingMode):
        return None
    raise ValueError(f"{name} = {mode!r} is not allowed; use None, 'non_batching', 'batching', "
                     "bm.NonBatchingMode() or bm.BatchingMode(batch_size)")
