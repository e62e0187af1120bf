"""Is my dt good enough? (ionode.check; the command line's `ionode check CONFIG`, docs/numerics.md)

    result = ionode.check(group, 200., inputs=('input', 10.))
    print(result['report'])

A sample of the group's neurons runs at dt, dt/2 and dt/4 with the group's method (an adaptive method:
at rtol, rtol/10 and rtol/100) and with each method in `compare`, against a tight adaptive run (rkdp,
rtol = atol = 1e-10) of the same neurons. The result says the spike-time and spike-count errors, the
order they shrink at, and the dt that reaches `accuracy` (ms) with the run time it would take.
"""

import json

from . import _ionode
from ._checks import count, positive_number
from ._config import get_dt
from ._runner_inputs import parse_inputs
from .neurons import NeuronGroup


def check(target, duration, inputs=(), dt=None, *, accuracy=0.1, sample=64, compare=("exp_midpoint",)):
    """Checks the group's method at dt against a tight reference; returns the result as a dict.

    target: a neuron group (its method, parameters, initial values and seed are used; noise is refused,
    since a noisy path changes with dt). duration: ms. inputs: as DSRunner takes them, numbers and arrays
    ('fix', 'iter'; an 'iter' array's rows are held over the finer steps), not functions. dt: ms (default
    ionode.get_dt()). accuracy: the spike-time error asked for (ms). sample: neurons checked, in four
    runs spread over the group. compare: other methods measured beside the group's.

    The dict: 'reference' (its spikes, and its difference from a ten times looser run), 'methods' (per
    method: 'rows' at each dt with 'spikes', 'count_error', 'worst_error_ms', 'median_error_ms',
    'seconds'; 'fitted_order'; 'good_enough'; 'dt_needed_ms' (or 'rtol_needed'); and
    'seconds_needed_one_thread' for the whole group), 'sample_neurons', and 'report', the text
    `ionode check` prints.
    """
    if not isinstance(target, NeuronGroup):
        raise ValueError(f"check: target = {target!r} is not allowed; it must be a neuron group "
                         "(ionode.neurons.HH(...), ...)")
    duration = positive_number(duration, "check: duration")
    dt = positive_number(get_dt() if dt is None else dt, "check: dt")
    accuracy = positive_number(accuracy, "check: accuracy")
    sample = count(sample, "check: sample", 1)
    if isinstance(compare, str):
        compare = (compare,)
    methods = []
    for method in compare:
        try:
            methods.append(_ionode.find_method(method)["name"])
        except ValueError as e:
            raise ValueError(f"check: compare: {e}") from None
    specs = [tuple(spec) for spec in parse_inputs(inputs, target, 0.0, dt)]
    options = target.method_options
    text = _ionode.check(target._population, dict(target.options), specs, duration, dt, target.method,
                         options["rtol"], options["atol"], options["max_substeps"], accuracy, sample, methods)
    return json.loads(text)
