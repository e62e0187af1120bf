"""Checks shared by the Python layer: each raises ValueError naming the offending argument, its
value and what is allowed, like ionode's C++ errors."""

import difflib
import math
import numbers

import numpy as np


def did_you_mean(name, candidates):
    """' (did you mean 'x'?)' for a close candidate, else ''."""
    close = difflib.get_close_matches(str(name), list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown(what, name, allowed):
    """The ValueError for an unknown name: what it is, the name, a suggestion and the allowed ones."""
    allowed = list(allowed)
    return ValueError(f"{what} '{name}' is not known{did_you_mean(name, allowed)}; allowed: {', '.join(allowed)}")


def is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def number(value, name):
    """A finite real number (not a bool), as a float."""
    if not is_number(value) or not math.isfinite(float(value)):
        raise ValueError(f"{name} = {value!r} is not allowed; it must be a finite number")
    return float(value)


def positive_number(value, name):
    value = number(value, name)
    if value <= 0:
        raise ValueError(f"{name} = {value!r} is not allowed; it must be a number > 0")
    return value


def count(value, name, minimum):
    """An integer >= minimum (not a bool), as an int."""
    if not isinstance(value, (numbers.Integral, np.integer)) or isinstance(value, (bool, np.bool_)) \
            or value < minimum:
        raise ValueError(f"{name} = {value!r} is not allowed; it must be an integer >= {minimum}")
    return int(value)


def float_array(value, name):
    """value as a float64 array; a ValueError naming it if it is not numeric or not finite. Strings,
    bools and None are refused, not converted (np.asarray('120', float) would be 120.0: a typo read
    as a number)."""
    refused = ValueError(f"{name} = {_short(value)} is not allowed; it must be a number or an array of numbers "
                         "(not strings, bools or None; nested lists must be rectangular)")
    try:
        given = np.asarray(value)
        if given.dtype.kind not in "iuf":
            raise refused
        array = given.astype(np.float64)
    except (TypeError, ValueError):
        raise refused from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds non-finite values; every value must be finite")
    return array


def shape_text(shape):
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _short(value):
    """repr(value), cut for long arrays so that a message stays one readable line."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
