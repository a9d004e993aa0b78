# xaibook: `make book` builds the HTML book, `make test` runs every check. See `make help`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= _build
XAIBOOK := $(BIN)/xaibook

.DEFAULT_GOAL := help
.PHONY: help setup book pdf all check test lint bench mutation clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@# the chapters' kernel must be this venv's python, whatever else the machine has
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (xaibook)" >/dev/null
	@# the charts' offline JavaScript, made once per environment (seconds of vl-convert)
	$(BIN)/python -c "from xaibook.build import environment_vega_bundle; environment_vega_bundle()"
	@touch $@

setup: $(STAMP) ## create .venv and install the package with its test tools

book: $(STAMP) ## build the HTML book into _build/html (offline, parameters: see README)
	$(XAIBOOK) build --format html --out $(OUT)

pdf: $(STAMP) ## build the PDF into _build/pdf/xaibook.pdf (installs TeX packages if root)
	$(BIN)/python tools/system.py ensure latex
	$(XAIBOOK) build --format pdf --out $(OUT)

all: $(STAMP) ## build HTML and PDF in one run
	$(BIN)/python tools/system.py ensure latex
	$(XAIBOOK) build --format all --out $(OUT)

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check src tests tools intro.ipynb chapters
	$(BIN)/ruff format --check src tests tools intro.ipynb chapters

check: lint ## the inner loop, under a minute: lint and the fast unit tests on every core
	$(BIN)/python -m pytest tests/unit -m "not slow and not thorough" -n auto -q -p no:cacheprovider

test: lint ## lint, unit and data tests, notebooks (nbval), end-to-end build, browser checks
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval-lax intro.ipynb chapters -p no:cacheprovider

bench: $(STAMP) ## time clean/no-op/one-table/100k/1M builds; writes _build/bench/results.json
	$(BIN)/python -m tools.bench --out $(OUT)/bench

mutation: $(STAMP) ## mutation score of the data, facts, cache, publish and params code (slow; >= 90%)
	@# not in the test extra yet: installed here on first use
	$(BIN)/python -c "import mutmut" 2>/dev/null || $(BIN)/pip install --quiet mutmut==3.8.1
	PYTHON=$(BIN)/python tools/mutation/run.sh

clean: ## remove built output and the execution cache (keeps .venv)
	rm -rf $(OUT) .cache mutants
