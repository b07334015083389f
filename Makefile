# 学贷 xuedai — quick start: `make demo` (site with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install system system-demo lint format bench clean-db

demo: system-demo install
	$(BIN)/xuedai demo

test: system install
	scripts/test.sh

install: $(VENV)/.stamp node_modules/.stamp

system:
	@scripts/setup-system.sh all

system-demo:
	@scripts/setup-system.sh demo

# The Python environment, installed from the lock file; re-done whenever the lock changes.
$(VENV)/.stamp: requirements.lock pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install -q uv
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock \
	  || $(BIN)/pip install -q -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e . \
	  || $(BIN)/pip install -q --no-deps -e .
	touch $@

# Front-end assets (Bootstrap, htmx, ECharts) from the npm registry; served from node_modules.
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# Benchmarks against a private PostgreSQL whose data folder is kept between runs.
bench: system install
	XUEDAI_PG_KEEP=1 scripts/with-postgres.sh bench/run_all.sh

clean-db:
	rm -f var/xuedai.sqlite3*
