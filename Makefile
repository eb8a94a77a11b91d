# proactive-agent — every target installs what it needs first, so a fresh machine needs only `make demo` / `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install the project with its dev tools

demo: $(STAMP) ## Generate a county, load it, scan it, print a summary (SQLite under var/)
	$(BIN)/proactive demo

lint: $(STAMP) ## ruff (lint + format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy agent models sandbox benchmarks tests

test: lint ## Lint, type-check and run every test (SQLite and PostgreSQL)
	$(BIN)/pytest -n 2 -q

bench: $(STAMP) ## Load and scan at 10k, 100k and 1M licences against the pyarrow floor
	$(BIN)/python -m benchmarks --sizes 10000 100000 1000000

format: $(STAMP) ## Apply ruff's formatter and fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtualenv and the working data
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache

.PHONY: help install demo lint test bench format clean
