"""The documentation site (`timfusion.site`, nbs/32_site.ipynb) checked in a real browser.

`test_site_in_browser` builds the site (one notebook executed, the report pages from the committed artifacts), serves it
on 127.0.0.1 and opens every page in headless Chromium (Debian's `chromium` + `chromium-driver`, driven by Selenium):
status 200, no broken internal link or image, no console error, every report page shows its table and figure, the home
page its scoreboard, equations typeset, search answers; screenshots of the home page and of TIM_Table1's page are not blank.
It is marked `browser` (and `slow`): `make test-slow` installs Chromium (tools/install_browser.sh) and runs it; where
Chromium or its driver is absent it is skipped with the reason.
"""
import functools, http.server, shutil, threading, time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import Request, urlopen
from urllib.error import HTTPError

import pytest

from timfusion.core import project_root, settings
from timfusion.site import build, library_notebooks, module_pages, notebook_module, report_items

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
DRIVER = shutil.which('chromedriver')


def test_every_module_has_a_page():
    "Each module the notebooks export has its page, where a docstring's Docs: link would point."
    pages = module_pages()
    exported = {notebook_module(p) for p in library_notebooks()} - {None}
    assert exported == set(pages), exported ^ set(pages)
    for mod, page in pages.items():
        assert (project_root()/page.replace('.html', '.ipynb')).exists(), (mod, page)


class _Refs(HTMLParser):
    "The href/src targets of a page."
    def __init__(self):
        super().__init__(); self.refs = []
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if v and ((tag == 'a' and k == 'href') or (tag in ('img', 'script') and k == 'src') or (tag == 'link' and k == 'href')):
                self.refs.append(v)


def _status(url:str, method:str='GET')->int:
    try:
        with urlopen(Request(url, method=method), timeout=30) as r: return r.status
    except HTTPError as e: return e.code


@pytest.fixture(scope='module')
def served_site(tmp_path_factory):
    site = build(tmp_path_factory.mktemp('site')/'_site', execute='index', jobs=2, log=lambda *_: None)
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f'http://127.0.0.1:{server.server_address[1]}/'
    server.shutdown(); server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address): pass   # the browser dropping a connection it no longer needs


@pytest.fixture(scope='module')
def browser():
    if not (CHROMIUM and DRIVER): pytest.skip('Chromium or chromedriver not installed: run tools/install_browser.sh (Debian: chromium, chromium-driver)')
    webdriver = pytest.importorskip('selenium.webdriver', reason='selenium is not installed: pip install -e ".[dev]"')
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--window-size=1300,1800'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    drv = webdriver.Chrome(options=opts, service=webdriver.ChromeService(executable_path=DRIVER))
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


def _not_blank(png:Path):
    from PIL import Image, ImageStat
    im = Image.open(png).convert('L')
    assert im.size[0] > 500 and im.size[1] > 500, im.size
    assert ImageStat.Stat(im).stddev[0] > 10, f'{png} looks blank'
    assert len(im.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 20, f'{png} has almost no colours'


@pytest.mark.slow
@pytest.mark.browser
def test_site_in_browser(served_site, browser, tmp_path):
    site, base = served_site
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob('*.html'))
    assert 'index.html' in pages and 'reports/TIM_Table1.html' in pages and 'nbs/00_core.html' in pages
    checked, problems = {}, []
    by_item = {}
    for rep, it in report_items().items(): by_item.setdefault(it, []).append(rep)
    for page in pages:
        url = base + page
        assert _status(url) == 200, url
        parser = _Refs(); parser.feed((site/page).read_text(encoding='utf-8'))
        for ref in parser.refs:
            if urlsplit(ref).scheme or ref.startswith(('//', 'mailto:', '#', 'javascript:')): continue
            target = urljoin(url, ref).split('#')[0].split('?')[0]
            if target not in checked: checked[target] = _status(target, 'HEAD')
            if checked[target] != 200: problems.append(f'{page}: broken link {ref} ({checked[target]})')
        browser.get(url)
        if page.startswith('reports/') or page == 'index.html' or page.startswith('nbs/'):
            time.sleep(0.2)                               # MathJax typesets after load
        broken = browser.execute_script(
            "return [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'))")
        problems += [f'{page}: image not loaded {s}' for s in broken]
        problems += [f"{page}: console {e['level']}: {e['message']}" for e in browser.get_log('browser') if e['level'] == 'SEVERE']
        item = Path(page).stem
        if page.startswith('reports/') and item != 'index':
            arts = [p.name for rep in by_item.get(item, []) for p in settings().reports_dir.glob(f'{rep}.*')]
            if any(a.endswith('.csv') for a in arts):
                n = browser.execute_script("return document.querySelectorAll('article table').length")
                if not n: problems.append(f'{page}: no table')
            if any(a.endswith('.png') for a in arts):
                n = browser.execute_script("return [...document.querySelectorAll('article img')].filter(i => i.naturalWidth > 100).length")
                if not n: problems.append(f'{page}: no figure')
    assert not problems, '\n'.join(problems[:40])

    browser.get(base + 'index.html')
    board = browser.execute_script("const t = document.querySelector('#claims-scoreboard table'); return t ? t.innerText : ''")
    for word in ('HOLDS', 'FAILS', 'INCONCLUSIVE', 'UNTESTABLE', 'TIM', 'PAIF'): assert word in board, board
    browser.save_screenshot(str(tmp_path/'home.png')); _not_blank(tmp_path/'home.png')

    browser.get(base + 'reports/TIM_Table1.html')
    text = browser.execute_script("return document.querySelector('article').innerText")
    assert 'paper' in text and 'ours' in text and 'delta' in text and 'TIM-C01' in text, text[:500]
    browser.save_screenshot(str(tmp_path/'TIM_Table1.png')); _not_blank(tmp_path/'TIM_Table1.png')

    math_page = next(p for p in pages if p.startswith('nbs/') and 'class="math' in (site/p).read_text(encoding='utf-8'))
    browser.get(base + math_page)
    for _ in range(100):
        if browser.execute_script("return document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML').length"): break
        time.sleep(0.1)
    else: pytest.fail(f'{math_page}: MathJax typeset no equation')

    browser.get(base + 'search.html?q=bootstrap')
    for _ in range(100):
        if browser.execute_script("return document.querySelectorAll('#search-results li').length"): break
        time.sleep(0.1)
    else: pytest.fail('search.html?q=bootstrap: the client-side search found nothing')
    assert not [e for e in browser.get_log('browser') if e['level'] == 'SEVERE']
