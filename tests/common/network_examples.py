"""The example networks (examples/networks/*.toml) written into a test's folder with a duration of its
own and some text replaced (shared by tests/cli and tests/mpi)."""

import re
from pathlib import Path

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
