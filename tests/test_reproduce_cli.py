"The report pipeline and the command line, end to end (papermill kernels are started here)."
import json
import pandas as pd
import pytest
from timfusion.reproduce import report_notebooks, parameters_cell, run_report, load_index

@pytest.mark.parametrize('item', list(report_notebooks()))
def test_every_report_has_a_tagged_parameters_cell(item):
    nb = json.loads(report_notebooks()[item].read_text())
    cell = parameters_cell(report_notebooks()[item])
    assert cell is not None and 'parameters' in nb['cells'][cell['index']]['metadata']['tags']
    assert "profile = 'smoke'" in cell['source'] and 'out_dir = None' in cell['source']

def test_papermill_injection_changes_the_result(tmp_path):
    one = run_report('DATA_Inventory', 'smoke', tmp_path/'one', params={'datasets': ['MRI_CT_21']}, log=lambda *a: None)
    full = run_report('DATA_Inventory', 'smoke', tmp_path/'all', log=lambda *a: None)
    assert pd.read_csv(tmp_path/'one'/'DATA_Inventory.csv').dataset.tolist() == ['MRI_CT_21']
    assert len(pd.read_csv(tmp_path/'all'/'DATA_Inventory.csv')) == len(__import__('timfusion.data').data.load_manifest()['datasets'])
    assert one['key'] != full['key']

def test_rerun_is_a_cache_hit_and_damage_is_rebuilt(tmp_path):
    out = tmp_path/'r'
    first = run_report('DATA_Inventory', 'smoke', out, params={'datasets': ['MRI_CT_21']}, log=lambda *a: None)
    again = run_report('DATA_Inventory', 'smoke', out, params={'datasets': ['MRI_CT_21']}, log=lambda *a: None)
    assert (first['cached'], again['cached']) == (False, True)
    (out/'DATA_Inventory.csv').write_text('tampered\n')
    rebuilt = run_report('DATA_Inventory', 'smoke', out, params={'datasets': ['MRI_CT_21']}, log=lambda *a: None)
    assert rebuilt['cached'] is False and 'MRI_CT_21' in (out/'DATA_Inventory.csv').read_text()
    other = run_report('DATA_Inventory', 'cpu', out, params={'datasets': ['MRI_CT_21']}, log=lambda *a: None)
    assert other['cached'] is False and load_index(out)['DATA_Inventory']['profile'] == 'cpu'

def test_cli_reproduce_writes_artifacts_and_index(tmp_path, timfusion_cli):
    r = timfusion_cli('reproduce', '--only', 'DATA_Inventory,DATA_Examples', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ['DATA_Examples.png', 'DATA_Inventory.csv', 'DATA_Inventory.md', 'README.md', 'index.json']
    readme = (tmp_path/'README.md').read_text()
    assert '`timfusion reproduce --profile smoke --only DATA_Examples`' in readme and '[DATA_Inventory.csv]' in readme
    assert 'Profile: `smoke`' in (tmp_path/'DATA_Inventory.md').read_text()
    r2 = timfusion_cli('reproduce', '--only', 'DATA_Inventory', '--out', str(tmp_path))
    assert '1 cached, 0 run' in r2.stdout

def test_cli_runs_without_data_on_the_synthetic_default(tmp_path, timfusion_cli):
    env = {'TIMFUSION_DATA': str(tmp_path/'no-data')}
    r = timfusion_cli('reproduce', '--only', 'DATA_Inventory,DATA_Examples', '--out', str(tmp_path/'rep'), env=env)
    assert r.returncode == 0, r.stderr
    inv = pd.read_csv(tmp_path/'rep'/'DATA_Inventory.csv')
    assert set(inv.checksums) == {'absent'}
    assert (tmp_path/'rep'/'DATA_Examples.png').stat().st_size > 1000

def test_cli_errors_are_one_line(tmp_path, timfusion_cli):
    r = timfusion_cli('reproduce', '--only', 'NOPE')
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and 'unknown report(s) NOPE' in r.stderr
    r = timfusion_cli('data', 'verify', 'TNO_42', env={'TIMFUSION_DATA': str(tmp_path)})
    assert r.returncode == 1 and 'TNO_42: FAILED' in r.stdout and 'not found; point TIMFUSION_DATA' in r.stdout
    r = timfusion_cli('reproduce', env={'TIMFUSION_PROFILE': 'fast'})
    assert r.returncode == 2 and "profile='fast' (from TIMFUSION_PROFILE) is unknown" in r.stderr

def test_cli_data_verify_detects_corruption(tmp_path, data_present, timfusion_cli):
    import shutil
    shutil.copytree(data_present/'MRI_CT_21', tmp_path/'MRI_CT_21')
    f = tmp_path/'MRI_CT_21'/'mri'/'12.png'; b = bytearray(f.read_bytes()); b[-20] ^= 0xFF; f.write_bytes(bytes(b))
    r = timfusion_cli('data', 'verify', 'MRI_CT_21', env={'TIMFUSION_DATA': str(tmp_path)})
    assert r.returncode == 1 and 'file mri/12.png fails its sha256 check' in r.stdout
    assert timfusion_cli('data', 'verify', 'MRI_CT_21').returncode == 0

def test_failed_report_leaves_old_artifacts(tmp_path):
    out = tmp_path/'r'
    run_report('DATA_Inventory', 'smoke', out, params={'datasets': ['MRI_CT_21']}, log=lambda *a: None)
    before = (out/'DATA_Inventory.csv').read_bytes()
    with pytest.raises(Exception, match='report DATA_Inventory failed'):
        run_report('DATA_Inventory', 'smoke', out, params={'datasets': ['NOPE']}, log=lambda *a: None)
    assert (out/'DATA_Inventory.csv').read_bytes() == before
