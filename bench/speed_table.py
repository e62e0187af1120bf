#!/usr/bin/python3
"""Prints the tables of bench/run_speed.sh from the records it wrote (its run-<UTC>.tsv).

    /usr/bin/python3 bench/speed_table.py build/bench/speed/run-<UTC>.tsv
    /usr/bin/python3 bench/speed_table.py count-npz FILE.npz N     # helper used by run_speed.sh

Records: one per line, tab-separated. `meta KEY VALUE`, or
`SECTION MODEL N_NOMINAL ENGINE THREADS PRECISION N_USED STEPS STATUS LOAD1 LINE` where LINE is the
engine's own result line: the probe's and ionode's text line, or the peers' JSON line (STATUS ok),
an error (fail), or why the row did not run (skip). Standard library only (count-npz needs NumPy).
"""
import json
import re
import statistics
import sys
from collections import OrderedDict

ENGINE_ORDER = ['probe', 'ionode', 'brian2', 'neuron']
ENGINE_NAME = {'probe': 'probe', 'ionode': 'ionode', 'brian2': 'Brian2 C++', 'neuron': 'NEURON'}
PREC_ORDER = ['fp64', 'fp32']


def count_npz(path, n):
    import numpy as np
    d = np.load(path)
    counts = np.bincount(np.asarray(d['spike_indices'], dtype=np.int64), minlength=n)
    print(json.dumps({'engine': 'ionode_cli', 'n': n, 'spikes': int(counts.sum()),
                      'spikes_per_neuron_min': int(counts.min()),
                      'spikes_per_neuron_max': int(counts.max())}))


def parse_line(line):
    """The figures of one result line: rate (neuron-steps/s), seconds, us_step, spikes, extra."""
    line = line.strip()
    if line.startswith('{'):
        d = json.loads(line)
        return {'rate': d.get('neuron_steps_per_s'), 'seconds': d.get('seconds'),
                'us_step': d.get('us_per_step'), 'spikes': d.get('spikes'), 'json': d}
    out = {'json': {}}
    m = re.search(r': ([0-9.eE+-]+) s, ([0-9.eE+-]+) neuron-steps/s', line)
    out['seconds'] = float(m.group(1)) if m else None
    out['rate'] = float(m.group(2)) if m else None
    m = re.search(r'([0-9.eE+-]+) us/step', line)
    out['us_step'] = float(m.group(1)) if m else None
    m = re.search(r'spikes=(\d+)', line)
    out['spikes'] = int(m.group(1)) if m else None
    return out


def read(path):
    meta, recs = {}, []
    with open(path) as f:
        for raw in f:
            raw = raw.rstrip('\n')
            if not raw:
                continue
            p = raw.split('\t')
            if p[0] == 'meta':
                meta[p[1]] = p[2] if len(p) > 2 else ''
                continue
            p += [''] * (11 - len(p))
            r = dict(section=p[0], model=p[1], nn=int(p[2]), engine=p[3], threads=int(p[4]),
                     prec=p[5], nu=int(p[6]) if p[6] else None, steps=int(p[7]) if p[7] else None,
                     status=p[8], load=p[9], line=p[10])
            if r['status'] == 'ok':
                try:
                    r.update(parse_line(r['line']))
                except (ValueError, json.JSONDecodeError):
                    r['status'] = 'fail'
                if r['status'] == 'ok' and r.get('rate') is None and r['section'] != 'check':
                    r['status'] = 'fail'
            recs.append(r)
    return meta, recs


def fmt_n(n):
    if n is None:
        return '—'
    s = f'{n:.0e}'
    if n >= 100 and float(s) == n:
        return s.replace('e+0', 'e').replace('e+', 'e')
    return str(n)


def fmt_rate(x):
    return '—' if x is None else f'{x:.3g}'


def fmt_ratio(a, b):
    return '—' if a is None or not b else f'{a / b:.2f}'


def group(recs, key):
    g = OrderedDict()
    for r in recs:
        g.setdefault(key(r), []).append(r)
    return g


def summary(rows):
    """Median rate over the ok runs of one group, with the rest of what a table row shows."""
    ok = [r for r in rows if r['status'] == 'ok']
    skips = [r for r in rows if r['status'] == 'skip']
    s = {'n_ok': len(ok), 'n_all': len([r for r in rows if r['status'] != 'skip']),
         'skip': skips[0]['line'] if skips and not ok else None, 'rows': rows}
    if not ok:
        fails = [r for r in rows if r['status'] == 'fail']
        s['error'] = fails[0]['line'] if fails else None
        s['median'] = None
        return s
    rates = [r['rate'] for r in ok]
    s['median'] = statistics.median(rates)
    s['min'], s['max'] = min(rates), max(rates)
    j = ok[-1].get('json', {})
    s['nu'], s['steps'] = j.get('n', ok[-1]['nu']), j.get('steps', ok[-1]['steps'])
    spikes = sorted({r['spikes'] for r in ok if r.get('spikes') is not None})
    s['spikes'] = ('—' if not spikes else str(spikes[0]) if len(spikes) == 1
                   else f'{spikes[0]}-{spikes[-1]}')
    if 'spikes_per_neuron_min' in j:
        lo, hi = j['spikes_per_neuron_min'], j['spikes_per_neuron_max']
        s['spikes'] += f' ({lo}/neuron)' if lo == hi else f' ({lo}-{hi}/neuron)'
    return s


