# Entry points. Each target bootstraps what it needs: a fresh clone runs `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
ASSETS := src/probation/web/static/vendor/.installed
export PROBATION_ENV ?= development

.PHONY: run test lint unit bench install assets system-deps browser-deps clean

run: $(STAMP) $(ASSETS)
	bash scripts/run.sh

test: $(STAMP) $(ASSETS) system-deps
	$(MAKE) lint
	$(BIN)/pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy src/probation

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

bench: $(STAMP) $(ASSETS) system-deps
	$(BIN)/python -m bench

install: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

$(ASSETS): package.json package-lock.json scripts/vendor-assets.sh
	bash scripts/vendor-assets.sh

# PostgreSQL server binaries and Debian's Chromium for the integration and browser tests.
system-deps:
	bash scripts/system-deps.sh

clean:
	rm -rf $(VENV) node_modules src/probation/web/static/vendor var .pytest_cache
