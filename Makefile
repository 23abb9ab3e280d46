# gtx: every target sets up what it needs by itself (a venv in .venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AS_OF  ?=

.DEFAULT_GOAL := help
.PHONY: help venv run test test-fast test-slow lint fmt schema docs form-template bench fuzz clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install gtx with its dev tools

run: $(STAMP) ## validate the sample dossiers and show the deadline report and the portfolio
	-$(BIN)/gtx validate
	-$(BIN)/gtx deadlines
	-$(BIN)/gtx status

test: test-fast test-slow ## run the whole test suite: the fast tests, then the slow ones

test-fast: $(STAMP) ## the tests not marked slow
	$(BIN)/python -m pytest -m "not slow" --durations=10

test-slow: $(STAMP) ## the slow tests (a fresh venv installing gtx as CI does)
	$(BIN)/python -m pytest -m slow --durations=5

lint: $(STAMP) ## ruff and mypy (strict on the package)
	$(BIN)/ruff check golmud_cli tests scripts
	$(BIN)/ruff format --check golmud_cli
	$(BIN)/mypy

fmt: $(STAMP) ## format the code
	$(BIN)/ruff format golmud_cli tests scripts
	$(BIN)/ruff check --fix golmud_cli tests scripts

schema: $(STAMP) ## regenerate schema/dossier.schema.json and the docs (rules, dossier, lifecycle, cli)
	$(BIN)/gtx schema
	$(BIN)/gtx rules --format markdown > docs/rules.md
	$(BIN)/python scripts/build_docs.py

docs: schema ## the same as make schema: every generated file

form-template: $(STAMP) ## rebuild templates/filing-form.docx
	$(BIN)/python scripts/build_form_template.py

fuzz: $(STAMP) ## long fuzz campaign of the commands (FUZZ_EXAMPLES per target, default 20000)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-20000} FUZZ_REPORT=$${FUZZ_REPORT:-.hypothesis/fuzz-report.json} \
		$(BIN)/python -m pytest tests/test_fuzz.py -p no:cacheprovider -k "any_"
	@cat $${FUZZ_REPORT:-.hypothesis/fuzz-report.json}

N    ?= 10000
RUNS ?= 3
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

# The peer as `pip install check-jsonschema` gives it, in an environment of its own.
PEER_VENV := .venv-peer
$(PEER_VENV)/.installed:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet 'check-jsonschema>=0.29,<1'
	@touch $@

bench: $(BENCH_STAMP) $(PEER_VENV)/.installed ## every scenario of docs/benchmarks.md beside check-jsonschema (N dossiers, default 10000; RUNS=3)
	GTX_BENCH_PEER=$(PEER_VENV)/bin/check-jsonschema $(BIN)/python bench/run.py -n $(N) --runs $(RUNS) $(if $(filter 10000,$(N)),--markdown docs/benchmarks.md,)

clean: ## remove the venv and caches
	rm -rf $(VENV) $(PEER_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
