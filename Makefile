# Two commands matter: `make run` (set up and serve the demo) and `make test`.
# Everything else here is a step they are made of.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
# The demo's one address: every link it shows or sends (pages, feed, sitemap, emails,
# calendar files) names the port it is served on, unless SITE_URL says otherwise.
SITE_URL ?= http://127.0.0.1:$(PORT)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# The first Python 3.12 or newer: on PATH first, then pyenv's installs.
define find_python
for candidate in python3.14 python3.13 python3.12 python3 \
    $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$candidate" 2>/dev/null || echo "$$candidate"; exit 0; \
  fi; \
done; \
echo "No Python 3.12 or newer found. Install one (python.org, your package manager or pyenv) and run make again." >&2; exit 1
endef

.PHONY: help
help:
	@echo "make run    set up everything and serve the demo site on http://127.0.0.1:$(PORT)"
	@echo "make test   run every check: ruff, Django checks, migrations check, pytest"
	@echo "make test-quick  the same without the browser, the audits and the PostgreSQL races"
	@echo "make bench  figures: slot computation, booking requests, pages, the production stack, ten years"
	@echo "make audit  Lighthouse scores and the HTML checker on the public pages"
	@echo "make drill  production on loopback (nginx, 2 app servers, 2 workers), broken on purpose"

$(UV):
	@python=$$($(find_python)); \
	echo "Installing uv $(UV_VERSION) with $$python"; \
	"$$python" -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

.PHONY: install
install: $(UV)
	@python=$$($(find_python)); \
	UV_PYTHON="$$python" $(UV) sync --frozen --quiet

.PHONY: migrate
migrate: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

# The whole set-up in one process (demo/management/commands/prepare_demo.py):
# migrate, demo content, site address, repeating tasks, and the logins, printed last.
.PHONY: demo
demo: export SITE_URL := $(SITE_URL)
demo: install
	@$(MANAGE) prepare_demo --port $(PORT)

# The task worker (emails, reminders, search indexing) runs beside the server and
# stops with it; what it says goes to .demo-worker.log, not between the logins and the
# server's lines. Both run with the demo's settings (DEBUG off: the site's own error
# pages); --insecure has runserver serve the static files all the same.
.PHONY: run
run: export SITE_URL := $(SITE_URL)
run: DEMO_SETTINGS := DJANGO_SETTINGS_MODULE=practice.settings.demo
run: demo
	@$(DEMO_SETTINGS) $(MANAGE) db_worker >>.demo-worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "The task worker writes to .demo-worker.log."; \
	$(DEMO_SETTINGS) $(MANAGE) runserver --insecure 127.0.0.1:$(PORT) --noreload

.PHONY: lint
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: checks
checks: install
	DJANGO_SETTINGS_MODULE=practice.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=practice.settings.test $(MANAGE) makemigrations --check --dry-run

# Node tools for the audits (Lighthouse 12, the Nu Html Checker), pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

.PHONY: node
node: node_modules/.package-lock.json

# The typefaces a practice may choose (practice/typefaces.py), copied from their Fontsource
# packages with their licences. The copies are committed: a clean clone needs no Node to
# serve them; run this after changing a version in package.json.
FONTS := atkinson-hyperlegible lora nunito-sans
.PHONY: fonts
fonts: node_modules/.package-lock.json
	@for face in $(FONTS); do \
	  for weight in 400 700; do \
	    cp node_modules/@fontsource/$$face/files/$$face-latin-$$weight-normal.woff2 static/fonts/; \
	  done; \
	  cp node_modules/@fontsource/$$face/LICENSE static/fonts/$$face-LICENSE.txt; \
	done

# Browser tests (tests/browser, tests/audit) run with the rest; they use the machine's
# Chromium (CHROMIUM, default /usr/bin/chromium). What moves with the machine's load
# (Lighthouse's performance score, marked load_sensitive) is left to `make audit`.
.PHONY: test
test: lint checks node
	$(VENV)/bin/pytest -m "not load_sensitive" $(PYTEST_ARGS)

# The unit and integration layer, for while you work: no browser tests, no audits, and on
# SQLite, where the PostgreSQL races skip themselves. `make test` is still what CI runs.
.PHONY: test-quick
test-quick: lint checks
	env -u DATABASE_URL $(VENV)/bin/pytest -m "not load_sensitive" \
	  --ignore=tests/browser --ignore=tests/audit $(PYTEST_ARGS)

# Lighthouse and the HTML checker, with their scores printed (the performance score too).
.PHONY: audit
audit: install node
	$(VENV)/bin/pytest tests/audit -s -q

# Speed: the slot arithmetic (budget 10 ms median) and booking requests end to end.
.PHONY: bench
# Every bench runs and prints its figures against budgets set by what patients and staff
# would notice (bench/README.md). Advisory: the last line names any over budget; never a gate.
BENCHES := slots_bench booking_bench pages_bench http_bench proxy_bench decade_bench
bench: install
	@over=""; for bench in $(BENCHES); do \
	  echo "== bench/$$bench.py"; $(PY) bench/$$bench.py || over="$$over $$bench"; \
	done; echo "== Over budget or failed:$${over:- none}"

# Production on loopback, broken on purpose (deploy/drill/): nginx, two app servers, two
# workers, PostgreSQL, Redis and SMTP; two to four minutes. Needs root for nginx and PostgreSQL.
.PHONY: drill
drill: install
	$(PY) deploy/drill/drill.py

.PHONY: clean
clean:
	rm -rf $(VENV) $(TOOLS) node_modules staticfiles .pytest_cache .ruff_cache
