"The report pipeline and the command line, end to end (papermill kernels are started here)."
import json, re
from pathlib import Path
import pandas as pd
import pytest
from timfusion.reproduce import report_notebooks, parameters_cell, run_report, load_index

@pytest.mark.parametrize('item', list(report_notebooks()))
def test_every_report_has_a_tagged_parameters_cell(item):
    "papermill (not our own finder) sees the parameters, and they are set before any cell reads them."
    import papermill as pm
    path = report_notebooks()[item]
    params = pm.inspect_notebook(str(path))
    assert params.get('profile', {}).get('default') == "'smoke'", f"{item}: papermill finds no profile = 'smoke' parameter"
    assert params.get('out_dir', {}).get('default') == 'None', f"{item}: papermill finds no out_dir = None parameter"
    nb, idx = json.loads(path.read_text()), parameters_cell(path)['index']
    readers = [i for i, c in enumerate(nb['cells']) if c['cell_type'] == 'code' and i != idx and re.search(r'\bprofile\b', ''.join(c['source']))]
    assert readers and idx < readers[0], f"{item}: cell {readers[:1]} reads `profile` before the parameters cell ({idx})"

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

def test_cli_reports_run_writes_artifacts_and_index(tmp_path, timfusion_cli):
    r = timfusion_cli('reports', 'run', '--only', 'DATA_Inventory,DATA_Examples', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == f"2 report(s): 0 cached, 2 run; index: {tmp_path/'README.md'}", r.stdout
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ['DATA_Examples.png', 'DATA_Inventory.csv', 'DATA_Inventory.md', 'README.md', 'index.json']
    readme = (tmp_path/'README.md').read_text()
    assert '`timfusion reports run --profile smoke --only DATA_Examples`' in readme and '[DATA_Inventory.csv]' in readme
    assert 'Profile: `smoke`' in (tmp_path/'DATA_Inventory.md').read_text()
    r2 = timfusion_cli('reproduce', '--only', 'DATA_Inventory', '--out', str(tmp_path))      # the old spelling: one note, same run
    assert r2.returncode == 0 and r2.stderr == 'timfusion reproduce is now "timfusion reports run"\n', r2.stderr
    assert 'DATA_Inventory: cache hit' in r2.stdout and r2.stdout.splitlines()[-1] == f"1 report(s): 1 cached, 0 run; index: {tmp_path/'README.md'}", r2.stdout
    r3 = timfusion_cli('reports', 'run', '--only', 'DATA_Inventory', '--out', str(tmp_path), '--quiet')
    assert (r3.returncode, r3.stdout, r3.stderr) == (0, r2.stdout.splitlines(keepends=True)[-1], ''), r3.stdout + r3.stderr

def test_cli_reports_list_and_its_old_spelling(tmp_path, timfusion_cli):
    run_report('DATA_Inventory', 'smoke', tmp_path, params={'datasets': ['MRI_CT_21']}, log=lambda *a: None)
    new = timfusion_cli('reports', 'list', '--profile', 'smoke', '--out', str(tmp_path))
    assert new.returncode == 0 and new.stderr == '', new.stderr
    rows = {l.split('\t')[0]: l.split('\t') for l in new.stdout.splitlines()}
    assert rows['item'] == ['item', 'status', 'profile', 'command', 'artifacts', 'why'] and rows['DATA_Inventory'][2] == 'smoke', rows.get('DATA_Inventory')
    old = timfusion_cli('reproduce', '--list', '--profile', 'smoke', '--out', str(tmp_path), '--only', 'X', '--force')
    assert (old.returncode, old.stdout) == (0, new.stdout), old.stderr
    assert old.stderr == 'timfusion reproduce --list is now "timfusion reports list"\n', old.stderr

def test_cli_runs_without_data_on_the_synthetic_default(tmp_path, timfusion_cli):
    env = {'TIMFUSION_DATA': str(tmp_path/'no-data')}
    r = timfusion_cli('reports', 'run', '--only', 'DATA_Inventory,DATA_Examples', '--out', str(tmp_path/'rep'), env=env)
    assert r.returncode == 0, r.stderr
    inv = pd.read_csv(tmp_path/'rep'/'DATA_Inventory.csv')
    assert set(inv.checksums) == {'absent'}
    assert (tmp_path/'rep'/'DATA_Examples.png').stat().st_size > 1000
    r = timfusion_cli('reports', 'run', '--only', 'EXTRA_BaselineMetrics', '--out', str(tmp_path/'rep'), '--quiet', env=env)
    assert r.returncode == 0, r.stderr                                         # issue 22 item 13: a fallback is never silent
    md = (tmp_path/'rep'/'EXTRA_BaselineMetrics.md').read_text()
    assert '**DATA FALLBACK: ' in md and 'TNO_42 was not found, synthetic pairs were used instead' in md, md[-600:]

def test_cli_errors_are_one_line(tmp_path, timfusion_cli):
    r = timfusion_cli('reports', 'run', '--only', 'NOPE')
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and 'unknown report(s) NOPE' in r.stderr, r.stderr
    old = timfusion_cli('reproduce', '--only', 'NOPE')                 # the old spelling: its note, then the same error
    assert (old.returncode, old.stderr) == (2, 'timfusion reproduce is now "timfusion reports run"\n' + r.stderr), old.stderr
    for empty in ('', ' , '):                                           # issue 22 item 9: an empty selection is an error, not "all"
        r = timfusion_cli('reports', 'run', '--only', empty, '--out', str(tmp_path/'none'))
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and 'selects no report' in r.stderr, r.stderr
        assert not (tmp_path/'none').exists()
    r = timfusion_cli('data', 'verify', 'TNO_42', env={'TIMFUSION_DATA': str(tmp_path)})
    assert r.returncode == 1 and 'TNO_42: FAILED' in r.stdout and 'not found; point TIMFUSION_DATA' in r.stdout
    r = timfusion_cli('reports', 'run', env={'TIMFUSION_PROFILE': 'fast'})
    assert r.returncode == 2 and r.stderr.startswith('timfusion: error: ') and len(r.stderr.splitlines()) == 1, r.stderr
    assert "profile='fast' (from TIMFUSION_PROFILE) is unknown" in r.stderr, r.stderr
    r = timfusion_cli('models', 'train', '--profile', 'fast')
    assert r.returncode == 2 and "argument --profile: invalid choice: 'fast'" in r.stderr, r.stderr

def test_cli_data_verify_detects_corruption(tmp_path, data_present, timfusion_cli):
    import shutil
    shutil.copytree(data_present/'MRI_CT_21', tmp_path/'MRI_CT_21')
    f = tmp_path/'MRI_CT_21'/'mri'/'12.png'; b = bytearray(f.read_bytes()); b[-20] ^= 0xFF; f.write_bytes(bytes(b))
    r = timfusion_cli('data', 'verify', 'MRI_CT_21', env={'TIMFUSION_DATA': str(tmp_path)})
    assert r.returncode == 1 and 'file mri/12.png fails its sha256 check' in r.stdout
    assert timfusion_cli('data', 'verify', 'MRI_CT_21').returncode == 0

def test_bit_rot_with_unchanged_size_and_mtime_is_caught(tmp_path, data_present, timfusion_cli):
    "Issue 22 item 11: a flipped byte behind an unchanged size and mtime (bit rot, `cp -p`) fails `data verify` and `load_pairs`."
    import os, shutil, subprocess, sys
    shutil.copytree(data_present/'MRI_CT_21', tmp_path/'MRI_CT_21')
    env = {'TIMFUSION_DATA': str(tmp_path), 'TIMFUSION_CACHE': str(tmp_path/'cache')}
    assert timfusion_cli('data', 'verify', 'MRI_CT_21', '--fast', env=env).returncode == 0      # the cache now trusts every file
    f = tmp_path/'MRI_CT_21'/'mri'/'12.png'; st = f.stat()
    b = bytearray(f.read_bytes()); b[-20] ^= 0xFF; f.write_bytes(bytes(b)); os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    fast = timfusion_cli('data', 'verify', '--fast', 'MRI_CT_21', env=env)                    # options anywhere; says what it trusts
    assert fast.returncode == 0 and 'fast: sha256 trusted from the cache' in fast.stdout, fast.stdout
    r = timfusion_cli('data', 'verify', 'MRI_CT_21', env=env)
    assert r.returncode == 1 and 'file mri/12.png fails its sha256 check' in r.stdout and 'every byte hashed' in r.stdout, r.stdout
    code = "from timfusion.data import load_pairs; list(load_pairs('MRI_CT_21'))"
    p = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env={**os.environ, **env})
    assert p.returncode != 0 and 'fails its sha256 check' in p.stderr, p.stderr[-500:]

