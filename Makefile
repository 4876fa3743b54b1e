# Two entry points (see README): `make reproduce` (the smoke reproduction) and `make check` (what CI runs: `make test`, the
# fast set, then `make test-slow`, the study-scale set).
# Both create .venv and install the project into it when pyproject.toml changes.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PROFILE ?= smoke
ONLY ?=
STAMP := $(VENV)/.installed

.PHONY: install reproduce check test test-slow check-clean nbtest nbtest-slow pytest pytest-slow smoke-report lab clean-cache bench docs browser course course-check

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	set -o pipefail; $(BIN)/python -m pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | { grep -v '^WARNING: Location' || true; }
	@touch $(STAMP)

install: $(STAMP)

## the main job: regenerate reports/ at PROFILE (smoke by default); ONLY=ID[,ID] restricts it
reproduce: $(STAMP)
	$(BIN)/timfusion reports run --profile $(PROFILE) $(if $(ONLY),--only $(ONLY),)

## the test command (CI): the fast set, then the study-scale set
check: test test-slow

## the fast set a developer runs often: notebooks clean and exported, nbdev tests, pytest (not slow), one smoke report per paper
test: $(STAMP) check-clean nbtest pytest smoke-report

## the study-scale set: notebook cells flagged `#| slow` and pytest tests marked slow
## (browser: Chromium for the site's browser test, tests/test_site.py, marked slow)
test-slow: $(STAMP) browser nbtest-slow pytest-slow

check-clean: $(STAMP)
	$(BIN)/nbdev-clean
	@git diff --quiet -- nbs || { git --no-pager diff --stat -- nbs; echo "notebooks are not clean: run nbdev-clean and commit"; exit 1; }
	$(BIN)/nbdev-export
	@test -z "$$(git status --porcelain -- timfusion)" || { git status --porcelain -- timfusion; echo "notebooks and library are not in sync: run nbdev-export and commit"; exit 1; }

nbtest: $(STAMP)
	TIMFUSION_CACHE=$$(mktemp -d) $(BIN)/nbdev-test --n-workers 2

nbtest-slow: $(STAMP)
	TIMFUSION_CACHE=$$(mktemp -d) $(BIN)/nbdev-test --n-workers 2 --flags slow --file-re "^($$(grep -rl --include='*.ipynb' '"#| slow' nbs | xargs -n1 basename | sed 's/\.ipynb$$//' | paste -sd'|'))\.ipynb$$"

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" tests

pytest-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow tests

smoke-report: $(STAMP)
	d=$$(mktemp -d); TIMFUSION_REPORTS=$$d TIMFUSION_CACHE=$$d/cache $(BIN)/timfusion reports run --profile smoke --only DATA_Inventory,TIM_Fig11,PAIF_Table7,CLAIMS

## the documentation site in _site/ (open _site/index.html): library notebooks executed at the smoke profile, report pages
## from the committed reports/; EXECUTE=none (or names: 00_core,tim/11_ias) executes fewer notebooks
SITE ?= _site
EXECUTE ?= all
docs: $(STAMP)
	$(BIN)/timfusion docs build --out $(SITE) --execute $(EXECUTE)

browser:
	bash tools/install_browser.sh

lab: $(STAMP)
	$(BIN)/jupyter lab nbs

bench: $(STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## the course kit (course/README.md): releases and the students' wheel; the full check autogrades the wrong answers (minutes)
course: $(STAMP)
	$(BIN)/timfusion course build --wheel

course-check: $(STAMP)
	$(BIN)/timfusion course build && $(BIN)/timfusion course check

clean-cache:
	rm -rf .cache
