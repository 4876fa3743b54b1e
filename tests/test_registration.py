"N_R on real data: the affine NGF stage undoes most of TIM_Table3's corruption of a TNO pair; the U-Net is the identity until trained."
import numpy as np
import torch
from timfusion.data import load_pairs
from timfusion.tim.registration import RegNet, misalign, register

def _t(x): return torch.from_numpy(np.ascontiguousarray(x, np.float32))[None, None]

def test_affine_stage_registers_a_tno_pair(data_present):
    p = next(iter(load_pairs('TNO_42', limit=1)))
    d = misalign(p.a, seed=0)[0]                      # the corruption of pair 0 in TIM_Table3
    r, flow = register(None, _t(d), _t(p.b_y))        # affine stage alone, at 256 px
    assert flow.shape == (1, 2) + p.a.shape
    before, after = np.abs(d - p.a).mean(), float((r[0, 0] - _t(p.a)[0, 0]).abs().mean())
    assert after < 0.7 * before, (before, after)

def test_untrained_network_is_identity_at_full_size():
    m = torch.rand(1, 1, 75, 101)
    r, flow = register(RegNet((4, 8)), m, torch.rand(1, 1, 75, 101), affine=False, work_side=64)
    assert float(flow.abs().max()) == 0.0 and torch.allclose(r, m, atol=1e-5)
