"""Course assignments (issue 9): the release builds, holds no solution or hidden-test text, every master passes and
every release fails (`timfusion.course.check`), hidden tests catch deliberately wrong implementations that the
visible tests let through, and a filled-in release autogrades through nbgrader's gradebook.
Runs nbgrader on a temporary copy of course/ (about 6-7 minutes on two CPU cores)."""
import copy, json, shutil
from pathlib import Path

import pytest

pytest.importorskip('nbgrader')
from timfusion import course as C

pytestmark = pytest.mark.slow   # builds and autogrades nbgrader releases: minutes

COURSE = Path(__file__).resolve().parents[1]/'course'
NAMES = ['A1_metrics', 'A2_fusion_loss', 'A3_ias', 'A4_pmi', 'A5_pgd']

# deliberately wrong implementations that pass every visible test: (solution cell id, function, new body, cells that must fail)
WRONG = {
    # MI without the reference code's uint8 joint-histogram quirk (METRICS.md pitfall 6): ~1 % off on TNO
    'A1_metrics': ('a1_mi', 'mi_pair', """\
X = np.asarray(X, dtype=np.uint8).ravel().astype(np.int64)
F = np.asarray(F, dtype=np.uint8).ravel().astype(np.int64)
H = lambda c: float(-(c[c > 0] / X.size * np.log2(c[c > 0] / X.size)).sum())
return H(np.bincount(X, minlength=256)) + H(np.bincount(F, minlength=256)) - H(np.bincount(X * 256 + F, minlength=65536))""",
                   {'# test_mi'}),
    # saliency weights normalised by their sum instead of the paper's softmax
    'A2_fusion_loss': ('a2_weights', 'weights', """\
sa, sb = saliency(a), saliency(b)
return sa / (sa + sb), sb / (sa + sb)""", {'# test_weights', '# test_loss', '# test_optimum'}),
    # Eq. 4 with the sign of the released code's form (+ratio·h instead of −ratio·h)
    'A3_ias': ('a3_eq4', 'eq4', """\
gg = torch.dot(g, g)
ratio = torch.dot(g, v) / gg if gg > eps else torch.zeros(())
return d_alpha + ratio * h""", {'# test_eq4', '# test_hypergradients'}),
    # first-order inner loop: no create_graph, so the meta-gradient skips the Jacobian of the K steps (FOMAML)
    'A4_pmi': ('a4_inner', 'sgd_inner', """\
theta = dict(params)
for a, b in batches:
    loss = loss_fn(functional_call(net, theta, (a, b)), a, b)
    grads = torch.autograd.grad(loss, list(theta.values()), allow_unused=True)
    theta = {k: w if g is None else w - lr * g for (k, w), g in zip(theta.items(), grads)}
return theta  # first order""", {'# test_inner', '# test_meta_loss', '# test_meta_step'}),
}

# the wrong-implementation runs only need the cells that catch the mistake: a shorter experiment keeps them fast
# (the master runs in full in test_check_passes); each replacement must match exactly once in the master
SHORTEN = {'A4_pmi': [('META_STEPS, ADAPT_STEPS = 30, 6', 'META_STEPS, ADAPT_STEPS = 2, 2'),
                      ('SEEDS = (0, 1, 2)', 'SEEDS = (0,)')]}

@pytest.fixture(scope='module')
def course(tmp_path_factory):
    "A copy of course/ (sources and config only) with the release of every assignment in NAMES built."
    d = tmp_path_factory.mktemp('course')/'course'
    shutil.copytree(COURSE, d, ignore=shutil.ignore_patterns('release', 'submitted', 'autograded', 'feedback',
                                                              'gradebook.db*', '.ipynb_checkpoints', 'grades.csv'))
    made = C.build(NAMES, d)
    assert [p.name for p in made] == [f'{n}.ipynb' for n in NAMES]
    return d

def _load(p): return json.loads(Path(p).read_text())
def _save(nb, p): Path(p).parent.mkdir(parents=True, exist_ok=True); Path(p).write_text(json.dumps(nb, indent=1))
def _src(cell): return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']
def _cell(nb, gid): return next(c for c in nb['cells'] if c['metadata'].get('nbgrader', {}).get('grade_id') == gid)

def _replace_solution(source, func, body):
    "Replace the solution region that follows `def func(` by `body`, indented like the region's delimiter."
    lines = source.split('\n')
    start = next(i for i, l in enumerate(lines) if l.lstrip().startswith(f'def {func}('))
    b = next(i for i in range(start, len(lines)) if C.SOLUTION_DELIMITERS[0] in lines[i])
    e = next(i for i in range(b, len(lines)) if C.SOLUTION_DELIMITERS[1] in lines[i])
    ind = lines[b][:len(lines[b]) - len(lines[b].lstrip())]
    return '\n'.join(lines[:b + 1] + [ind + l for l in body.split('\n')] + lines[e:])

def _strip_hidden(source):
    inside, outside, _ = C.regions(source, C.HIDDEN_DELIMITERS)
    return '\n'.join(outside)

def _tags(cells): return {c.split(':')[0] for c in cells}


