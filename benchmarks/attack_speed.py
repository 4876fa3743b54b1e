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
`over bound` is the attack's time over its FLOP-bound time: the FLOPs of one PGD step (forward + backward through fusion
and task network, the backward to the inputs only, counted by torch.utils.flop_counter) times the steps, at the dense 3x3 conv rate (`timfusion.cost.conv_bound_gflops`' conv C=64 on 448x620) measured right before each
timed attack, so load from other processes hits both; the median over repeats.
One line per attack `<model>_pgd_over_bound: <ratio>`, then the last line printed is
`pgd_seconds: <segmentation> <detection> <paif_seg> <rule_seg>` (median seconds per attack in the order of MODELS, '-'
for a model not run); the first two fields keep their earlier meaning."""
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

def step_flops(pipe, batch)->float:
    "FLOPs of one PGD step: the forward through fusion and task network and the backward to the attacked inputs only (the weights frozen, as under `torch.autograd.grad` w.r.t. the inputs), counted by torch.utils.flop_counter."
    from torch.utils.flop_counter import FlopCounterMode
    from timfusion.paif.attacks import attack_mode, attack_keys
    from timfusion.pipeline import task_loss
    keys = attack_keys(pipe.source)
    b = {k: (v.clone().requires_grad_(True) if k in keys else v) for k, v in batch.items() if k != 'x'}
    params = [p for p in pipe.parameters() if p.requires_grad]
    for p in params: p.requires_grad_(False)
    try:
        with attack_mode(pipe, pipe.task), FlopCounterMode(display=False) as fc:
            x = pipe.inputs(dict(ir=b['ir'], vis=b['vis']))[0]
            task_loss(pipe.task, pipe.net, x, b).backward()
    finally:
        for p in params: p.requires_grad_(True)
    return float(fc.get_total_flops())

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
    from timfusion.cost import count_params, conv_bound_gflops
    from timfusion.pipeline import collate
    warnings.filterwarnings('ignore', category=UserWarning, module='torch')
    torch.set_num_threads(args.threads)
    size = tuple(args.size)
    load0 = os.getloadavg()
    print(f"# PGD-{args.steps} (eps {args.eps * 255:.3g}/255) on {args.batch} pairs of {size[0]}x{size[1]}, {args.threads} threads, "
          f"torch {torch.__version__}, load average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} on {os.cpu_count()} CPUs",
          flush=True)
    rows, med, bound = [], {}, {}
    for model in args.models:
        torch.manual_seed(0)
        pipe, nf, data = build(model, size)
        batch = collate([data[i] for i in range(args.batch)])
        attack_batch(pipe, batch, args.eps, steps=1)                       # warm-up (allocator, oneDNN primitives)
        flops = step_flops(pipe, batch) * args.steps
        ts, ratios, rates = [], [], []
        for r in range(args.repeats):
            g = conv_bound_gflops(size=(448, 620), repeats=1, warmup=1)
            t0 = time.perf_counter()
            attack_batch(pipe, batch, args.eps, steps=args.steps, seed=r)
            ts.append(time.perf_counter() - t0); rates.append(g)
            ratios.append(ts[-1] / (flops / (g * 1e9)))
        med[model] = statistics.median(ts); bound[model] = statistics.median(ratios)
        rows.append({'model': f'{model}: {LABELS[model]}', 'params (M)': count_params(pipe) / 1e6, 'fusion params (M)': count_params(nf) / 1e6,
                     's/attack': med[model], 's/step': med[model] / args.steps, 'min s/attack': min(ts),
                     'GFLOP/step': flops / args.steps / 1e9, 'bound GFLOP/s': statistics.median(rates), 'over bound': bound[model]})
        print(f"# done {model}: {med[model]:.2f} s per attack", flush=True)
    df = pd.DataFrame(rows)
    print(df.to_string(index=False, float_format=lambda v: f'{v:.3g}'))
    load1 = os.getloadavg()
    print(f"# load average at end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}; medians over {args.repeats} attacks after a 1-step warm-up")
    for m in MODELS:
        if m in bound: print(f"{m}_pgd_over_bound: {bound[m]:.2f}")
    print('pgd_seconds: ' + ' '.join(f"{med[m]:.3f}" if m in med else '-' for m in MODELS))

if __name__ == '__main__': main()
