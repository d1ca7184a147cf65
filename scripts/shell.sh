#!/usr/bin/env bash
# Rasa shell as a demo buyer (the conversation id is the buyer id), with
# the action server running beside it for as long as the shell lives.
set -euo pipefail
cd "$(dirname "$0")/.."
BUYER="${1:-tb_lily88}"
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2
export PYTHONPATH="$PWD"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
ENDPOINTS="${ENDPOINTS:-endpoints.yml}"  # must point at ACTIONS_PORT (tests use their own)
mkdir -p .local
.venv/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" > .local/shell-actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$ACTIONS_PORT/health" >/dev/null 2>&1 && break; sleep 0.5; done
echo "Talking as demo buyer $BUYER (make shell BUYER=... to change). Type /stop to quit."
.venv/bin/rasa shell --conversation-id "$BUYER" --endpoints "$ENDPOINTS" --model models --quiet \
  --port "${SHELL_RASA_PORT:-5005}"  # rasa shell runs its own server on this port
