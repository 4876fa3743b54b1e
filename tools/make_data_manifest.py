"""Regenerate data_manifest.yaml from the shared data folder and its MANIFEST.tsv.

    python tools/make_data_manifest.py [DATA_ROOT]

The descriptive part (titles, homes, citations, licence notes, layouts) is written here by hand; the
checksums, byte sizes, sources and split lists are read from the data itself. Every file's sha256 is
computed from disk and cross-checked against MANIFEST.tsv; a disagreement stops the script.
"""
import csv, hashlib, re, sys
from collections import defaultdict
from pathlib import Path
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent/'shared'/'data').resolve()

IVIF = dict(task='ivif', modalities=dict(a='ir', b='vis'))
def MED(b): return dict(task='medical', modalities=dict(a='mri', b=b))
TNO = dict(home='https://figshare.com/articles/dataset/TNO_Image_Fusion_Dataset/1008029',
           citation='A. Toet, "The TNO Multiband Image Data Collection", Data in Brief 15:249-251, 2017',
           licence='TNO Image Fusion Dataset (figshare, CC BY 4.0 per figshare record); the mirroring repository carries no licence file for the images')
AANLIB = dict(home='http://www.med.harvard.edu/AANLIB/home.html',
              citation='K. A. Johnson and J. A. Becker, The Whole Brain Atlas (AANLIB), Harvard Medical School',
              licence='no licence file in the mirroring repository; AANLIB images are provided for education and research')
CDDFUSE = dict(citation='Z. Zhao et al., "CDDFuse: Correlation-Driven Dual-Branch Feature Decomposition for Multi-Modality Image Fusion", CVPR 2023 (test set); images from AANLIB',
               licence='no licence file for the images in the repository; AANLIB terms apply', home='http://www.med.harvard.edu/AANLIB/home.html')

META = {
 'TNO_42': dict(IVIF, title='TNO, 42-pair evaluation set of the MATLAB metric suite', format='PNG, grey stored as RGB, mixed sizes', **TNO),
 'TNO_37': dict(IVIF, title="TNO, 37 pairs: very likely TIM's own test list", format='BMP 8-bit grey, mixed sizes', **TNO,
                note="TIM's list (split TIM_TNO_test) names the pairs 1..37 with bottom/right pad columns equal to (-H) mod 4, (-W) mod 4 of these images; the order of the mapping onto A_001..A_037 is not confirmed"),
 'RoadScene_221': dict(IVIF, title='RoadScene (complete, 221 aligned pairs)', format='JPG; IR grey, VIS colour', home='https://github.com/hanna-xu/RoadScene',
                       citation='H. Xu et al., "FusionDN: A Unified Densely Connected Network for Image Fusion", AAAI 2020; "U2Fusion", TPAMI 2022',
                       licence='no licence file in the repository; the authors ask to cite FusionDN/U2Fusion'),
 'Harvard_MRI_CT': dict(MED('ct'), title='Harvard MRI-CT pairs (AANLIB)', format='PNG 256x256', **AANLIB),
 'Harvard_MRI_PET': dict(MED('pet'), title='Harvard MRI-PET pairs (AANLIB)', format='PNG 256x256; PET colour', **AANLIB),
 'Harvard_MRI_SPECT': dict(MED('spect'), title='Harvard MRI-SPECT pairs (AANLIB)', format='PNG 256x256; SPECT colour', **AANLIB),
 'MRI_CT_21': dict(MED('ct'), title='CDDFuse MRI-CT test set', format='PNG 256x256', **CDDFUSE),
 'MRI_PET_42': dict(MED('pet'), title='CDDFuse MRI-PET test set', format='PNG 256x256; PET colour', **CDDFUSE),
 'MRI_SPECT_73': dict(MED('spect'), title='CDDFuse MRI-SPECT test set', format='PNG 256x256; SPECT colour', **CDDFUSE),
 'MSRS_test': dict(IVIF, title='MSRS test pairs (217 of 361 staged) with third-party detection boxes', format='PNG 640x480; IR grey, VIS colour',
                   home='https://github.com/Linfeng-Tang/MSRS',
                   citation='L. Tang et al., "PIAFusion: A progressive infrared and visible image fusion network based on illumination aware", Information Fusion 2022 (MSRS, derived from MFNet)',
                   licence='no licence file for the images; the authors ask to cite PIAFusion',
                   labels=dict(kind='detection', format='YOLO: class cx cy w h (normalised)', classes=['person', 'bicycle', 'car'],
                               folders=dict(fusion='det_label_fusion', infrared='det_label_infrared', visible='det_label_visible'),
                               source='Lele-3/MSRS-detection-label (third-party boxes, not official)'),
                   note='names ending N are night scenes, D daytime; boxes exist for all 361 test names, images for the 217 staged pairs'),
 'LLVIP_test12': dict(IVIF, title='LLVIP, 12 test pairs', format='JPG 1280x1024', home='https://bupt-ai-cz.github.io/LLVIP/',
                      citation='X. Jia et al., "LLVIP: A Visible-infrared Paired Dataset for Low-light Vision", ICCV Workshops 2021',
                      licence='non-commercial use only; must be cited'),
 'VIFB_21': dict(IVIF, title='VIFB benchmark test set', format='JPG; VIS colour', home='https://github.com/xingchenzhang/VIFB',
                 citation='X. Zhang et al., "VIFB: A Visible and Infrared Image Fusion Benchmark", CVPR Workshops 2020 (and its image sources)',
                 licence='no licence file for the images; cite VIFB and its sources'),
 'M3FD_samples': dict(task='detection', modalities=dict(a='ir', b='vis'), title='M3FD id lists only (no images here)', format='text id lists',
                      home='https://github.com/JinyuanLiu-CV/TarDAL',
                      citation='J. Liu et al., "Target-aware Dual Adversarial Learning and a Multi-scenario Multi-Modality Benchmark to Fuse Infrared and Visible for Object Detection" (TarDAL), CVPR 2022',
                      licence='M3FD images and boxes are not available offline; only the split lists are present',
                      note="PAIF's M3FD test uses the 600 test ids"),
}

