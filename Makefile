# The two commands that work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV := $(BIN)/uv
# axe-core (npm) for the accessibility checks of the staff pages in headless Chromium; kept out of git.
AXE := .cache/npm/node_modules/axe-core/axe.min.js

.PHONY: run test lint bench clean lock upgrade-deps check-lock dist

# Dependencies come from two hashed lockfiles, requirements.lock (what tilfreds needs to run) and
# requirements-dev.lock (that plus the dev extra); pyproject.toml holds the ranges. They carry versions and hashes,
# no addresses: pip installs them from whatever index it is configured with, and checks every hash.
# After changing pyproject.toml's dependencies: `make lock`. For the newest releases in range: `make upgrade-deps`.
# uv writes the locks; it is bootstrapped into .venv here and then pinned by requirements-dev.lock like the rest.
COMPILE = $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--no-emit-index-url --no-emit-find-links --custom-compile-command 'make lock'
LOCKS := requirements.lock requirements-dev.lock

$(UV):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.9,<1'

# Writing the locks again from pyproject.toml, keeping their pins, must give the same files; else they are stale.
check-lock: | $(UV)
	@tmp=$$(mktemp -d); cp $(LOCKS) $$tmp/; \
	$(COMPILE) pyproject.toml -o $$tmp/requirements.lock && \
	$(COMPILE) pyproject.toml --extra dev -o $$tmp/requirements-dev.lock && \
	cmp -s $$tmp/requirements.lock requirements.lock && cmp -s $$tmp/requirements-dev.lock requirements-dev.lock; \
	stale=$$?; rm -rf $$tmp; \
	if [ $$stale != 0 ]; then echo "The lockfiles do not match pyproject.toml's dependencies. Run \`make lock\` and commit $(LOCKS)." >&2; exit 1; fi

$(STAMP): pyproject.toml $(LOCKS) | $(UV)
	$(MAKE) --no-print-directory check-lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lock: | $(UV)
	$(COMPILE) pyproject.toml -o requirements.lock
	$(COMPILE) pyproject.toml --extra dev -o requirements-dev.lock
	@echo "$(LOCKS) written; commit them with pyproject.toml."

upgrade-deps: | $(UV)
	$(COMPILE) --upgrade pyproject.toml -o requirements.lock
	$(COMPILE) --upgrade pyproject.toml --extra dev -o requirements-dev.lock
	$(MAKE) $(STAMP)
	@echo "$(LOCKS) now hold the newest releases pyproject.toml allows: run \`make test\`, then commit them."

run: $(STAMP)
	$(BIN)/tilfreds run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --config .importlinter
	$(BIN)/mypy  # mypy.ini: which packages, and where it is strict

$(AXE):
	@command -v npm >/dev/null || { echo "npm is missing: the accessibility tests will skip here (and fail in CI)"; exit 0; }; \
	npm install --prefix .cache/npm --no-audit --no-fund --silent axe-core@4

test: $(STAMP) $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --config .importlinter
	$(BIN)/mypy  # mypy.ini: which packages, and where it is strict
	$(BIN)/python -m pytest

# The wheel users deploy, and the locked versions of what it needs (hashed): README, "Run in production".
dist: | $(UV)
	rm -rf dist build *.egg-info  # stale build state would hide a file missing from package-data
	$(UV) build --wheel --out-dir dist --quiet
	cp requirements.lock dist/requirements.txt

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'  # the bench extra is not locked
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info .cache tests/artifacts
