"`timfusion models fuse` end to end on real pairs: the default model (the l_F-only light N_F, fixed in advance) beats plain averaging on MI."
from pathlib import Path
import numpy as np
import pytest
from timfusion.data import pair_refs, is_present
from timfusion.imageio import read_image, read_pair, to_float, rgb_to_ycbcr
from timfusion.metrics import evaluate
from timfusion.fuse import registered_weights, default_model

ROOT = Path(__file__).resolve().parents[1]

# One TNO pair and one colour RoadScene pair from CDDFuse's test subset (never used for training). The trained
# network does not win on every single pair (see test_default_model_beats_average_on_tno_mean for the dataset level).
@pytest.mark.parametrize('dataset, name', [('TNO_42', '02'), ('RoadScene_221', 'FLIR_00977')])
def test_default_model_beats_average_on_mi(tmp_path, dataset, name, timfusion_cli):
    if not is_present(dataset): pytest.skip(f'{dataset} not present')
    ref = next(r for r in pair_refs(dataset) if r.name == name)
    out, avg = tmp_path/'fused.png', tmp_path/'average.png'
    r = timfusion_cli('models', 'fuse', '--ir', str(ref.a_path), '--vis', str(ref.b_path), '--out', str(out), '--quiet')
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith('model: default: ')          # the model used is stated
    assert timfusion_cli('models', 'fuse', '--ir', str(ref.a_path), '--vis', str(ref.b_path), '--out', str(avg), '--model', 'average', '--quiet').returncode == 0
    p = read_pair(ref.a_path, ref.b_path)
    f, fa = read_image(out), read_image(avg)
    assert f.shape == p.b.shape[:2] + ((3,) if p.b.ndim == 3 else ())      # same size, colour kept for colour VIS
    y = lambda im: rgb_to_ycbcr(to_float(im))[..., 0] if im.ndim == 3 else to_float(im)
    mi = evaluate(p.a, p.b_y, y(f), ['MI'])['MI']
    mi_avg = evaluate(p.a, p.b_y, y(fa), ['MI'])['MI']
    assert mi > mi_avg, f'{dataset}: MI {mi:.3f} of the default model does not beat averaging ({mi_avg:.3f})'

def test_default_model_beats_average_on_tno_mean():
    "Over all 42 TNO pairs the default network's mean MI and Qabf beat plain averaging."
    if not is_present('TNO_42'): pytest.skip('TNO_42 not present')
    from timfusion.fuse import evaluate_model
    net = evaluate_model(default_model(), 'TNO_42', metrics=['MI', 'Qabf'])
    avg = evaluate_model('average', 'TNO_42', metrics=['MI', 'Qabf'])
    assert len(net) == len(avg) == 42
    assert net.MI.mean() > avg.MI.mean() and net.Qabf.mean() > avg.Qabf.mean()

def test_colour_is_kept_on_roadscene(tmp_path, timfusion_cli):
    if not is_present('RoadScene_221'): pytest.skip('RoadScene_221 not present')
    ref = pair_refs('RoadScene_221')[0]
    out = tmp_path/'f.png'
    assert timfusion_cli('models', 'fuse', '--ir', str(ref.a_path), '--vis', str(ref.b_path), '--out', str(out), '--model', 'average', '--quiet').returncode == 0
    vis = to_float(read_image(ref.b_path, 'rgb')); fused = to_float(read_image(out))
    chroma = lambda x: rgb_to_ycbcr(x)[..., 1:]
    inside = (rgb_to_ycbcr(fused)[..., 0] > 0.05) & (rgb_to_ycbcr(fused)[..., 0] < 0.95)   # where no clipping happened
    assert np.abs(chroma(fused) - chroma(vis))[inside].mean() < 0.01

def test_folder_mode_and_unmatched_names(tmp_path, timfusion_cli):
    from timfusion.data import synthetic_pair
    from timfusion.imageio import write_image
    for i in range(3):
        p = synthetic_pair(i, (48, 64)); write_image(tmp_path/'ir'/f'{i}.png', p.a); write_image(tmp_path/'vis'/f'{i}.png', p.b)
    args = ['--ir', str(tmp_path/'ir'), '--vis', str(tmp_path/'vis'), '--model', 'laplacian']
    r = timfusion_cli('models', 'fuse', *args, '--out', str(tmp_path/'out'), '--quiet')
    assert (r.returncode, r.stderr) == (0, ''), r.stderr                          # --quiet: no progress bar
    assert r.stdout.splitlines()[-1] == f"wrote 3 image(s) to {tmp_path/'out'}", r.stdout
    assert sorted(x.name for x in (tmp_path/'out').iterdir()) == ['0.png', '1.png', '2.png']
    loud = timfusion_cli('models', 'fuse', *args, '--out', str(tmp_path/'loud'))
    assert loud.returncode == 0 and 'fusing with laplacian: 3it' in loud.stderr, loud.stderr   # the progress bar
    old = timfusion_cli('fuse', *args, '--out', str(tmp_path/'old'), '--quiet')     # the old spelling: its note, the same images
    assert (old.returncode, old.stderr) == (0, 'timfusion fuse is now "timfusion models fuse"\n'), old.stderr
    assert old.stdout == r.stdout.replace(str(tmp_path/'out'), str(tmp_path/'old')), old.stdout
    assert all((tmp_path/'old'/n).read_bytes() == (tmp_path/'out'/n).read_bytes() for n in ('0.png', '1.png', '2.png'))
    (tmp_path/'vis'/'2.png').unlink()
    r = timfusion_cli('models', 'fuse', '--ir', str(tmp_path/'ir'), '--vis', str(tmp_path/'vis'), '--out', str(tmp_path/'out2'), '--model', 'average', '--quiet')
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and 'unmatched names' in r.stderr and 'only has 2' in r.stderr, r.stderr

