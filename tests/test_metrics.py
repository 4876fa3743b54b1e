"Calibration parity of every fusion metric, the directory evaluator, the CLI and the error paths."
import csv, math, subprocess, sys, warnings
from pathlib import Path

import numpy as np
import pytest

from timfusion.core import settings, ConfigError, DataError, ImageError
from timfusion.imageio import read_image, write_image
from timfusion import metrics as M

CAL = settings().data_root / 'calibration'
HAVE_CAL = (CAL / 'reference_tno01_seafusion.csv').exists()
needs_cal = pytest.mark.skipif(not HAVE_CAL, reason=f'calibration data not found at {CAL} (set TIMFUSION_DATA)')

# metric name -> (reference metric row, implementation prefix, relative tolerance)
PARITY = {
    'EN': ('EN', 'Tang', 1e-4), 'SD': ('SD', 'Tang', 1e-4), 'SF': ('SF', 'Tang', 1e-4), 'AG': ('AG', 'Tang', 1e-4),
    'MI': ('MI', 'Tang', 1e-4), 'FMI': ('FMI_pixel', 'Tang', 1e-3), 'VIF': ('VIF', 'Tang', 1e-4),
    'Qabf': ('Qabf', 'Tang', 1e-4), 'SCD': ('SCD', 'Tang', 1e-4), 'CC': ('CC', 'Tang', 1e-4),
    'Nabf': ('Nabf', 'Tang:analysis_nabf(F,IR,VI)', 1e-4), 'Nabf_tang': ('Nabf', 'Tang:analysis_nabf(IR,VI,F)', 1e-4),
    'MI_nats': ('MI', 'CDDFuse', 1e-4), 'FMI_none': ('FMI_none', 'Tang', 1e-3),
    'FMI_gradient': ('FMI_gradient', 'Tang', 1e-3), 'FMI_dct': ('FMI_dct', 'Tang', 1e-3), 'VIFF': ('VIFF', 'Han', 1e-4),
    'SSIM_sum': ('SSIM', 'VIFB', 1e-4), 'SSIM_half': ('SSIM', 'Tang', 1e-4), 'SSIM_cddfuse': ('SSIM', 'CDDFuse', 1e-4),
    'PSNR': ('PSNR', 'Tang', 1e-4), 'PSNR_vifb': ('PSNR', 'VIFB', 1e-4), 'PSNR_cddfuse': ('PSNR', 'CDDFuse', 1e-4),
    'MSE': ('MSE', 'Tang', 1e-4), 'MSE_cddfuse': ('MSE', 'CDDFuse', 1e-4), 'RMSE_vifb': ('RMSE', 'VIFB', 1e-4),
    'CE': ('CE', 'VIFB', 1e-4), 'EI': ('EI', 'VIFB', 1e-4), 'Qcb': ('Qcb', 'VIFB', 1e-4), 'Qcv': ('Qcv', 'VIFB', 1e-4),
}

@pytest.fixture(scope='module')
def cal():
    if not HAVE_CAL: pytest.skip(f'calibration data not found at {CAL} (set TIMFUSION_DATA)')
    imgs = tuple(read_image(CAL / n) for n in ('ir_tno01.png', 'vis_tno01.png', 'fused_tno01_seafusion.png'))
    rows = list(csv.DictReader(open(CAL / 'reference_tno01_seafusion.csv')))
    return imgs, rows

def _ref(rows, metric, impl):
    hits = [float(r['value']) for r in rows if r['metric'] == metric and r['implementation'].startswith(impl)]
    assert len(hits) == 1, (metric, impl, hits)
    return hits[0]

# metrics with no published reference value of their own, and the referenced metric they are an exact part of
DERIVED = {'SSIM_a': 'SSIM_sum'}   # SSIM_sum = SSIM_a(A, B, F) + SSIM_a(B, A, F)

def test_registry_covers_parity_table():
    assert set(M.DEFAULT_METRICS) <= set(PARITY) and set(PARITY) | set(DERIVED) == set(M.METRICS)
    assert not set(PARITY) & set(DERIVED) and set(DERIVED.values()) <= set(PARITY)
    assert M.PANEL == M.DEFAULT_METRICS + ['SSIM_sum', 'PSNR']

@pytest.mark.parametrize('name', sorted(PARITY))
def test_calibration_parity(cal, name):
    (A, B, F), rows = cal
    metric, impl, tol = PARITY[name]
    ref = _ref(rows, metric, impl)
    val = M.METRICS[name](A, B, F)
    assert abs(val - ref) <= tol * abs(ref), f'{name}: {val!r} vs {ref!r} ({impl})'

