# The two commands that work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core (npm) for the accessibility checks of the staff pages in headless Chromium; kept out of git.
AXE := .cache/npm/node_modules/axe-core/axe.min.js

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/tilfreds run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(AXE):
	@command -v npm >/dev/null || { echo "npm is missing: the accessibility tests will skip here (and fail in CI)"; exit 0; }; \
	npm install --prefix .cache/npm --no-audit --no-fund --silent axe-core@4

test: $(STAMP) $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info .cache tests/artifacts