def test_models_list_and_its_old_spelling(timfusion_cli):
    new = timfusion_cli('models', 'list')
    assert (new.returncode, new.stderr) == (0, '') and {'gff', 'average', 'laplacian'} <= set(new.stdout.split()), new.stdout + new.stderr
    old = timfusion_cli('fuse', '--list-models')
    assert (old.returncode, old.stdout, old.stderr) == (0, new.stdout, 'timfusion fuse --list-models is now "timfusion models list"\n')
    r = timfusion_cli('models', 'fuse', '--ir', 'x.png', '--quiet')
    assert (r.returncode, r.stderr) == (2, 'timfusion: error: models fuse needs --ir, --vis and --out (model names: timfusion models list)\n'), r.stderr

def test_registered_weights_are_verified():
    w = registered_weights()
    if not w: pytest.skip('no weights registered yet')
    for name, e in w.items():
        p = ROOT/e['file']
        assert p.stat().st_size == e['bytes'] <= 5 * 2**20
        assert e['command'].startswith(('timfusion models train ', 'timfusion tim taskguided ', 'timfusion train ', 'timfusion taskguided ')), e['command']
        assert e['profile'] in ('smoke', 'cpu', 'paper'), e['profile']
        assert e.get('task', 'ivif') in ('ivif', 'mri_ct', 'mri_pet', 'mri_spect') and len(e['sha256']) == 64
    best = default_model().name
    assert best in w and w[best].get('task', 'ivif') == 'ivif'

def _one_line_error(r, needle):
    "The command failed with exactly one line on stderr (no traceback) that contains `needle`."
    assert r.returncode != 0, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and 'Traceback' not in r.stderr, r.stderr
    assert needle in lines[0], lines[0]

def test_outputs_never_overwrite_inputs_and_are_checked_before_work(tmp_path, timfusion_cli):
    "Issue 22, items 1-4: --out equal to an input, a folder/file mix-up, a wrong suffix or an unwritable place is refused up front."
    from timfusion.data import synthetic_pair
    from timfusion.imageio import write_image
    from timfusion.core import file_sha256
    for i in range(2):
        p = synthetic_pair(i, (32, 40)); write_image(tmp_path/'ir'/f'{i}.png', p.a); write_image(tmp_path/'vis'/f'{i}.png', p.b)
    ir, vis = tmp_path/'ir'/'0.png', tmp_path/'vis'/'0.png'
    before = {f: file_sha256(f) for f in [*(tmp_path/'ir').iterdir(), *(tmp_path/'vis').iterdir()]}
    fuse = lambda *a: timfusion_cli('models', 'fuse', '--model', 'average', '--quiet', *map(str, a))
    _one_line_error(fuse('--ir', ir, '--vis', vis, '--out', ir), f'--out {ir} is also an input')
    _one_line_error(fuse('--ir', tmp_path/'ir', '--vis', tmp_path/'vis', '--out', tmp_path/'ir'), 'is also an input')
    _one_line_error(fuse('--ir', tmp_path/'ir', '--vis', tmp_path/'vis', '--out', ir), 'is a file; give a folder')
    _one_line_error(fuse('--ir', ir, '--vis', vis, '--out', '/sys/x.png'), 'cannot write in /sys')
    _one_line_error(fuse('--ir', ir, '--vis', vis, '--out', tmp_path/'ir'/'sub'), 'give an image file name')
    assert fuse('--ir', ir, '--vis', vis, '--out', tmp_path/'one'/'f.png').returncode == 0
    fused = tmp_path/'fused'; assert fuse('--ir', tmp_path/'ir', '--vis', tmp_path/'vis', '--out', fused).returncode == 0
    metrics = lambda out: timfusion_cli('metrics', 'compute', '--ir', str(tmp_path/'ir'), '--vis', str(tmp_path/'vis'), '--fused', str(fused),
                                        '--metrics', 'EN', '--out', str(out), '--quiet')
    _one_line_error(metrics(ir), 'is also an input')
    _one_line_error(metrics(tmp_path/'m.png'), 'use a file name ending in .csv')
    (tmp_path/'elsewhere').mkdir(); _one_line_error(metrics(tmp_path/'elsewhere'), 'is a folder; give a file name')
    r = metrics(tmp_path/'m.csv'); assert r.returncode == 0, r.stderr
    assert (tmp_path/'m.csv').read_text().startswith('image,EN')
    assert {f: file_sha256(f) for f in before} == before                     # every input is untouched
    write_image(tmp_path/'ir'/'0.jpg', synthetic_pair(0, (32, 40)).a)          # item 7: two files with one stem are an error, as in metrics
    _one_line_error(fuse('--ir', tmp_path/'ir', '--vis', tmp_path/'vis', '--out', tmp_path/'again'), 'several images with one name: 0.jpg and 0.png')
    _one_line_error(metrics(tmp_path/'m2.csv'), 'several images with one name: 0.jpg and 0.png')