@needs_cal
def test_evaluate_files_matches_arrays(cal):
    (A, B, F), _ = cal
    r = M.evaluate_files(CAL / 'ir_tno01.png', CAL / 'vis_tno01.png', CAL / 'fused_tno01_seafusion.png', ['MI', 'Qabf'])
    assert r == {'MI': M.MI(A, B, F), 'Qabf': M.Qabf(A, B, F)}

def _triple(h=96, w=128, seed=0):
    rng = np.random.default_rng(seed); yy, xx = np.mgrid[0:h, 0:w]
    a = np.clip(128 + 90 * np.sin(xx / 9) + rng.normal(0, 12, (h, w)), 0, 255).astype(np.uint8)
    b = np.clip(60 + yy * 1.5 + rng.normal(0, 8, (h, w)), 0, 255).astype(np.uint8)
    return a, b, ((a.astype(int) + b) // 2).astype(np.uint8)

def test_uint8_and_float_inputs_agree():
    a, b, f = _triple()
    names = list(M.METRICS)
    u = M.evaluate(a, b, f, names)
    assert M.evaluate(a / 255, b / 255, f.astype(np.float32) / 255, names) == u
    assert all(M.METRICS[n](a, b, f) == M.METRICS[n](a.astype(float), b.astype(float), f.astype(float)) for n in names)

def test_constant_and_identical_inputs_no_nan_no_warning():
    a, b, f = _triple(); c = np.full_like(a, 200)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        for trip in [(c, c, c), (c, 255 - c, c), (a, b, c), (c, c, a), (a, a, a)]:
            r = M.evaluate(*trip, list(M.METRICS))
            assert not any(math.isnan(v) for v in r.values()), r
    r = M.evaluate(a, a, a, list(M.METRICS))
    assert r['FMI'] == r['FMI_none'] == 1 and r['Nabf'] == 0 and r['MSE'] == 0 and r['PSNR'] == math.inf
    assert r['SSIM_sum'] == pytest.approx(2) and r['CC'] == pytest.approx(1) and r['EN'] == pytest.approx(r['MI'] / 2)

def test_source_order():
    a, b, f = _triple()
    for n in ('EN', 'MI', 'VIF', 'Qabf', 'SCD', 'CC', 'Nabf', 'SSIM_sum', 'PSNR', 'CE', 'Qcb'):
        assert M.METRICS[n](a, b, f) == pytest.approx(M.METRICS[n](b, a, f), rel=1e-12), n
    na, nb = 255 - f, ((255 - f.astype(int)) // 2).astype(np.uint8)   # VIFF: gain ties go to B
    assert M.VIFF(na, nb, f) != pytest.approx(M.VIFF(nb, na, f), rel=1e-6)
    assert M.Nabf(a, b, f) != pytest.approx(M.Nabf(f, b, a), rel=1e-3)       # fused vs source order (Tang's bug)
    assert M.VIF(a, b, a) == pytest.approx(1 + M.vifp_mscale([b], a)[0], rel=1e-9)

def test_miou_hand_made():
    cm = np.array([[5, 1, 0], [2, 3, 1], [0, 0, 0]])
    s = M.seg_scores(cm)
    assert s['IoU'][0] == pytest.approx(5 / 8) and s['IoU'][1] == pytest.approx(3 / 7) and s['IoU'][2] == 0
    assert s['mIoU'] == pytest.approx((5 / 8 + 3 / 7) / 3) and s['mAcc'] == pytest.approx((5 / 6 + 3 / 6) / 2)
    assert np.isnan(s['Acc'][2])
    pred = np.array([0, 1, 2, 1]); tgt = np.array([0, 1, 255, 0])
    assert M.confusion_matrix(pred, tgt, 3).tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 0]]

def _dirs(root, stems=('01', '02', '03'), **over):
    a, b, f = _triple()
    for role, img in (('ir', a), ('vis', b), ('fused', f)):
        for i, s in enumerate(stems):
            if s in over.get(role, {}): img_s = over[role][s]
            else: img_s = np.roll(img, 5 * i, axis=1)
            if img_s is not None: write_image(root / role / f'{s}.png', img_s)
    return root / 'ir', root / 'vis', root / 'fused'

