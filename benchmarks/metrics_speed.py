"""Time every fusion metric and the whole benchmark panel on one 448x620 triple, on ONE thread.

Usage: python benchmarks/metrics_speed.py [--repeats 7]
The last line printed is `panel_seconds: <median seconds for timfusion.metrics.PANEL via evaluate()>`."""
import os
for _k in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'NUMEXPR_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS'):
    os.environ[_k] = '1'                                   # before numpy/scipy load their thread pools
import argparse, statistics, time

import numpy as np
import pandas as pd

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

def timeit(fn, repeats):
    fn()                                                     # warm-up (imports, allocator)
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return statistics.median(ts), min(ts)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--repeats', type=int, default=7)
    a = p.parse_args(argv)
    _one_thread()
    from timfusion import metrics as M
    (A, B, F), src = triple()
    rows = []
    for name in M.METRICS:
        med, best = timeit(lambda: M.METRICS[name](A, B, F), a.repeats if name in M.PANEL else max(1, a.repeats // 3))
        rows.append({'metric': name, 'in_panel': name in M.PANEL, 'median_ms': 1e3 * med, 'min_ms': 1e3 * best})
    df = pd.DataFrame(rows)
    med, best = timeit(lambda: M.evaluate(A, B, F, M.PANEL), a.repeats)
    print(f'triple: {src}, {A.shape[0]}x{A.shape[1]}, one thread, {a.repeats} repeats')
    print(df.to_string(index=False, float_format=lambda v: f'{v:.1f}'))
    print(f"sum of panel metrics: {df[df.in_panel].median_ms.sum():.1f} ms; evaluate(PANEL): median {1e3*med:.1f} ms, min {1e3*best:.1f} ms")
    print(f'panel_seconds: {med:.4f}')

if __name__ == '__main__': main()