def test_failed_report_leaves_old_artifacts(tmp_path):
    out = tmp_path/'r'
    run_report('DATA_Inventory', 'smoke', out, params={'datasets': ['MRI_CT_21']}, log=lambda *a: None)
    before = (out/'DATA_Inventory.csv').read_bytes()
    from timfusion.core import settings
    runs = settings().cache_dir/'runs'; runs.mkdir(parents=True, exist_ok=True)
    stale = runs/'.DATA_Inventory-0000.abcd.ipynb'; stale.write_text('{}')        # what a SIGTERM'd run leaves behind
    with pytest.raises(Exception, match='report DATA_Inventory failed') as e:
        run_report('DATA_Inventory', 'smoke', out, params={'datasets': ['NOPE']}, log=lambda *a: None)
    assert (out/'DATA_Inventory.csv').read_bytes() == before
    kept = Path(str(e.value).split('the executed notebook: ')[-1])              # issue 22 item 10: the failed notebook is kept, named
    assert kept.name.endswith('.failed.ipynb') and 'NOPE' in kept.read_text(), kept
    assert not stale.exists()

def test_ctrl_c_prints_one_line_and_kernels_stay_quiet(tmp_path):
    "Issue 22 item 10 / issue 20 item 4: SIGINT during a report ends with one line and status 130; no kernel TCP warning."
    import os, signal, subprocess, sys, time
    env = {**os.environ, 'TIMFUSION_CACHE': str(tmp_path/'cache')}
    cmd = [sys.executable, '-m', 'timfusion', 'reports', 'run', '--profile', 'smoke', '--only', 'EXTRA_BaselineMetrics', '--out', str(tmp_path/'r'), '--force', '--quiet']
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    runs, t0 = tmp_path/'cache'/'runs', time.time()
    while not (runs.exists() and list(runs.glob('.*.ipynb'))) and time.time() - t0 < 300 and p.poll() is None: time.sleep(0.2)
    time.sleep(1); assert p.poll() is None, 'the report finished before it could be interrupted'
    p.send_signal(signal.SIGINT)                                              # while the report's kernel runs
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130, err
    assert err.strip().splitlines()[-1] == 'timfusion: interrupted; finished outputs and training checkpoints are kept, rerun the command to continue', err
    assert 'Traceback' not in err, err        # (a native library may still print its own abort line while the kernel is stopped)
    assert not list((tmp_path/'cache'/'runs').glob('.*.ipynb'))            # no temporary notebook left behind
