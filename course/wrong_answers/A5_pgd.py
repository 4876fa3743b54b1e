"""Wrong answers to A5_pgd that must lose points under `nbgrader autograde` (`timfusion course check` runs them).
Format: see A1_metrics.py and course/README.md."""

# the experiment is not what these answers get wrong: 16 training and 8 test scenes, 4 steps keep it short
SHORTEN = [('SIZE, N_TRAIN, N_TEST = (48, 64), 96, 32', 'SIZE, N_TRAIN, N_TEST = (48, 64), 16, 8'),
           ('STEPS, BATCH, LR = 300, 8, 1e-2', 'STEPS, BATCH, LR = 4, 8, 1e-2')]
FULL_ONLY = ['a5_test_experiment']    # both models must have learned (300 steps) and the attack's findings need them

WRONG = {
    # delegation: the library's projection and attacks (switched off while the test cells run)
    'calls the library': dict(edits=[
        ('a5_project', 'project_linf', 'return timfusion.paif.attacks._project(adv.clone(), x, eps)'),
        ('a5_attacks', 'pgd', 'return timfusion.paif.attacks.pgd(loss_fn, inputs, eps, steps, step_size, random_start, keys=keys)[0]'),
        ('a5_attacks', 'fgsm', 'return timfusion.paif.attacks.fgsm(loss_fn, inputs, eps, keys=keys)[0]')],
        lose=['a5_test_project', 'a5_test_fgsm', 'a5_test_pgd']),
    # robust mIoU under an attack on the visible camera only
    'attacks the visible image only': dict(edits=[('a5_miou', 'robust_miou', """\
was = model.training
model.eval()
try:
    if eps > 0:
        batch = pgd(lambda b: seg_loss(model, b), batch, eps, steps=steps, generator=generator, keys=('vis',))
    with torch.no_grad():
        pred = model(batch['ir'], batch['vis']).argmax(1)
finally:
    model.train(was)
cm = confusion_matrix(pred.cpu().numpy(), batch['label'].cpu().numpy(), K)
return float(seg_scores(cm)['mIoU'])""")],
        lose=['a5_test_miou']),
    # robust mIoU without any attack: eps is ignored
    'no attack': dict(edits=[('a5_miou', 'robust_miou', """\
was = model.training
model.eval()
try:
    if False:
        batch = pgd(lambda b: seg_loss(model, b), batch, eps, steps=steps, generator=generator)
    with torch.no_grad():
        pred = model(batch['ir'], batch['vis']).argmax(1)
finally:
    model.train(was)
cm = confusion_matrix(pred.cpu().numpy(), batch['label'].cpu().numpy(), K)
return float(seg_scores(cm)['mIoU'])""")],
        lose=['a5_test_miou']),
    # gradient descent: PGD on the negated loss makes the segmentation easier, not harder
    'gradient descent instead of ascent': dict(edits=[('a5_miou', 'robust_miou', """\
was = model.training
model.eval()
try:
    if eps > 0:
        batch = pgd(lambda b: -seg_loss(model, b), batch, eps, steps=steps, generator=generator)
    with torch.no_grad():
        pred = model(batch['ir'], batch['vis']).argmax(1)
finally:
    model.train(was)
cm = confusion_matrix(pred.cpu().numpy(), batch['label'].cpu().numpy(), K)
return float(seg_scores(cm)['mIoU'])""")],
        lose=['a5_test_miou']),
    # each step projected around the previous iterate instead of the clean image: the perturbation can exceed ε
    'projects around the previous iterate': dict(edits=[('a5_attacks', 'pgd', """\
keys = (keys,) if isinstance(keys, str) else tuple(keys)
eta = eps / 4 if step_size is None else step_size
if generator is None:
    generator = torch.Generator().manual_seed(0)
clean = {k: inputs[k].detach() for k in keys}
adv = {}
for k, x in clean.items():
    if random_start:
        u = torch.rand(x.shape, generator=generator, dtype=torch.float32)
        adv[k] = project_linf(x + (u * (2 * eps) - eps).to(x), x, eps)
    else:
        adv[k] = x.clone()
for _ in range(steps):
    leaves = {k: v.detach().requires_grad_(True) for k, v in adv.items()}
    with torch.enable_grad():
        loss = loss_fn({**inputs, **leaves})
        grads = torch.autograd.grad(loss, [leaves[k] for k in keys])
    adv = {k: project_linf(adv[k] + eta * g.sign(), adv[k], eps) for k, g in zip(keys, grads)}
return {**inputs, **{k: v.detach() for k, v in adv.items()}}""")],
        lose=['a5_test_pgd']),
}
