#!/usr/bin/env bash
# Every test the project has: pytest (unit, database, conversations through
# the real servers, channels) and Rasa's own conversation tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2
export PYTHONPATH="$PWD"
mkdir -p results

echo "== pytest"
.venv/bin/python -m pytest -q

echo "== rasa test (conversation stories in tests/stories)"
.venv/bin/rasa test core --stories tests/stories --model models \
  --out results/core --fail-on-prediction-errors --quiet
echo "rasa test: every story passed"
