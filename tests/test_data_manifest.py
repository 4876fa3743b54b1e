"Manifest ↔ files agreement on the real data: every sha256, every byte size, no unlisted files, and MANIFEST.tsv parity."
import csv
import pytest
from timfusion.data import load_manifest, verify_dataset, dataset_dir, split_names, pair_refs

DATASETS = list(load_manifest()['datasets'])

@pytest.mark.parametrize('name', DATASETS)
def test_every_sha256_matches(name, data_present):
    r = verify_dataset(name, full=True, strict=False)       # re-hash every file, no cache
    assert r['problems'] == []
    assert r['ok'] == r['files'] == len(load_manifest()['datasets'][name]['files'])

@pytest.mark.parametrize('name', DATASETS)
def test_no_unlisted_files(name, data_present):
    d = dataset_dir(name)
    on_disk = {p.relative_to(d).as_posix() for p in d.rglob('*') if p.is_file()}
    assert on_disk == set(load_manifest()['datasets'][name]['files'])

def test_agrees_with_shared_manifest_tsv(data_present):
    rows = list(csv.DictReader(open(data_present/'MANIFEST.tsv'), delimiter='\t'))
    assert len(rows) == 4081
    ds = load_manifest()['datasets']
    for r in rows:
        name, rel = r['dataset'], r['relative_path'].split('/', 1)[1]
        assert ds[name]['files'][rel] == [int(r['bytes']), r['sha256']], r['relative_path']

def test_splits_resolve_to_pairs(data_present):
    assert len(split_names('TNO_37', 'TIM_TNO_test')) == 37
    assert [p.name for p in pair_refs('TNO_42', 'CDDFuse_TNO25')] == [f'{i:02d}' for i in range(1, 26)]
    assert {p.name for p in pair_refs('MSRS_test', 'staged')} <= set(split_names('MSRS_test', 'test_all_361'))
    assert len(split_names('M3FD_samples', 'train')) == 3600 and len(split_names('M3FD_samples', 'val')) == 659
    tim = load_manifest()['datasets']['TNO_37']['splits']['TIM_TNO_test']['tim_list']
    assert len(tim) == 37 and all(len(t.split(':')) == 3 for t in tim)

def test_tim_pad_columns_match_image_sizes(data_present):
    "TIM's list pads each image to a multiple of 4: the multiset of (pad_h, pad_w) must equal that of the 37 images."
    from PIL import Image
    from collections import Counter
    tim = load_manifest()['datasets']['TNO_37']['splits']['TIM_TNO_test']['tim_list']
    want = Counter(tuple(map(int, t.split(':')[1:])) for t in tim)
    have = Counter()
    for r in pair_refs('TNO_37'):
        w, h = Image.open(r.a_path).size
        have[((-h) % 4, (-w) % 4)] += 1
    assert have == want
