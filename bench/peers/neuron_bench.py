#!/usr/bin/python3
"""Peer benchmark: N independent single-compartment HH cells in NEURON, fixed step.

Run with Debian's Python (``/usr/bin/python3``, packages ``neuron`` + ``python3-neuron``, 8.2.2):

    /usr/bin/python3 bench/peers/neuron_bench.py --n 100000 --duration 100 --dt 0.01 --reps 3

Model: NEURON's built-in ``hh`` mechanism set to the seed's HH: gnabar_hh = 0.12, gkbar_hh = 0.036,
gl_hh = 3e-5 S/cm^2 (= 0.03 mS/cm^2), el_hh = -54.387 mV, ena = 50, ek = -77, celsius = 6.3 (q10
factor 1), cm = 1 uF/cm^2, usetable_hh = 0 (rates computed exactly every step, no lookup table).
Its rate functions are the seed's (vtrap handles the removable singularities).

Each cell is one section with nseg = 1, L = diam = sqrt(1e4/pi) um, so its membrane area is
exactly 1e4 um^2 = 1e-4 cm^2 (NEURON's area excludes the end caps). The input is a point IClamp
(del = 0, dur = 1e9 ms) of amp = I * 1e-4 cm^2 = 1.0 nA for I = 10 uA/cm^2: the same current
density as the other engines. (A density mechanism would need compiling a .mod file; the IClamp
is the usual NEURON way and costs one point process per cell.)

Integration: fixed step (cvode inactive), h.secondorder = 0: NEURON's default backward Euler for v
with hh's cnexp gate update. This is not the exponential Euler of the other engines, so spike
times differ slightly; the spike count at 100 ms should not (7 per cell for I = 10, V0 = -65).
``--secondorder 2`` selects Crank-Nicolson instead. CVode.cache_efficient(1) is on by default
(``--no-cache-efficient`` turns it off).

Spikes: one NetCon per cell on v at the middle of the section, threshold 20 mV, recorded into
two Vectors (times, cell ids); counted per cell after the run.

What is timed: only ParallelContext.psolve(tstop) (the C-level fixed-step loop, wall clock,
time.perf_counter), after h.finitialize(-65). Building the cells, finitialize and counting are not
timed. With --reps R the same cells are re-initialised and re-run R times; ``seconds`` is the
median.

Output: one JSON line on stdout
  {"engine":"neuron","model":"HH","n":..,"steps":..,"threads":..,"seconds":..,
   "neuron_steps_per_s":..,"spikes":..,...extra keys}
NEURON's own output goes to stderr. Exit status 1 on failure, with a message.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--model', default='HH', choices=['HH'], help='only HH [HH]')
    ap.add_argument('--n', type=float, required=True, help='cells (1e5 accepted)')
    ap.add_argument('--duration', type=float, default=100.0, help='ms [100]')
    ap.add_argument('--dt', type=float, default=0.01, help='ms [0.01]')
    ap.add_argument('--threads', type=int, default=1, help='ParallelContext.nthread [1]')
    ap.add_argument('--method', default='fixed', choices=['fixed'],
                    help='accepted for symmetry with brian2_bench.py; NEURON fixed step only')
    ap.add_argument('--reps', type=int, default=1, help='timed runs [1]')
    ap.add_argument('--I', type=float, default=10.0, help='uA/cm^2 [10]')
    ap.add_argument('--v0', type=float, default=-65.0, help='mV [-65]')
    ap.add_argument('--secondorder', type=int, default=0, choices=[0, 2])
    ap.add_argument('--no-cache-efficient', action='store_true')
    ap.add_argument('--per-neuron', action='store_true',
                    help='add min/max spikes per cell to the JSON')
    ap.add_argument('--spike-times', action='store_true',
                    help="add cell 0's spike times of the last run to the JSON")
    args = ap.parse_args(argv)

    n = int(args.n)
    if n != args.n or n < 1:
        ap.error('--n must be a positive integer')
    if args.dt <= 0 or args.duration <= 0 or args.reps < 1 or args.threads < 1:
        ap.error('--dt, --duration, --reps, --threads must be positive')

    # Keep stdout for the JSON line only: NEURON (C level) writes to fd 1.
    sys.stdout.flush()
    json_fd = os.dup(1)
    os.dup2(2, 1)
    try:
        out = run(args, n)
    except Exception as exc:
        if os.environ.get('BENCH_DEBUG'):
            raise
        print(f'neuron_bench: error: {type(exc).__name__}: {exc} '
              '(set BENCH_DEBUG=1 for the traceback)', file=sys.stderr)
        return 1
    finally:
        sys.stdout.flush()
        os.dup2(json_fd, 1)
        os.close(json_fd)
    print(json.dumps(out), flush=True)
    return 0


def run(args, n):
    import numpy as np
    import neuron
    from neuron import h

    area_um2 = 1e4
    diam = math.sqrt(area_um2 / math.pi)
    amp_nA = args.I * area_um2 * 1e-8 * 1e3  # uA/cm^2 * cm^2 = uA; * 1e3 = nA

    h.celsius = 6.3
    h.usetable_hh = 0
    h.secondorder = args.secondorder
    cvode = h.CVode()
    cvode.active(0)
    cvode.cache_efficient(0 if args.no_cache_efficient else 1)
    pc = h.ParallelContext()
    pc.nthread(args.threads)

    t_build0 = time.perf_counter()
    cells, clamps, netcons = [], [], []
    tvec, idvec = h.Vector(), h.Vector()
    for i in range(n):
        sec = h.Section(name=f'c{i}')
        sec.nseg = 1
        sec.L = diam
        sec.diam = diam
        sec.cm = 1.0
        sec.insert('hh')
        seg = sec(0.5)
        seg.hh.gnabar = 0.12
        seg.hh.gkbar = 0.036
        seg.hh.gl = 3e-5
        seg.hh.el = -54.387
        sec.ena = 50.0
        sec.ek = -77.0
        stim = h.IClamp(seg)
        stim.delay = 0.0
        stim.dur = 1e9
        stim.amp = amp_nA
        nc = h.NetCon(seg._ref_v, None, sec=sec)
        nc.threshold = 20.0
        nc.record(tvec, idvec, i)
        cells.append(sec)
        clamps.append(stim)
        netcons.append(nc)
    build_seconds = time.perf_counter() - t_build0
    a = cells[0](0.5).area()
    if abs(a - area_um2) > 1e-6 * area_um2:
        raise RuntimeError(f'section area {a} um^2, expected {area_um2}')

    h.dt = args.dt
    tstop = args.duration
    pc.set_maxstep(10)  # psolve needs a positive min delay; the NetCons have no targets
    times = []
    for _ in range(args.reps):
        tvec.resize(0)
        idvec.resize(0)
        h.finitialize(args.v0)
        if h.dt != args.dt:
            raise RuntimeError(f'NEURON changed dt to {h.dt}')
        t0 = time.perf_counter()
        pc.psolve(tstop)
        times.append(time.perf_counter() - t0)
    t_end = h.t
    steps = int(round(t_end / args.dt))

    ids = np.asarray(idvec.as_numpy(), dtype=np.int64)
    counts = np.bincount(ids, minlength=n)
    seconds = statistics.median(times)
    out = {
        'engine': 'neuron', 'model': 'HH', 'n': n, 'steps': steps, 'threads': args.threads,
        'seconds': seconds, 'neuron_steps_per_s': n * steps / seconds if seconds > 0 else None,
        'spikes': int(counts.sum()),
        'us_per_step': 1e6 * seconds / steps,
        'seconds_all': times, 'seconds_min': min(times),
        't_end': t_end, 'dt': args.dt, 'duration': args.duration,
        'secondorder': args.secondorder,
        'cache_efficient': not args.no_cache_efficient,
        'build_seconds': build_seconds,
        'neuron': neuron.__version__,
    }
    if args.per_neuron:
        out['spikes_per_neuron_min'] = int(counts.min())
        out['spikes_per_neuron_max'] = int(counts.max())
    if args.spike_times:
        tv = np.asarray(tvec.as_numpy())
        out['spike_times_neuron0_ms'] = [round(float(t), 6) for t in tv[ids == 0]]
    return out


if __name__ == '__main__':
    sys.exit(main())
