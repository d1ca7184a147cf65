# Two commands: `make run` serves the bot, `make test` runs every test.
# Both set themselves up on a fresh machine (venv, packages, model, database).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Rasa 3.6 needs Python 3.8-3.10; pass PYTHON=/path/to/python3.10 to choose.
PYTHON ?= $(shell scripts/find-python.sh)
FILE ?=
BUYER ?= tb_lily88

# The environment every process runs with (also read by scripts/env.sh).
include defaults.env
export PYTHONPATH := $(CURDIR)

.PHONY: lint help venv train run shell test load-orders init-db bench-nlu clean web-deps browser-deps run-production bench-load bench-growth audit

help:
	@echo "make run                 set up if needed and start the bot (Rasa :$(DEFAULT_RASA_PORT), actions :$(DEFAULT_ACTIONS_PORT))"
	@echo "make test                set up if needed and run every test"
	@echo "make shell [BUYER=id]    talk to the bot in the terminal as a demo buyer"
	@echo "make train               train a model if the data changed"
	@echo "make load-orders FILE=x  import a store's orders (JSON, all or nothing)"
	@echo "make run-production      PostgreSQL + Redis, store IM and widget only (docs/production.md)"
	@echo "make bench-load          load benchmark -> bench/load/RESULTS.md"
	@echo "make bench-growth        its growth part alone (cost per message as a conversation grows)"
	@echo "make audit               pip-audit over constraints.txt (docs/security.md)"
	@echo "make lint                ruff and mypy over the Python code"
	@echo "make review [SINCE=7d]   what the bot could not answer -> reports/review.html (staff)"
	@echo "make bench-nlu           NLU benchmark on the held-out files and ../shared/eval/real_dev.yml -> bench/nlu/RESULTS.md"

$(BIN)/.installed: requirements.txt constraints.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.8-3.10 found: Rasa 3.6 needs one. Install python3.10 or run 'make PYTHON=/path/to/python3.10 ...'"; exit 1; }
	@scripts/find-python.sh --check "$(PYTHON)" || exit 1
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip<24.1" wheel
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

venv: $(BIN)/.installed

# Trains only when the data, config or NLU components are newer than the newest
# model (scripts/train.sh: `rasa train` would package a new archive every time).
train: venv
	@scripts/train.sh

init-db: venv
	$(BIN)/python -m actions.orders demo --if-empty

load-orders: venv
	@test -n "$(FILE)" || { echo "usage: make load-orders FILE=orders.json"; exit 2; }
	$(BIN)/python -m actions.orders load "$(FILE)"

run: train init-db web-deps
	@$(BIN)/python -m actions.rules.calendar_check
	scripts/run.sh

shell: train init-db
	scripts/shell.sh "$(BUYER)"

test: train web-deps browser-deps
	$(BIN)/python -m bot.rasa_cli data validate --quiet
	@$(MAKE) --no-print-directory lint
	scripts/test.sh
	@$(MAKE) --no-print-directory audit

# Production profile (docs/production.md): PostgreSQL tracker store, Redis lock
# store, PostgreSQL orders; creates the databases if missing. No `rest` channel.
run-production: train
	PROFILE=production scripts/run.sh

# Load benchmark (bench/load/RESULTS.md): about 15 minutes on 2 cores, then the
# growth part (bench/load/growth.py: 100-message conversations, 10,000 messages): about 25 more.
bench-load: train
	$(BIN)/python bench/load/loadtest.py $(BENCH_ARGS)
	$(BIN)/python bench/load/growth.py $(GROWTH_ARGS)

bench-growth: train
	$(BIN)/python bench/load/growth.py $(GROWTH_ARGS)

# Known vulnerabilities in the lock file (constraints.txt). pip-audit needs
# packaging>=21, which rasa 3.6 does not allow in .venv: it lives in .venv-tools.
# IDs that do not apply are listed, with the reason, in docs/security.md.
LINT_PATHS ?= actions bot staff shared web tests bench
TOOLS := .venv-tools
AUDIT_IGNORE := GHSA-8495-4g3g-x7pr GHSA-9548-qrrj-x5pj GHSA-jwhx-xcg6-8xhj
$(TOOLS)/.installed:
	@test -n "$(PYTHON)" || { echo "No Python 3.8-3.10 found for $(TOOLS)"; exit 1; }
	@test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "pip-audit==2.10.1"
	@touch $@

audit: $(TOOLS)/.installed
	AUDIT_IGNORE="$(AUDIT_IGNORE)" scripts/audit.sh

# The web chat widget (rasa-webchat) from web/package-lock.json, served by make run.
WEB_BUNDLE := web/node_modules/rasa-webchat/lib/index.js
$(WEB_BUNDLE): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm (node 20) is needed for the web chat widget"; exit 1; }
	cd web && npm ci --no-audit --no-fund
	@touch $@

web-deps: $(WEB_BUNDLE)

# The widget's browser test drives Debian's Chromium (no browser download);
# a CJK font makes the screenshot readable. We are root on these machines.
browser-deps:
	@{ command -v chromium >/dev/null && fc-list :lang=zh | grep -q . ; } || { \
	  echo "installing Debian's chromium and a Chinese font (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; }

# Lint and type checks (ruff: pyflakes, pycodestyle, isort, bugbear; mypy) in
# their own venv, so they never change Rasa's pins.
LINT := .venv-lint
$(LINT)/.installed: requirements-lint.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.8-3.10 found for $(LINT)"; exit 1; }
	@test -x $(LINT)/bin/python || $(PYTHON) -m venv $(LINT)
	$(LINT)/bin/python -m pip install --quiet -r requirements-lint.txt
	@touch $@

lint: $(LINT)/.installed venv
	$(LINT)/bin/ruff check $(LINT_PATHS)
	$(LINT)/bin/mypy --python-executable $(BIN)/python --explicit-package-bases $(LINT_PATHS)

bench-nlu: venv
	bench/nlu/run.sh

clean:
	rm -rf models/*.tar.gz .local results

# What the bot could not answer (staff/review): reads the tracker store make run
# writes (same environment) -> reports/review.html, review.json, nlu_suggestions.yml.
SINCE ?= 7d
.PHONY: review
review: venv
	$(BIN)/python -m staff.review --since "$(SINCE)"