def test_evaluate_dirs_parallel_and_csv(tmp_path):
    ir, vis, fu = _dirs(tmp_path)
    out = tmp_path / 'out' / 'res.csv'
    df = M.evaluate_dirs(ir, vis, fu, ['MI', 'EN', 'SSIM_sum'], out=out, workers=2, progress=False)
    assert list(df.columns) == ['image', 'MI', 'EN', 'SSIM_sum'] and list(df.image) == ['01', '02', '03', 'mean']
    one = M.evaluate_files(ir / '02.png', vis / '02.png', fu / '02.png', ['MI', 'EN', 'SSIM_sum'])
    assert df.iloc[1, 1:].to_dict() == one
    assert df.MI.iloc[3] == pytest.approx(df.MI.iloc[:3].mean(), rel=1e-12)
    rows = list(csv.reader(open(out)))
    assert rows[0] == ['image', 'MI', 'EN', 'SSIM_sum'] and rows[-1][0] == 'mean' and len(rows) == 5
    serial = M.evaluate_dirs(ir, vis, fu, ['MI', 'EN', 'SSIM_sum'], progress=False)
    assert serial.equals(df)

def test_evaluate_dirs_errors(tmp_path):
    a, _, _ = _triple()
    ir, vis, fu = _dirs(tmp_path, fused={'02': None, '03': None}, ir={'01': None})
    with pytest.raises(DataError, match=r'ir has no image for: 01; fused has no image for: 02, 03'):
        M.evaluate_dirs(ir, vis, fu, progress=False)
    ir, vis, fu = _dirs(tmp_path / 'sz', fused={'02': a[:90]})
    with pytest.raises(ImageError, match=r'size mismatch in 1 triple.*02 \(.*90x128'):
        M.evaluate_dirs(ir, vis, fu, progress=False)
    with pytest.raises(ConfigError, match=r"'EM'.*valid names are EN"):
        M.evaluate_dirs(ir, vis, fu, ['EM'], progress=False)
    with pytest.raises(DataError, match='does not exist'):
        M.evaluate_dirs(tmp_path / 'nope', vis, fu, progress=False)
    x, y, z = _triple()
    with pytest.raises(ImageError, match='ir is 96x128 but fused is 96x100'):
        M.evaluate(x, y, z[:, :100])
    with pytest.raises(ImageError, match='81x81'):
        M.evaluate(x[:50, :50], y[:50, :50], z[:50, :50], ['VIF'])

