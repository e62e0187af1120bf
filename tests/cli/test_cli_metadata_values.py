"""The metadata stores the values a run drew, not only the rule: per-instance parameters and the initial
state, so a result says exactly what was simulated. Checked against the Python module's group built
with the same rule and seed (another way into the library) and against the rule's statistics."""

import json
import os
import subprocess

import numpy as np

from conftest import run_ionode, write_config

CONFIG = """
model = "HH"
size = 400
batch = 2
duration = 1.0
dt = 0.1
seed = {seed}
[params]
gNa = {{normal = [120.0, 10.0]}}
gK = 36.0
[initial]
V = {{uniform = [-70.0, -60.0]}}
[monitors]
variables = ["V"]
spikes = true
[output]
path = "out.npz"
"""


def metadata(tmp_path, seed):
    write_config(tmp_path, CONFIG.format(seed=seed))
    done = run_ionode(["run", "run.toml", "-q"], tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(str(np.load(tmp_path / "out.npz")["metadata"]))


def python_group_values(seed):
    # The same population through the Python module: its drawn gNa and initial V.
    script = (
        "import ionode, json\n"
        f"g = ionode.neurons.HH(400, batch=2, seed={seed}, gNa=ionode.init.Normal(120., 10.),"
        " V_initializer=ionode.init.Uniform(-70., -60.))\n"
        "print(json.dumps([g.gNa.ravel().tolist(), g.V.ravel().tolist()]))\n"
    )
    build = os.environ.get("IONODE_BUILD_DIR", "build")
    if not os.path.isdir(os.path.join(build, "python", "ionode")):
        # This build has no module (scripts/sanitize.sh): another build's could differ in the last
        # bit (its compiler flags contract other multiply-adds), so there is nothing to compare.
        return None
    env = dict(os.environ, PYTHONPATH=os.path.join(build, "python"))
    out = subprocess.run(["/usr/bin/python3", "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_drawn_parameters_and_initial_state_are_stored(tmp_path):
    meta = metadata(tmp_path, seed=11)
    gNa = meta["parameters"]["gNa"]
    assert gNa["rule"] == "normal(120, 10)" and gNa["seed"] == 11
    values = np.array(gNa["values"])
    assert values.shape == (800,)  # batch 2 x 400 neurons, b * N + i
    # The rule's statistics: mean within 4 standard errors, sd within 15 %.
    assert abs(values.mean() - 120.0) < 4 * 10.0 / np.sqrt(800)
    assert 8.5 < values.std() < 11.5
    assert meta["parameters"]["gK"] == 36.0  # a shared value stays a number
    V0 = np.array(meta["initial_state"]["V"])
    assert V0.shape == (800,) and V0.min() >= -70.0 and V0.max() <= -60.0
    # m, h, n start at their steady state for V0: the values are those of the run, not the rule.
    m0 = np.array(meta["initial_state"]["m"])
    alpha = 0.1 * (V0 + 40) / (1 - np.exp(-(V0 + 40) / 10))
    beta = 4.0 * np.exp(-(V0 + 65) / 18)
    np.testing.assert_allclose(m0, alpha / (alpha + beta), rtol=1e-12)

    python = python_group_values(11)
    if python is not None:
        assert values.tolist() == python[0] and V0.tolist() == python[1]  # bitwise


def test_another_seed_draws_other_values(tmp_path):
    a = metadata(tmp_path, seed=1)["parameters"]["gNa"]["values"]
    b = metadata(tmp_path, seed=2)["parameters"]["gNa"]["values"]
    assert a != b
