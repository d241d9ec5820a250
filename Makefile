# gongkai — two commands on a fresh machine:
#   make run    install everything, create the SQLite database, load the demo, serve http://127.0.0.1:8000
#   make test   run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run install system-deps test lint demo serve clean

run: install
	$(BIN)/gongkai migrate --noinput -v0
	$(BIN)/gongkai demo
	$(BIN)/gongkai serve

install: $(STAMP) system-deps

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

PYTEST_WORKERS ?= 2
test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# ruff, then the layering contracts of pyproject.toml ([tool.importlinter]); CI runs it before the tests
lint: install
	$(BIN)/ruff check gongkai tests
	$(BIN)/lint-imports --no-logo

clean:
	rm -rf $(VENV) var
