# One-command set-up: every target below creates .venv and installs what it needs on first use.
#   make handouts   build every handout PDF into handouts/ (the main job)
#   make test       run every test
#   make test-hub   only the school JupyterHub test (root: two throwaway student accounts)
#   make lab        open JupyterLab at the start page that links every lesson
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: handouts handouts-a4 test check lab bench bench-summary bundle install browser-deps labextension clean help site site-deps bench-site

help:
	@echo "make handouts   build every student and teacher handout (US Letter) into handouts/"
	@echo "make handouts-a4  the same on A4 paper (files end in -a4.pdf)"
	@echo "make test       run every test (content, exercises, saved work, notebooks, PDFs)"
	@echo "make test-hub   only the school JupyterHub test (two students, nbgitpuller, the teacher collects)"
	@echo "make check      validate the lesson content only"
	@echo "make lab        open JupyterLab at notebooks/index.ipynb"
	@echo "make bundle     compile the lessons for the browser (build/civicnb-bundle/ and its wheel in build/wheels/)"
	@echo "make bench      compare handout build speed with nbconvert's PDF routes"
	@echo "make bench-summary  time the class summary on 40 classes of 35 students"
	@echo "make site       build the static web site (JupyterLite, runs in the browser alone) into site/"
	@echo "make bench-site measure the site: size, first load, reload (Chromium)"
	@echo "make labextension  rebuild the JupyterLab extension (student mode) from labextension/ (needs Node.js)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python tools/jupyter_data.py
	touch $(STAMP)

install: $(STAMP)

handouts: $(STAMP)
	$(BIN)/civicnb build --check --per-period

handouts-a4: $(STAMP)
	$(BIN)/civicnb build --check --per-period --paper a4

check: $(STAMP)
	$(BIN)/civicnb check

test: $(STAMP) browser-deps hub-deps pyodide-deps site-deps
	CIVICNB_HUB_USER_ENV=$(HUB_USER_ENV) $(BIN)/python -m pytest

test-hub: $(STAMP) browser-deps hub-deps
	CIVICNB_HUB_USER_ENV=$(HUB_USER_ENV) $(BIN)/python -m pytest tests/test_hub.py

# The browser tests drive JupyterLab in Debian's Chromium (a browser download by Playwright is not
# used). Installed with apt-get when missing and we are root; otherwise a note, and those tests skip.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "browser-deps: installing Debian's chromium for the browser tests (apt-get)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	    || echo "browser-deps: NOTE: could not install chromium; the browser tests will be skipped"; \
	else \
	  echo "browser-deps: NOTE: /usr/bin/chromium is missing and this is not root (or not Debian):"; \
	  echo "  the browser tests will be skipped. Install it with: sudo apt-get install chromium"; \
	fi

# The school JupyterHub test (tests/test_hub.py) runs a real JupyterHub as root, with two throwaway
# local student accounts. It needs two things besides the project's .venv (where jupyterhub runs):
# - configurable-http-proxy from npm, installed into tests/hub/node_modules from the lock file there
#   (never globally);
# - a "user environment" that every student account can run, as on a real hub's user image: a venv
#   made with Debian's /usr/bin/python3 at $(HUB_USER_ENV), outside this folder (which a student account
#   may not be allowed to enter), with this package's dependencies, jupyterhub and nbgitpuller. The
#   test installs civicnb itself into it from a git repository, as docs/classroom-delivery.md says.
# Not root: a note, and the test skips (in CI it fails instead).
HUB_USER_ENV ?= /opt/civicnb-hub-test/user-env
HUB_PROXY    := tests/hub/node_modules/.package-lock.json
HUB_STAMP    := $(HUB_USER_ENV)/.civicnb-stamp

.PHONY: test-hub hub-deps
hub-deps: $(STAMP)
	@if [ "$$(id -u)" != 0 ]; then \
	  echo "hub-deps: NOTE: not root, so the JupyterHub test will be skipped (it creates two local users)"; \
	else $(MAKE) --no-print-directory $(HUB_PROXY) $(HUB_STAMP); fi

