"""Wall time of one architecture step: IAS (TIM Eq. 4) vs DARTS first and second order, same supernet, same batches.

Usage: python benchmarks/search_step.py [--repeats 7] [--profile cpu|paper] [--threads 2]
Each repeat times every method back to back on the same training and validation batches (paired runs); the table
gives medians, and the last two lines are `ias_over_darts1: <ratio>` and `ias_over_darts2: <ratio>` (medians of the
per-repeat ratios). Targets (issue 5): IAS <= 1.3x a first-order step and <= 0.6x a second-order step.

What an architecture step costs:
- darts1: one forward/backward of the validation loss (gradient w.r.t. alpha).
- darts2: unrolled weight step (train backward), validation backward, two train backwards at theta +- eps
  (finite-difference Hessian-vector product).
- ias (the default `exact_lower=False`): the validation backward w.r.t. theta and alpha, two dot products over theta,
  plus the extra cost of keeping alpha's gradient in the last of the T weight steps (measured here as the difference
  between a weight step with and without alpha requiring gradients, paired).
- ias_exact (`exact_lower=True`): the validation backward plus a fresh training backward at the current theta.
"""
import argparse, statistics, time

import torch

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=7)
    ap.add_argument('--profile', default='cpu', choices=['cpu', 'paper'], help='supernet size of that search profile')
    ap.add_argument('--threads', type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    from timfusion.tim.ias import search_config, ias_hypergradient, darts1_hypergradient, darts2_hypergradient, _grad_copy
    from timfusion.supernets import FusionSupernet
    from timfusion.losses import get_loss
    cfg = search_config(args.profile)
    torch.manual_seed(0)
    net = FusionSupernet(C=cfg.C).train()
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
        out = (_grad_copy(theta), _grad_copy(alpha)) if keep_alpha else None
        for p in net.arch_parameters(): p.requires_grad_(True)
        return out

    def timed(fn):
        t = time.perf_counter(); out = fn(); return time.perf_counter() - t, out

    weight_step_backward(True); darts1_hypergradient(upper, alpha)          # warm-up
    rows = []
    for _ in range(args.repeats):
        t_plain, _ = timed(lambda: weight_step_backward(False))
        t_keep, lg = timed(lambda: weight_step_backward(True))
        t_ias, _ = timed(lambda: ias_hypergradient(upper, None, theta, alpha, lower_grads=lg))
        t_exact, _ = timed(lambda: ias_hypergradient(upper, lower, theta, alpha))
        t_d1, _ = timed(lambda: darts1_hypergradient(upper, alpha))
        t_d2, _ = timed(lambda: darts2_hypergradient(upper, lower, theta, alpha, xi=cfg.lr))
        ias = t_ias + (t_keep - t_plain)
        rows.append(dict(ias=ias, ias_exact=t_exact, darts1=t_d1, darts2=t_d2, alpha_grad_overhead=t_keep - t_plain,
                         weight_step=t_plain))
    med = lambda k: statistics.median(r[k] for r in rows)
    print(f"supernet: C={cfg.C}, {cfg.patch}x{cfg.patch} patches, batch {cfg.batch_size}, "
          f"{sum(p.numel() for p in theta):,} weights, {sum(p.numel() for p in net.arch_parameters()):,} alphas; "
          f"{args.threads} threads, {args.repeats} paired repeats, torch {torch.__version__}")
    print(f"{'step':<22}{'median s':>10}{'vs darts1':>11}")
    for k in ('weight_step', 'alpha_grad_overhead', 'darts1', 'ias', 'ias_exact', 'darts2'):
        print(f"{k:<22}{med(k):>10.4f}{med(k) / med('darts1'):>11.2f}")
    r1 = statistics.median(r['ias'] / r['darts1'] for r in rows)
    r2 = statistics.median(r['ias'] / r['darts2'] for r in rows)
    print(f"ias_exact_over_darts1: {statistics.median(r['ias_exact'] / r['darts1'] for r in rows):.3f}")
    print(f"ias_over_darts1: {r1:.3f}")
    print(f"ias_over_darts2: {r2:.3f}")

if __name__ == '__main__':
    main()
