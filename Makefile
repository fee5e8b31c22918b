# WijkWijzer: `make run` serves the catalogue, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run load validate schema test lint bench clean

help: ## Toon deze hulp
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,dev]'
	@touch $@

install: $(VENV)/.installed ## Maak de virtuele omgeving en installeer het pakket

validate: install ## Controleer data/approaches.yaml
	$(BIN)/wijkwijzer validate

load: validate ## Laad het corpus in de database (en bouw de zoekindex)
	$(BIN)/wijkwijzer load

run: load ## Installeer, laad en serveer op http://$(HOST):$(PORT)
	$(BIN)/wijkwijzer serve --host $(HOST) --port $(PORT)

schema: install ## Schrijf data/approaches.schema.json opnieuw
	$(BIN)/wijkwijzer schema --output data/approaches.schema.json

test: $(VENV)/.installed-test ## Installeer de testafhankelijkheden, bewaak de lagen en draai alle tests
	bash scripts/system-deps.sh
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: $(VENV)/.installed-test ## ruff, mypy en het importcontract van de lagen
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

clean: ## Verwijder de virtuele omgeving en de lokale database
	rm -rf $(VENV) var

# Benchmarks, not part of `make test` (bench/RESULTS.md); the profile needs httpx (test deps). SCALE replaces the default
# scales (1000 10000), e.g. `make bench SCALE=100000`; BENCH_ARGS go to bench/run.py
# (e.g. BENCH_ARGS="--parts scale", or "--parts limits" for our uncached answers against the
# limit server and Datasette with facets; see `bench/.venv/bin/python bench/run.py --help`).
SCALE ?=
BENCH_ARGS ?=
bench: $(VENV)/.installed-test ## Benchmarks tegen Datasette en op schaal (SCALE=100000 voor 100k)
	bash bench/setup.sh
	bench/.venv/bin/python bench/run.py $(if $(SCALE),--scales $(SCALE)) $(BENCH_ARGS)
