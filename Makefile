# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in one worker per core (pytest-xdist), four at most, each with its own
# test database; a module goes whole to one worker, so what a module builds once is built
# once. PYTEST_WORKERS=0 runs it in this one process (docs/PERFORMANCE.md, "Test suite").
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?= -n $(PYTEST_WORKERS) --maxprocesses=4 --dist loadscope

.PHONY: install messages setup run test lint browser clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.12 ...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Message catalogues are compiled with Babel, so GNU gettext is not needed; a catalogue
# is compiled again only when its .po changed (two test runs side by side never write a
# .mo the other is reading).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(CATALOGUES)

locale/%.mo: locale/%.po | install
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# Database, official divisions of both editions and the small demo data set
# (all idempotent: a second run adds nothing; a few seconds).
setup: messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_divisions --edition 2025
	$(PY) manage.py load_divisions --edition legacy
	$(PY) manage.py generate_demo --scale small

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Debian's Chromium for the browser tests (Playwright cannot download one here).
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; fi; }

# axe-core for the accessibility tests (tests/e2e/test_accessibility.py), at exactly the
# version of package-lock.json. (The editor, Quill, is vendored in static/vendor/quill/;
# `npm run vendor` copies it again after a version bump.)
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "The accessibility tests need Node.js and npm: sudo apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund

# Lint, migrations in step with the models, then the whole suite (browser tests last)
# against DATABASE_URL when it is set, else the embedded SQLite.
test: lint messages browser node_modules/.package-lock.json
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules
