#!/usr/bin/env bash
# Every test the project has: pytest (unit, database, conversations through
# the real servers, channels) and Rasa's own conversation tests.
set -euo pipefail
. "$(dirname "$0")/env.sh"
mkdir -p results

echo "== pytest"
$BIN/python -m pytest -q

echo "== rasa test (conversation stories in tests/stories)"
# rasa test core reads endpoints.yml: keep its conversations out of .local/.
TRACKER_DB_URL="sqlite:///$PWD/results/core-conversations.db" $BIN/rasa test core --stories tests/stories --model models \
  --out results/core --fail-on-prediction-errors --quiet
echo "rasa test: every story passed"
