# ckanext-hamm — the two commands: `make demo` and `make test`.
# A fresh Debian/Ubuntu machine with Python >= 3.10 needs nothing else.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
DEVSTACK := $(PY) -m ckanext.hamm.devstack --host $(HOST) --port $(PORT)

.PHONY: demo dev test test-fast lint stop status token backup restore install install-dev clean-state help translations browser-tools search-dictionary nginx-tools pycsw-tools slapd-tools

help:
	@echo "make demo   - install, start PostgreSQL+Redis, seed demo data, run the production process set on http://$(HOST):$(PORT)"
	@echo "make dev    - the same with CKAN's development server and debugger (developers only, never exposed)"
	@echo "make test   - install, lint and run the whole test suite (two workers)"
	@echo "make test-fast - the suite without the tests that start portals or processes (no lint)"
	@echo "make lint   - ruff (lint) and mypy (types) on the package"
	@echo "make stop   - stop the demo portal and the embedded services"
	@echo "make token  - print an API token for the demo sysadmin"
	@echo "make backup / make restore ARCHIVE=… - one archive of the portal, and back (docs/operations.md)"

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV) || { echo "python3-venv missing: sudo apt-get install -y python3-venv" >&2; exit 1; }

# Installation is re-run only when the requirements change.
$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml setup.py requirements.txt
	$(PIP) install --quiet --upgrade pip wheel setuptools
	$(PIP) install --quiet -r requirements.txt
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed dev-requirements.txt
	$(PIP) install --quiet -r dev-requirements.txt
	touch $@

install: $(VENV)/.installed translations search-dictionary
	@$(PY) -m ckanext.hamm.patches  # warns loudly when an upstream workaround meets another version (docs/upstream.md)
install-dev: $(VENV)/.installed-dev translations browser-tools search-dictionary nginx-tools pycsw-tools slapd-tools
	@$(PY) -m ckanext.hamm.patches

# Compiled message catalogues (.mo) are build output; only changed .po files are recompiled.
translations: $(VENV)/.installed
	@$(PY) -m ckanext.hamm.translations

# German compound splitting in search: Debian's Hunspell dictionary (hunspell-de-de),
# converted for PostgreSQL into the embedded server's tsearch_data (ckanext/hamm/search/dictionary.py).
search-dictionary: $(VENV)/.installed
	@if [ ! -f /usr/share/hunspell/de_DE.dic ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq hunspell-de-de; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq hunspell-de-de; fi; fi
	@$(PY) -m ckanext.hamm.search.dictionary >/dev/null

# Browser tests (tests/browser): Debian's Chromium, Playwright (dev-requirements), axe-core and
# HTML_CodeSniffer (npm).
browser-tools: $(VENV)/.installed-dev
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; fi
	@if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] || [ ! -f tests/browser/node_modules/html_codesniffer/build/HTMLCS.js ]; then \
	  command -v npm >/dev/null || { echo "npm missing: sudo apt-get install -y npm" >&2; exit 1; }; \
	  cd tests/browser && npm install --no-audit --no-fund --silent; fi

# pycsw (the CSW server of the geodata tests and the demo) in a virtualenv of its own: it needs
# SQLAlchemy 1.4, CKAN 2.12 needs 2.x (requirements-pycsw.txt, ckanext/hamm/devstack/pycsw.py).
pycsw-tools: $(VENV)/.installed-dev
	@if [ ! -f $(VENV)/pycsw/.installed ] || [ requirements-pycsw.txt -nt $(VENV)/pycsw/.installed ]; then \
	  $(PYTHON) -m venv $(VENV)/pycsw && $(VENV)/pycsw/bin/python -m pip install -q -r requirements-pycsw.txt && \
	  touch $(VENV)/pycsw/.installed; fi

# nginx from Debian, unpacked (not installed, no service started) into .venv/nginx, so the
# test of deploy/nginx can run `nginx -t`; without it that test is skipped.
nginx-tools:
	@if ! command -v nginx >/dev/null && [ ! -x $(VENV)/nginx/usr/sbin/nginx ]; then \
	  rm -rf $(VENV)/nginx-deb && mkdir -p $(VENV)/nginx-deb && cd $(VENV)/nginx-deb && \
	  { apt-get download nginx >/dev/null 2>&1 && dpkg -x nginx_*.deb ../nginx \
	    || echo "nginx package not available: the nginx -t test will be skipped" >&2; }; \
	  cd - >/dev/null; rm -rf $(VENV)/nginx-deb; fi

# The directory tests (tests/directory) start OpenLDAP's slapd: Debian's package and the libraries
# it needs beyond a base system, unpacked into .venv/slapd (no system service is installed or started).
SLAPD_DEBS := slapd libltdl7 libwrap0 libodbc2
slapd-tools:
	@if [ ! -x /usr/sbin/slapd ] && [ ! -x $(VENV)/slapd/usr/sbin/slapd ]; then \
	  rm -rf $(VENV)/slapd-deb && mkdir -p $(VENV)/slapd-deb && cd $(VENV)/slapd-deb && \
	  { apt-get download $(SLAPD_DEBS) >/dev/null 2>&1 && for deb in *.deb; do dpkg -x $$deb ../slapd; done \
	    || echo "slapd package not available: the directory tests will be skipped" >&2; }; \
	  cd - >/dev/null; rm -rf $(VENV)/slapd-deb; fi

demo: install-dev
	$(DEVSTACK) demo

dev: install-dev
	$(DEVSTACK) dev

# Lint before the suite: a style or type error fails fast, before 15 minutes of tests.
lint: install-dev
	$(VENV)/bin/ruff check ckanext tests bench
	$(VENV)/bin/mypy

test: install-dev lint
	$(DEVSTACK) test $(PYTEST_ARGS)

# The logic without the live processes (portals, the process set, the stock CKAN stand-in):
# a round of a few minutes while working; `make test` before pushing.
test-fast: install-dev
	$(DEVSTACK) test -m "not live" $(PYTEST_ARGS)

stop:
	@if [ -x $(PY) ]; then $(DEVSTACK) stop; fi

status: install-dev
	@$(DEVSTACK) status

# One archive of the state folder's portal (databases, DataStore, uploaded files, manifest)
# into BACKUP_DIR (default: the state folder's backups/); restore into an empty state folder:
#   make restore ARCHIVE=path/to/hamm-backup-….tar [FORCE=1]   (docs/operations.md)
backup: install
	@$(DEVSTACK) backup

restore: install
	@if [ -z "$(ARCHIVE)" ]; then echo "usage: make restore ARCHIVE=path/to/hamm-backup-….tar [FORCE=1]" >&2; exit 2; fi
	@$(DEVSTACK) restore "$(ARCHIVE)" $(if $(FORCE),--force)

# HAMM_STATE_DIR and PORT choose the instance, as for every other target.
token: install-dev
	@$(DEVSTACK) token 2>/dev/null
