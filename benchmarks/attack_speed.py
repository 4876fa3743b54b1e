"""Seconds per PGD-5 attack (PAIF Eq. 1-2: IR and visible perturbed jointly through fusion + task) on a batch of 4
synthetic 240x320 pairs, for each fusion + task pipeline, random weights:

  segmentation  TIM light N_F (tim_light, C=48) + SegNet(C=64), eval mode
  detection     TIM light N_F (tim_light, C=48) + RetinaNet(C=64), train mode with frozen BatchNorm
  paif_seg      PAIFNet (C=32, the released searched genotype) + SegNet(C=64), eval mode
  rule_seg      RuleNet CC with 3-DB chains (C=64, the code's width; PAIF Fig. 2's operator analysis) + SegNet(C=64), eval mode

Usage: python benchmarks/attack_speed.py [--threads 2] [--repeats 2] [--batch 4] [--size 240 320] [--steps 5]
                                         [--models segmentation detection paif_seg rule_seg]
One attack of 1 step is run first as a warm-up (not timed); the table reports the median over `--repeats` attacks.
`s/step` = seconds per attack / steps (one forward + one backward through fusion and task network each); `fusion
params (M)` counts the fusion network only.
The last line printed is `pgd_seconds: <segmentation> <detection> <paif_seg> <rule_seg>` (median seconds per attack in
the order of MODELS, '-' for a model not run); the first two fields keep their earlier meaning."""
from __future__ import annotations
import argparse, os, statistics, time, warnings

MODELS = ('segmentation', 'detection', 'paif_seg', 'rule_seg')
LABELS = {'segmentation': 'TIM light N_F + SegNet(C=64)', 'detection': 'TIM light N_F + RetinaNet(C=64)',
          'paif_seg': 'PAIFNet(C=32) + SegNet(C=64)', 'rule_seg': 'RuleNet CC 3-DB (C=64) + SegNet(C=64)'}

def build(model:str, size, C:int=64):
    "(pipeline, fusion network, items) of `model`: a fusion network ('tim' source) in front of SegNet(C) or RetinaNet(C), and synthetic scenes."
    from timfusion.nets import build_network, PAIFNet
    from timfusion.paif.robustness import analysis_network
    from timfusion.tasks import SegNet, detector
    from timfusion.scenes import SyntheticScenes, synthetic_detection
    from timfusion.pipeline import Pipeline
    if model == 'detection':
        nf = build_network('tim_light')
        return Pipeline('detection', detector('retinanet', C=C, size=size), 'tim', nf), nf, synthetic_detection(64, size=size)
    nf = {'segmentation': lambda: build_network('tim_light'), 'paif_seg': lambda: PAIFNet(32),
          'rule_seg': lambda: analysis_network('operators', '3DB', C=64)}[model]()
    return Pipeline('segmentation', SegNet(C=C), 'tim', nf), nf, SyntheticScenes(64, size=size)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeats', type=int, default=2)
    ap.add_argument('--batch', type=int, default=4)
    ap.add_argument('--size', type=int, nargs=2, default=(240, 320))
    ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--eps', type=float, default=8 / 255)
    ap.add_argument('--models', nargs='*', default=list(MODELS), choices=MODELS)
    args = ap.parse_args(argv)

    import pandas as pd
    import torch
    from timfusion.paif.attacks import attack_batch
    from timfusion.cost import count_params
    from timfusion.pipeline import collate
    warnings.filterwarnings('ignore', category=UserWarning, module='torch')
    torch.set_num_threads(args.threads)
    size = tuple(args.size)
    load0 = os.getloadavg()
    print(f"# PGD-{args.steps} (eps {args.eps * 255:.3g}/255) on {args.batch} pairs of {size[0]}x{size[1]}, {args.threads} threads, "
          f"torch {torch.__version__}, load average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} on {os.cpu_count()} CPUs",
          flush=True)
    rows, med = [], {}
    for model in args.models:
        torch.manual_seed(0)
        pipe, nf, data = build(model, size)
        batch = collate([data[i] for i in range(args.batch)])
        attack_batch(pipe, batch, args.eps, steps=1)                       # warm-up (allocator, oneDNN primitives)
        ts = []
        for r in range(args.repeats):
            t0 = time.perf_counter()
            attack_batch(pipe, batch, args.eps, steps=args.steps, seed=r)
            ts.append(time.perf_counter() - t0)
        med[model] = statistics.median(ts)
        rows.append({'model': f'{model}: {LABELS[model]}', 'params (M)': count_params(pipe) / 1e6, 'fusion params (M)': count_params(nf) / 1e6,
                     's/attack': med[model], 's/step': med[model] / args.steps, 'min s/attack': min(ts)})
        print(f"# done {model}: {med[model]:.2f} s per attack", flush=True)
    df = pd.DataFrame(rows)
    print(df.to_string(index=False, float_format=lambda v: f'{v:.3g}'))
    load1 = os.getloadavg()
    print(f"# load average at end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}; medians over {args.repeats} attacks after a 1-step warm-up")
    print('pgd_seconds: ' + ' '.join(f"{med[m]:.3f}" if m in med else '-' for m in MODELS))

if __name__ == '__main__': main()
