"""Wrong answers to A3_ias that must lose points under `nbgrader autograde` (`timfusion course check` runs them).
Format: see A1_metrics.py and course/README.md."""

WRONG = {
    # delegation: Eq. 4 through the library (linear closures whose gradients are the four given vectors)
    'calls the library': dict(edits=[
        ('a3_eq4', 'eq4', """\
th, al = torch.zeros_like(g, requires_grad=True), torch.zeros_like(d_alpha, requires_grad=True)
G, _ = timfusion.tim.ias.ias_hypergradient(lambda: d_alpha @ al + v @ th, lambda: h @ al + g @ th, [th], [al], eps=eps)
return G[0].detach()"""),
        ('a3_hypergradients', 'hypergradients', """\
a, t = alpha.detach().clone().requires_grad_(), theta.detach().clone().requires_grad_()
G, _ = timfusion.tim.ias.ias_hypergradient(lambda: upper(a, t), lambda: lower(a, t), [t], [a])
D, _ = timfusion.tim.ias.darts1_hypergradient(lambda: upper(a, t), [a])
return {'ias': G[0].detach(), 'darts1': D[0].detach()}""")],
        lose=['a3_test_eq4', 'a3_test_hypergradients']),
    # Eq. 4 with the sign of the released code's form (+ratio·h instead of −ratio·h)
    "the released code's sign": dict(edits=[('a3_eq4', 'eq4', """\
gg = torch.dot(g, g)
ratio = torch.dot(g, v) / gg if gg > eps else torch.zeros(())
return d_alpha + ratio * h""")],
        lose=['a3_test_eq4', 'a3_test_hypergradients']),
    # the upper- and lower-level α-gradients swapped when Eq. 4 is assembled
    'h and d_alpha swapped': dict(edits=[('a3_hypergradients', 'hypergradients', """\
a, t = alpha.detach().clone().requires_grad_(), theta.detach().clone().requires_grad_()
def grads(f):
    ga, gt = torch.autograd.grad(f(a, t), (a, t), allow_unused=True)
    return (torch.zeros_like(a) if ga is None else ga), (torch.zeros_like(t) if gt is None else gt)
h, g = grads(lower)
d_alpha, v = grads(upper)
return {'ias': eq4(h, g, v, d_alpha), 'darts1': d_alpha}""")],
        lose=['a3_test_hypergradients']),
}