def test_cli_metrics(tmp_path):
    cli = Path(M.__file__).with_name('cli.py')
    if 'metrics' not in cli.read_text(): pytest.skip('timfusion.cli has no metrics subcommand yet')
    ir, vis, fu = _dirs(tmp_path)
    out = tmp_path / 'cli.csv'
    r = subprocess.run([sys.executable, '-m', 'timfusion', 'metrics', '--ir', str(ir), '--vis', str(vis), '--fused', str(fu),
                        '--metrics', 'EN,MI,PSNR', '--out', str(out), '--quiet'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(open(out)))
    assert rows[0] == ['image', 'EN', 'MI', 'PSNR'] and [x[0] for x in rows[1:]] == ['01', '02', '03', 'mean']
    assert float(rows[1][2]) == pytest.approx(M.evaluate_files(ir / '01.png', vis / '01.png', fu / '01.png', ['MI'])['MI'], rel=1e-12)
    r = subprocess.run([sys.executable, '-m', 'timfusion', 'metrics', '--ir', str(ir), '--vis', str(vis), '--fused', str(fu),
                        '--metrics', 'EN,NOPE', '--quiet'], capture_output=True, text=True)
    assert r.returncode != 0 and 'NOPE' in r.stderr

def test_ssim_a_is_half_of_the_referenced_ssim_sum(cal):
    (A, B, F), rows = cal
    assert abs(M.SSIM_a(A, B, F) + M.SSIM_a(B, A, F) - _ref(rows, *PARITY['SSIM_sum'][:2])) <= PARITY['SSIM_sum'][2]

# --- speed work (issue 23): the shared panel and the vectorised FMI must give the numbers of the direct formulas ---

def test_panel_equals_each_metric_alone():
    "`evaluate` shares intermediates across metrics; the values are exactly those of each function called alone."
    a, b, f = _triple()
    c = np.full_like(a, 255)
    for trip in [(a, b, f), (f, a, b), (a, c, f), (c, c, c), (a, a, a)]:
        together = M.evaluate(*trip, list(M.METRICS))
        assert together == {n: M.METRICS[n](*trip) for n in M.METRICS}
        assert M.evaluate(*trip, M.PANEL) == {n: together[n] for n in M.PANEL}

@needs_cal
def test_panel_equals_each_metric_alone_on_calibration(cal):
    (A, B, F), _ = cal
    assert M.evaluate(A, B, F, M.PANEL) == {n: M.METRICS[n](A, B, F) for n in M.PANEL}

def _fmi_direct(A, B, F):
    "FMI straight from METRICS.md, one window at a time over 9×9 joint pdfs (vectorised only across windows)."
    from numpy.lib.stride_tricks import sliding_window_view
    def sum9(x):                                   # MATLAB's left-to-right order
        s = x[:, 0].copy()
        for i in range(1, 9): s += x[:, i]
        return s
    def norm(W):
        mn, mx = W.min(1, keepdims=True), W.max(1, keepdims=True)
        return np.where(mx == mn, 1.0, (W - mn) / np.where(mx == mn, 1, mx - mn))
    def plogp(p):
        return np.where(p != 0, p * np.log2(np.where(p != 0, np.abs(p), 1)), 0.0)
    def core(Xn, Fn):
        pX, pF = Xn / sum9(Xn)[:, None], Fn / sum9(Fn)[:, None]
        tX, tF = pX - (sum9(pX) / 9)[:, None], pF - (sum9(pF) / 9)[:, None]
        cov, den = sum9(tX * tF), np.sqrt(sum9(tX * tX) * sum9(tF * tF))
        c = np.where(cov == 0, 0.0, cov / np.where(den == 0, 1, den))
        i = np.arange(1, 10.)
        sd = lambda p: np.sqrt(np.maximum((p * i**2).sum(1) - (p * i).sum(1)**2, 0))
        sX, sF = sd(pX), sd(pF)
        Fi, Xj = np.cumsum(pF, 1)[:, :, None], np.cumsum(pX, 1)[:, None, :]
        H = np.where((c >= 0)[:, None, None], np.minimum(Fi, Xj), np.maximum(Fi + Xj - 1, 0))
        S = (H - Fi * Xj).sum((1, 2))
        ok = (c != 0) & (sX != 0) & (sF != 0) & (S != 0)
        phi = np.where(ok, c / np.where(ok, S / np.where(ok, sF * sX, 1), 1), 0.0)
        Hp = np.pad(H, ((0, 0), (1, 0), (1, 0)))
        J = phi[:, None, None] * (Hp[:, 1:, 1:] - Hp[:, :-1, 1:] - Hp[:, 1:, :-1] + Hp[:, :-1, :-1]) \
            + (1 - phi)[:, None, None] * (pF[:, :, None] * pX[:, None, :])
        hX, hF = -plogp(pX).sum(1), -plogp(pF).sum(1)
        mi = hX + hF + plogp(J).sum((1, 2))
        return np.where((mi == 0) | (hX + hF == 0), 0.0, 2 * mi / np.where(hX + hF == 0, 1, hX + hF))
    def step(X, Fw):
        out, Fnext = np.ones(len(X)), Fw.copy()
        ii = np.flatnonzero(~(X == Fw).all(1))
        Fn = norm(Fw[ii]); out[ii] = core(norm(X[ii]), Fn); Fnext[ii] = Fn
        return out, Fnext
    win = lambda x: sliding_window_view(np.asarray(x, float), (3, 3)).transpose(0, 1, 3, 2).reshape(-1, 9)
    fa, F2 = step(win(A), win(F)); fb, _ = step(win(B), F2)
    return float(((fa + fb) / 2).mean())

@pytest.mark.parametrize('feature', ['none', 'gradient', 'dct'])
def test_fmi_variants_equal_direct_formula(feature):
    a, b, f = _triple(48, 64, seed=3)
    c = np.full_like(a, 90); f = f.copy(); f[:12, :12] = a[:12, :12]; b = b.copy(); b[20:30, 20:30] = 7   # equal and constant windows too
    feat = {'none': lambda x: np.asarray(x, float), 'gradient': lambda x: np.gradient(np.asarray(x, float), axis=1),
            'dct': lambda x: __import__('scipy.fft', fromlist=['dctn']).dctn(np.asarray(x, float), type=2, norm='ortho')}[feature]
    fn = M.METRICS[{'none': 'FMI_none', 'gradient': 'FMI_gradient', 'dct': 'FMI_dct'}[feature]]
    for trip in [(a, b, f), (b, f, a), (a, c, f), (c, c, f)]:
        assert fn(*trip) == pytest.approx(_fmi_direct(*(feat(x) for x in trip)), rel=1e-12, abs=1e-15)

def test_edge_fmi_does_not_depend_on_call_history():
    "Edge FMI keeps a per-process table of binary window pairs; its values must not depend on what filled it."
    code = ("import numpy as np; from timfusion import metrics as M; rng = np.random.default_rng(5)\n"
            "t = [rng.integers(0, 256, (40, 50)).astype(np.uint8) for _ in range(3)]\n"
            "{first}\nprint(repr(M.FMI(*t)))")
    run = lambda first: subprocess.run([sys.executable, '-c', code.format(first=first)], capture_output=True, text=True, check=True).stdout
    assert run('') == run('M.FMI(t[1], t[2], t[0]); M.FMI(t[2], t[0], t[1])')
