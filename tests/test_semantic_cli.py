"`timfusion tim semantic` end to end at the smoke profile: a row per input source, cached on the second call."
import re

import pytest

@pytest.mark.slow
def test_smoke_detection_prints_every_source(timfusion_cli):
    r = timfusion_cli('tim', 'semantic', '--profile', 'smoke', '--task', 'detection', '--quiet')
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith('detection: train ') and 'C_FD genotype' in lines[0]
    rows = {l.split('(')[0].strip(): l for l in lines[1:]}
    assert list(rows) == ['Visible', 'Infrared', 'Average', 'Direct Fusion', 'TIM', 'PAIF', 'Max', 'Laplacian', 'GFF']
    assert 'trained on average' in rows['GFF'] and 'trained on tim' in rows['TIM'] and 'trained on paif' in rows['PAIF']
    for l in rows.values():
        v = float(re.search(r'mAP50 (\S+)', l)[1])
        assert 0.0 <= v <= 1.0

@pytest.mark.slow
def test_smoke_segmentation_second_call_is_cached(timfusion_cli):
    first = timfusion_cli('tim', 'semantic', '--profile', 'smoke', '--task', 'segmentation', '--quiet')
    second = timfusion_cli('semantic', '--profile', 'smoke', '--task', 'segmentation', '--quiet')    # the old spelling
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout and 'mIoU' in first.stdout
    assert second.stderr.startswith('timfusion semantic is now "timfusion tim semantic"\n') and '%|' not in first.stderr + second.stderr, first.stderr + second.stderr

def test_bad_task_is_a_usage_error(timfusion_cli):
    r = timfusion_cli('tim', 'semantic', '--task', 'tracking')
    assert r.returncode == 2 and "argument --task: invalid choice: 'tracking'" in r.stderr, r.stderr
    old = timfusion_cli('semantic', '--task', 'tracking')
    assert (old.returncode, old.stderr) == (2, 'timfusion semantic is now "timfusion tim semantic"\n' + r.stderr), old.stderr
