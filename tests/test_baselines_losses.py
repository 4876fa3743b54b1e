"Classical baselines and fusion losses on real TNO pairs."
import numpy as np
import pytest
import torch

from timfusion.data import is_present, load_pairs
from timfusion.imageio import to_tensor
from timfusion.baselines import BASELINES
from timfusion.losses import saliency_weights, information_weights, tim_fusion_loss, visual_loss, paif_fusion_loss

pytestmark = pytest.mark.skipif(not is_present('TNO_42'), reason='TNO_42 not found under the data root (set TIMFUSION_DATA)')

@pytest.fixture(scope='module')
def tno_pairs():
    return [(to_tensor(p.a), to_tensor(p.b_y)) for p in load_pairs('TNO_42', limit=2)]

def average_gradient(f:np.ndarray) -> float:
    "AG: mean of sqrt((Δx² + Δy²)/2) on the 0..255 scale (forward differences)."
    f = f.astype(np.float64) * 255
    gx, gy = np.diff(f, axis=1)[:-1], np.diff(f, axis=0)[:, :-1]
    return float(np.sqrt((gx**2 + gy**2) / 2).mean())

def spatial_frequency(f:np.ndarray) -> float:
    "SF = sqrt(RF² + CF²) on the 0..255 scale."
    f = f.astype(np.float64) * 255
    return float(np.sqrt(np.mean(np.diff(f, axis=1)**2) + np.mean(np.diff(f, axis=0)**2)))

@pytest.mark.parametrize('name', list(BASELINES))
def test_baseline_shape_and_range(tno_pairs, name):
    for a, b in tno_pairs:
        out = BASELINES[name](a, b)
        assert out.shape == a.shape and out.dtype == a.dtype
        assert torch.isfinite(out).all() and out.min() >= 0 and out.max() <= 1
        assert not torch.equal(out, a) and not torch.equal(out, b)

@pytest.mark.parametrize('name', ['laplacian', 'wavelet', 'gff'])
def test_multiscale_beats_average_on_detail(tno_pairs, name):
    for a, b in tno_pairs:
        avg = BASELINES['average'](a, b)[0, 0].numpy()
        out = BASELINES[name](a, b)[0, 0].numpy()
        assert average_gradient(out) > 1.3 * average_gradient(avg)
        assert spatial_frequency(out) > 1.3 * spatial_frequency(avg)

def test_baselines_batch_equals_single(tno_pairs):
    (a1, b1), (a2, b2) = tno_pairs
    a, b = torch.cat([a1, a2]), torch.cat([b1, b2])
    for name, fuse in BASELINES.items():
        out = fuse(a, b)
        assert torch.allclose(out[1:], fuse(a2, b2), atol=1e-6), name

def test_losses_on_real_pair(tno_pairs):
    a, b = (t[..., :256, :256] for t in tno_pairs[0])
    ma, mb = saliency_weights(a, b)
    assert torch.allclose(ma + mb, torch.ones_like(ma), atol=1e-6)
    hot = a > a.quantile(0.99)
    assert ma[hot].mean() > ma[~hot].mean()
    wa, wb = information_weights(a, b)
    assert 0 < wa.item() < 1 and abs(wa.item() + wb.item() - 1) < 1e-6
    fused = BASELINES['gff'](a, b).requires_grad_()
    for loss in (tim_fusion_loss, visual_loss, paif_fusion_loss):
        l = loss(fused, a, b)
        assert l.ndim == 0 and torch.isfinite(l)
        fused.grad = None; l.backward()
        assert fused.grad.abs().sum() > 0
    # under TIM's ℓ_F the information-weighted blend beats either source alone and the blend with swapped weights
    wa, wb = wa.view(-1, 1, 1, 1), wb.view(-1, 1, 1, 1)
    best = tim_fusion_loss(wa * a + wb * b, a, b)
    assert best < min(tim_fusion_loss(a, a, b), tim_fusion_loss(b, a, b), tim_fusion_loss(wb * a + wa * b, a, b))
