"""Wall time of one optimiser step of the light N_F (TIM_w/L) under TIM's l_F, against its FLOP bound.

Usage: python benchmarks/train_speed.py [--threads 2] [--repeats 7] [--batch 16] [--patch 64] [--c auto]
One step = forward of the network, l_F (information weights, MSE and SSIM against both sources), backward, Adam,
in the memory layout `timfusion.train.train` uses (channels-last on the CPU, `timfusion.train.CHANNELS_LAST`).
The bound is three times the forward FLOPs (forward + backward ~ 3x forward) at the dense 3x3 conv rate measured in
the same run (`timfusion.cost.conv_bound_gflops`), so load from other processes hits both. The table breaks the step
into its parts (medians over repeats); the last line is `train_step_over_bound: <median step / bound>` (target <= 2.0,
issue 18).

Threads matter more than anything else here: two processes that each use every core oversubscribe the machine and
OpenMP's spinning barriers make small operators (the information measure's one-channel convolutions, padding) up to
several hundred times slower. Run one training per core (`TIMFUSION_THREADS=1`) when two jobs share the machine.
To measure it, run two copies at once and compare their tables with a single run's:
`python benchmarks/train_speed.py --threads 2 & python benchmarks/train_speed.py --threads 2; wait` (oversubscribed)
against `... --threads 1 & ... --threads 1; wait` (one core each).
"""
from __future__ import annotations
import argparse, statistics, time

def _median_ms(fn, repeats:int)->float:
    fn()                                                     # warm-up: oneDNN primitives, allocator
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeats', type=int, default=7)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--patch', type=int, default=64)
    ap.add_argument('--c', default='auto', help="l_F's constant c: 'auto' or a number")
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(args.threads)
    from timfusion.nets import build_network
    from timfusion.losses import tim_fusion_loss, information_weights, ssim
    from timfusion.cost import count_flops, conv_bound_gflops
    c = args.c if args.c == 'auto' else float(args.c)
    torch.manual_seed(0)
    net = build_network('tim_light')
    shape = (args.batch, 1, args.patch, args.patch)
    a, b = torch.rand(shape), torch.rand(shape)
    flops = count_flops(net.eval(), a, b)['flops']; net.train()
    from timfusion.train import CHANNELS_LAST                # `train` runs CPU fusion training channels-last: measure the same
    if CHANNELS_LAST: net = net.to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)

    def step():
        opt.zero_grad(set_to_none=True)
        tim_fusion_loss(net(a, b), a, b, c=c).backward(); opt.step()

    def fwd_bwd():
        opt.zero_grad(set_to_none=True); net(a, b).square().mean().backward()

    parts = {'information weights (no grad)': lambda: information_weights(a, b, c),
             'SSIM of one source (forward)': lambda: ssim(a, b),
             'network forward': lambda: net(a, b),
             'network forward + backward': fwd_bwd,
             'optimiser step (all of it)': step}
    ms = {k: _median_ms(fn, args.repeats) for k, fn in parts.items()}
    gflops = conv_bound_gflops(threads=args.threads)
    bound_ms = 3 * flops / (gflops * 1e9) * 1e3
    print(f"light N_F, batch {args.batch} x {args.patch}x{args.patch}, {args.threads} thread(s): forward {flops / 1e9:.2f} GFLOP, "
          f"{'channels-last' if CHANNELS_LAST else 'contiguous'}, dense-conv rate {gflops:.0f} GFLOP/s, bound of a step (3x forward) {bound_ms:.0f} ms")
    print(f"| part | ms | x bound |\n|---|---|---|")
    for k, v in ms.items(): print(f"| {k} | {v:.1f} | {v / bound_ms:.2f} |")
    print(f"train_step_over_bound: {ms['optimiser step (all of it)'] / bound_ms:.2f}")

if __name__ == '__main__': main()
