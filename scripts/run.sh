#!/usr/bin/env bash
# Start the bot's processes (action server, Rasa server, local chat page) in the
# foreground, each under a supervisor loop that starts it again when it dies or
# stops answering its health check (back-off 1, 2, 4 … 30 s, one log line each
# time); Ctrl-C or SIGTERM stops all.
# Runs unattended: no prompt, no browser. PROFILE=production: docs/production.md.
set -euo pipefail
. "$(dirname "$0")/env.sh"
# Limits come from the code (bot/channels/limits.py: request size, bot/rasa_patches.py:
# action timeout); SANIC_REQUEST_MAX_SIZE and RASA_ACTION_TIMEOUT_SECONDS override them.
RUN_DIR="${RUN_DIR:-$LOCAL_DIR/run}"  # <name>.pid of each running process (tests kill them)
mkdir -p "$RUN_DIR"

if [ "$PROFILE" = production ]; then
  # docs/production.md: PostgreSQL tracker store, Redis lock store, no `rest` channel.
  export TRUSTED_SENDER_CHANNELS="${TRUSTED_SENDER_CHANNELS:-store_im}"
  export RASA_TRACKER_DB_HOST="${RASA_TRACKER_DB_HOST:-127.0.0.1}" RASA_TRACKER_DB_PORT="${RASA_TRACKER_DB_PORT:-5432}"
  export RASA_TRACKER_DB="${RASA_TRACKER_DB:-rasa_tracker}" RASA_TRACKER_DB_USER="${RASA_TRACKER_DB_USER:-postgres}"
  export RASA_TRACKER_DB_PASSWORD="${RASA_TRACKER_DB_PASSWORD:-}" RASA_TRACKER_LOGIN_DB="${RASA_TRACKER_LOGIN_DB:-postgres}"
  export RASA_LOCK_REDIS_HOST="${RASA_LOCK_REDIS_HOST:-127.0.0.1}" RASA_LOCK_REDIS_PORT="${RASA_LOCK_REDIS_PORT:-6379}"
  export RASA_LOCK_REDIS_DB="${RASA_LOCK_REDIS_DB:-1}" RASA_LOCK_REDIS_PASSWORD="${RASA_LOCK_REDIS_PASSWORD:-}"
  export ORDERS_DB_URL="${ORDERS_DB_URL:-postgresql+psycopg2://postgres@127.0.0.1:5432/refund_orders}"
  ENDPOINTS="${ENDPOINTS:-endpoints.production.yml}"
  CREDENTIALS="${CREDENTIALS:-credentials.production.yml}"
  # The order database and its tables (Rasa creates the tracker database itself: login_db).
  $BIN/python -m actions.orders create-database
  $BIN/python -m actions.orders init
  # The HTTP API is off unless asked for, and then only with a token (bot/server.py).
  export RASA_ENABLE_API="${RASA_ENABLE_API:-0}"
else
  export RASA_ENABLE_API="${RASA_ENABLE_API:-1}"
fi
ENDPOINTS="${ENDPOINTS:-endpoints.yml}"
CREDENTIALS="${CREDENTIALS:-credentials.yml}"

# Channel secrets and the API token (docs/channels.md: "Secrets", "The HTTP API"). Local
# profile: made once, kept in $LOCAL_DIR (git-ignored) unless set in the
# environment. Production: never made up here; an unset channel secret means
# the IM channel refuses everything (503) and every web visitor is anonymous.
local_secret() {  # NAME FILE [FILE_ENV]: export NAME, or FILE_ENV=FILE when given
  local name="$1" file="$2" file_env="${3:-}"
  if [ -n "${!name:-}" ]; then echo "  $name: from the environment"; return; fi
  if [ -n "$file_env" ] && [ -n "${!file_env:-}" ]; then echo "  $name: from ${!file_env}"; return; fi
  if [ "$PROFILE" = production ]; then echo "  $name is not set"; return; fi
  if [ ! -s "$file" ]; then
    (umask 077 && $BIN/python -c 'import secrets; print(secrets.token_hex(32))' > "$file")
    echo "  $name: created a random local secret in $file"
  else
    echo "  $name: from $file"
  fi
  if [ -n "$file_env" ]; then export "$file_env=$file"; else export "$name=$(cat "$file")"; fi
}
local_secret STORE_IM_SECRET "$LOCAL_DIR/store_im_secret"
local_secret WIDGET_TOKEN_SECRET "$LOCAL_DIR/widget_token_secret"
if [ "$RASA_ENABLE_API" = 1 ]; then
  # The token never goes on a command line (`ps` shows it): bot/server.py reads it.
  local_secret RASA_API_TOKEN "$(cd "$LOCAL_DIR" && pwd)/api_token" RASA_API_TOKEN_FILE
fi
if [ "$PROFILE" != production ] && [ "$WEB_PORT" != "$DEFAULT_WEB_PORT" ]; then
  # credentials.yml allows the chat page's origin on DEFAULT_WEB_PORT; follow WEB_PORT.
  export SOCKETIO_CORS_ORIGINS="${SOCKETIO_CORS_ORIGINS:-http://127.0.0.1:$WEB_PORT,http://localhost:$WEB_PORT}"
fi

