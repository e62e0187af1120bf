#!/usr/bin/python3
"""Peer benchmark: COBAHH (Brette et al. 2007, benchmark 3) in NEURON 8.2, fixed step.

The network of cobahh_brian2.py (../../../shared/reference/networks/README.md): N/5*4 E + N/5 I
Traub-Miles cells, each one section (nseg 1, L = diam = sqrt(20000/pi) um: area 20000 um^2 =
2e-4 cm^2, cm 1) with the density mechanism traubmiles.mod, compiled here by nrnivmodl in a
temporary folder (nrnivmodl is in Debian's neuron-dev package). Two ExpSyn per cell: e 0, tau 5 ms
(E sources) and e -80, tau 10 ms (I sources); weights 0.03 and 0.335 mS/cm^2 x 2e-4 cm^2 = 0.006 and
0.067 uS. Bernoulli(p) per ordered pair, autapses allowed, drawn here with numpy. One NetCon per
synapse on the source's v, threshold -20 mV (one event per upward crossing).

    /usr/bin/python3 bench/peers/cobahh_neuron.py --n 4000 --duration 1000 --seed 11

NetCon delay (--delay, ms): 0 by default with one thread. NEURON checks thresholds at the start of
a step (on v at t_n) and then delivers the events due by t_n + dt/2, so with delay 0 a crossing in
step n-1 acts on the step from t_n: Brian2's no-delay order. Delays below dt/2 act as 0; each further
dt is one step later. With --threads > 1 NEURON's fixed step needs every NetCon delay >= 2 dt
(psolve/finitialize: "usable mindelay is 0 (or less than dt for fixed step method)"), so the default
is then 2 dt: spikes act two steps later than in Brian2 (a slightly different network).
Integration: fixed step dt 0.1 ms, cvode off, secondorder 0 (backward Euler for v, cnexp for the
gates and ExpSyn conductances), CVode.cache_efficient(1).

Timed: ParallelContext.psolve(tstop) only (wall clock), after finitialize and the initial ge, gi;
not the compilation, cell and synapse building (build_seconds) or the counting.
Prints one JSON line on stdout (NEURON's own output goes to stderr); exit status 1 on failure.
"""
import argparse, json, math, os, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
DT = 0.1  # ms
AREA = 2e4  # um^2 = 2e-4 cm^2; mS/cm^2 x 2e-4 cm^2 = 2e-4 mS = 0.2 uS per mS/cm^2
US_PER_DENSITY = 0.2


