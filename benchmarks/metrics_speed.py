"""Time every fusion metric, the benchmark panel and the FMI feature variants on one 448x620 triple, on ONE thread.

Usage: python benchmarks/metrics_speed.py [--repeats 7] [--fmi-repeats 3] [--module PATH]
Prints a table (median and min ms per metric), then the panel and FMI lines, and ends with the two lines
`panel_seconds: <median seconds of evaluate(A, B, F, PANEL)>` and
`fmi_variants_seconds: <median seconds of the slowest of FMI_none, FMI_gradient, FMI_dct>`.
`--module PATH` times another copy of `timfusion/metrics.py` (e.g. the version before a change), loaded inside the
`timfusion` package, so that before and after run in the same conditions."""
import os
for _k in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'NUMEXPR_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS'):
    os.environ[_k] = '1'                                   # before numpy/scipy load their thread pools
import argparse, importlib.util, statistics, time

import numpy as np
import pandas as pd

FMI_VARIANTS = ('FMI_none', 'FMI_gradient', 'FMI_dct')

def _one_thread():
    try:
        import torch; torch.set_num_threads(1)
    except ImportError: pass
    try:
        import numexpr; numexpr.set_num_threads(1)
    except ImportError: pass

def triple(h=448, w=620):
    "The calibration triple cropped to h x w if it is available, else a deterministic synthetic one."
    from timfusion.core import settings
    from timfusion.imageio import read_image
    cal = settings().data_root / 'calibration'
    names = ('ir_tno01.png', 'vis_tno01.png', 'fused_tno01_seafusion.png')
    if all((cal / n).exists() for n in names):
        return tuple(np.ascontiguousarray(read_image(cal / n)[:h, :w]) for n in names), 'TNO01 calibration crop'
    rng = np.random.default_rng(0); yy, xx = np.mgrid[0:h, 0:w]
    a = np.clip(128 + 90 * np.sin(xx / 17) * np.cos(yy / 23) + rng.normal(0, 10, (h, w)), 0, 255).astype(np.uint8)
    b = np.clip(40 + 0.3 * yy + 0.2 * xx + rng.normal(0, 10, (h, w)), 0, 255).astype(np.uint8)
    return (a, b, ((a.astype(int) + b) // 2).astype(np.uint8)), 'synthetic'

def metrics_module(path=None):
    "`timfusion.metrics`, or the copy of it at `path` (imported as a sibling module so its relative imports work)."
    if path is None:
        from timfusion import metrics
        return metrics
    spec = importlib.util.spec_from_file_location('timfusion._metrics_under_test', path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def timeit(fn, repeats):
    fn()                                                     # warm-up (imports, allocator, FMI's pattern table)
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return statistics.median(ts), min(ts)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--repeats', type=int, default=7, help='timed runs per panel metric and of the panel (median reported)')
    p.add_argument('--fmi-repeats', type=int, default=3, help='timed runs per FMI variant (median reported)')
    p.add_argument('--module', default=None, help='path of another copy of timfusion/metrics.py to time instead')
    a = p.parse_args(argv)
    _one_thread()
    M = metrics_module(a.module)
    (A, B, F), src = triple()
    cold = None
    if hasattr(M, '_FMI_PAIRS'):                             # edge FMI fills a table of window pairs on first use
        M._FMI_PAIRS[:] = np.nan; t = time.perf_counter(); M.FMI(A, B, F); cold = time.perf_counter() - t
    rows = []
    for name in M.METRICS:
        n = a.repeats if name in M.PANEL else a.fmi_repeats if name in FMI_VARIANTS else max(1, a.repeats // 3)
        med, best = timeit(lambda: M.METRICS[name](A, B, F), n)
        rows.append({'metric': name, 'in_panel': name in M.PANEL, 'repeats': n, 'median_ms': 1e3 * med, 'min_ms': 1e3 * best})
    df = pd.DataFrame(rows)
    med, best = timeit(lambda: M.evaluate(A, B, F, M.PANEL), a.repeats)
    fmi = df[df.metric.isin(FMI_VARIANTS)].set_index('metric').median_ms / 1e3
    load = ' '.join(f'{x:.2f}' for x in os.getloadavg())
    print(f"module: {M.__file__}")
    print(f'triple: {src}, {A.shape[0]}x{A.shape[1]}, one thread, load average {load}')
    print(df.to_string(index=False, float_format=lambda v: f'{v:.1f}'))
    print(f"sum of panel metrics: {df[df.in_panel].median_ms.sum():.1f} ms; evaluate(PANEL): median {1e3*med:.1f} ms, min {1e3*best:.1f} ms")
    if cold is not None: print(f"FMI (edge) first call in a fresh process (empty pattern table): {1e3*cold:.1f} ms")
    print('FMI variants (median s): ' + ', '.join(f'{k} {v:.3f}' for k, v in fmi.items()))
    print(f'panel_seconds: {med:.4f}')
    print(f'fmi_variants_seconds: {fmi.max():.4f}')

if __name__ == '__main__': main()
