"""Wall time of one architecture step: IAS (TIM Eq. 4) vs DARTS first and second order, same supernet, same batches.

Usage: python benchmarks/search_step.py [--repeats 7] [--profile cpu|paper] [--threads 2] [--contiguous]
The supernet is in the memory format the search driver uses (`timfusion.train.CHANNELS_LAST`: channels-last on the
CPU); `--contiguous` measures the default layout instead. Each repeat times every method back to back on the same
training and validation batches (paired runs); the table gives medians and the ratio lines are medians of the
per-repeat ratios; the last line is `ias_over_darts1: <ratio>`. Target (issue 23): IAS <= 1.3x a first-order step.

What an architecture step costs:
- darts1: one forward pass of the validation loss and a backward pass to alpha (autograd skips the weight-gradient
  kernels: no theta is asked for).
- ias (the default `exact_lower=False`): the same forward pass and one full backward pass (v = grad_theta of the
  validation loss and its alpha-gradient together), two float64 dot products over the concatenated theta, plus the
  extra cost of keeping alpha's gradient in the last of the T weight steps (measured as the difference between a
  weight step with and without alpha requiring gradients, paired). The training gradients come from that weight step.
  So ias - darts1 is the weight-gradient half of one backward pass (row `weight_grad_kernels`).
- ias_exact (`exact_lower=True`): ias plus a fresh training forward/backward at the current theta.
- darts2: unrolled weight step (train backward), validation backward, two train backwards at theta +- eps
  (finite-difference Hessian-vector product).
- cycle: one Alg. 1 iteration, T weight steps and one architecture step (`ias_cycle_over_darts1_cycle`).

Measured (issue 23, cpu profile, same machine and conditions, paired runs alternated, load average 2.3-2.8 on 2 cores
from other jobs; --threads 1, because 2 threads on the busy cores gave seconds-long outliers and runs that did not
finish in 280 s): before (contiguous layout, per-tensor dot products) ias_over_darts1 1.786 / 1.782 (ias 0.506 s,
darts1 0.283 s); after 1.582 / 1.570 (ias 0.298 s, darts1 0.189 s), ias_cycle_over_darts1_cycle 1.07. The floor of
an exact Eq. 4 is (forward + full backward) / (forward + backward to alpha); see nbs/tim/11_ias.ipynb,
"What an architecture step costs".
"""
import argparse, statistics, time

import torch

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=7)
    ap.add_argument('--profile', default='cpu', choices=['cpu', 'paper'], help='supernet size of that search profile')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--contiguous', action='store_true', help='default memory layout instead of the driver\'s')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    from timfusion.tim.ias import (search_config, ias_hypergradient, darts1_hypergradient, darts2_hypergradient,
                                   grad_copies)
    from timfusion.train import CHANNELS_LAST
    from timfusion.supernets import FusionSupernet
    from timfusion.losses import get_loss
    cfg = search_config(args.profile)
    torch.manual_seed(0)
    net = FusionSupernet(C=cfg.C).train()
    layout = 'contiguous' if args.contiguous or not CHANNELS_LAST else 'channels_last'
    if layout == 'channels_last': net.to(memory_format=torch.channels_last)     # as `search` does
    theta, alpha = net.weight_parameters(), net.arch_parameters('ops')
    loss_fn = get_loss(cfg.loss)
    shape = (cfg.batch_size, 1, cfg.patch, cfg.patch)
    at, bt, av, bv = (torch.rand(shape) for _ in range(4))
    upper = lambda: loss_fn(net(av, bv), av, bv)
    lower = lambda: loss_fn(net(at, bt), at, bt)

    def weight_step_backward(keep_alpha):
        for p in net.arch_parameters(): p.requires_grad_(keep_alpha)
        for p in net.parameters(): p.grad = None
        lower().backward()
        out = (grad_copies(theta), grad_copies(alpha)) if keep_alpha else None
        for p in net.arch_parameters(): p.requires_grad_(True)
        return out

    def val_forward():
        upper()

    def timed(fn):
        t = time.perf_counter(); out = fn(); return time.perf_counter() - t, out

    weight_step_backward(True); darts1_hypergradient(upper, alpha); ias_hypergradient(upper, lower, theta, alpha)  # warm-up
    rows = []
    for _ in range(args.repeats):
        t_plain, _ = timed(lambda: weight_step_backward(False))
        t_keep, lg = timed(lambda: weight_step_backward(True))
        t_fwd, _ = timed(val_forward)
        t_ias, _ = timed(lambda: ias_hypergradient(upper, None, theta, alpha, lower_grads=lg))
        t_d1, _ = timed(lambda: darts1_hypergradient(upper, alpha))
        t_exact, _ = timed(lambda: ias_hypergradient(upper, lower, theta, alpha))
        t_d2, _ = timed(lambda: darts2_hypergradient(upper, lower, theta, alpha, xi=cfg.lr))
        ias = t_ias + (t_keep - t_plain)
        rows.append(dict(weight_step=t_plain, alpha_grad_overhead=t_keep - t_plain, val_forward=t_fwd,
                         backward_to_alpha=t_d1 - t_fwd, weight_grad_kernels=ias - t_d1,
                         darts1=t_d1, ias=ias, ias_exact=t_exact, darts2=t_d2,
                         ias_cycle=cfg.T * t_plain + ias, darts1_cycle=cfg.T * t_plain + t_d1))
    med = lambda k: statistics.median(r[k] for r in rows)
    ratio = lambda a, b: statistics.median(r[a] / r[b] for r in rows)
    print(f"supernet: C={cfg.C}, {cfg.patch}x{cfg.patch} patches, batch {cfg.batch_size}, "
          f"{sum(p.numel() for p in theta):,} weights, {sum(p.numel() for p in net.arch_parameters()):,} alphas; "
          f"{layout}, {args.threads} threads, {args.repeats} paired repeats, T={cfg.T}, torch {torch.__version__}")
    print(f"{'step':<22}{'median s':>10}{'vs darts1':>11}")
    for k in ('weight_step', 'alpha_grad_overhead', 'val_forward', 'backward_to_alpha', 'weight_grad_kernels',
              'darts1', 'ias', 'ias_exact', 'darts2', 'darts1_cycle', 'ias_cycle'):
        print(f"{k:<22}{med(k):>10.4f}{med(k) / med('darts1'):>11.2f}")
    print(f"ias_exact_over_darts1: {ratio('ias_exact', 'darts1'):.3f}")
    print(f"ias_over_darts2: {ratio('ias', 'darts2'):.3f}")
    print(f"ias_cycle_over_darts1_cycle: {ratio('ias_cycle', 'darts1_cycle'):.3f}")
    print(f"ias_over_darts1: {ratio('ias', 'darts1'):.3f}")

if __name__ == '__main__':
    main()
