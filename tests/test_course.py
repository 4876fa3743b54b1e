"""Course assignments (issues 9 and 21): the release builds, holds no solution or hidden-test text, every master passes and
every release fails (`timfusion.course.check`); under real `nbgrader autograde` the solutions score full marks and every
wrong answer of `course/wrong_answers/` loses points ("calls the library" scores 0 on the cells of the functions it
delegates); hidden tests catch wrong implementations that the visible tests let through; autograde restores the hidden
tests; the solutions release holds no hidden test. Runs nbgrader on a temporary copy of course/ (about 10 minutes on two
CPU cores)."""
import copy, json, shutil
from pathlib import Path

import pytest

pytest.importorskip('nbgrader')
from timfusion import course as C

pytestmark = pytest.mark.slow   # builds and autogrades nbgrader releases: minutes

COURSE = Path(__file__).resolve().parents[1]/'course'
NAMES = ['A1_metrics', 'A2_fusion_loss', 'A3_ias', 'A4_pmi', 'A5_pgd']
# one wrong answer per assignment that passes every visible test: the hidden tests alone must catch it (A5's catchers
# need its slow experiment and are covered by the autograde run)
HIDDEN_ONLY = {'A1_metrics': 'MI without the uint8 quirk', 'A2_fusion_loss': 'ratio weights instead of the softmax',
               'A3_ias': "the released code's sign", 'A4_pmi': 'first-order inner loop'}

@pytest.fixture(scope='module')
def course(tmp_path_factory):
    "A copy of course/ (sources, wrong answers and config only) with the release of every assignment in NAMES built."
    d = tmp_path_factory.mktemp('course')/'course'
    shutil.copytree(COURSE, d, ignore=shutil.ignore_patterns('release', 'submitted', 'autograded', 'feedback', 'solutions', 'dist',
                                                              'gradebook.db*', '.ipynb_checkpoints', 'grades.csv', '__pycache__'))
    made = C.build(NAMES, d)
    assert [p.name for p in made] == [f'{n}.ipynb' for n in NAMES]
    return d

@pytest.fixture(scope='module')
def graded(course):
    "grade_wrong_answers rows of every assignment, by (assignment, answer)."
    return {(r['assignment'], r['answer']): r for r in C.grade_wrong_answers(NAMES, course)}

def _load(p): return json.loads(Path(p).read_text())
def _save(nb, p): Path(p).parent.mkdir(parents=True, exist_ok=True); Path(p).write_text(json.dumps(nb, indent=1))
def _src(cell): return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']
def _cell(nb, gid): return next(c for c in nb['cells'] if c['metadata'].get('nbgrader', {}).get('grade_id') == gid)
def _tag(gid): return '# ' + gid.split('_', 1)[1]            # a1_test_mi → '# test_mi', the cell's first line in reports

def _strip_hidden(source):
    inside, outside, _ = C.regions(source, C.HIDDEN_DELIMITERS)
    return '\n'.join(outside)


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
        srcs = [_src(c) for c in relnb['cells']]
        assert srcs[2].startswith('NAME = ""') and 'COLLABORATORS = ""' in srcs[2], n            # the header cell
        assert sum('.during_tests()' in s and 'GUARD = LibraryGuard(' in s for s in srcs) == 1, n  # the library guard
        assert '*Grading (2 points, by hand):*' in text, n                                        # the written answer's rubric
        for ref in ('shared/docs', 'nbs/', 'METRICS.md'): assert ref not in text, (n, ref)        # self-contained
    a1 = _load(course/'release'/'A1_metrics'/'A1_metrics.ipynb')
    assert 'evaluate' not in _src(_cell(a1, 'a1_compare')) and 'library' not in _src(_cell(a1, 'a1_compare'))


def test_check_passes(course):
    rows = C.check(NAMES, course, wrong=False)
    assert len(rows) == 5 * len(NAMES) and all(r['ok'] for r in rows), [r for r in rows if not r['ok']]
    by = {(r['assignment'], r['check']): r for r in rows}
    for n in NAMES:
        assert by[(n, 'master passes')]['detail'] == 'passes'
        assert by[(n, 'release fails')]['detail'] == 'passes none'


