# MCP Workbook. Every target is a thin call into the package (python -m mcp_lib ...).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PEMDA  ?= kota-lubuklinggau
PERIOD ?= 2023-10

.DEFAULT_GOAL := help
.PHONY: help brief test lint format sample clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

brief: $(STAMP) ## validate the sample, print its scores and its plan to the target (the HTML brief is not built yet)
	$(BIN)/python -m mcp_lib validate data/pemda/$(PEMDA)
	$(BIN)/python -m mcp_lib score --pemda $(PEMDA) --period $(PERIOD)
	$(BIN)/python -m mcp_lib plan --pemda $(PEMDA) --period $(PERIOD)
	@echo "The HTML brief is not part of this version yet: the scores and plan above are what it will show."

test: $(STAMP) ## lint (ruff, notebooks included) and run the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP) ## fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

sample: $(STAMP) ## regenerate the bundled framework and sample pemda (deterministic)
	$(BIN)/python -m mcp_lib.sample

clean: ## remove the virtual environment and caches (keeps data and outputs)
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
