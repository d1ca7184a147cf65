# Sourced by scripts/run.sh, shell.sh and test.sh: the shared environment
# (defaults.env) and the local defaults every script computes the same way.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
set -a
# shellcheck source=../defaults.env
. ./defaults.env
set +a
export PYTHONPATH="$PWD"
BIN=.venv/bin
PROFILE="${PROFILE:-local}"
# Secrets, the API token and pid files of the local profile (git-ignored).
LOCAL_DIR="${LOCAL_DIR:-.local}"
# Conversations, orders, secrets and reports are the buyers' and the shop's: only
# this user may read them (files 0600, directories 0700), also those made before.
umask 077
mkdir -p "$LOCAL_DIR"
chmod 700 "$LOCAL_DIR"
find "$LOCAL_DIR" -maxdepth 1 -type f -exec chmod 600 {} + 2>/dev/null || true
RASA_HOST="${RASA_HOST:-127.0.0.1}"
RASA_PORT="${RASA_PORT:-$DEFAULT_RASA_PORT}"
ACTIONS_PORT="${ACTIONS_PORT:-$DEFAULT_ACTIONS_PORT}"
WEB_PORT="${WEB_PORT:-$DEFAULT_WEB_PORT}"
# endpoints*.yml read both with Rasa's ${VAR} substitution (no defaults there).
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}"

# Local conversations live in SQLite (endpoints.yml): TRACKER_DB_URL, else beside
# an SQLite order database, else $LOCAL_DIR/conversations.db.
# staff/review/source.py works out the same URL for `make review`;
# tests/staff/test_tracker_url.py keeps the two in step.
default_tracker_db_url() {
  local orders="${ORDERS_DB_URL:-}" dir
  if [[ "$orders" =~ ^sqlite(\+[A-Za-z0-9_]+)?:///(.+)$ && "${BASH_REMATCH[2]}" != ":memory:" ]]; then
    dir="$(dirname "${BASH_REMATCH[2]}")"
  else
    dir="$LOCAL_DIR"
  fi
  mkdir -p "$dir"
  echo "sqlite:///$(cd "$dir" && pwd)/conversations.db"
}
if [ "$PROFILE" != production ]; then
  export TRACKER_DB_URL="${TRACKER_DB_URL:-$(default_tracker_db_url)}"
fi
