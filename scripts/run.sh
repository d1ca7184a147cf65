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
# Sanic accepts 100 MB bodies by default; no buyer message needs more than 1 MiB.
export SANIC_REQUEST_MAX_SIZE="${SANIC_REQUEST_MAX_SIZE:-1048576}"
# Rasa waits up to 300 s for the action server; bot/rasa_patches.py bounds it.
export RASA_ACTION_TIMEOUT_SECONDS="${RASA_ACTION_TIMEOUT_SECONDS:-10}"
RASA=($BIN/rasa)
PROFILE="${PROFILE:-local}"
if [ "$PROFILE" = production ]; then
  # docs/production.md: PostgreSQL tracker store, Redis lock store, no `rest` channel.
  export TRUSTED_SENDER_CHANNELS="${TRUSTED_SENDER_CHANNELS:-store_im}"
  export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}"
  export RASA_TRACKER_DB_HOST="${RASA_TRACKER_DB_HOST:-127.0.0.1}" RASA_TRACKER_DB_PORT="${RASA_TRACKER_DB_PORT:-5432}"
  export RASA_TRACKER_DB="${RASA_TRACKER_DB:-rasa_tracker}" RASA_TRACKER_DB_USER="${RASA_TRACKER_DB_USER:-postgres}"
  export RASA_TRACKER_DB_PASSWORD="${RASA_TRACKER_DB_PASSWORD:-}" RASA_TRACKER_LOGIN_DB="${RASA_TRACKER_LOGIN_DB:-postgres}"
  export RASA_LOCK_REDIS_HOST="${RASA_LOCK_REDIS_HOST:-127.0.0.1}" RASA_LOCK_REDIS_PORT="${RASA_LOCK_REDIS_PORT:-6379}"
  export RASA_LOCK_REDIS_DB="${RASA_LOCK_REDIS_DB:-1}" RASA_LOCK_REDIS_PASSWORD="${RASA_LOCK_REDIS_PASSWORD:-}"
  export ORDERS_DB_URL="${ORDERS_DB_URL:-postgresql+psycopg2://postgres@127.0.0.1:5432/refund_orders}"
  ENDPOINTS="${ENDPOINTS:-endpoints.production.yml}"
  CREDENTIALS="${CREDENTIALS:-credentials.production.yml}"
  # The order database and its tables (Rasa creates the tracker database itself: login_db).
  $BIN/python - <<'PY'
import os
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
url = make_url(os.environ["ORDERS_DB_URL"])
if url.get_backend_name() == "postgresql":
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as c:
        if not c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}).first():
            c.execute(text(f'CREATE DATABASE "{url.database}"'))
            print(f"created database {url.database}")
    admin.dispose()
PY
  $BIN/python -m actions.orders init
  # The HTTP API (trackers, model, messages as anyone) must not face the network unprotected.
  if [ "$RASA_HOST" != 127.0.0.1 ] && [ -z "${RASA_AUTH_TOKEN:-}" ]; then
    echo "PROFILE=production on $RASA_HOST: set RASA_AUTH_TOKEN (the HTTP API is enabled)"; exit 1
  fi
fi
ENDPOINTS="${ENDPOINTS:-endpoints.yml}"
CREDENTIALS="${CREDENTIALS:-credentials.yml}"
mkdir -p .local

# Channel secrets (README "Channels"). Local profile: made once, kept in
# .local/ (git-ignored) unless set in the environment. Production: never made
# up here; unset means the IM channel refuses everything (503) and every web
# visitor is anonymous.
WEB_PORT="${WEB_PORT:-8080}"
local_secret() {  # NAME FILE
  local name="$1" file="$2"
  if [ -n "${!name:-}" ]; then echo "  $name: from the environment"; return; fi
  if [ "$PROFILE" = production ]; then echo "  $name is not set"; return; fi
  if [ ! -s "$file" ]; then
    (umask 077 && $BIN/python -c 'import secrets; print(secrets.token_hex(32))' > "$file")
    echo "  $name: created a random local secret in $file"
  else
    echo "  $name: from $file"
  fi
  export "$name=$(cat "$file")"
}
local_secret STORE_IM_SECRET .local/store_im_secret
local_secret WIDGET_TOKEN_SECRET .local/widget_token_secret
if [ "$PROFILE" != production ] && [ "$WEB_PORT" != 8080 ]; then
  # credentials.yml allows the chat page's origin on :8080; follow WEB_PORT.
  export SOCKETIO_CORS_ORIGINS="${SOCKETIO_CORS_ORIGINS:-http://127.0.0.1:$WEB_PORT,http://localhost:$WEB_PORT}"
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping the bot..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap stop INT TERM EXIT

# rasa-sdk listens on SANIC_HOST (0.0.0.0 by default): keep it on this machine.
SANIC_HOST="${ACTIONS_HOST:-127.0.0.1}" $BIN/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
"${RASA[@]}" run --enable-api ${RASA_AUTH_TOKEN:+--auth-token "$RASA_AUTH_TOKEN"} -i "$RASA_HOST" -p "$RASA_PORT" \
  --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" --model models &
pids+=($!)

# The chat page with the web widget (local profile; a store serves its own page).
WEB_MSG=""
if [ "$PROFILE" != production ]; then
  if [ -f web/node_modules/rasa-webchat/lib/index.js ]; then
    $BIN/python -m bot.channels.web_page --host 127.0.0.1 --port "$WEB_PORT" --rasa "http://$RASA_HOST:$RASA_PORT" &
    pids+=($!)
    WEB_MSG="    Web chat page:  http://127.0.0.1:$WEB_PORT/   (as a logged-in buyer: http://127.0.0.1:$WEB_PORT/?buyer=tb_lily88)"
  else
    echo "web/node_modules is missing (make run installs it: cd web && npm ci): no chat page"
  fi
fi

for _ in $(seq 1 180); do
  if curl -fs "http://$RASA_HOST:$RASA_PORT/status${RASA_AUTH_TOKEN:+?token=$RASA_AUTH_TOKEN}" >/dev/null 2>&1; then break; fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a server failed to start"; exit 1; }; done
  sleep 1
done
cat <<MSG

  The refund bot is running.
    Rasa server:    http://$RASA_HOST:$RASA_PORT   (REST: POST /webhooks/rest/webhook)
    Action server:  http://127.0.0.1:$ACTIONS_PORT
$WEB_MSG
    Store IM:       POST http://$RASA_HOST:$RASA_PORT/webhooks/store_im/webhook (signed; README "Channels")
  Try it:
    curl -s -XPOST http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook \\
      -H 'Content-Type: application/json' \\
      -d '{"sender": "tb_lily88", "message": "已经发货了还能退款吗"}'
  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
