# Two commands: `make run` serves the bot, `make test` runs every test.
# Both set themselves up on a fresh machine (venv, packages, model, database).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Rasa 3.6 needs Python 3.8-3.10; pass PYTHON=/path/to/python3.10 to choose.
PYTHON ?= $(shell scripts/find-python.sh)
FILE ?=
BUYER ?= tb_lily88

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)

.PHONY: help venv train run shell test load-orders init-db bench-nlu clean

help:
	@echo "make run                 set up if needed and start the bot (Rasa :5005, actions :5055)"
	@echo "make test                set up if needed and run every test"
	@echo "make shell [BUYER=id]    talk to the bot in the terminal as a demo buyer"
	@echo "make train               train a model if the data changed"
	@echo "make load-orders FILE=x  import a store's orders (JSON, all or nothing)"

$(BIN)/.installed: requirements.txt constraints.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.8-3.10 found: Rasa 3.6 needs one. Install python3.10 or run 'make PYTHON=/path/to/python3.10 ...'"; exit 1; }
	@scripts/find-python.sh --check "$(PYTHON)" || exit 1
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip<24.1" wheel
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

venv: $(BIN)/.installed

# `rasa train` compares fingerprints and only trains when something changed.
train: venv
	$(BIN)/rasa train --quiet --num-threads 2

init-db: venv
	$(BIN)/python -m actions.orders demo --if-empty

load-orders: venv
	@test -n "$(FILE)" || { echo "usage: make load-orders FILE=orders.json"; exit 2; }
	$(BIN)/python -m actions.orders load "$(FILE)"

run: train init-db
	scripts/run.sh

shell: train init-db
	scripts/shell.sh "$(BUYER)"

test: train
	$(BIN)/rasa data validate --quiet
	scripts/test.sh

bench-nlu: venv
	bench/nlu/run.sh

clean:
	rm -rf models/*.tar.gz .local results
