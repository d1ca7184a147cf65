#!/usr/bin/env bash
# Start the action server and the Rasa server together in the foreground;
# Ctrl-C (or SIGTERM) stops both. Runs unattended: no prompt, no browser.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2
export PYTHONPATH="$PWD"
RASA_HOST="${RASA_HOST:-127.0.0.1}"
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
ENDPOINTS="${ENDPOINTS:-endpoints.yml}"
CREDENTIALS="${CREDENTIALS:-credentials.yml}"
mkdir -p .local

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping the bot..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap stop INT TERM EXIT

$BIN/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
$BIN/rasa run --enable-api -i "$RASA_HOST" -p "$RASA_PORT" \
  --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" --model models &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fs "http://$RASA_HOST:$RASA_PORT/status" >/dev/null 2>&1; then break; fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a server failed to start"; exit 1; }; done
  sleep 1
done
cat <<MSG

  The refund bot is running.
    Rasa server:    http://$RASA_HOST:$RASA_PORT   (REST: POST /webhooks/rest/webhook)
    Action server:  http://127.0.0.1:$ACTIONS_PORT
  Try it:
    curl -s -XPOST http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook \\
      -H 'Content-Type: application/json' \\
      -d '{"sender": "tb_lily88", "message": "已经发货了还能退款吗"}'
  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
