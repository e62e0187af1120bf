#!/usr/bin/python3
"""Peer benchmark: COBAHH (Brette et al. 2007, benchmark 3) in Brian2 2.5.1 C++ standalone.

Brian2's examples/COBAHH.py in density units (area 20000 um^2), the semantics of
../../../shared/reference/networks/README.md: N/5*4 E + N/5 I Traub-Miles cells, Bernoulli p per pair
(autapses allowed, Brian2 draws it: S.connect(p=...)), ge += 0.03 mS/cm^2 from E, gi += 0.335 from I,
taue 5, taui 10 ms, Ee 0, Ei -80 mV, exponential_euler at dt 0.1 ms, spike = v > -20 mV with
refractory 'v > -20*mV' (one spike per upward crossing), no delay.

    /usr/bin/python3 bench/peers/cobahh_brian2.py --n 4000 --duration 1000 --threads 1 --seed 11

Timed: Brian2's own figure of Network::run() in the compiled binary (device._last_run_time, read
from results/last_run_info.txt: omp_get_wtime wall clock when built with OpenMP, i.e. --threads >= 1;
with --threads 0 (no OpenMP) it is CPU time). Not timed: code generation, compilation, process start,
synapse creation, initial values, writing results (compile_seconds and run_binary_seconds are
reported beside it). Spikes are counted by a per-cell integer (reset 'nspk += 1'), no monitor.
Prints one JSON line on stdout; exit status 1 with a one-line message on failure.
"""
import argparse, json, os, shutil, sys, tempfile, warnings

ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
ap.add_argument('--n', type=float, default=4000, help='cells, 4/5 E and 1/5 I [4000]')
ap.add_argument('--duration', type=float, default=1000.0, help='ms [1000]')
ap.add_argument('--p', type=float, default=0.02, help='connection probability [0.02]')
ap.add_argument('--threads', type=int, default=1, help='OpenMP threads; 0 = serial build [1]')
ap.add_argument('--seed', type=int, default=None, help='seed for connectivity and initial state')
ap.add_argument('--rates', default='textbook', choices=['textbook', 'exprel'],
                help="rate form: COBAHH.py's x/(exp(x/k)-1) or the reference's exprel [textbook]")
ap.add_argument('--keep', action='store_true', help='keep the build folder')
args = ap.parse_args()
n = int(args.n)
NE = n * 4 // 5
NI = n - NE

warnings.simplefilter('ignore')  # pythran/numpy noise at import
import numpy as np
import brian2
from brian2 import (NeuronGroup, Synapses, BrianLogger, defaultclock, device, prefs, run, seed,
                    set_device, ms, mV, msiemens, ufarad, cm, exp, exprel)
BrianLogger.log_level_error()

