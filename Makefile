# gtx: every target sets up what it needs by itself (a venv in .venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AS_OF  ?=
# The editable install as a path entry (.pth), not setuptools' import hook: the hook
# imports pathlib and more before any gtx code runs (28 of the 50 ms of an empty
# `python -c pass` here), which every gtx command and every test's gtx run paid.
EDITABLE := --config-settings editable_mode=compat

.DEFAULT_GOAL := help
.PHONY: help venv run browser test test-fast test-slow lint fmt schema fastschema docs calendar form-template bench bench-scale fuzz mutate mutate-report mutate-sample clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(EDITABLE) -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install gtx with its dev tools

run: $(STAMP) ## validate the sample dossiers and show the deadline report and the portfolio
	-$(BIN)/gtx validate
	-$(BIN)/gtx deadlines
	-$(BIN)/gtx status

# The browser tests (tests/reporters/test_report.py) open the HTML report in Debian's chromium.
# As root on a machine with apt-get (a fresh CI runner) `make test` installs it and a
# CJK font first (about a minute, once); GTX_NO_APT=1 skips that. Where it cannot be
# installed the browser tests are skipped and say why; the rest runs as before.
browser:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
	    && command -v apt-get >/dev/null 2>&1 && [ -z "$$GTX_NO_APT" ]; then \
	  echo "installing chromium for the browser tests (GTX_NO_APT=1 skips this)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	      chromium fonts-wqy-microhei >/dev/null; } \
	    || echo "could not install chromium: the browser tests will be skipped"; \
	fi

test: test-fast test-slow ## run the whole test suite: the fast tests, then the slow ones

# The fast tests run on every core (pytest-xdist; TEST_JOBS=1 for one process): on two
# cores that is about 40 % less time, which CI's 15 minutes needs.
TEST_JOBS ?= auto
test-fast: $(STAMP) browser ## the tests not marked slow, on every core (installs chromium for the browser tests, see above)
	$(BIN)/python -m pytest -m "not slow" -n $(TEST_JOBS) --durations=10

test-slow: $(STAMP) ## the slow tests (a fresh venv installing gtx as CI does)
	$(BIN)/python -m pytest -m slow --durations=5

lint: $(STAMP) ## ruff, mypy (strict on the package) and the layering check (docs/architecture.md)
	$(BIN)/ruff check golmud_cli tests scripts
	$(BIN)/ruff format --check golmud_cli
	$(BIN)/mypy
	$(BIN)/python scripts/check_layers.py

fmt: $(STAMP) ## format the code
	$(BIN)/ruff format golmud_cli tests scripts
	$(BIN)/ruff check --fix golmud_cli tests scripts

schema: $(STAMP) fastschema ## regenerate schema/dossier.schema.json and the docs (rules, dossier, lifecycle, cli)
	$(BIN)/gtx schema
	$(BIN)/gtx rules --format markdown > docs/rules.md
	$(BIN)/python scripts/build_docs.py

# The fast model's classes (core/fastschema.py) are generated from core/model.py and
# committed; tests/core/test_fastgen.py fails while they are stale.
fastschema: $(STAMP) ## regenerate golmud_cli/core/fastschema.py (the msgspec twins of core/model.py)
	$(BIN)/python scripts/build_fastschema.py

docs: schema ## the same as make schema: every generated file

calendar: $(STAMP) ## rewrite golmud_cli/data/calendar-cn.json from the installed holidays package (after upgrading it)
	$(BIN)/python scripts/build_calendar.py

form-template: $(STAMP) ## rebuild templates/filing-form.docx
	$(BIN)/python scripts/build_form_template.py

fuzz: $(STAMP) ## long fuzz campaign of the commands (FUZZ_EXAMPLES per target, default 20000)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-20000} FUZZ_REPORT=$${FUZZ_REPORT:-.hypothesis/fuzz-report.json} \
		$(BIN)/python -m pytest tests/e2e/test_fuzz.py -p no:cacheprovider -k "any_"
	FASTYAML_EXAMPLES=$${FASTYAML_EXAMPLES:-20000} $(BIN)/python -m pytest tests/edges/test_fastyaml.py -p no:cacheprovider -q -k differential
	FASTPOSITIONS_EXAMPLES=$${FASTPOSITIONS_EXAMPLES:-20000} $(BIN)/python -m pytest tests/edges/test_fastpositions.py -p no:cacheprovider -q -k differential
	FASTMODEL_EXAMPLES=$${FASTMODEL_EXAMPLES:-20000} $(BIN)/python -m pytest tests/core/test_fastmodel.py -p no:cacheprovider -q -k differential
	@cat $${FUZZ_REPORT:-.hypothesis/fuzz-report.json}

# Mutation testing (docs/testing.md). What is mutated and which tests run: pyproject.toml,
# [tool.mutmut]; the mutants judged equivalent: tests/mutation_equivalents.toml.
JOBS     ?= 2
SEED     ?= 0
MUTANTS  ?= 40
MODULE   ?=
# A venv of its own: mutmut pins its own click (>= 8.4.2), kept out of the development venv.
MUT_VENV  := .venv-mutation
MUT_BIN   := $(MUT_VENV)/bin
MUT_STAMP := $(MUT_VENV)/.installed

$(MUT_STAMP): pyproject.toml
	$(PYTHON) -m venv $(MUT_VENV)
	$(MUT_BIN)/python -m pip install --quiet --upgrade pip
	$(MUT_BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	@touch $(MUT_STAMP)

mutate: $(MUT_STAMP) ## mutation testing of the core (JOBS=2, MODULE=golmud_cli.core.periods for one); fails on a survivor not judged equivalent
	GTX_MUTATE_MODULE=$(MODULE) $(MUT_BIN)/mutmut run --max-children $(JOBS) $(if $(MODULE),"$(MODULE)*")
	$(MUT_BIN)/python scripts/mutation.py report

mutate-report: $(MUT_STAMP) ## the per-module scores of the last `make mutate` (as markdown for docs/testing.md)
	$(MUT_BIN)/python scripts/mutation.py report --markdown

mutate-sample: $(MUT_STAMP) ## CI: MUTANTS mutants drawn with SEED (of MODULE, if given); fails when one survives
	$(MUT_BIN)/python scripts/mutation.py sample --seed $(SEED) -n $(MUTANTS) --jobs $(JOBS) $(if $(MODULE),--module $(MODULE))

N    ?= 10000
RUNS ?= 3
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet $(EDITABLE) -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

# The peer as `pip install check-jsonschema` gives it, in an environment of its own.
PEER_VENV := .venv-peer
$(PEER_VENV)/.installed:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet 'check-jsonschema>=0.29,<1'
	@touch $@

bench: $(BENCH_STAMP) $(PEER_VENV)/.installed ## every scenario of docs/benchmarks.md beside check-jsonschema (N dossiers, default 10000; RUNS=3)
	GTX_BENCH_PEER=$(PEER_VENV)/bin/check-jsonschema $(BIN)/python bench/run.py -n $(N) --runs $(RUNS) $(if $(filter 10000,$(N)),--markdown docs/benchmarks.md,)

SIZES ?= 10000 100000
bench-scale: $(BENCH_STAMP) ## time and memory as the repository grows (SIZES, default 10000 100000; docs/benchmarks.md, Scale)
	$(BIN)/python bench/scale.py --sizes $(SIZES) --runs $(RUNS) $(if $(subst 10000 100000,,$(strip $(SIZES))),,--markdown docs/benchmarks.md)

clean: ## remove the venv and caches
	rm -rf $(VENV) $(PEER_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants $(MUT_VENV)