def sha256(p):
    h = hashlib.sha256()
    with open(p, 'rb') as f:
        for b in iter(lambda: f.read(1 << 20), b''): h.update(b)
    return h.hexdigest()

def read_list(p):
    return [l.split('\t')[0].strip() for l in Path(p).read_text().splitlines() if l.strip() and not l.startswith('#')]

def main():
    rows = list(csv.DictReader(open(DATA/'MANIFEST.tsv'), delimiter='\t'))
    by_ds = defaultdict(list)
    for r in rows: by_ds[r['dataset']].append(r)
    out = {'version': 1, 'description': 'Datasets read in place from the data root (TIMFUSION_DATA, settings.ini data_root, or ../shared/data). '
           'Each file: [bytes, sha256]. Sources: the public repository, path and commit each file was copied from (byte for byte).',
           'datasets': {}}
    for name, meta in META.items():
        d = DATA/name
        ds = dict(meta)
        mods = meta['modalities']
        rs = by_ds[name]
        srcs = defaultdict(set)
        for r in rs:
            top = r['relative_path'].split('/')[1]
            srcs[top].add((r['source_repository'], r['source_path'].rsplit('/', 1)[0] if top in mods.values() or top.startswith('det_label_') and top != 'det_label_meta' else r['source_path'], r['source_commit']))
        ds['source'] = {top: [dict(repository=a, path=b, commit=c) for a, b, c in sorted(v)] for top, v in sorted(srcs.items())}
        tsv = {r['relative_path']: r for r in rs}
        files = {}
        for p in sorted(x for x in d.rglob('*') if x.is_file()):
            rel = p.relative_to(DATA).as_posix()
            h = sha256(p)
            if rel in tsv:
                if tsv[rel]['sha256'] != h or int(tsv[rel]['bytes']) != p.stat().st_size: sys.exit(f'{rel}: disagrees with MANIFEST.tsv')
            files[p.relative_to(d).as_posix()] = [p.stat().st_size, h]
        missing = set(tsv) - {f'{name}/{k}' for k in files}
        if missing: sys.exit(f'{name}: files in MANIFEST.tsv but not on disk: {sorted(missing)[:3]}')
        ds['layout'] = {'a': f"{mods['a']}/", 'b': f"{mods['b']}/", 'match': 'by file name'}
        a_names = sorted(Path(k).name for k in files if k.startswith(mods['a'] + '/'))
        ds['pairs'] = len(a_names)
        splits = {}
        if name == 'TNO_42':
            splits['CDDFuse_TNO25'] = dict(source='split_CDDFuse_TNO25.txt (pixel-identical CDDFuse test images)', names=read_list(d/'split_CDDFuse_TNO25.txt'))
        if name == 'RoadScene_221':
            splits['CDDFuse_RoadScene50'] = dict(source='split_CDDFuse_RoadScene50.txt (byte-identical CDDFuse test images)', names=read_list(d/'split_CDDFuse_RoadScene50.txt'))
        if name == 'TNO_37':
            tim = []
            for l in (d/'split'/'TIM_TNO_test.txt').read_text().split():
                a, b, ph, pw = l.split('>>'); tim.append(f"{Path(a).stem}:{ph}:{pw}")
            splits['TIM_TNO_test'] = dict(source='LiuZhu-CV/TIMFusion TNO_test.txt (name:pad_h:pad_w); all 37 pairs of this folder', names=sorted(a_names), tim_list=tim)
        if name == 'MSRS_test':
            splits['test_all_361'] = dict(source='official MSRS test list (only the staged 217 have images here)', names=read_list(d/'split'/'test_all_361.txt'))
            splits['staged'] = dict(source='split/staged_pairs.txt', names=read_list(d/'split'/'staged_pairs.txt'))
        if name == 'M3FD_samples':
            ds['pairs'] = 0; ds['layout'] = {'ids_only': True}
            for s in ('train', 'val', 'test'):
                splits[s] = dict(source=f'split/{s}.txt (LiuZhu-CV/BDLFusion M3FD/Main)', names=read_list(d/'split'/f'{s}.txt'))
        for sp in splits.values(): sp['names'] = [Path(n).stem for n in sp['names']]
        ds['splits'] = splits
        ds['files'] = files
        out['datasets'][name] = ds
    # the calibration triple used by the metric tests
    cal = DATA/'calibration'
    out['datasets']['calibration'] = dict(task='calibration', title='Metric calibration triple: TNO 01 and the SeAFusion result (channel 0)',
        source={'all': [dict(repository='Linfeng-Tang/Evaluation-for-Image-Fusion', path='Image/ (TNO 01, SeAFusion result)', commit='0e87153be77320e31ef2cabb5820518d2ac56bac')]},
        citation='see ../docs/METRICS.md', licence='as TNO', pairs=0, layout={'triple': ['ir_tno01.png', 'vis_tno01.png', 'fused_tno01_seafusion.png']},
        splits={}, files={p.name: [p.stat().st_size, sha256(p)] for p in sorted(cal.iterdir()) if p.is_file()})
    # keep the registered weights (written by `timfusion train --register`)
    old = ROOT/'data_manifest.yaml'
    if old.exists():
        prev = yaml.safe_load(old.read_text()) or {}
        if prev.get('weights'): out['weights'] = prev['weights']
    sys.path.insert(0, str(ROOT))
    from timfusion.data import write_manifest
    write_manifest(out, ROOT/'data_manifest.yaml', header='# Generated by tools/make_data_manifest.py from the data folder and its MANIFEST.tsv; edit the script, not this file.\n')
    print(f"wrote {ROOT/'data_manifest.yaml'}: {sum(len(v['files']) for v in out['datasets'].values())} files in {len(out['datasets'])} datasets")

if __name__ == '__main__': main()
