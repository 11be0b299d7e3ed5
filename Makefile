# Two commands for a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3.13
# uv from PATH, else the one pip installs next to Python 3.13 (run as `python3.13 -m uv`).
UV := $(or $(shell command -v uv 2>/dev/null),$(PYTHON) -m uv)
PG_URL ?= postgres://postgres@127.0.0.1:5432/ambassade

.PHONY: install demo test test-sqlite test-postgres bench lint

install:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --root-user-action=ignore uv
	$(UV) sync --frozen --all-extras

demo: install
	$(UV) run ambassade demo

test: install test-sqlite test-postgres

test-sqlite:
	$(UV) run pytest

# The same suite on PostgreSQL: skipped with a reason on a laptop without it, never in CI.
test-postgres:
	@$(UV) run python -m tests.services postgres; rc=$$?; \
	if [ $$rc -eq 0 ]; then DATABASE_URL=$(PG_URL) $(UV) run pytest; \
	elif [ $$rc -eq 1 ]; then true; else exit $$rc; fi

bench: install
	@for b in bench/[!_]*.py; do [ -e "$$b" ] && $(UV) run python "$$b"; done; true

lint: install
	$(UV) run ruff check ambassade tests
	$(UV) run lint-imports
