# Two commands for a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3.13
# uv from PATH, else the one pip installs next to Python 3.13 (run as `python3.13 -m uv`).
UV := $(or $(shell command -v uv 2>/dev/null),$(PYTHON) -m uv)
PG_URL ?= postgres://postgres@127.0.0.1:5432/ambassade

.PHONY: install demo test test-sqlite test-postgres test-under-load bench lint

install:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --root-user-action=ignore uv
	$(UV) sync --frozen --all-extras

demo: install
	$(UV) run ambassade demo

# Both passes always run; `make test` fails if either failed. Each PostgreSQL run uses a test
# database of its own (tests/conftest.py), so two runs on one server never collide.
test: install
	@rc=0; \
	$(MAKE) --no-print-directory test-sqlite || rc=1; \
	$(MAKE) --no-print-directory test-postgres || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make test: at least one pass failed (see above)"; fi; \
	exit $$rc

# The same two passes while two processes burn both cores: no assertion may depend on
# how fast the machine is. The burners stop with the target, whatever happens.
test-under-load: install
	@yes >/dev/null & b1=$$!; yes >/dev/null & b2=$$!; \
	trap 'kill $$b1 $$b2 2>/dev/null' EXIT INT TERM; \
	$(MAKE) --no-print-directory test

test-sqlite:
	DATABASE_URL= $(UV) run pytest

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
