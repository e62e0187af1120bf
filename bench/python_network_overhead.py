"""COBAHH (N = 4000, 1 s, dt = 0.1 ms, one thread) from Python (ionode.DSRunner over a bp.Network)
against the same network as a configuration run by the command line: the time loop of each (the CLI's
"wall:" line; DSRunner.run(..., eval_time=True)), REPS rounds alternately, each in a fresh process, and
the median of the ratios Python / CLI (issue 13's target: at most 1.05). The two runs are the same
network bit for bit (tests/python/test_networks.py); the spike counts are printed to show it.

Usage: /usr/bin/python3 bench/python_network_overhead.py [REPS=5]   (IONODE=build/ionode,
PYTHONPATH=build/python)
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IONODE = os.environ.get("IONODE", str(ROOT / "build" / "ionode"))
PROJECTIONS = [("EE", "E", "E", 5.0, 0.0, 0.03), ("EI", "E", "I", 5.0, 0.0, 0.03),
               ("IE", "I", "E", 10.0, -80.0, 0.335), ("II", "I", "I", 10.0, -80.0, 0.335)]

CONFIG = """duration = 1000.0
dt = 0.1
threads = 1
[[populations]]
name = "E"
model = "TraubMiles"
size = 3200
seed = 101
initial = {V = {normal = [-65.0, 5.0]}}
monitors = {spikes = true}
[[populations]]
name = "I"
model = "TraubMiles"
size = 800
seed = 102
initial = {V = {normal = [-65.0, 5.0]}}
monitors = {spikes = true}
""" + "".join(f"""[[projections]]
name = "{n}"
pre = "{a}"
post = "{b}"
synapse = "exponential"
tau = {t}
E = {e}
connect = {{rule = "probability", p = 0.02}}
weight = {w}
seed = 7
""" for n, a, b, t, e, w in PROJECTIONS)

PYTHON = f"""
import ionode as bp
net = bp.Network()
net.E = bp.neurons.TraubMiles(3200, V_initializer=bp.init.Normal(-65., 5.), seed=101)
net.I = bp.neurons.TraubMiles(800, V_initializer=bp.init.Normal(-65., 5.), seed=102)
for name, pre, post, tau, E, w in {PROJECTIONS!r}:
    setattr(net, name, bp.synapses.Exponential(getattr(net, pre), getattr(net, post), bp.conn.Bernoulli(0.02, seed=7),
                                               g_max=w, tau=tau, output=bp.synouts.COBA(E=E), name=name))
runner = bp.DSRunner(net, monitors=['E.spike', 'I.spike'], threads=1)
seconds, _ = runner.run(1000., eval_time=True)
print(seconds, len(runner.spikes['E']) + len(runner.spikes['I']))
"""


def cli_round(work):
    out = subprocess.run([IONODE, "run", str(work / "cobahh.toml"), "-o", str(work / "out.npz")], capture_output=True,
                         text=True, check=True).stdout
    wall = float(re.search(r"wall:\s+([0-9.e+-]+) s", out).group(1))
    spikes = sum(int(m) for m in re.findall(r"(\d+) spikes", out))
    return wall, spikes


def python_round():
    env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", str(ROOT / "build" / "python")))
    out = subprocess.run(["/usr/bin/python3", "-c", PYTHON], capture_output=True, text=True, check=True, env=env)
    seconds, spikes = out.stdout.split()
    return float(seconds), int(spikes)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    ratios = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "cobahh.toml").write_text(CONFIG)
        for r in range(reps):
            cli, cli_spikes = cli_round(work)
            py, py_spikes = python_round()
            ratios.append(py / cli)
            print(f"round {r}: CLI {cli:.3f} s ({cli_spikes} spikes), Python {py:.3f} s ({py_spikes} spikes), "
                  f"Python / CLI {py / cli:.3f}", flush=True)
    print(f"median Python / CLI over {reps} rounds: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
