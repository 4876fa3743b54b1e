"""Peak memory of fusing one large pair with the default model (issue 22, item 14): 1, 4 and 12 Mpixel.

Each size runs in a fresh process (ru_maxrss is a high-water mark); the image is fused as `timfusion models fuse`
would (`fuse_pair`, tiling from the activation budget `timfusion.fuse.FUSE_MEMORY_GB`). Prints a table with peak RSS,
MB per Mpixel and seconds, then what tiling costs in output (mean and max |tiled - whole| in grey levels on a 600x800
synthetic pair at the default budget), then `fuse_12mpx_peak_gb: <GB>` (target: <= 2.5; 2.13 at the 1 GB default on a quiet machine).
"""
import argparse, json, os, subprocess, sys

CHILD = r'''
import json, resource, sys, time
import numpy as np
from timfusion.fuse import load_model, fuse_pair, auto_tile, bytes_per_pixel
from timfusion.imageio import Pair
h, w = map(int, sys.argv[1:3])
rng = np.random.default_rng(0)
yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
a = (0.5 + 0.4 * np.sin(9 * xx) * np.cos(7 * yy) + 0.05 * rng.standard_normal((h, w))).clip(0, 1).astype(np.float32)
b = (0.5 + 0.4 * np.cos(5 * xx + 3 * yy) + 0.05 * rng.standard_normal((h, w))).clip(0, 1).astype(np.float32)
m = load_model()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter(); f = fuse_pair(m, Pair('big', a, b), colour=False); dt = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(dict(model=m.name, tile=auto_tile(m, h, w), bytes_per_pixel=bytes_per_pixel(m), seconds=dt,
                      peak_gb=peak / 2**20, before_gb=base / 2**20, ok=bool(np.isfinite(f).all()))))
'''

def tile_difference(size=(600, 800)):
    "(tile side, mean, max) |tiled - whole| in grey levels for the default model on a synthetic pair at the default budget."
    import torch
    from timfusion.fuse import load_model, fuse_tensors, auto_tile
    from timfusion.data import synthetic_pair
    m, p = load_model(), synthetic_pair(0, size)
    a, b = torch.from_numpy(p.a)[None, None], torch.from_numpy(p.b_y)[None, None]
    d = (fuse_tensors(m, a, b, memory_gb=64) - fuse_tensors(m, a, b)).abs() * 255
    return auto_tile(m, *size), float(d.mean()), float(d.max())

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--sizes', default='1000x1000,2000x2000,3000x4000', help='comma-separated HxW')
    args = ap.parse_args()
    rows = []
    for s in args.sizes.split(','):
        h, w = map(int, s.split('x'))
        env = {**os.environ, 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', '2')}
        r = subprocess.run([sys.executable, '-c', CHILD, str(h), str(w)], capture_output=True, text=True, env=env)
        if r.returncode: sys.exit(f'{s}: failed: {r.stderr.strip().splitlines()[-1]}')
        d = json.loads(r.stdout.strip().splitlines()[-1]); mpx = h * w / 1e6
        rows.append((s, mpx, d['tile'], d['peak_gb'], d['before_gb'], (d['peak_gb'] - d['before_gb']) * 1024 / mpx, d['seconds'], d['model']))
        print(f'# {s}: peak {d["peak_gb"]:.2f} GB in {d["seconds"]:.1f} s', flush=True)
    print(f"{'size':>11} {'Mpx':>5} {'tile':>5} {'peak GB':>8} {'before GB':>9} {'MB/Mpx':>7} {'s':>6}  model")
    for s, mpx, tile, peak, before, per, sec, model in rows:
        print(f"{s:>11} {mpx:5.1f} {str(tile):>5} {peak:8.2f} {before:9.2f} {per:7.0f} {sec:6.1f}  {model}")
    print(f"# peak RSS of the whole process (ru_maxrss); MB/Mpx = (peak - before fusing) per Mpixel; load {os.getloadavg()[0]:.2f}")
    side, mean, mx = tile_difference()
    print(f"# tiling's cost in output, 600x800 synthetic pair, {side}-px tiles vs the whole image: mean {mean:.2f}, max {mx:.1f} grey levels")
    print(f"fuse_12mpx_peak_gb: {rows[-1][3]:.2f}")

if __name__ == '__main__': main()
