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
	src/gongkai/portal src/gongkai/tests src/gongkai/external src/gongkai/core src/gongkai/jobs \
	src/gongkai/inquiries src/gongkai/consultations src/gongkai/urging src/gongkai/notifications

.PHONY: run test test-sqlite test-pg lint format bench cluster s3-test-server clean

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
# say so when it does not.  That run is the 集约化 set-up: Redis as cache and
# session store and the S3 server of .ci/run as file storage, each when it
# answers (gongkai/tests/suite_env.py).
test-pg: $(STAMP)
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', dbname='postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL reachable: running the Django suite on it, with Redis and S3 where they answer"; \
		eval "$$($(BIN)/python -m gongkai.tests.suite_env)"; \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -q $(DJANGO_TEST_PATHS); \
	else \
		echo "== PostgreSQL not reachable at $(PG_TEST_URL): skipping the PostgreSQL run"; \
	fi

format: $(STAMP)
	$(BIN)/ruff format src bench
	$(BIN)/ruff check --fix src bench

bench: $(STAMP)
	$(BIN)/python -m bench

# The 集约化 cluster on this machine and its load test (docs/platform.md):
# PostgreSQL database gongkai_cluster (1,000 bodies, 1,000,000 items, reused by
# later runs; CLUSTER_ARGS=--fresh rebuilds), Redis, an S3 server, two gunicorn
# app servers behind Debian's nginx and a job worker, all on 127.0.0.1; then
# locust for CLUSTER_DURATION seconds (default 60).  Installs nginx and locust
# (the "cluster" extra) when missing.
cluster: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,cluster]'
	$(BIN)/python -m bench.cluster $(CLUSTER_ARGS)

# The S3-compatible server of the object-storage tests (moto, from the dev
# extra), in the foreground on S3_TEST_PORT; .ci/run starts it in the
# background and exports GONGKAI_TEST_S3_ENDPOINT.  Memory only: everything
# stored is gone when it stops.
S3_TEST_PORT ?= 9100
s3-test-server: $(STAMP)
	$(BIN)/moto_server --host 127.0.0.1 --port $(S3_TEST_PORT)

clean:
	rm -rf $(VENV) data .pytest_cache
