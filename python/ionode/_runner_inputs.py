"""BrainPy's runner inputs, checked against a group: (target, value[, kind[, op]]) or a list of them,
kind 'fix' (a number, or an array with one value per neuron), 'iter' (an array with one row per step:
(T,), (T, N), with a batch also (T, B, N)) or 'func' (a function of t in ms returning a number), op
'+', '-', '*', '/', '='. Each becomes the arguments of the C++ runner's add_input."""

import numpy as np

from ._checks import float_array, is_number, shape_text, unknown

KINDS = ("fix", "iter", "func")
OPS = ("+", "-", "*", "/", "=")


def parse_inputs(inputs, group):
    if inputs is None:
        return []
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(f"inputs = {inputs!r} is not allowed; give (target, value[, kind[, op]]) or a list of them")
    if inputs and isinstance(inputs[0], str):
        inputs = [inputs]
    return [_one(one, group, f"inputs[{i}]") for i, one in enumerate(inputs)]


def _one(one, group, where):
    if not isinstance(one, (list, tuple)) or not 2 <= len(one) <= 4:
        raise ValueError(f"{where} = {one!r} is not allowed; give (target, value[, kind[, op]])")
    target, value = one[0], one[1]
    kind = one[2] if len(one) >= 3 else "fix"
    op = one[3] if len(one) == 4 else "+"
    if not isinstance(target, str) or target not in group.inputs:
        raise unknown(f"{where}: target", target, group.inputs)
    if kind not in KINDS:
        raise unknown(f"{where}: kind", kind, KINDS)
    if op not in OPS:
        raise unknown(f"{where}: operation", op, OPS)
    where = f"{where} ('{target}', {kind})"
    if kind == "func":
        if not callable(value):
            raise ValueError(f"{where}: {value!r} is not callable; a 'func' input is a function of t (ms)")
    elif kind == "fix":
        value = _fix(value, group, where)
    else:
        value = _iter(value, group, where)
    return target, kind, value, op, f"kind '{kind}'"


def _fix(value, group, where):
    if is_number(value):
        return float(value)
    array = float_array(value, where)
    shapes = {(): 1, tuple(group.varshape): group.num, (group.num,): group.num}
    if group.batch:
        shapes[(group.batch,) + tuple(group.varshape)] = group.batch * group.num
        shapes[(group.batch, group.num)] = group.batch * group.num
    if array.shape not in shapes:
        raise ValueError(f"{where}: shape {shape_text(array.shape)} is not allowed; a 'fix' value is a number "
                         f"or has one of the shapes {', '.join(shape_text(s) for s in shapes if s)}")
    return float(array) if array.ndim == 0 else np.ascontiguousarray(array.reshape(-1))


def _iter(value, group, where):
    array = float_array(value, where)
    if array.ndim == 0:
        raise ValueError(f"{where}: an 'iter' value needs one row per step; got a number (use 'fix')")
    rows = array.shape[0]
    columns = {(): 1, (1,): 1, tuple(group.varshape): group.num, (group.num,): group.num}
    if group.batch:
        columns[(group.batch,) + tuple(group.varshape)] = group.batch * group.num
        columns[(group.batch, group.num)] = group.batch * group.num
    if array.shape[1:] not in columns:
        allowed = ", ".join(shape_text((rows,) + s) for s in columns)
        raise ValueError(f"{where}: shape {shape_text(array.shape)} is not allowed; an 'iter' value has one row "
                         f"per step and one of the shapes {allowed}")
    return np.ascontiguousarray(array.reshape(rows, columns[array.shape[1:]]))