def test_release_has_no_solution_or_hidden_text(course):
    for n in NAMES:
        master, rel = course/'source'/n/f'{n}.ipynb', course/'release'/n/f'{n}.ipynb'
        text, mtext = rel.read_text(), master.read_text()
        for d in C.SOLUTION_DELIMITERS + C.HIDDEN_DELIMITERS:
            assert d in mtext and d not in text, (n, d)
        leaks = C.find_leaks(_load(master), _load(rel))
        assert leaks['solution'] == [] and leaks['hidden'] == [] and leaks['hidden_regions'] >= 3, (n, leaks)
        assert 'raise NotImplementedError()' in text and 'YOUR ANSWER HERE' in text
        # every secret line is really gone (not merely excluded by the scan's public-line rule)
        relnb = _load(rel)
        for c in _load(master)['cells']:
            sol, rest, _ = C.regions(_src(c))
            hid, _, _ = C.regions('\n'.join(rest), C.HIDDEN_DELIMITERS)
            for line in (l.strip() for l in sol + hid if len(l.strip()) > 25):
                assert all(line not in _src(rc) for rc in relnb['cells']), (n, line)
        assert 'import timfusion' in mtext


def test_check_passes(course):
    rows = C.check(NAMES, course)
    assert len(rows) == 5 * len(NAMES) and all(r['ok'] for r in rows), [r for r in rows if not r['ok']]
    by = {(r['assignment'], r['check']): r for r in rows}
    for n in NAMES:
        assert by[(n, 'master passes')]['detail'] == 'passes'
        assert by[(n, 'release fails')]['detail'] == 'passes none'


@pytest.mark.parametrize('name', list(WRONG))       # A5's wrong versions were checked by hand (course/README.md): its experiment is slow
def test_hidden_tests_catch_a_wrong_implementation(course, name):
    gid, func, body, must_fail = WRONG[name]
    wrong = _load(course/'source'/name/f'{name}.ipynb')
    for old, new in SHORTEN.get(name, []):
        assert sum(_src(c).count(old) for c in wrong['cells']) == 1, (name, old)
        for c in wrong['cells']: c['source'] = _src(c).replace(old, new)
    cell = _cell(wrong, gid)
    cell['source'] = _replace_solution(_src(cell), func, body)
    assert body.split('\n')[-1] in cell['source']
    _save(wrong, course/'wrong'/name/f'{name}.ipynb')
    v = C.validate(course/'wrong'/name/f'{name}.ipynb', course_dir=course)
    assert not v['ok'] and v['status'] == 'fails', v['output'][-2000:]
    assert must_fail <= _tags(v['cells']), v['cells']
    # the same wrong notebook without its hidden tests passes: the hidden tests are what catch the mistake
    visible = copy.deepcopy(wrong)
    for c in visible['cells']:
        if c['metadata'].get('nbgrader', {}).get('grade'): c['source'] = _strip_hidden(_src(c))
    _save(visible, course/'visible'/name/f'{name}.ipynb')
    v = C.validate(course/'visible'/name/f'{name}.ipynb', course_dir=course)
    assert v['ok'] and v['status'] == 'passes', v['output'][-2000:]


def test_check_names_the_assignment_on_a_leak(course):
    rel = course/'release'/'A3_ias'/'A3_ias.ipynb'
    saved = rel.read_text()
    try:
        nb = _load(rel)
        nb['cells'].append(dict(cell_type='markdown', id='leak0001', metadata={}, source='    return d_alpha - ratio * h'))
        _save(nb, rel)
        with pytest.raises(C.CourseError, match=r"course check A3_ias: 'no solution text' failed \(1 line\(s\) leaked"):
            C.check('A3', course)
    finally: rel.write_text(saved)


def test_autograde_restores_hidden_tests(course):
    "A student's filled-in release of A3 scores full marks on the autograded cells; the wrong Eq. 4 loses the hidden points."
    from nbgrader.api import Gradebook
    master, rel = _load(course/'source'/'A3_ias'/'A3_ias.ipynb'), _load(course/'release'/'A3_ias'/'A3_ias.ipynb')
    good = copy.deepcopy(rel)
    for c in good['cells']:
        meta = c['metadata'].get('nbgrader', {})
        if meta.get('solution') and c['cell_type'] == 'code':
            c['source'] = '\n'.join(l for l in _src(_cell(master, meta['grade_id'])).split('\n')
                                    if not any(d in l for d in C.SOLUTION_DELIMITERS))
    bad = copy.deepcopy(good)
    gid, func, body, _ = WRONG['A3_ias']
    c = _cell(bad, gid); c['source'] = _src(c).replace('    return d_alpha - ratio * h', '    return d_alpha + ratio * h')
    assert 'd_alpha + ratio * h' in c['source']
    _save(good, course/'submitted'/'alice'/'A3_ias'/'A3_ias.ipynb')
    _save(bad, course/'submitted'/'bob'/'A3_ias'/'A3_ias.ipynb')
    r = C._nbgrader(['autograde', 'A3_ias', '--create'], course, timeout=900)
    assert r.returncode == 0 and not C._log_errors(r.stderr), r.stderr[-2000:]
    auto = sum(c['metadata']['nbgrader']['points'] for c in master['cells']
               if c['metadata'].get('nbgrader', {}).get('grade') and not c['metadata']['nbgrader'].get('solution'))
    with Gradebook(f"sqlite:///{course/'gradebook.db'}") as gb:
        alice, bob = (gb.find_submission('A3_ias', s).score for s in ('alice', 'bob'))
    assert alice == auto == 8                           # the written answer (2 points) awaits manual grading
    assert bob <= auto - 3                              # test_eq4's hidden tests fail (its visible ones pass)
    graded = (course/'autograded'/'alice'/'A3_ias'/'A3_ias.ipynb').read_text()
    assert C.HIDDEN_DELIMITERS[0] in graded and '_ias(_up, _lo, [_th], [_al])' in graded   # restored from the gradebook