# watchdog NAME URL FAILURES PID: once PID has answered URL, SIGKILL it after FAILURES
# checks in a row without an answer (every WATCHDOG_INTERVAL s, WATCHDOG_TIMEOUT s
# each): a hung process (deadlock, kill -STOP) is restarted, not only one that exits.
WATCHDOG_INTERVAL="${WATCHDOG_INTERVAL:-2}" WATCHDOG_TIMEOUT="${WATCHDOG_TIMEOUT:-2}"
watchdog() {
  local name="$1" url="$2" limit="$3" pid="$4" failures=0 answered=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep "$WATCHDOG_INTERVAL"
    if curl -fs -m "$WATCHDOG_TIMEOUT" -o /dev/null "$url"; then
      answered=1 failures=0
    elif (( answered )); then
      failures=$(( failures + 1 ))
      if (( failures >= limit )); then
        echo "[watchdog $(date -u +%H:%M:%S)] $name (pid $pid) did not answer $url $failures times in a row; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        return 0
      fi
    fi
  done
}

# supervise NAME HEALTH_URL FAILURES COMMAND...: run COMMAND under the watchdog;
# whenever it exits (or the watchdog kills it), log it and start it again after a
# back-off (1 s, doubling to 30 s; back to 1 s after a minute up).
supervise() {
  local name="$1" url="$2" limit="$3"; shift 3
  local delay=1 started status child="" dog=""
  trap 'if [ -n "$dog" ]; then kill "$dog" 2>/dev/null; fi; if [ -n "$child" ]; then kill -CONT "$child" 2>/dev/null; kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi; rm -f "$RUN_DIR/$name.pid"; exit 0' TERM INT
  while :; do
    started=$SECONDS
    "$@" &
    child=$!
    echo "$child" > "$RUN_DIR/$name.pid"
    watchdog "$name" "$url" "$limit" "$child" &
    dog=$!
    status=0; wait "$child" || status=$?
    kill "$dog" 2>/dev/null || true; wait "$dog" 2>/dev/null || true
    if (( SECONDS - started >= 60 )); then delay=1; fi
    echo "[supervisor $(date -u +%H:%M:%S)] $name (pid $child) exited with status $status; restarting in ${delay}s" >&2
    sleep "$delay" & wait $! || true  # (a TERM during the sleep is handled at once)
    delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
  done
}

supervisors=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping the bot..."
  for pid in "${supervisors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
  exit 0  # also when stopped during start-up (else the readiness loop would go on)
}
trap stop INT TERM EXIT

# rasa-sdk listens on SANIC_HOST (0.0.0.0 by default): keep it on this machine.
# Only Rasa needs STORE_IM_SECRET (the IM channel): the others never see it.
supervise actions "http://127.0.0.1:$ACTIONS_PORT/health" 3 env -u STORE_IM_SECRET SANIC_HOST="${ACTIONS_HOST:-127.0.0.1}" \
  $BIN/python -m actions.server --port "$ACTIONS_PORT" &
supervisors+=($!)
# bot/server.py: Rasa with bot/rasa_patches.py applied and the HTTP API locked down.
# (a busy Rasa may be slow to answer for a while: more failed checks before a restart)
supervise rasa "http://$RASA_HOST:$RASA_PORT/" "${WATCHDOG_RASA_FAILURES:-8}" $BIN/python -m bot.server run -i "$RASA_HOST" -p "$RASA_PORT" \
  --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" --model models &
supervisors+=($!)

# The chat page with the web widget (local profile; a store serves its own page).
WEB_MSG=""
if [ "$PROFILE" != production ]; then
  if [ -f web/node_modules/rasa-webchat/lib/index.js ]; then
    supervise web "http://127.0.0.1:$WEB_PORT/" 3 env -u STORE_IM_SECRET $BIN/python -m web.server --host 127.0.0.1 --port "$WEB_PORT" --rasa "http://$RASA_HOST:$RASA_PORT" &
    supervisors+=($!)
    WEB_MSG="    Web chat page:  http://127.0.0.1:$WEB_PORT/   (as a logged-in buyer: http://127.0.0.1:$WEB_PORT/?buyer=tb_lily88)"
  else
    echo "web/node_modules is missing (make run installs it: cd web && npm ci): no chat page"
  fi
fi

# Rasa answers / once its model is loaded (every other non-channel route needs the token).
for _ in $(seq 1 300); do
  if curl -fs "http://$RASA_HOST:$RASA_PORT/" >/dev/null 2>&1; then break; fi
  sleep 1
done
API_MSG="    HTTP API:       off (RASA_ENABLE_API=1 to turn it on, with a token)"
if [ "$RASA_ENABLE_API" = 1 ]; then
  API_MSG="    HTTP API:       on, token in ${RASA_API_TOKEN_FILE:-RASA_API_TOKEN} (docs/channels.md)"
fi
cat <<MSG

  The refund bot is running (profile $PROFILE; each process restarts by itself if it dies).
    Rasa server:    http://$RASA_HOST:$RASA_PORT   (REST: POST /webhooks/rest/webhook)
    Action server:  http://127.0.0.1:$ACTIONS_PORT
$WEB_MSG
$API_MSG
    Store IM:       POST http://$RASA_HOST:$RASA_PORT/webhooks/store_im/webhook (signed; docs/channels.md)
  Try it:
    curl -s -XPOST http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook \\
      -H 'Content-Type: application/json' \\
      -d '{"sender": "tb_lily88", "message": "已经发货了还能退款吗"}'
  Press Ctrl-C to stop.

MSG
wait
