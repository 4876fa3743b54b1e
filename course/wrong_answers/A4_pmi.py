"""Wrong answers to A4_pmi that must lose points under `nbgrader autograde` (`timfusion course check` runs them).
Format: see A1_metrics.py and course/README.md."""

# the experiment is not what these answers get wrong: 2 meta-updates, 2 adaptation steps and one seed keep it short
SHORTEN = [('META_STEPS, ADAPT_STEPS = 30, 6', 'META_STEPS, ADAPT_STEPS = 2, 2'), ('SEEDS = (0, 1, 2)', 'SEEDS = (0,)')]
FULL_ONLY = ['a4_test_experiment']    # its hidden findings need the 30 updates and three seeds

WRONG = {
    # delegation: the library's meta-objective and meta-step (Adam inner steps; switched off while the tests run)
    'calls the library': dict(edits=[
        ('a4_meta', 'meta_loss', 'return timfusion.tim.pmi.meta_objective(net, tasks, K, inner_lr, second_order, loss_fn=loss_fn, params=params)'),
        ('a4_meta', 'meta_step', 'return timfusion.tim.pmi.pmi_step(net, opt, tasks, K, inner_lr, second_order, loss_fn=loss_fn)')],
        lose=['a4_test_meta_loss', 'a4_test_meta_step']),
    # first-order inner loop: no create_graph, so the meta-gradient skips the Jacobian of the K steps (FOMAML)
    'first-order inner loop': dict(edits=[('a4_inner', 'sgd_inner', """\
theta = dict(params)
for a, b in batches:
    loss = loss_fn(functional_call(net, theta, (a, b)), a, b)
    grads = torch.autograd.grad(loss, list(theta.values()), allow_unused=True)
    theta = {k: w if g is None else w - lr * g for (k, w), g in zip(theta.items(), grads)}
return theta  # first order""")],
        lose=['a4_test_inner', 'a4_test_meta_loss', 'a4_test_meta_step']),
    # the meta-objective always at the network's own weights, ignoring `params`
    'meta_loss ignores params': dict(edits=[('a4_meta', 'meta_loss', """\
omega = dict(net.named_parameters())
total, per = 0.0, []
for support, (qa, qb) in tasks:
    if len(support) < K:
        raise ValueError(f"a task has {len(support)} support batches but K={K} inner steps need {K}")
    theta = sgd_inner(net, omega, loss_fn, support[:K], inner_lr, second_order)
    f = loss_fn(functional_call(net, theta, (qa, qb)), qa, qb)
    total = total + f
    per.append(float(f.detach()))
return total, per""")],
        lose=['a4_test_meta_loss']),
    # old gradients are not cleared before the meta-gradient is accumulated
    'meta_step keeps stale gradients': dict(edits=[('a4_meta', 'meta_step', """\
total, per = meta_loss(net, tasks, K, inner_lr, loss_fn, second_order)
total.backward()
opt.step()
return float(total.detach()), per""")],
        lose=['a4_test_meta_step']),
}
