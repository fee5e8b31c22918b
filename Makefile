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

test: $(VENV)/.installed-test ## Installeer de testafhankelijkheden en draai alle tests
	bash scripts/system-deps.sh
	$(BIN)/pytest

lint: $(VENV)/.installed-test ## ruff en mypy
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

clean: ## Verwijder de virtuele omgeving en de lokale database
	rm -rf $(VENV) var
