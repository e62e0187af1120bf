#!/usr/bin/python3
"""Peer benchmark: the seed's four conductance-based models in Brian2 C++ standalone.

Run with Debian's Python (``/usr/bin/python3``, package ``python3-brian``, Brian2 2.5.1).

    /usr/bin/python3 bench/peers/brian2_bench.py --model HH --n 100000 --duration 100 \
        --dt 0.01 --threads 1 --method exponential_euler --reps 3

Workload: N independent, identical neurons of one model (the seed's equations and default
parameters, BrainPy ``biological_models``), constant input, fp64. Units are the seed's: mV, ms,
uA/cm^2, mS/cm^2, uF/cm^2. All Brian2 variables are dimensionless numbers in these units; every
derivative is divided by ``ms`` so that Brian2's clock (seconds) is consistent.

Inputs (per area, so area independent): HH I = 10, MorrisLecar I = 100, WangBuzsaki I = 1,
PinskyRinzel Is = 0.75 (soma; Id = 0). Initial state as ../../../shared/reference/models.py:
HH V = -65 with m, h, n at steady state; ML V = -60, W = 0.02; WB V = -65, h = 0.6, n = 0.32;
PR (the 'paper' variant: I_C = gC * c * min(Ca/250, 1) * (Vd - EK), Traub alpha_c/beta_c)
Vs = -64.6, Vd = -64.5, Ca = 0.2, gates at steady state.

Rates with removable singularities (x / (1 - exp(-x/k))) are written by default in the seed's
textbook form (``--rates textbook``): they are 0/0 only at isolated voltages that a trajectory
hits with probability zero. ``--rates exprel`` writes them with Brian2's exprel() instead, as the
reference does (slower in Brian2: exprel is a branchy expm1 call).

Spikes: ``threshold='Vx > V_th', refractory='Vx > V_th'`` (Vx = V, or Vs for Pinsky-Rinzel): a
neuron stays refractory while above threshold, so it fires once per upward crossing
(V_old <= V_th < V_new, BrainPy's rule up to the equality case). The reset increments a
per-neuron integer counter ``nspk``; nothing else is recorded.

Integration (``--method``):
  exponential_euler  The benchmark workload: BrainPy's exp_auto update. Done by Brian2's own
                     ``exponential_euler`` where that is the same update (every equation linear
                     in its own variable with coefficients free of it: HH). For the other models
                     (their V equations contain m_inf(V) or tanh(V)) it uses ``exp_auto`` below;
                     the JSON says which in ``method_used``.
  exp_auto           BrainPy's exp_auto as a custom Brian2 state updater: for every variable,
                     from the old state, x += dt * exprel(dt * A) * f with A = df/dx (sympy
                     derivative), common subexpressions shared (sympy.cse). For equations linear
                     in their own variable this is the same update as Brian2's exponential_euler.
  brian2_exponential_euler
                     Brian2's built-in exponential_euler whatever it makes of the model: the
                     same as above for HH, a frozen-coefficient variant for MorrisLecar (Brian2
                     accepts it, holding tanh(V_old) in the coefficient of V), an error for
                     WangBuzsaki and PinskyRinzel. Not the benchmark workload; for comparison.
  euler, rk2, rk4    Brian2's built-in explicit methods.

What is timed: only the simulation loop. A monotonic wall clock (clock_gettime) is inserted into
the generated main() directly around ``network.run(...)`` (Brian2's ``before_network_run`` /
``after_network_run`` code slots); it excludes code generation, compilation, process start,
allocation, initialisation of the state variables and writing results. Brian2's own figure
(``device._last_run_time``: omp_get_wtime with OpenMP, else CPU clock divided by threads, measured
inside Network::run) is reported beside it as ``brian2_last_run_time``. With ``--reps R`` the
compiled binary runs R times (each a fresh simulation); ``seconds`` is the median.

Threads: ``--threads T`` sets prefs.devices.cpp_standalone.openmp_threads = T (T >= 1 compiles
with OpenMP, even for T = 1). ``--threads 0`` compiles plain serial code without OpenMP (reported
as threads 1, openmp false).

Output: one JSON line on stdout
  {"engine":"brian2_cpp","model":..,"n":..,"steps":..,"threads":..,"seconds":..,
   "neuron_steps_per_s":..,"spikes":..,...extra keys}
Diagnostics go to stderr. Exit status 1 on failure, with a message; the temporary build folder is
removed unless --keep.
"""
import argparse
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time