def run(args, n):
    import numpy as np
    nrnivmodl = shutil.which('nrnivmodl')
    if not nrnivmodl:
        raise RuntimeError("nrnivmodl not found: NEURON's mod compiler is in Debian's neuron-dev package")
    import neuron
    from neuron import h

    # Compile traubmiles.mod in a temporary folder and load it.
    tmp = tempfile.mkdtemp(prefix='cobahh_neuron_')
    try:
        shutil.copy(os.path.join(HERE, 'traubmiles.mod'), tmp)
        # Debian 12's neuron-dev (8.2.2-4) installs libnrniv in /usr/lib/nrn, where its nrnivmodl does not
        # look, and its nrnmech_makefile there too (nrnivmodl wants it beside itself: ln -s
        # /usr/lib/nrn/nrnmech_makefile /usr/bin/). Linking the `special` executable then fails on a
        # missing header (ivstream.h), after the mechanism library, which is all Python needs, is built.
        subprocess.run([nrnivmodl, '-loadflags', '-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn'], cwd=tmp,
                       stdout=sys.stderr, stderr=sys.stderr)
        library = os.path.join(tmp, 'x86_64', '.libs', 'libnrnmech.so')
        if not os.path.exists(library):
            raise RuntimeError('nrnivmodl did not build the mechanism library (see its messages above)')
        h.nrn_load_dll(library)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the library stays mapped
    if not hasattr(h, 'traubmiles'):
        raise RuntimeError('the traubmiles mechanism did not load')

    NE = n * 4 // 5
    threads = max(args.threads, 1)
    delay = args.delay if args.delay is not None else (0.0 if threads == 1 else 2 * DT)
    if threads > 1 and delay < 2 * DT:
        raise RuntimeError(f'with {threads} threads NEURON needs NetCon delays >= 2 dt = {2 * DT} ms')
    h.secondorder = 0
    cvode = h.CVode()
    cvode.active(0)
    cvode.cache_efficient(1)
    pc = h.ParallelContext()
    pc.nthread(threads)

    # Initial state as the reference (same draws as cobahh_brian2.py for the same seed).
    rng = np.random.default_rng(args.seed)
    v0 = -60.0 + 5 * rng.standard_normal(n) - 5
    ge0 = np.maximum((1.5 * rng.standard_normal(n) + 4) * 0.05, 0)  # mS/cm^2
    gi0 = np.maximum((12 * rng.standard_normal(n) + 20) * 0.05, 0)

    t0 = time.perf_counter()
    diam = math.sqrt(AREA / math.pi)
    cells, esyn, isyn = [], [], []
    for i in range(n):
        sec = h.Section(name=f'c{i}')
        sec.nseg, sec.L, sec.diam, sec.cm = 1, diam, diam, 1.0
        sec.insert('traubmiles')
        sec(0.5).v = v0[i]
        e, s = h.ExpSyn(sec(0.5)), h.ExpSyn(sec(0.5))
        e.e, e.tau, s.e, s.tau = 0.0, 5.0, -80.0, 10.0
        cells.append(sec); esyn.append(e); isyn.append(s)
    # One NetCon per synapse; plus one without target per cell to record its spikes.
    netcons, tvec, idvec = [], h.Vector(), h.Vector()
    we, wi = 0.03 * US_PER_DENSITY, 0.335 * US_PER_DENSITY  # uS
    for j, sec in enumerate(cells):
        src = sec(0.5)._ref_v
        syn, w = (esyn, we) if j < NE else (isyn, wi)
        for k in np.flatnonzero(rng.random(n) < args.p):
            netcons.append(h.NetCon(src, syn[k], -20.0, delay, w, sec=sec))
        rec = h.NetCon(src, None, -20.0, delay, 0.0, sec=sec)
        rec.record(tvec, idvec, j)
        netcons.append(rec)
    build_seconds = time.perf_counter() - t0
    a = cells[0](0.5).area()
    if abs(a - AREA) > 1e-6 * AREA:
        raise RuntimeError(f'section area {a} um^2, expected {AREA}')

    h.load_file('stdrun.hoc')  # defines steps_per_ms (used by run/continuerun only)
    h.steps_per_ms = 1 / DT
    h.dt = DT
    pc.set_maxstep(10)  # the interval between ParallelContext's (here empty) exchanges, ms
    h.finitialize()  # keeps each cell's v; traubmiles' INITIAL puts the gates at steady state
    for i in range(n):  # ExpSyn's INITIAL sets g = 0: the initial ge, gi afterwards
        esyn[i].g = ge0[i] * US_PER_DENSITY
        isyn[i].g = gi0[i] * US_PER_DENSITY
    if h.dt != DT:
        raise RuntimeError(f'NEURON changed dt to {h.dt}')
    t0 = time.perf_counter()
    pc.psolve(args.duration)
    seconds = time.perf_counter() - t0

    ids = np.asarray(idvec.as_numpy(), dtype=np.int64)
    counts = np.bincount(ids, minlength=n)
    sec_bio = args.duration / 1000.0
    return {
        'engine': 'neuron', 'n': n, 'NE': NE, 'NI': n - NE,
        'synapses': len(netcons) - n,
        'duration_ms': args.duration, 'dt_ms': DT, 'p': args.p, 'seed': args.seed,
        'threads': threads, 'delay_ms': delay,
        'seconds': seconds,  # psolve alone
        'spikes': int(counts.sum()),
        'rate_E_hz': float(counts[:NE].sum() / NE / sec_bio),
        'rate_I_hz': float(counts[NE:].sum() / (n - NE) / sec_bio) if n > NE else None,
        't_end': h.t, 'secondorder': 0, 'build_seconds': build_seconds,
        'neuron': neuron.__version__,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--n', type=float, default=4000, help='cells, 4/5 E and 1/5 I [4000]')
    ap.add_argument('--duration', type=float, default=1000.0, help='ms [1000]')
    ap.add_argument('--p', type=float, default=0.02, help='connection probability [0.02]')
    ap.add_argument('--threads', type=int, default=1, help='ParallelContext.nthread [1]')
    ap.add_argument('--seed', type=int, default=None, help='seed for connectivity and initial state')
    ap.add_argument('--delay', type=float, default=None,
                    help='NetCon delay, ms [0 with one thread, 2 dt with more]')
    args = ap.parse_args()
    n = int(args.n)
    # Keep stdout for the JSON line only: NEURON (C level) and nrnivmodl write to fd 1.
    sys.stdout.flush()
    json_fd = os.dup(1)
    os.dup2(2, 1)
    try:
        out = run(args, n)
    except Exception as exc:
        if os.environ.get('BENCH_DEBUG'):
            raise
        print(f'cobahh_neuron: error: {type(exc).__name__}: {exc} (BENCH_DEBUG=1 for the traceback)',
              file=sys.stderr)
        return 1
    finally:
        sys.stdout.flush()
        os.dup2(json_fd, 1)
        os.close(json_fd)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