def test_wrong_answers_lose_points(course, graded):
    "Real autograde: full marks for the solutions, fewer for every wrong answer; 'calls the library' scores 0 on its cells."
    full = {'A1_metrics': 10, 'A2_fusion_loss': 12, 'A3_ias': 8, 'A4_pmi': 10, 'A5_pgd': 12}
    for n in NAMES:
        spec = C.wrong_answers(n, course)
        sol = graded[(n, 'solution')]
        assert sol['ok'] and sol['max_score'] == full[n], sol
        assert set(sol['lost']) <= set(spec['full_only']), sol                  # shortened experiments only
        assert len(spec['wrong']) >= 3 and 'calls the library' in spec['wrong'], n
        for what, w in spec['wrong'].items():
            r = graded[(n, what)]
            assert r['ok'] and r['score'] < sol['score'] and set(w['lose']) <= set(r['lost']), r
        lib = graded[(n, 'calls the library')]
        cells = {c for c in spec['wrong']['calls the library']['lose']}
        master = _load(course/'source'/n/f'{n}.ipynb')
        pts = sum(_cell(master, c)['metadata']['nbgrader']['points'] for c in cells)
        assert lib['score'] <= sol['score'] - pts, lib                            # every delegated cell scores 0
    for what in ('attacks the visible image only', 'no attack', 'gradient descent instead of ascent'):
        assert set(graded[('A5_pgd', what)]['lost']) - {'a5_test_experiment'} == {'a5_test_miou'}, graded[('A5_pgd', what)]


@pytest.mark.parametrize('name', list(HIDDEN_ONLY))
def test_hidden_tests_catch_a_wrong_implementation(course, name):
    spec = C.wrong_answers(name, course)
    w = spec['wrong'][HIDDEN_ONLY[name]]
    master, rel = _load(course/'source'/name/f'{name}.ipynb'), _load(course/'release'/name/f'{name}.ipynb')
    wrong = copy.deepcopy(master)
    for old, new in spec['shorten']:
        for c in wrong['cells']: c['source'] = _src(c).replace(old, new)
    for gid, func, body in w['edits']:
        c = _cell(wrong, gid); c['source'] = C.replace_solution(_src(c), func, body)
    _save(wrong, course/'wrong'/name/f'{name}.ipynb')
    v = C.validate(course/'wrong'/name/f'{name}.ipynb', course_dir=course)
    assert not v['ok'] and v['status'] == 'fails', v['output'][-2000:]
    assert {_tag(g) for g in w['lose']} <= {c.split(':')[0] for c in v['cells']}, v['cells']
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
            C.check('A3', course, wrong=False)
    finally: rel.write_text(saved)


def test_autograde_restores_hidden_tests(course):
    "A filled-in release of A3 scores full marks on the autograded cells in the course's own gradebook; the hidden tests are restored."
    from nbgrader.api import Gradebook
    master, rel = _load(course/'source'/'A3_ias'/'A3_ias.ipynb'), _load(course/'release'/'A3_ias'/'A3_ias.ipynb')
    _save(C.submission(master, rel), course/'submitted'/'alice'/'A3_ias'/'A3_ias.ipynb')
    r = C._nbgrader(['autograde', 'A3_ias', '--create'], course, timeout=900)
    assert r.returncode == 0 and not C._log_errors(r.stderr), r.stderr[-2000:]
    # the only warnings on an untouched submission: the checksums of the cells with hidden tests (course/README.md)
    warned = sorted(l.split("for cell ")[1].split(' ')[0] for l in r.stderr.splitlines() if "Attribute 'checksum'" in l)
    hidden = sorted(c['metadata']['nbgrader']['grade_id'] for c in master['cells'] if C.HIDDEN_DELIMITERS[0] in _src(c))
    assert warned == hidden, (warned, hidden)
    with Gradebook(f"sqlite:///{course/'gradebook.db'}") as gb:
        assert gb.find_submission('A3_ias', 'alice').score == 8        # the written answer (2 points) awaits manual grading
    graded = (course/'autograded'/'alice'/'A3_ias'/'A3_ias.ipynb').read_text()
    assert C.HIDDEN_DELIMITERS[0] in graded and '_ias(_up, _lo, [_th], [_al])' in graded   # restored from the gradebook


def test_solutions_release(course):
    made = C.solutions(NAMES, course)
    assert made == [course/'solutions'/n/f'{n}.ipynb' for n in NAMES]
    for n, p in zip(NAMES, made):
        text, master = p.read_text(), _load(course/'source'/n/f'{n}.ipynb')
        srcs = '\n'.join(_src(c) for c in _load(p)['cells'])
        for d in C.SOLUTION_DELIMITERS + C.HIDDEN_DELIMITERS: assert d not in text, (n, d)
        for c in master['cells']:
            sol, rest, _ = C.regions(_src(c))
            hid, pub, _ = C.regions('\n'.join(rest), C.HIDDEN_DELIMITERS)
            assert all(l in srcs for l in sol if not any(d in l for d in C.SOLUTION_DELIMITERS)), n      # solutions and model answers
            assert all(l.strip() not in srcs for l in hid if len(l.strip()) > 25 and l not in pub), n    # no hidden test
