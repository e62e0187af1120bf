"""The example networks (examples/networks/*.toml) written into a test's folder with a duration of its
own and some text replaced, and Brian2's COBAHH reference as a configuration (shared by tests/cli and
tests/mpi)."""

import re
from pathlib import Path

import numpy as np

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "networks"


def example(name, cwd, duration, replace=()):
    text = (EXAMPLES / f"{name}.toml").read_text()
    text = re.sub(r"(?m)^duration = .*$", f"duration = {duration}", text)
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    path = Path(cwd) / f"{name}.toml"
    path.write_text(text)
    return path


def cobahh_from_reference(reference, duration=1000.0):
    """The configuration of the reference's network: explicit synapses, weights, delays and states."""
    ref = np.load(reference)
    ne, ni = int(ref["NE"]), int(ref["NI"])
    delays = "EE_delay" in ref.files
    text = f"duration = {duration}\ndt = 0.1\n\n"
    for name, (begin, end) in {"E": (0, ne), "I": (ne, ne + ni)}.items():
        text += f'[[populations]]\nname = "{name}"\nmodel = "TraubMiles"\nsize = {end - begin}\n'
        text += "[populations.initial]\n"
        for var, key in {"V": "v0", "m": "m0", "h": "h0", "n": "n0"}.items():
            text += f'{var} = {{file = "{reference}", key = "{key}", range = [{begin}, {end}]}}\n'
        text += "[populations.monitors]\nspikes = true\n\n"
    for proj in ["EE", "EI", "IE", "II"]:
        pre, post = proj[0], proj[1]
        tau, e = (5.0, 0.0) if pre == "E" else (10.0, -80.0)
        begin, end = (0, ne) if post == "E" else (ne, ne + ni)
        g0 = "ge0" if pre == "E" else "gi0"
        text += (
            f'[[projections]]\nname = "{proj}"\npre = "{pre}"\npost = "{post}"\nsynapse = "exponential"\n'
            f'tau = {tau}\nE = {e}\n'
            f'connect = {{rule = "file", file = "{reference}", pre = "{proj}_pre", post = "{proj}_post"}}\n'
        )
        if delays:
            text += f'weight = {{file = "{reference}", key = "{proj}_weight"}}\n'
            text += f'delay = {{file = "{reference}", key = "{proj}_delay"}}\n'
        else:
            text += f'weight = {float(ref["we" if pre == "E" else "wi"])}\n'
        text += f'initial = {{g = {{file = "{reference}", key = "{g0}", range = [{begin}, {end}]}}}}\n\n'
    return text
