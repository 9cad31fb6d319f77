# Chumchon: `make demo` sets everything up and serves the demo; `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 || (command -v pyenv >/dev/null && pyenv which python3.12 2>/dev/null) || echo python3)
VENV := .venv
BIN := $(VENV)/bin
CHUMCHON := $(BIN)/chumchon
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-thai-tlwg poppler-utils gettext chromium
PG_URL ?= postgres://postgres@127.0.0.1:5432/chumchon
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install debian-packages lint check test-sqlite test-postgres messages serve clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: debian-packages $(VENV)/.installed

debian-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian packages: $$missing"; \
		(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Missing Debian packages. Run:"; echo "  sudo apt-get install -y $$missing"; \
	fi

demo: install
	$(CHUMCHON) migrate --no-input -v 0
	$(CHUMCHON) demo
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT)/ with a background worker for imports and area summaries (Ctrl-C stops both)"
	@$(CHUMCHON) db_worker --no-reload --interval 1 -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	CHUMCHON_DEMO=true $(CHUMCHON) runserver --noreload --insecure $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

check: $(VENV)/.installed
	CHUMCHON_VAR_DIR=$$(mktemp -d) $(CHUMCHON) check --fail-level WARNING
	CHUMCHON_VAR_DIR=$$(mktemp -d) $(CHUMCHON) makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed
	env -u DATABASE_URL CHUMCHON_TESTING=1 $(BIN)/pytest

# PostgreSQL runs when DATABASE_URL is set or one answers on 127.0.0.1:5432. The browser tests are left out of
# this run: their server always runs on a SQLite demo database of its own, so the SQLite run has covered them.
test-postgres: $(VENV)/.installed
	@if [ -n "$$DATABASE_URL" ]; then url="$$DATABASE_URL"; \
	elif $(BIN)/python -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 2)' 2>/dev/null; then url="$(PG_URL)"; \
	else echo "PostgreSQL not reachable: skipping the PostgreSQL run"; exit 0; fi; \
	echo "Running the suite on PostgreSQL"; \
	DATABASE_URL="$$url" CHUMCHON_TESTING=1 $(BIN)/pytest -m "not browser"

test: install lint check test-sqlite test-postgres

messages: $(VENV)/.installed
	cd src/chumchon && CHUMCHON_VAR_DIR=../../var ../../$(CHUMCHON) makemessages -l th --no-obsolete --no-location && CHUMCHON_VAR_DIR=../../var ../../$(CHUMCHON) compilemessages -l th

serve: install
	@$(CHUMCHON) db_worker --interval 1 -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(CHUMCHON) runserver $(HOST):$(PORT)

clean:
	rm -rf $(VENV) var
