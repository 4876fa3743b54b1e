"""Params, FLOPs, MACs and CPU time per 448x620 pair of every network we build and every classical baseline, next to
the FLOP-bound time (FLOPs / the dense 3x3 conv rate measured in the same run), eager vs `optimize_for_inference`.

Usage: python benchmarks/fusion_speed.py [--threads 2] [--repeats 5] [--size 448 620] [--networks tim_light ...]
                                         [--no-official] [--no-baselines] [--compile]
Each timed call of a network is interleaved with one run of the 64->64 dense 3x3 conv that defines the bound, so load
from other processes hits both; `over_bound` is the median over rounds of (network ms / FLOP-bound ms of that round).
The 'official-as-released' row runs the eager TIM_w/L in a subprocess with glibc's default allocator
(TIMFUSION_MALLOC=default must be set before the process starts), i.e. the release's code path on this machine.
The last line printed is `tim_light_over_bound: <optimized tim_light ms / its FLOP-bound ms>`."""
from __future__ import annotations
import argparse, json, os, statistics, subprocess, sys, time, warnings
from pathlib import Path

NETWORKS = ('tim_light', 'tim_nf', 'tim_nt_ivif', 'tim_wol', 'paif')
LABELS = {'tim_light': 'TIM_w/L (tim_light)', 'tim_nf': 'TIM N_F (tim_nf)', 'tim_nt_ivif': 'TIM N_T IVIF (tim_nt_ivif)',
          'tim_wol': 'TIM_w/oL (tim_wol)', 'paif': 'PAIF (paif)'}

def _timed(fn, *x)->float:
    t0 = time.perf_counter(); fn(*x); return (time.perf_counter() - t0) * 1e3

def _bound_probe(size):
    "The dense 3x3 conv C=64 of `conv_bound_gflops`, as (module, input, flops) for interleaved timing."
    import torch
    from timfusion.cost import count_flops
    conv = torch.nn.Conv2d(64, 64, 3, padding=1, bias=False).eval()
    x = torch.randn(1, 64, *size)
    return conv, x, count_flops(conv, x)['flops']

def time_against_bound(fns:dict, inputs:tuple, flops:float, size, repeats:int)->dict:
    "Per variant: median/min ms and median over rounds of ms / FLOP-bound ms, each call next to a bound-conv run."
    import torch
    conv, xc, cflops = _bound_probe(size)
    res = {k: dict(ms=[], ratio=[], gflops=[]) for k in fns}
    with torch.inference_mode():
        conv(xc)
        for fn in fns.values(): fn(*inputs)                                  # warm-up (oneDNN primitives, allocator)
        for _ in range(repeats):
            for k, fn in fns.items():
                tc = _timed(conv, xc); t = _timed(fn, *inputs)
                rate = cflops / (tc * 1e-3) / 1e9
                res[k]['ms'].append(t); res[k]['gflops'].append(rate)
                res[k]['ratio'].append(t / (flops / (rate * 1e9) * 1e3) if flops else float('nan'))
    out = {}
    for k, r in res.items():
        g = statistics.median(r['gflops'])
        out[k] = dict(ms=statistics.median(r['ms']), ms_min=min(r['ms']), bound_gflops=g,
                      bound_ms=flops / (g * 1e9) * 1e3 if flops else float('nan'),
                      over_bound=statistics.median(r['ratio']) if flops else float('nan'),
                      over_bound_best=min(r['ms']) / (flops / (max(r['gflops']) * 1e9) * 1e3) if flops else float('nan'))
    return out

