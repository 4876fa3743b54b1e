"`timfusion tim taskguided` end to end at the smoke profile, and the default model's choice among registered weights."
import json
import pytest
import timfusion.fuse as fz

@pytest.mark.slow
def test_smoke_medical_run_reports_both_stages(timfusion_cli):
    r = timfusion_cli('tim', 'taskguided', '--profile', 'smoke', '--task', 'mri_ct', '--quiet')
    assert r.returncode == 0 and '%|' not in r.stderr, r.stderr          # --quiet: no progress bar
    out = json.loads(r.stdout)
    assert out['arch'] == 'tim_medical_ct' and out['task'] == 'mri_ct' and out['init'] == 'pmi'
    assert out['stage1']['steps'] == 2 and out['stage2']['steps'] == 2
    assert out['stage2']['first_loss'] > 0 and out['stage1']['final_loss'] > 0

def test_bad_variant_is_a_usage_error(timfusion_cli):
    r = timfusion_cli('tim', 'taskguided', '--variant', 'huge', '--profile', 'smoke')
    assert r.returncode == 2 and "argument --variant: invalid choice: 'huge'" in r.stderr, r.stderr
    old = timfusion_cli('taskguided', '--variant', 'huge', '--profile', 'smoke')
    assert (old.returncode, old.stderr) == (2, 'timfusion taskguided is now "timfusion tim taskguided"\n' + r.stderr), old.stderr

def test_default_model_ranks_only_infrared_visible_weights(monkeypatch):
    "A medical network with a higher MI (on its own test set) must not become the IVIF default."
    reg = fz.registered_weights()
    if not reg: pytest.skip('no registered weights')
    name, entry = next(iter(reg.items()))
    fake = {**{k: v for k, v in reg.items() if v.get('task', 'ivif') == 'ivif'},
            'medical_best': dict(entry, task='mri_ct', rank=99.0)}
    monkeypatch.setattr(fz, 'registered_weights', lambda: fake)
    best = max((k for k, v in fake.items() if v.get('task', 'ivif') == 'ivif'), key=lambda k: fake[k]['rank'])
    assert fz.default_model().name == best
    fake['medical_best']['task'] = 'ivif'                           # the same entry as an IVIF network wins
    assert fz.default_model().name == 'medical_best'
