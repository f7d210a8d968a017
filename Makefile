# MCP Workbook. Every target is a thin call into the package (python -m mcp_lib ...).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PEMDA  ?= kota-lubuklinggau
PERIOD ?= 2023-10

.DEFAULT_GOAL := help
.PHONY: help brief lab test check lint lock sample clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The exact versions of requirements-dev.lock, hash-checked, then the project (mcp_lib/install.py:
# the same steps as `python -m mcp_lib setup` on a machine without make).
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	@$(PYTHON) -m mcp_lib setup --dev --venv $(VENV)
	@touch $(STAMP)

brief: $(STAMP) ## the monthly HTML brief for PEMDA and PERIOD (sample by default); FORCE=1 to redo a month
	@if [ -z "$(FORCE)" ] && [ -f outputs/$(PEMDA)/$(PERIOD)/brief.html ]; then \
	  echo "Brief $(PEMDA) $(PERIOD) sudah ada: outputs/$(PEMDA)/$(PERIOD)/brief.html"; \
	  echo "(buat ulang dengan: make brief FORCE=1)"; \
	else $(BIN)/python -m mcp_lib brief --pemda $(PEMDA) --period $(PERIOD) $(if $(FORCE),--force); fi

lab: $(STAMP) ## open JupyterLab on the notebooks, with the project's kernel
	$(BIN)/python -m mcp_lib lab

test: $(STAMP) ## the fast loop: lint (ruff, notebooks included) and the fast tests on every core (about a minute)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not slow" -q -n auto --dist worksteal

check: $(STAMP) ## the complete check (what CI runs): lint, type check, every test (kernel, batch, browser, LibreOffice)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --dist worksteal

lint: $(STAMP) ## fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

LOCK_FLAGS = --universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command 'make lock'
lock: $(STAMP) ## re-pin requirements*.lock from pyproject.toml's ranges (keeps pins that still fit; UPGRADE=1 takes the newest)
	$(BIN)/uv pip compile pyproject.toml --extra distributed $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra distributed -c requirements.lock $(LOCK_FLAGS) -o requirements-dev.lock
	@$(MAKE) --no-print-directory $(STAMP)

sample: $(STAMP) ## regenerate the bundled framework and sample pemda (deterministic)
	$(BIN)/python -m mcp_lib.sample

clean: ## remove the virtual environment and caches (keeps data and outputs)
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
