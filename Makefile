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

# Debian packages: CJK fonts for the report plots and letters, Chromium's headless shell for the bots and PDFs (the
# build Playwright itself runs headless; see bots/session.py), pdftoppm for checks.
DEBIAN_PACKAGES := fonts-noto-cjk chromium-headless-shell poppler-utils
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

system: ## Install the Debian packages the project needs (skipped when present)
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

install: system $(STAMP) ## Create the virtualenv and install the project with its dev tools

demo: install ## Generate a county, load, scan, train the classifier, route the cases (SQLite under var/)
	$(BIN)/proactive demo

lint: $(STAMP) ## ruff (lint + format check), mypy and the import-linter layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ground domain agent bots models notifications sandbox benchmarks tests
	$(BIN)/lint-imports

test: install lint ## Lint, type-check and run every test (SQLite and PostgreSQL)
	$(BIN)/pytest -n 2 -q

bench: $(STAMP) ## Load and scan at 10k, 100k and 1M licences against the pyarrow floor
	$(BIN)/python -m benchmarks --sizes 10000 100000 1000000

bench-model: $(STAMP) ## Classifier: events load, training (+ a 135k county) and scoring at 10k, 100k, 1M; quality
	$(BIN)/python -m benchmarks --suite model --sizes 10000 100000 1000000

bench-bots: $(STAMP) ## Bots: pre-fills per minute on the local sandbox platform, one browser against one per case
	$(BIN)/python -m benchmarks --suite bots

bench-letters: $(STAMP) ## Letters: PDFs per minute for a day's batch, one browser against one per letter
	$(BIN)/python -m benchmarks --suite letters

bench-sms: $(STAMP) ## SMS: messages per second from the outbox (SQLite, PostgreSQL) through twilio to the gateway
	$(BIN)/python -m benchmarks --suite sms

bench-policies: $(STAMP) ## Policies: 50 policies matched over 10k, 100k, 1M subjects against a per-row Python baseline
	$(BIN)/python -m benchmarks --suite policies --sizes 10000 100000 1000000

bench-workers: $(STAMP) ## Workers: pre-fills per minute and CPU s per case with 1, 2, 4 Celery workers beside the in-process bot
	$(BIN)/python -m benchmarks --suite workers

bench-outcome: $(STAMP) ## Outcome: a simulated year of a 10,000-licence county through the real jobs; targets and time
	$(BIN)/python -m benchmarks --suite outcome --sizes $(or $(LICENCES),10000) --days $(or $(DAYS),365)

chaos: install ## Chaos: full days killed 100 times under platform and gateway faults and a broken export; all 0?
	$(BIN)/python -m benchmarks --suite chaos --kills $(or $(KILLS),100)

format: $(STAMP) ## Apply ruff's formatter and fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtualenv and the working data
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache

.PHONY: help system install demo lint test bench bench-model bench-bots bench-letters bench-sms bench-policies bench-outcome bench-workers chaos format clean
