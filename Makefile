# cxmap: the two commands of the README.
#   make run   set up, load the demo maps (first time), serve the app on http://localhost:8501
#   make test  set up (Python packages, Debian chromium), then ruff, mypy and every test
#   make canvas  rebuild the canvas editor's bundle (needs Node; the built bundle is committed)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test setup setup-dev browser lint typecheck pytest bench clean canvas

# uv installs the pinned requirements in ~10 s where pip takes ~40 s (it downloads and unpacks
# in parallel); it is itself one pinned package from PyPI, installed by the venv's own pip.
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8

$(UV):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.app-installed: requirements.txt | $(UV)
	$(UV) pip install --quiet --python $(PY) -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.app-installed requirements-dev.txt
	$(UV) pip install --quiet --python $(PY) -r requirements-dev.txt
	touch $@

setup: $(VENV)/.app-installed

setup-dev: $(VENV)/.dev-installed browser

browser:
	@sh scripts/install-browser.sh

run: setup
	@sh scripts/install-browser.sh || echo "warning: no chromium: PDF and PNG exports will not work (everything else does)"
	$(PY) -m cxmap seed
	$(PY) -m cxmap serve --server.port $(PORT)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(VENV)/bin/mypy

pytest: setup-dev
	$(PY) -m pytest

# ruff and mypy (one core, ~35 s on a fresh clone) run beside the tests, not before them.
test: setup-dev
	$(MAKE) --no-print-directory -j3 lint typecheck pytest

bench: setup-dev
	@mkdir -p artifacts
	for script in benchmarks/bench_*.py; do echo "== $$script"; $(PY) $$script; done 2>&1 | tee artifacts/benchmarks.txt

CANVAS := cxmap/app/widgets/canvas_editor/frontend

# The editable canvas's component: TypeScript built by Vite into $(CANVAS)/dist (committed, so
# `make run` needs no Node). `npm ci` installs the exact versions of package-lock.json.
canvas:
	cd $(CANVAS) && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
