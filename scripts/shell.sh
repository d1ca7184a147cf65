#!/usr/bin/env bash
# Rasa shell as a demo buyer, with the action server running beside it for as
# long as the shell lives. The conversation is `shell:<buyer>`; the action
# server learns the buyer from SHELL_BUYER_ID (shared/identity.py), not from
# the conversation id.
set -euo pipefail
. "$(dirname "$0")/env.sh"
BUYER="${1:-tb_lily88}"
ENDPOINTS="${ENDPOINTS:-endpoints.yml}"  # must point at ACTIONS_PORT (tests use their own)
SHELL_BUYER_ID="$BUYER" $BIN/python -m actions.server --port "$ACTIONS_PORT" \
  > "$LOCAL_DIR/shell-actions.log" 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$ACTIONS_PORT/health" >/dev/null 2>&1 && break; sleep 0.5; done
echo "Talking as demo buyer $BUYER (make shell BUYER=... to change). Type /stop to quit."
# bot/server.py applies bot/rasa_patches.py; rasa shell runs its own server on this port.
$BIN/python -m bot.server shell --conversation-id "shell:$BUYER" --endpoints "$ENDPOINTS" --model models \
  --quiet --port "${SHELL_RASA_PORT:-$RASA_PORT}"
