# The two commands that work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV := $(BIN)/uv
# axe-core (npm) for the accessibility checks of the staff pages in headless Chromium; kept out of git.
AXE := .cache/npm/node_modules/axe-core/axe.min.js

.PHONY: run test lint bench clean lock upgrade-deps dist

# Dependencies come from uv.lock (exact versions with hashes); pyproject.toml holds the ranges.
# After changing pyproject.toml's dependencies: `make lock`. For the newest releases in range: `make upgrade-deps`.
$(UV):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.9,<1'

$(STAMP): pyproject.toml uv.lock | $(UV)
	@$(UV) lock --check --quiet || { \
	  echo "uv.lock does not match pyproject.toml's dependencies. Run \`make lock\` and commit uv.lock." >&2; exit 1; }
	$(UV) sync --locked --quiet --extra dev
	touch $(STAMP)

lock: | $(UV)
	$(UV) lock
	@echo "uv.lock written; commit it with pyproject.toml."

upgrade-deps: | $(UV)
	$(UV) lock --upgrade
	$(MAKE) $(STAMP)
	@echo "uv.lock now holds the newest releases pyproject.toml allows: run \`make test\`, then commit uv.lock."

run: $(STAMP)
	$(BIN)/tilfreds run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --config .importlinter

$(AXE):
	@command -v npm >/dev/null || { echo "npm is missing: the accessibility tests will skip here (and fail in CI)"; exit 0; }; \
	npm install --prefix .cache/npm --no-audit --no-fund --silent axe-core@4

test: $(STAMP) $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --config .importlinter
	$(BIN)/python -m pytest

# The wheel users deploy, and the locked versions of what it needs (hashed): README, "Run in production".
dist: | $(UV)
	rm -rf dist build *.egg-info  # stale build state would hide a file missing from package-data
	$(UV) build --wheel --out-dir dist --quiet
	$(UV) export --locked --no-emit-project --no-header --quiet --format requirements-txt -o dist/requirements.txt

bench: $(STAMP)
	$(UV) sync --locked --quiet --inexact --extra dev --extra bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info .cache tests/artifacts
