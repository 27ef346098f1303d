# The single entry point for setting up, running and checking Superconnector.
# `make demo` and `make test` work on a fresh machine with Python 3.11+ and the package registries.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/superconnector
HOST ?= 127.0.0.1:8000
# Mailed links (sign-in links, "open your meetings") must reach this server, port included.
DEMO_ENV := SUPERCONNECTOR_DEBUG=true SUPERCONNECTOR_SITE_URL=http://$(HOST)

.PHONY: translations setup demo serve test test-fast test-sqlite test-postgres lint typecheck format lock clean eval bench bench-matching bench-scheduling bench-b2bsp bench-load bench-imports

setup: $(STAMP)

# Reinstall only when the dependency lists change.
$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	@touch $(STAMP)

demo: setup
	$(DEMO_ENV) $(BIN)/superconnector migrate --no-input -v0
	$(DEMO_ENV) $(BIN)/superconnector demo --url http://$(HOST)
	$(DEMO_ENV) $(BIN)/superconnector serve $(HOST)

serve: setup
	$(DEMO_ENV) $(BIN)/superconnector serve $(HOST)

# The whole suite, on SQLite and then on PostgreSQL. Without a reachable PostgreSQL the
# second run is skipped with a warning, unless SUPERCONNECTOR_REQUIRE_POSTGRES=1 (as in CI).
test: setup
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# The unit tier only: the engine and everything else that needs no database, in one
# process (two workers would each collect the whole suite first, which costs more than
# they save here). Tiers are given in tests/conftest.py.
test-fast: setup
	$(BIN)/pytest -m unit -p no:cacheprovider -q

test-sqlite: setup
	$(BIN)/pytest -n 2 -p no:cacheprovider

test-postgres: setup
	@if $(BIN)/python -m tests.pg_available "$(PG_URL)"; then \
		SUPERCONNECTOR_DATABASE_URL="$(PG_URL)" $(BIN)/pytest -n 2 -p no:cacheprovider; \
	elif [ "$$SUPERCONNECTOR_REQUIRE_POSTGRES" = "1" ]; then \
		echo "PostgreSQL at $(PG_URL) is not reachable, and SUPERCONNECTOR_REQUIRE_POSTGRES=1"; exit 1; \
	else \
		echo "WARNING: PostgreSQL at $(PG_URL) is not reachable; the PostgreSQL run is skipped."; \
	fi

# Interface translations: collect strings into the Simplified catalogue (edit it), derive
# the Traditional one from it, and compile both (the .mo files are committed, so a fresh
# machine needs no gettext tools). Of the engine only the reasons' templates and labels
# (engine/matching/reasons.py) are scanned: the patterns skip every other entry of engine/
# and of engine/matching/ (fnmatch's * also matches "/", so no negation is needed).
MAKEMESSAGES_IGNORE := --ignore "engine/[!m]*" --ignore "engine/matching/[!r]*" \
	--ignore "engine/matching/r[!e]*" --ignore "*/data/*"
translations: setup
	cd src/superconnector && $(DEMO_ENV) SUPERCONNECTOR_DATA_DIR=$(CURDIR)/data ../../$(BIN)/superconnector makemessages -l zh_Hans \
		--no-obsolete --no-location $(MAKEMESSAGES_IGNORE)
	$(BIN)/python tools/traditional_catalogue.py
	cd src/superconnector && $(DEMO_ENV) SUPERCONNECTOR_DATA_DIR=$(CURDIR)/data ../../$(BIN)/superconnector compilemessages -v0

# Matching quality on the labelled bilingual set (eval/matching), engine against baselines.
eval: setup
	$(BIN)/python eval/matching.py

# Speed and memory figures; each script prints its own table.
bench: bench-matching bench-scheduling bench-b2bsp

bench-matching: setup
	$(BIN)/python bench/matching.py

bench-scheduling: setup
	$(BIN)/python bench/scheduling.py
	$(BIN)/python bench/scheduling.py --replan
	$(BIN)/python bench/repair.py

bench-b2bsp: setup
	$(BIN)/python bench/b2bsp.py

# The opening rush of a 2,000-delegate event: gunicorn + PostgreSQL (at PG_URL's server) under
# Locust, against the latency targets; exits non-zero if one is missed (docs/operations.md).
bench-load: setup
	$(BIN)/python bench/load.py --pg-url "$(PG_URL)"

# A 100,000-row delegate list checked and imported by the task worker, on SQLite and on
# PostgreSQL, with a delegate writing every 100 ms meanwhile (docs/operations.md).
bench-imports: setup
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/imports.py --pg-url "$(PG_URL)"

# Ruff's rules and format, the import contracts (pyproject.toml [tool.importlinter];
# docs/architecture.md says what each one enforces) and the types.
lint: setup
	$(BIN)/ruff check src tests bench eval tools
	$(BIN)/ruff format --check src tests bench eval tools
	$(BIN)/lint-imports --no-logo
	$(MAKE) --no-print-directory typecheck

# mypy as configured in pyproject.toml: --strict on the engine and the vocabularies, the
# Django apps (through django-stubs) at the level kept at zero errors there.
typecheck: setup
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix src tests bench eval tools
	$(BIN)/ruff format src tests bench eval tools

# Refresh the exact pins after changing pyproject.toml's dependency ranges.
lock:
	rm -rf /tmp/superconnector-lock && $(PYTHON) -m venv /tmp/superconnector-lock
	/tmp/superconnector-lock/bin/pip install --quiet --upgrade pip
	/tmp/superconnector-lock/bin/pip install --quiet -e ".[dev]"
	/tmp/superconnector-lock/bin/pip freeze --exclude-editable | sort > requirements/constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache .mypy_cache