# ----------------------------------------------------------------------------- model definitions
# Equations are Brian2 strings in the seed's units; parameters go into the namespace (Brian2
# freezes external scalar constants into the generated code as literals).

HH_PARAMS = dict(ENa=50., gNa=120., EK=-77., gK=36., EL=-54.387, gL=0.03, V_th=20., C=1.0)
ML_PARAMS = dict(V_Ca=130., g_Ca=4.4, V_K=-84., g_K=8., V_leak=-60., g_leak=2., C=20.,
                 V1=-1.2, V2=18., V3=2., V4=30., phi=0.04, V_th=10.)
WB_PARAMS = dict(ENa=55., gNa=35., EK=-90., gK=9., EL=-65., gL=0.1, V_th=20., phi=5.0, C=1.0)
PR_PARAMS = dict(gNa=30., gK=15., gCa=10., gAHP=0.8, gC=15., gL=0.1, ENa=60., EK=-75., ECa=80.,
                 EL=-60., gc=2.1, V_th=20., Cm=3.0, p=0.5)

HH_RATES = {
    'textbook': '''
am = 0.1*(V + 40)/(1 - exp(-(V + 40)/10)) : 1
an = 0.01*(V + 55)/(1 - exp(-(V + 55)/10)) : 1
''',
    'exprel': '''
am = 1/exprel(-(V + 40)/10) : 1
an = 0.1/exprel(-(V + 55)/10) : 1
''',
}
HH_EQS = '''
dV/dt = (-gNa*m**3*h*(V - ENa) - gK*n**4*(V - EK) - gL*(V - EL) + I)/C/ms : 1
dm/dt = (am*(1 - m) - bm*m)/ms : 1
dh/dt = (ah*(1 - h) - bh*h)/ms : 1
dn/dt = (an*(1 - n) - bn*n)/ms : 1
bm = 4.0*exp(-(V + 65)/18) : 1
ah = 0.07*exp(-(V + 65)/20) : 1
bh = 1/(1 + exp(-(V + 35)/10)) : 1
bn = 0.125*exp(-(V + 65)/80) : 1
'''

ML_EQS = '''
dV/dt = (-g_Ca*Minf*(V - V_Ca) - g_K*W*(V - V_K) - g_leak*(V - V_leak) + I)/C/ms : 1
dW/dt = (Winf - W)*phi*cosh((V - V3)/(2*V4))/ms : 1
Minf = 0.5*(1 + tanh((V - V1)/V2)) : 1
Winf = 0.5*(1 + tanh((V - V3)/V4)) : 1
'''

WB_RATES = {
    'textbook': '''
am = -0.1*(V + 35)/(exp(-0.1*(V + 35)) - 1) : 1
an = -0.01*(V + 34)/(exp(-0.1*(V + 34)) - 1) : 1
''',
    'exprel': '''
am = 1/exprel(-0.1*(V + 35)) : 1
an = 0.1/exprel(-0.1*(V + 34)) : 1
''',
}
WB_EQS = '''
dV/dt = (-gNa*minf**3*h*(V - ENa) - gK*n**4*(V - EK) - gL*(V - EL) + I)/C/ms : 1
dh/dt = phi*(ah*(1 - h) - bh*h)/ms : 1
dn/dt = phi*(an*(1 - n) - bn*n)/ms : 1
minf = am/(am + 4*exp(-(V + 60)/18)) : 1
ah = 0.07*exp(-(V + 58)/20) : 1
bh = 1/(exp(-0.1*(V + 28)) + 1) : 1
bn = 0.125*exp(-(V + 44)/80) : 1
'''