$(HUB_PROXY): tests/hub/package.json tests/hub/package-lock.json
	@command -v npm >/dev/null || { echo "hub-deps: npm is missing: install Node.js 20 or newer with npm"; exit 1; }
	cd tests/hub && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(HUB_STAMP): pyproject.toml $(STAMP)
	@/usr/bin/python3 -c "import ensurepip, venv" 2>/dev/null || { \
	  echo "hub-deps: installing Debian's python3-venv for the hub's user environment (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
	test -x $(HUB_USER_ENV)/bin/python || /usr/bin/python3 -m venv $(HUB_USER_ENV)
	$(HUB_USER_ENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_USER_ENV)/bin/python -m pip install --quiet . "setuptools>=77" wheel nbgitpuller \
	  "jupyterhub==$$($(BIN)/python -c 'import jupyterhub; print(jupyterhub.__version__)')"
	chmod -R a+rX $(HUB_USER_ENV)
	touch $@

# The static site (JupyterLite + Pyodide): its builder lives in its own environment (.venv-site, pinned in
# tools/site/requirements.txt) so the Pyodide kernel's extension never loads in the project's JupyterLab;
# Pyodide itself comes from npm, installed into tools/site/node_modules from the lock file there.
SITE_VENV  := .venv-site
SITE_STAMP := $(SITE_VENV)/.installed-stamp
SITE_NODE  := tools/site/node_modules/.package-lock.json

$(SITE_STAMP): tools/site/requirements.txt
	test -x $(SITE_VENV)/bin/python || $(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet -r tools/site/requirements.txt
	touch $@

$(SITE_NODE): tools/site/package.json tools/site/package-lock.json
	@command -v npm >/dev/null || { echo "site: npm is missing: install Node.js 20 or newer with npm"; exit 1; }
	cd tools/site && npm ci --no-audit --no-fund --loglevel=error
	touch $@

site-deps: $(STAMP) $(SITE_STAMP) $(SITE_NODE)

site: handouts site-deps
	$(BIN)/python tools/build_site.py --jupyter $(SITE_VENV)/bin/jupyter

bench-site: site browser-deps
	$(BIN)/python benchmarks/bench_site.py

# The Pyodide test (tests/test_pyodide.py) runs the notebook runtime in real Pyodide under Node: npm's
# `pyodide` (core runtime only, no CDN) into tests/pyodide/node_modules from the lock file there, and the
# pure-Python wheels of requirements/pyodide-runtime.txt (PyPI, hash-checked) into tests/pyodide/wheels.
# Without npm: a note, and the test skips (in CI it fails instead).
PYODIDE_NPM    := tests/pyodide/node_modules/.package-lock.json
PYODIDE_WHEELS := tests/pyodide/wheels/.stamp

.PHONY: pyodide-deps
pyodide-deps: $(STAMP)
	@if ! command -v npm >/dev/null; then \
	  echo "pyodide-deps: NOTE: npm (Node.js 20 or newer) is missing: the Pyodide test will be skipped"; \
	else $(MAKE) --no-print-directory $(PYODIDE_NPM) $(PYODIDE_WHEELS); fi

$(PYODIDE_NPM): tests/pyodide/package.json tests/pyodide/package-lock.json
	cd tests/pyodide && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(PYODIDE_WHEELS): requirements/pyodide-runtime.txt $(STAMP)
	rm -rf tests/pyodide/wheels
	$(BIN)/python -m pip download --quiet --no-deps --only-binary=:all: --platform any --python-version 3.14 \
	  --implementation py --abi none --require-hashes -r requirements/pyodide-runtime.txt -d tests/pyodide/wheels
	touch $@

# JupyterLab refuses to start as root unless told; school and laptop users are not root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/index.ipynb

# The extension is committed prebuilt (src/civicnb/labextension/), so installing and testing need no
# Node.js. After changing labextension/, rebuild with this target (npm registry: @jupyterlab/builder).
LABEXT_OUT := src/civicnb/labextension/civicnb-lab
labextension: $(STAMP)
	cd labextension && npm ci --no-audit --no-fund
	cd labextension && npx tsc
	rm -rf $(LABEXT_OUT)
	cd labextension && node node_modules/@jupyterlab/builder/lib/build-labextension.js \
	  --core-path "$$(../$(BIN)/python -c 'import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging"))')" .
	$(BIN)/python tools/jupyter_data.py --record-hash
	$(BIN)/python tools/jupyter_data.py

bundle: $(STAMP)
	$(BIN)/civicnb bundle build/civicnb-bundle --wheel build/wheels

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_handouts.py

bench-summary: $(STAMP)
	$(BIN)/python benchmarks/bench_summary.py

clean:
	rm -rf build site handouts/*.pdf handouts/.build-cache.json .pytest_cache test-artifacts
