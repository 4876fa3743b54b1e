import os, pytest
from pathlib import Path

@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    "Each test gets its own cache folder, so no test sees another's cached checksums or runs."
    monkeypatch.setenv('TIMFUSION_CACHE', str(tmp_path_factory.mktemp('cache')))

@pytest.fixture
def data_present():
    from timfusion.data import data_root
    if not (data_root()/'TNO_42').is_dir(): pytest.skip(f'real data not found under {data_root()} (set TIMFUSION_DATA)')
    return data_root()

@pytest.fixture
def timfusion_cli():
    "Run `python -m timfusion <args>` from the repository root (text output captured); `env` adds variables."
    import subprocess, sys
    root = Path(__file__).resolve().parents[1]
    def run(*args, env=None):
        return subprocess.run([sys.executable, '-m', 'timfusion', *args], capture_output=True, text=True, cwd=root,
                              env={**os.environ, **(env or {})})
    return run