PR_RATES = {
    'textbook': '''
am = 0.32*(13.1 - (Vs + 60))/(exp((13.1 - (Vs + 60))/4) - 1) : 1
bm = 0.28*((Vs + 60) - 40.1)/(exp(((Vs + 60) - 40.1)/5) - 1) : 1
an = 0.016*(35.1 - (Vs + 60))/(exp((35.1 - (Vs + 60))/5) - 1) : 1
bs = 0.02*((Vd + 60) - 51.1)/(exp(((Vd + 60) - 51.1)/5) - 1) : 1
''',
    'exprel': '''
am = 1.28/exprel((-46.9 - Vs)/4) : 1
bm = 1.4/exprel((Vs + 19.9)/5) : 1
an = 0.08/exprel((-24.9 - Vs)/5) : 1
bs = 0.1/exprel((Vd + 8.9)/5) : 1
''',
}
# Paper variant (Pinsky & Rinzel 1994; Traub et al. 1991 alpha_c, beta_c). min(x, 1) is written
# clip(x, -inf, 1); where(u <= 50, a, b) as int(u <= 50)*a + int(u > 50)*b.
PR_EQS = '''
dVs/dt = (-gNa*minf**2*h*(Vs - ENa) - gK*n*(Vs - EK) - gL*(Vs - EL) + gc/p*(Vd - Vs) + Is/p)/Cm/ms : 1
dVd/dt = (-gL*(Vd - EL) - gCa*s*s*(Vd - ECa) - gAHP*q*(Vd - EK) - gC*c*clip(Ca/250, -inf, 1)*(Vd - EK) + gc/(1 - p)*(Vs - Vd) + Id/(1 - p))/Cm/ms : 1
dCa/dt = (-0.13*gCa*s*s*(Vd - ECa) - 0.075*Ca)/ms : 1
dh/dt = (ah*(1 - h) - bh*h)/ms : 1
dn/dt = (an*(1 - n) - bn*n)/ms : 1
ds/dt = (as_*(1 - s) - bs*s)/ms : 1
dc/dt = (ac*(1 - c) - bc*c)/ms : 1
dq/dt = (clip(2e-5*Ca, -inf, 0.01)*(1 - q) - 0.001*q)/ms : 1
minf = am/(am + bm) : 1
bn = 0.25*exp(0.5 - 0.025*(Vs + 60)) : 1
ah = 0.128*exp((17 - (Vs + 60))/18) : 1
bh = 4/(1 + exp((40 - (Vs + 60))/5)) : 1
as_ = 1.6/(1 + exp(-0.072*((Vd + 60) - 65))) : 1
ac = int(Vd + 60 <= 50)*exp(((Vd + 60) - 10)/11 - ((Vd + 60) - 6.5)/27)/18.975 + int(Vd + 60 > 50)*2*exp((6.5 - (Vd + 60))/27) : 1
bc = int(Vd + 60 <= 50)*(2*exp((6.5 - (Vd + 60))/27) - exp(((Vd + 60) - 10)/11 - ((Vd + 60) - 6.5)/27)/18.975) : 1
'''


def _hh_init():
    V = -65.0
    am = 0.1 * (V + 40) / (1 - math.exp(-(V + 40) / 10))
    bm = 4.0 * math.exp(-(V + 65) / 18)
    ah = 0.07 * math.exp(-(V + 65) / 20)
    bh = 1 / (1 + math.exp(-(V + 35) / 10))
    an = 0.01 * (V + 55) / (1 - math.exp(-(V + 55) / 10))
    bn = 0.125 * math.exp(-(V + 65) / 80)
    return dict(V=V, m=am / (am + bm), h=ah / (ah + bh), n=an / (an + bn))


