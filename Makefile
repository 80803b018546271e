# Two commands matter: `make dev` (the local stack) and `make test`. Each installs what it
# needs on a machine with Python 3.11+, node and make.
SHELL := bash
.DEFAULT_GOAL := help
export UV_COMPILE_BYTECODE := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
PY := .venv/bin/python
CDK_CLI_VERSION := 2.1148.1
CDK := $(TOOLS)/node_modules/.bin/cdk
ASC_VERSION := 0.28.20
ASC := $(TOOLS)/asc/node_modules/.bin/asc
PLUGIN_SDK := shared/atrium/plugins/sdk/assemblyscript
EXAMPLE_PLUGIN := build/plugins/example.wasm
PYTEST_ARGS ?=
# Tests run in parallel processes (pytest-xdist), one per core, at most four: each process provisions its
# own moto world once and synthesizes the CDK app once. Work stealing: a process that runs out of tests takes some
# of another's, so the run does not end on one process's queue. (Not --dist loadgroup: schemathesis then runs one
# operation of all.)
PYTEST_WORKERS ?= -n auto --maxprocesses 4 --dist worksteal
# The slowest tests and their times close every full run, so a slow one is seen the day it lands.
SLOWEST := --durations=20 --durations-min=1

.PHONY: help dev test suite quick lint unit integration api e2e browser infra bench synth deploy layers plugins openapi \
	clean

help:
	@echo "make dev     start the local stack (API on :8000, moto, worker)"
	@echo "make test    lint + every test suite"
	@echo "make quick   the inner loop: unit tests and the API tests but the route-wide ones (under 3 minutes)"
	@echo "make bench   benchmarks (results in docs/benchmarks.md)"
	@echo "make synth   synthesize the CloudFormation templates into cdk.out/"
	@echo "make deploy  deploy with the pinned CDK CLI (needs AWS credentials)"

$(TOOLS)/bin/uv:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

# Every file and folder of the package, templates too: the domain layer ships them all (a folder changes when a
# file in it is added or removed).
build/layers/.built: uv.lock layers/build.sh $(shell find shared/atrium -not -path '*/__pycache__*') | .venv/.synced
	UV=$(UV) bash layers/build.sh
	@touch $@

layers: build/layers/.built

$(ASC):
	npm install --prefix $(TOOLS)/asc --no-save --silent assemblyscript@$(ASC_VERSION)

# The example plugin, built from its source with the AssemblyScript SDK (docs/plugins.md).
$(EXAMPLE_PLUGIN): $(wildcard $(PLUGIN_SDK)/assembly/*.ts) | $(ASC)
	@mkdir -p $(@D)
	$(ASC) $(PLUGIN_SDK)/assembly/index.ts --runtime stub --use abort= -O3 --outFile $@

plugins: $(EXAMPLE_PLUGIN)

dev: .venv/.synced
	.venv/bin/atrium dev $(ARGS)

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/mypy

# The browser tests' Chromium: Debian's package, installed when missing (as root; otherwise say how), unless
# ATRIUM_CHROMIUM names one.
browser:
	@[ -n "$${ATRIUM_CHROMIUM:-}" ] || command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -qq --no-install-recommends chromium >/dev/null \
	    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; \
	  else echo "The browser tests need Chromium: install Debian's chromium package, or set ATRIUM_CHROMIUM." >&2; \
	    exit 1; fi; }

# The linters run beside the suite: mypy alone is a minute and a half of one core, which the suite's workers leave
# idle at times (waiting on local stacks and browsers).
test: layers plugins browser
	@$(MAKE) --no-print-directory -j2 lint suite

# The tests write bytecode even where PYTHONDONTWRITEBYTECODE is set: else every process of a run (each worker, and
# each local stack, Lambda entry and bench run a test starts) compiles all it imports again. The domain code is
# compiled once before the workers start; pytest caches the test modules it rewrites as they are imported.
suite quick: export PYTHONDONTWRITEBYTECODE :=
suite: .venv/.synced
	$(PY) -m compileall -q -j0 shared bench tests/support
	$(PY) -m pytest $(PYTEST_WORKERS) $(SLOWEST) $(PYTEST_ARGS)

quick: .venv/.synced
	$(PY) -m compileall -q -j0 shared bench tests/support
	$(PY) -m pytest $(PYTEST_WORKERS) tests/unit tests/api -m "not slow" $(PYTEST_ARGS)

unit integration api e2e infra: .venv/.synced
	$(PY) -m pytest tests/$@ $(PYTEST_ARGS)

infra: layers
integration: plugins

openapi: .venv/.synced
	.venv/bin/atrium openapi --output docs/openapi.json

bench: .venv/.synced layers
	$(PY) -m bench

synth: .venv/.synced layers
	$(PY) infra/app.py

$(CDK):
	npm install --prefix $(TOOLS) --no-save --silent aws-cdk@$(CDK_CLI_VERSION)

deploy: .venv/.synced layers $(CDK)
	$(CDK) deploy --require-approval broadening

clean:
	rm -rf build cdk.out .pytest_cache .mypy_cache .ruff_cache