build_dir = tempfile.mkdtemp(prefix='cobahh_brian2_')
try:
    set_device('cpp_standalone', directory=build_dir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = args.threads
    seed(args.seed)  # numpy and the generated code (connect's random numbers)
    defaultclock.dt = 0.1 * ms

    # Rates of m and n: Brian2's COBAHH.py form, or exprel() as the reference script.
    if args.rates == 'textbook':
        am = '0.32/mV*(13*mV-v+VT)/(exp((13*mV-v+VT)/(4*mV))-1)/ms'
        bm = '0.28/mV*(v-VT-40*mV)/(exp((v-VT-40*mV)/(5*mV))-1)/ms'
        an = '0.032/mV*(15*mV-v+VT)/(exp((15*mV-v+VT)/(5*mV))-1)/ms'
    else:
        am = '0.32/mV*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms'
        bm = '0.28/mV*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms'
        an = '0.032/mV*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms'
    eqs = f"""
    dv/dt = (gl*(El-v) + ge*(Ee-v) + gi*(Ei-v) - gNa*(m*m*m)*h*(v-ENa) - gK*(n*n*n*n)*(v-EK))/Cm : volt
    dm/dt = {am}*(1-m) - {bm}*m : 1
    dn/dt = {an}*(1-n) - 0.5*exp((10*mV-v+VT)/(40*mV))/ms*n : 1
    dh/dt = 0.128*exp((17*mV-v+VT)/(18*mV))/ms*(1-h) - 4/(1+exp((40*mV-v+VT)/(5*mV)))/ms*h : 1
    dge/dt = -ge/taue : siemens/meter**2
    dgi/dt = -gi/taui : siemens/meter**2
    nspk : integer
    """
    ns = dict(gl=0.05 * msiemens / cm**2, El=-60 * mV, Ee=0 * mV, Ei=-80 * mV,
              gNa=100 * msiemens / cm**2, gK=30 * msiemens / cm**2, ENa=50 * mV, EK=-90 * mV,
              VT=-63 * mV, Cm=1 * ufarad / cm**2, taue=5 * ms, taui=10 * ms,
              we=0.03 * msiemens / cm**2, wi=0.335 * msiemens / cm**2, exp=exp, exprel=exprel)
    P = NeuronGroup(n, eqs, threshold='v > -20*mV', refractory='v > -20*mV', reset='nspk += 1',
                    method='exponential_euler', namespace=ns)

    # Initial state as the reference: v = El + 5 mV randn - 5 mV, gates at steady state for v,
    # ge = (4 + 1.5 randn) x 10 nS, gi = (20 + 12 randn) x 10 nS (0.05 mS/cm^2 per 10 nS), clipped at 0.
    rng = np.random.default_rng(args.seed)
    v0 = -60.0 + 5 * rng.standard_normal(n) - 5
    u = v0 + 63.0
    xr = lambda x: np.expm1(x) / np.where(x == 0, 1, x) + (x == 0)  # exprel
    a_m, b_m = 1.28 / xr((13 - u) / 4), 1.4 / xr((u - 40) / 5)
    a_h, b_h = 0.128 * np.exp((17 - u) / 18), 4 / (1 + np.exp((40 - u) / 5))
    a_n, b_n = 0.16 / xr((15 - u) / 5), 0.5 * np.exp((10 - u) / 40)
    P.v = v0 * mV
    P.m, P.h, P.n = a_m / (a_m + b_m), a_h / (a_h + b_h), a_n / (a_n + b_n)
    P.ge = np.maximum((1.5 * rng.standard_normal(n) + 4) * 0.05, 0) * msiemens / cm**2
    P.gi = np.maximum((12 * rng.standard_normal(n) + 20) * 0.05, 0) * msiemens / cm**2

    # As COBAHH.py: E sources onto all cells, I sources onto all cells, Bernoulli(p) per pair.
    Ce = Synapses(P[:NE], P, on_pre='ge += we', namespace=ns)
    Ci = Synapses(P[NE:], P, on_pre='gi += wi', namespace=ns)
    Ce.connect(p=args.p)
    Ci.connect(p=args.p)
    run(args.duration * ms)
    device.build(directory=build_dir, compile=True, run=True, with_output=False)
    if device._last_run_completed_fraction != 1.0:
        raise RuntimeError('the run did not complete')

    counts = np.asarray(P.nspk[:])
    sec = args.duration / 1000.0
    print(json.dumps({
        'engine': 'brian2_cpp', 'n': n, 'NE': NE, 'NI': NI,
        'synapses': int(len(Ce.i[:]) + len(Ci.i[:])),
        'duration_ms': args.duration, 'dt_ms': 0.1, 'p': args.p, 'seed': args.seed,
        'threads': args.threads, 'openmp': args.threads >= 1, 'rates': args.rates,
        'seconds': float(device._last_run_time),  # the simulation loop alone
        'spikes': int(counts.sum()),
        'rate_E_hz': float(counts[:NE].sum() / NE / sec),
        'rate_I_hz': float(counts[NE:].sum() / NI / sec) if NI else None,
        'compile_seconds': device.timers['compile']['make'],
        'run_binary_seconds': device.timers['run_binary'],  # whole process incl. setup
        'brian2': brian2.__version__,
    }), flush=True)
except Exception as exc:
    if os.environ.get('BENCH_DEBUG'):
        raise
    print(f'cobahh_brian2: error: {type(exc).__name__}: {exc} (BENCH_DEBUG=1 for the traceback)',
          file=sys.stderr)
    sys.exit(1)
finally:
    if args.keep:
        print(f'[cobahh_brian2] build folder {build_dir}', file=sys.stderr)
    else:
        shutil.rmtree(build_dir, ignore_errors=True)