def _pr_init():
    Vs, Vd, Ca = -64.6, -64.5, 0.2
    u, w = Vs + 60, Vd + 60
    ah, bh = 0.128 * math.exp((17 - u) / 18), 4 / (1 + math.exp((40 - u) / 5))
    an = 0.016 * (35.1 - u) / (math.exp((35.1 - u) / 5) - 1)
    bn = 0.25 * math.exp(0.5 - 0.025 * u)
    as_ = 1.6 / (1 + math.exp(-0.072 * (w - 65)))
    bs = 0.02 * (w - 51.1) / (math.exp((w - 51.1) / 5) - 1)
    assert w <= 50
    ac = math.exp((w - 10) / 11 - (w - 6.5) / 27) / 18.975
    bc = 2 * math.exp((6.5 - w) / 27) - ac
    aq = min(2e-5 * Ca, 1e-2)
    return dict(Vs=Vs, Vd=Vd, Ca=Ca, h=ah / (ah + bh), n=an / (an + bn), s=as_ / (as_ + bs),
                c=ac / (ac + bc), q=aq / (aq + 1e-3))


MODELS = {
    'HH': dict(eqs=lambda rates: HH_EQS + HH_RATES[rates], params=HH_PARAMS, inputs=dict(I=10.0),
               init=_hh_init, spike_var='V'),
    'MorrisLecar': dict(eqs=lambda rates: ML_EQS, params=ML_PARAMS, inputs=dict(I=100.0),
                        init=lambda: dict(V=-60.0, W=0.02), spike_var='V'),
    'WangBuzsaki': dict(eqs=lambda rates: WB_EQS + WB_RATES[rates], params=WB_PARAMS,
                        inputs=dict(I=1.0), init=lambda: dict(V=-65.0, h=0.6, n=0.32),
                        spike_var='V'),
    'PinskyRinzel': dict(eqs=lambda rates: PR_EQS + PR_RATES[rates], params=PR_PARAMS,
                         inputs=dict(Is=0.75, Id=0.0), init=_pr_init, spike_var='Vs'),
}
ALIASES = {'ML': 'MorrisLecar', 'WB': 'WangBuzsaki', 'PR': 'PinskyRinzel',
           'WangBuzsakiModel': 'WangBuzsaki', 'PinskyRinzelModel': 'PinskyRinzel'}


# ----------------------------------------------------------------------------- exp_auto updater
def make_exp_auto_updater():
    """BrainPy's exp_auto as a Brian2 state updater (a callable returning abstract code)."""
    import sympy as sp
    from brian2.parsing.sympytools import str_to_sympy, sympy_to_str
    from brian2.stateupdaters.base import StateUpdateMethod, UnsupportedEquationsException

    class ExpAutoStateUpdater(StateUpdateMethod):
        def __call__(self, equations, variables=None, method_options=None):
            if equations.is_stochastic:
                raise UnsupportedEquationsException('exp_auto: deterministic equations only')
            names, exprs = [], []
            for name, expr in equations.get_substituted_expressions(variables):
                f = str_to_sympy(expr.code, variables)
                A = sp.diff(f, sp.Symbol(name, real=True))
                names.append(name)
                exprs += [A, f]
            # Shared subexpressions as temporaries (ionode evaluates f and df/dx in one pass too).
            tmp = sp.numbered_symbols('_cse')
            replacements, reduced = sp.cse(exprs, symbols=tmp, optimizations='basic')
            code = [f'{sym} = {sympy_to_str(e)}' for sym, e in replacements]
            for k, name in enumerate(names):
                A, f = reduced[2 * k], reduced[2 * k + 1]
                code.append(f'_A_{name} = {sympy_to_str(A)}')
                code.append(f'_{name} = {name} + dt*exprel(dt*_A_{name})*({sympy_to_str(f)})')
            code += [f'{name} = _{name}' for name in names]
            return '\n'.join(code)

    return ExpAutoStateUpdater()