def main_table(meta, recs):
    dt = float(meta.get('dt', 0.01))
    tp = [r for r in recs if r['section'] == 'tp']
    if not tp:
        return
    order = list(OrderedDict.fromkeys((r['model'], r['nn']) for r in tp))
    groups = group(tp, lambda r: (r['model'], r['nn'], r['engine'], r['threads'], r['prec']))
    sums = {k: summary(v) for k, v in groups.items()}

    def key(k):
        model, nn, engine, thr, prec = k
        return (order.index((model, nn)), thr, PREC_ORDER.index(prec) if prec in PREC_ORDER else 9,
                ENGINE_ORDER.index(engine) if engine in ENGINE_ORDER else 9)

    print('| workload | engine | threads | precision | N | steps | median neuron-steps/s | '
          'ratio to probe | ratio to Brian2 C++ | spikes | runs (min-max neuron-steps/s) |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    for k in sorted(sums, key=key):
        model, nn, engine, thr, prec = k
        s = sums[k]
        probe = sums.get((model, nn, 'probe', thr, prec), {}).get('median')
        b2 = sums.get((model, nn, 'brian2', thr, 'fp64'), {}).get('median')
        wl = f'{model} N={fmt_n(nn)}'
        name = ENGINE_NAME.get(engine, engine)
        if s['median'] is None:
            why = s['skip'] or ('failed: ' + (s.get('error') or '?')[:120].replace('|', '/'))
            print(f'| {wl} | {name} | {thr} | {prec} | — | — | {why} | — | — | — | 0 |')
            continue
        steps = f"{s['steps']} ({s['steps'] * dt:g} ms)"
        runs = f"{s['n_ok']}" + (f" of {s['n_all']}" if s['n_ok'] != s['n_all'] else '')
        runs += f" ({fmt_rate(s['min'])}-{fmt_rate(s['max'])})"
        print(f"| {wl} | {name} | {thr} | {prec} | {fmt_n(s['nu'])} | {steps} | {fmt_rate(s['median'])} | "
              f"{fmt_ratio(s['median'], probe)} | {fmt_ratio(s['median'], b2)} | {s['spikes']} | {runs} |")
    print()
    print('Ratios divide this row\'s median by the probe\'s at the same workload, threads and precision, '
          'and by Brian2 C++ standalone\'s (fp64) at the same workload and threads. The probe needs N a '
          'multiple of 64 (N rounded up; its rate is per neuron, so the ratio stands). One thread: '
          'pinned with taskset, OMP_NUM_THREADS=1; Brian2 with one thread is its OpenMP build run with '
          'one thread. Spikes: totals of each run (a range if the runs differ); they differ between '
          'engines because the initial states differ (probe V = -70 + 10 i/N; ionode_bench_model V ~ '
          'Uniform(-70, -60); Brian2 and NEURON V = -65, gates at steady state). The spike-count check '
          'below compares equal states.')
    print()


def monitor_table(recs):
    mon = [r for r in recs if r['section'] == 'monitor']
    if not mon:
        return
    a = summary([r for r in mon if r['engine'] == 'ionode_m0'])
    b = summary([r for r in mon if r['engine'] == 'ionode_m1'])
    print('**Cost of recording V of 10 neurons at every step** (ionode HH, one thread, fp64)')
    print()
    print('| N | steps | spikes only: median neuron-steps/s | V of 10 neurons recorded: median | '
          'extra time (medians) | extra time (best runs) | under 5 % |')
    print('|---|---|---|---|---|---|---|')
    if a['median'] is None or b['median'] is None:
        print(f"| {fmt_n(mon[0]['nn'])} | — | {fmt_rate(a['median'])} | {fmt_rate(b['median'])} | — | — | n/a |")
    else:
        over = a['median'] / b['median'] - 1
        best = a['max'] / b['max'] - 1
        print(f"| {fmt_n(a['nu'])} | {a['steps']} | {fmt_rate(a['median'])} | {fmt_rate(b['median'])} | "
              f"{100 * over:+.1f} % | {100 * best:+.1f} % | {'yes' if over < 0.05 else 'NO'} |")
    print()


def noise_table(recs):
    rows = [r for r in recs if r['section'] == 'noise']
    if not rows:
        return
    a = summary([r for r in rows if r['engine'] == 'ionode_noise0'])
    b = summary([r for r in rows if r['engine'] == 'ionode_noise1'])
    print('**Cost of noise** (ionode HH, exp_auto, sigma = 1 mV/sqrt(ms) on V, one thread, fp64)')
    print()
    print('| N | steps | deterministic: median neuron-steps/s | with noise: median | extra time (medians) |')
    print('|---|---|---|---|---|')
    if a['median'] is None or b['median'] is None:
        print(f"| {fmt_n(rows[0]['nn'])} | — | {fmt_rate(a['median'])} | {fmt_rate(b['median'])} | — |")
    else:
        print(f"| {fmt_n(a['nu'])} | {a['steps']} | {fmt_rate(a['median'])} | {fmt_rate(b['median'])} | "
              f"{100 * (a['median'] / b['median'] - 1):+.1f} % |")
    print()


def fixed_table(recs):
    fx = [r for r in recs if r['section'] == 'fixed']
    if not fx:
        return
    names = OrderedDict([
        ('ionode_m0', 'ionode (ionode_bench_model), spikes only'),
        ('ionode_hh_m0', 'ionode (ionode_bench_hh), spikes only'),
        ('ionode_hh_m1', 'ionode (ionode_bench_hh), V of the neuron recorded every step'),
        ('brian2_serial', 'Brian2 C++, serial build (--threads 0)'),
        ('brian2', 'Brian2 C++, OpenMP build, 1 thread'), ('neuron', 'NEURON (psolve)'),
        ('probe', 'probe at N = 64, its smallest size (for scale)')])
    print('**Fixed cost per step at N = 1** (HH, one thread, fp64)')
    print()
    print('| engine | N | steps | median us/step | runs (min-max us/step) |')
    print('|---|---|---|---|---|')
    for eng, label in names.items():
        rows = [r for r in fx if r['engine'] == eng]
        if not rows:
            continue
        ok = [r for r in rows if r['status'] == 'ok']
        us = []
        for r in ok:
            u = r.get('us_step')
            if u is None and r.get('seconds') is not None and r['steps']:
                u = r['seconds'] / r['steps'] * 1e6
            if u is not None:
                us.append(u)
        if not us:
            print(f"| {label} | {fmt_n(rows[0]['nu'])} | {rows[0]['steps']} | failed | 0 of {len(rows)} |")
            continue
        print(f"| {label} | {fmt_n(ok[-1]['nu'])} | {ok[-1]['steps']} | {statistics.median(us):.3g} | "
              f"{len(us)} ({min(us):.3g}-{max(us):.3g}) |")
    print()


def check_table(meta, recs):
    dt, duration = float(meta.get('dt', 0.01)), float(meta.get('duration', 100))
    full = int(round(duration / dt))
    rows = []
    for r in recs:
        if r['status'] != 'ok' or r['model'] != 'HH':
            continue
        j = r.get('json', {})
        if 'spikes_per_neuron_min' not in j:
            continue
        if r['section'] == 'check' or (r['section'] == 'tp' and r['steps'] == full):
            rows.append((r['engine'], r['nn'], r['threads'], j['spikes_per_neuron_min'], j['spikes_per_neuron_max']))
    fails = [r for r in recs if r['section'] == 'check' and r['status'] != 'ok']
    if not rows and not fails:
        return
    print(f'**HH spike-count check** (I = 10, V0 = -65 mV, gates at steady state, {duration:g} ms, dt = {dt:g}; '
          f'reference: 7 spikes per neuron)')
    print()
    print('| engine | N | threads | spikes per neuron (min-max) | = 7 |')
    print('|---|---|---|---|---|')
    label = {'ionode_cli': 'ionode (CLI, initial.V = -65)', 'brian2': 'Brian2 C++', 'neuron': 'NEURON'}
    seen, good = set(), True
    for eng, nn, thr, lo, hi in rows:
        if (eng, nn, thr) in seen:
            continue
        seen.add((eng, nn, thr))
        ok = lo == hi == 7
        good &= ok
        print(f"| {label.get(eng, eng)} | {fmt_n(nn)} | {thr} | {lo}-{hi} | {'yes' if ok else 'NO'} |")
    for r in fails:
        good = False
        print(f"| {label.get(r['engine'], r['engine'])} | {fmt_n(r['nn'])} | {r['threads']} | "
              f"failed: {r['line'][:120].replace('|', '/')} | NO |")
    engines = {e for e, *_ in rows}
    print()
    print(f"Spike counts {'agree' if good else 'DO NOT agree'} across "
          f"{', '.join(label.get(e, e) for e in sorted(engines)) or 'no engine'}"
          + ('' if {'ionode_cli', 'brian2', 'neuron'} <= engines else
             ' (not every engine ran a full-length HH run)') + '.')
    print()


def main(argv):
    if len(argv) >= 2 and argv[1] == 'count-npz':
        count_npz(argv[2], int(argv[3]))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    meta, recs = read(argv[1])
    main_table(meta, recs)
    monitor_table(recs)
    noise_table(recs)
    fixed_table(recs)
    check_table(meta, recs)
    loads = [float(r['load']) for r in recs if r.get('load')]
    if loads:
        print(f'1-minute load average at the start of the runs: {min(loads):.2f} to {max(loads):.2f}; '
              f"after: {meta.get('load_after', '?')}. Figures measured under load mean little on their own: "
              'compare ratios of rows measured in the same run.')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