def official_emulation(threads:int, size, repeats:int)->dict:
    "Eager tim_light with glibc's default allocator, in a fresh process (the release as released, on this machine)."
    code = f"""
import json, sys, torch
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
torch.set_num_threads({threads})
import fusion_speed as fs
from timfusion.nets import build_network
from timfusion.cost import count_flops
import timfusion.core as core
net = build_network('tim_light').eval()
a, b = torch.rand(1, 1, *{tuple(size)!r}), torch.rand(1, 1, *{tuple(size)!r})
r = fs.time_against_bound({{'official': net}}, (a, b), count_flops(net, a, b)['flops'], {tuple(size)!r}, {repeats})['official']
r['allocator_tuned'] = core._ALLOCATOR_TUNED
print('RESULT', json.dumps(r))
"""
    env = dict(os.environ, TIMFUSION_MALLOC='default')
    p = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    for line in p.stdout.splitlines():
        if line.startswith('RESULT '): return json.loads(line[7:])
    raise RuntimeError(f"official emulation failed: {p.stderr[-500:]}")

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeats', type=int, default=5)
    ap.add_argument('--size', type=int, nargs=2, default=(448, 620))
    ap.add_argument('--networks', nargs='*', default=list(NETWORKS))
    ap.add_argument('--no-official', action='store_true', help='skip the default-allocator subprocess row')
    ap.add_argument('--no-baselines', action='store_true')
    ap.add_argument('--compile', action='store_true', help='also time optimize_for_inference(compile=True)')
    args = ap.parse_args(argv)

    import pandas as pd
    import torch
    import timfusion.core as core
    from timfusion.nets import build_network
    from timfusion.cost import count_params, count_flops, macs_thop_convtranspose
    from timfusion.baselines import BASELINES, get_baseline
    from timfusion.optimize import optimize_for_inference
    warnings.filterwarnings('ignore', category=UserWarning, module='torch')
    torch.set_num_threads(args.threads)
    size = tuple(args.size)
    load0 = os.getloadavg()
    print(f"# {size[0]}x{size[1]} pair, {args.threads} threads, torch {torch.__version__}, allocator tuned: "
          f"{core._ALLOCATOR_TUNED}, load average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} "
          f"on {os.cpu_count()} CPUs", flush=True)
    g = torch.Generator().manual_seed(0)
    a, b = torch.rand(1, 1, *size, generator=g), torch.rand(1, 1, *size, generator=g)
    rows, light = [], None
    for name in args.networks:
        net = build_network(name).eval()
        inputs = (a, b, torch.rand(1, 1, *size, generator=g)) if name == 'tim_nt_ivif' else (a, b)
        c = count_flops(net, *inputs)
        thop = macs_thop_convtranspose(net, *inputs)['macs_thop']
        fast = optimize_for_inference(net, inputs)
        variants = {'eager': net, 'optimized': fast}
        if args.compile: variants['compiled'] = optimize_for_inference(net, inputs, compile=True)
        t = time_against_bound(variants, inputs, c['flops'], size, args.repeats)
        for k, r in t.items():
            row = dict(model=LABELS.get(name, name), variant=k, params=count_params(net), GFLOPs=c['flops'] / 1e9,
                       GMACs=c['macs'] / 1e9, GMACs_thop=thop / 1e9, ms=r['ms'], ms_min=r['ms_min'],
                       bound_GFLOPs_s=r['bound_gflops'], bound_ms=r['bound_ms'], over_bound=r['over_bound'],
                       over_bound_best=r['over_bound_best'])
            if k == 'optimized': row['max_abs_diff'] = getattr(fast, 'report', {}).get('max_abs_diff', float('nan'))
            rows.append(row)
        if name == 'tim_light': light = t
        print(f"# done {name}: eager {t['eager']['ms']:.0f} ms, optimized {t['optimized']['ms']:.0f} ms, "
              f"bound {t['optimized']['bound_ms']:.0f} ms", flush=True)
    if not args.no_official and 'tim_light' in args.networks:
        o = official_emulation(args.threads, size, args.repeats)
        n = build_network('tim_light')
        c = count_flops(n, a, b)
        rows.append(dict(model=LABELS['tim_light'], variant='official-as-released (default allocator)', params=count_params(n),
                         GFLOPs=c['flops'] / 1e9, GMACs=c['macs'] / 1e9, GMACs_thop=c['macs'] / 1e9, ms=o['ms'],
                         ms_min=o['ms_min'], bound_GFLOPs_s=o['bound_gflops'], bound_ms=o['bound_ms'],
                         over_bound=o['over_bound'], over_bound_best=o['over_bound_best']))
        print(f"# done official emulation: {o['ms']:.0f} ms", flush=True)
    if not args.no_baselines:
        for bname in BASELINES:
            fn = get_baseline(bname)
            with torch.inference_mode():
                fn(a, b)
                ts = [_timed(fn, a, b) for _ in range(args.repeats)]
            rows.append(dict(model=f'baseline {bname}', variant='-', params=0, GFLOPs='-', GMACs='-', GMACs_thop='-',
                             ms=statistics.median(ts), ms_min=min(ts), bound_GFLOPs_s='-', bound_ms='-', over_bound='-',
                             over_bound_best='-'))
    df = pd.DataFrame(rows)
    fmt = lambda v: v if isinstance(v, str) else (f'{v:,.0f}' if abs(v) >= 100 else f'{v:.3g}')
    for col in df.columns:
        if col not in ('model', 'variant', 'params'): df[col] = df[col].map(lambda v: '' if v is None or (isinstance(v, float) and v != v) else fmt(v))
    print(df.to_string(index=False))
    load1 = os.getloadavg()
    print(f"# load average at end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}; over_bound = median over rounds of "
          f"ms / (GFLOPs / bound rate of that round); over_bound_best = min ms / (GFLOPs / max bound rate)")
    off = next((r for r in rows if r['variant'].startswith('official')), None)
    if light is not None and off is not None:
        print(f"speedup_vs_official: {off['ms'] / light['optimized']['ms']:.2f}  (median ms, default allocator eager "
              f"vs optimized; best-case {off['ms_min'] / light['optimized']['ms_min']:.2f})")
    if light is not None:
        print(f"tim_light_over_bound: {light['optimized']['over_bound']:.3f}")

if __name__ == '__main__':
    main()