def truly_conditionally_linear(eqs):
    """True when every equation is A*x + B with A and B free of x (then Brian2's
    exponential_euler is exactly BrainPy's exp_auto). Brian2's own check is weaker: it accepts
    MorrisLecar, whose V equation has tanh(V) inside the coefficient of V, and then freezes that
    coefficient at the old V (a different first-order scheme)."""
    import sympy as sp
    from brian2 import Equations
    from brian2.stateupdaters.exponential_euler import get_conditionally_linear_system
    try:
        system = get_conditionally_linear_system(Equations(eqs))
    except ValueError:
        return False
    for name, (A, B) in system.items():
        var = sp.Symbol(name, real=True)
        if sp.sympify(A).has(var) or sp.sympify(B).has(var):
            return False
    return True


# ----------------------------------------------------------------------------- benchmark
def steps_for(duration, dt):
    r = duration / dt
    k = round(r)
    return int(k) if abs(r - k) <= 1e-9 * max(1.0, abs(r)) else int(math.floor(r))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--model', required=True,
                    choices=sorted(MODELS) + sorted(ALIASES))
    ap.add_argument('--n', type=float, required=True, help='neurons (1e5 accepted)')
    ap.add_argument('--duration', type=float, default=100.0, help='ms [100]')
    ap.add_argument('--dt', type=float, default=0.01, help='ms [0.01]')
    ap.add_argument('--threads', type=int, default=1,
                    help='OpenMP threads; 0 = serial build without OpenMP [1]')
    ap.add_argument('--method', default='exponential_euler',
                    choices=['exponential_euler', 'exp_auto', 'brian2_exponential_euler',
                             'euler', 'rk2', 'rk4'])
    ap.add_argument('--rates', default='textbook', choices=['textbook', 'exprel'])
    ap.add_argument('--reps', type=int, default=1, help='runs of the compiled binary [1]')
    ap.add_argument('--per-neuron', action='store_true',
                    help='add min/max spikes per neuron to the JSON')
    ap.add_argument('--spike-times', action='store_true',
                    help='also record neuron 0\'s spike times (a SpikeMonitor: for checks, not timing)')
    ap.add_argument('--keep', action='store_true', help='keep the build folder (printed to stderr)')
    ap.add_argument('--build-dir', default=None, help='build here instead of a new temp folder')
    args = ap.parse_args(argv)

    model = ALIASES.get(args.model, args.model)
    n = int(args.n)
    if n != args.n or n < 1:
        ap.error('--n must be a positive integer')
    if args.dt <= 0 or args.duration <= 0 or args.reps < 1 or args.threads < 0:
        ap.error('--dt, --duration, --reps must be positive and --threads >= 0')
    steps = steps_for(args.duration, args.dt)
    spec = MODELS[model]

    t_wall0 = time.perf_counter()
    import warnings
    warnings.simplefilter('ignore', FutureWarning)  # pythran/numpy noise at import
    import brian2
    from brian2 import (NeuronGroup, defaultclock, device, ms, prefs, run, set_device,
                        BrianLogger)
    BrianLogger.log_level_error()

    own_dir = args.build_dir is None
    build_dir = tempfile.mkdtemp(prefix='brian2_bench_') if own_dir else os.path.abspath(args.build_dir)
    try:
        set_device('cpp_standalone', directory=build_dir, build_on_run=False)
        prefs.devices.cpp_standalone.openmp_threads = args.threads
        defaultclock.dt = args.dt * ms

        namespace = dict(spec['params'])
        namespace.update(spec['inputs'])
        namespace['ms'] = ms
        eqs = spec['eqs'](args.rates) + '\nnspk : integer\n'
        vx = spec['spike_var']
        cond = f'{vx} > V_th'

        method_used = args.method
        if args.method == 'exponential_euler':
            method_used = ('exponential_euler' if truly_conditionally_linear(eqs)
                           else 'exp_auto')
        elif args.method == 'brian2_exponential_euler':
            method_used = 'exponential_euler'
        method = make_exp_auto_updater() if method_used == 'exp_auto' else method_used

        G = NeuronGroup(n, eqs, threshold=cond, refractory=cond, reset='nspk += 1',
                        method=method, namespace=namespace, name='neurons')
        for var, value in spec['init']().items():
            setattr(G, var, value)
        if args.spike_times:
            from brian2 import SpikeMonitor
            spike_mon = SpikeMonitor(G[:1], name='spikes0')

        # Wall clock directly around network.run() in the generated main().
        device.insert_code('before_network_run',
                           'struct timespec _bench_t0, _bench_t1;\n'
                           'clock_gettime(CLOCK_MONOTONIC, &_bench_t0);')
        device.insert_code('after_network_run',
                           'clock_gettime(CLOCK_MONOTONIC, &_bench_t1);\n'
                           '{ std::ofstream _bench_f("results/bench_wall_seconds.txt");\n'
                           '  _bench_f.precision(17);\n'
                           '  _bench_f << (double)(_bench_t1.tv_sec - _bench_t0.tv_sec)'
                           ' + 1e-9*(double)(_bench_t1.tv_nsec - _bench_t0.tv_nsec) << std::endl; }')
        run(args.duration * ms)

        t_build0 = time.perf_counter()
        device.build(directory=build_dir, compile=True, run=False, with_output=False)
        compile_seconds = time.perf_counter() - t_build0

        walls, brian_times = [], []
        for _ in range(args.reps):
            device.run(build_dir, with_output=False, run_args=[])
            with open(os.path.join(build_dir, 'results', 'bench_wall_seconds.txt')) as f:
                walls.append(float(f.read()))
            brian_times.append(float(device._last_run_time))
            if getattr(device, '_last_run_completed_fraction', 1.0) != 1.0:
                raise RuntimeError('the run did not complete')

        counts = G.nspk[:]
        import numpy as np
        counts = np.asarray(counts)
        if counts.shape != (n,):
            raise RuntimeError(f'spike counter has shape {counts.shape}, expected ({n},)')

        seconds = statistics.median(walls)
        out = {
            'engine': 'brian2_cpp', 'model': model, 'n': n, 'steps': steps,
            'threads': max(args.threads, 1), 'seconds': seconds,
            'neuron_steps_per_s': n * steps / seconds if seconds > 0 else None,
            'spikes': int(counts.sum()),
            'us_per_step': 1e6 * seconds / steps,
            'seconds_all': walls, 'seconds_min': min(walls),
            'brian2_last_run_time': statistics.median(brian_times),
            'method': args.method, 'method_used': method_used, 'rates': args.rates,
            'openmp': args.threads >= 1, 'dt': args.dt, 'duration': args.duration,
            'compile_seconds': compile_seconds,
            'brian2': brian2.__version__,
        }
        if args.spike_times:
            out['spike_times_neuron0_ms'] = [round(float(t), 6) for t in np.asarray(spike_mon.t / ms)]
        if args.per_neuron:
            out['spikes_per_neuron_min'] = int(counts.min())
            out['spikes_per_neuron_max'] = int(counts.max())
        print(json.dumps(out), flush=True)
        print(f'[brian2_bench] total wall {time.perf_counter() - t_wall0:.1f} s '
              f'(compile {compile_seconds:.1f} s), build folder {build_dir}'
              + ('' if args.keep or not own_dir else ' (removed)'), file=sys.stderr)
        return 0
    except Exception as exc:  # clear one-line error, full trace with BENCH_DEBUG=1
        if os.environ.get('BENCH_DEBUG'):
            raise
        print(f'brian2_bench: error: {type(exc).__name__}: {exc} '
              f'(build folder {build_dir}; set BENCH_DEBUG=1 for the traceback)', file=sys.stderr)
        return 1
    finally:
        if own_dir and not args.keep:
            shutil.rmtree(build_dir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
