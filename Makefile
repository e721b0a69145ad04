# One entry point. `make run` and `make test` set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench i18n-extract i18n-update db-upgrade clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/hocvuso run

# The suite runs on SQLite; then again on PostgreSQL when HOCVUSO_TEST_POSTGRES_URL names a
# server (.ci/run starts one), each test on a fresh database of its own.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hocvuso lessons check
	$(BIN)/pytest -q -rs
	@if [ -n "$$HOCVUSO_TEST_POSTGRES_URL" ]; then \
		echo "--- the same suite on PostgreSQL ---"; \
		HOCVUSO_TEST_DATABASE=postgres $(BIN)/pytest -q -rs; \
	else \
		echo "PostgreSQL pass skipped: set HOCVUSO_TEST_POSTGRES_URL (see README) to run it."; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/broadcast.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/review.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/ask.py
	$(BIN)/python bench/webhook.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/help.py

# Translators: extract new strings, then merge them into both catalogs.
i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o locales/messages.pot --no-location --omit-header bot scheduler

i18n-update: i18n-extract
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching
	$(BIN)/python scripts/i18n_fill_en.py

db-upgrade: $(STAMP)
	$(BIN)/hocvuso db upgrade

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
