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

def test_default_model_is_fixed_in_advance_not_ranked(monkeypatch):
    "The default is the first present of DEFAULT_NETWORKS whatever the rank of others (no test set chooses it); a medical entry never is."
    reg = fz.registered_weights()
    if 'tim_light_cpu' not in reg: pytest.skip('tim_light_cpu is not registered')
    fake = {**reg, 'better_on_tno': dict(reg['tim_light_cpu'], rank=99.0)}
    monkeypatch.setattr(fz, 'registered_weights', lambda: fake)
    assert fz.default_model().name == 'tim_light_cpu'                # a higher test-set rank does not win
    fake['tim_light_paper'] = dict(reg['tim_light_cpu'], task='mri_ct')
    assert fz.default_model().name == 'tim_light_cpu'                # a medical entry is never the IVIF default
    fake['tim_light_paper']['task'] = 'ivif'
    assert fz.default_model().name == 'tim_light_paper'              # the paper profile's network comes first
    monkeypatch.setattr(fz, 'registered_weights', lambda: {})
    assert fz.default_model().name == 'gff' and fz.default_model().description.startswith('default (no trained network registered)')
