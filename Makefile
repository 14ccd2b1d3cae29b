# One-command set-up: every target below creates .venv and installs what it needs on first use.
#   make handouts   build every handout PDF into handouts/ (the main job)
#   make test       run every test
#   make lab        open JupyterLab at the start page that links every lesson
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: handouts handouts-a4 test check lab bench install browser-deps labextension clean help

help:
	@echo "make handouts   build every student and teacher handout (US Letter) into handouts/"
	@echo "make handouts-a4  the same on A4 paper (files end in -a4.pdf)"
	@echo "make test       run every test (content, exercises, saved work, notebooks, PDFs)"
	@echo "make check      validate the lesson content only"
	@echo "make lab        open JupyterLab at notebooks/index.ipynb"
	@echo "make bench      compare handout build speed with nbconvert's PDF routes"
	@echo "make labextension  rebuild the JupyterLab extension (student mode) from labextension/ (needs Node.js)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python tools/jupyter_data.py
	touch $(STAMP)

install: $(STAMP)

handouts: $(STAMP)
	$(BIN)/civicnb build --check

handouts-a4: $(STAMP)
	$(BIN)/civicnb build --check --paper a4

check: $(STAMP)
	$(BIN)/civicnb check

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest

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

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_handouts.py

clean:
	rm -rf build handouts/*.pdf handouts/.build-cache.json .pytest_cache test-artifacts
