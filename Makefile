# The two set-up commands of the README: `make run` and `make test`.
# Each creates (or reuses) the local virtual environment .venv and installs
# what it needs from the package registries; nothing else is required.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
# The Django apps, run a second time on PostgreSQL when it is reachable.
DJANGO_TEST_PATHS := src/gongkai/organizations src/gongkai/audit src/gongkai/platform src/gongkai/workcal \
	src/gongkai/disclosure \
	src/gongkai/applications src/gongkai/appeals src/gongkai/reports src/gongkai/search \
	src/gongkai/portal src/gongkai/tests src/gongkai/external src/gongkai/core

.PHONY: run test test-sqlite test-pg lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gongkai serve --init --host $(HOST) --port $(PORT)

test: $(STAMP) lint test-sqlite test-pg

lint: $(STAMP)
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

test-sqlite: $(STAMP)
	$(BIN)/python -m pytest -q

# PostgreSQL is optional on a user's machine: run the Django suite on it when
# the server answers (pytest-django creates its own test_<name> database),
# say so when it does not.
test-pg: $(STAMP)
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', dbname='postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL reachable: running the Django suite on it"; \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -q $(DJANGO_TEST_PATHS); \
	else \
		echo "== PostgreSQL not reachable at $(PG_TEST_URL): skipping the PostgreSQL run"; \
	fi

format: $(STAMP)
	$(BIN)/ruff format src bench
	$(BIN)/ruff check --fix src bench

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data .pytest_cache
