# Gofun: `make run` serves the demo, `make test` runs the suite. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser-test-tools run demo test test-sqlite test-postgres e2e lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || \
		{ echo "Gofun needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

# axe-core, which the browser tests inject into pages, from package-lock.json.
# Without npm the step is skipped (and the browser tests say what is missing).
$(NODE_INSTALLED): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_INSTALLED) \
			|| echo "npm ci failed: the accessibility tests will say axe-core is missing"; \
	else echo "npm not found: the accessibility tests need axe-core (npm ci)"; fi

browser-test-tools: $(NODE_INSTALLED)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

run: demo
	@echo "Serving http://$(HOST):$(PORT)/ with the task worker  (Ctrl-C stops both)"
	PYTHON=$(BIN)/python bin/serve $(HOST):$(PORT)

test: test-sqlite

test-sqlite: install browser-test-tools
	@echo "== Test suite on SQLite =="
	$(BIN)/python -m pytest

test-postgres: install browser-test-tools
	@echo "== Test suite on PostgreSQL (throwaway cluster) =="
	bin/with-postgres $(BIN)/python -m pytest

e2e: install browser-test-tools
	@echo "== End-to-end tests against the production-shaped stack =="
	bin/stack run -- $(BIN)/python -m pytest -c e2e/pytest.ini e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages --locale ja --no-obsolete \
		--ignore ".venv/*" --ignore "var/*" --ignore "media/*" --ignore "tests/*" --ignore "bench/*" --ignore "node_modules/*"
	$(BIN)/python manage.py compilemessages --locale ja --ignore ".venv/*"

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var node_modules
