"""Where the conversations are and how to read them: the Rasa tracker store's `events` table.

The URL is found the way `make run` finds it, so `make review` reads the same
store: TRACKER_DB_URL if set; PROFILE=production: PostgreSQL from the
RASA_TRACKER_DB_* variables (defaults as in scripts/run.sh); otherwise the
local SQLite file, beside the orders file when ORDERS_DB_URL is an SQLite URL,
else `$LOCAL_DIR/conversations.db` (`.local/`). Relative paths are taken from
the repository root, where the scripts run.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCAL_TRACKER_FILE = "conversations.db"


def tracker_db_url(env: Optional[Mapping[str, str]] = None) -> str:
    """The SQLAlchemy URL of the tracker store `make run` uses with this environment."""
    env = os.environ if env is None else env
    if env.get("TRACKER_DB_URL"):
        return env["TRACKER_DB_URL"]
    if env.get("PROFILE", "local") == "production":
        return URL.create(
            "postgresql+psycopg2",
            username=env.get("RASA_TRACKER_DB_USER") or "postgres",
            password=env.get("RASA_TRACKER_DB_PASSWORD") or None,
            host=env.get("RASA_TRACKER_DB_HOST") or "127.0.0.1",
            port=int(env.get("RASA_TRACKER_DB_PORT") or 5432),
            database=env.get("RASA_TRACKER_DB") or "rasa_tracker",
        ).render_as_string(hide_password=False)
    orders_url = env.get("ORDERS_DB_URL")
    if orders_url and orders_url.startswith("sqlite"):
        orders_file = make_url(orders_url).database
        if orders_file and orders_file != ":memory:":
            return f"sqlite:///{(REPO_ROOT / orders_file).parent / LOCAL_TRACKER_FILE}"
    local_dir = REPO_ROOT / (env.get("LOCAL_DIR") or ".local")
    return f"sqlite:///{local_dir / LOCAL_TRACKER_FILE}"


def display_url(url: str) -> str:
    """The URL without its password, for the report and messages."""
    return make_url(url).render_as_string(hide_password=True)


@dataclass
class StoredConversation:
    """One Rasa session of one sender: its events as Rasa stored them (dicts)."""

    sender_id: str
    events: List[Dict] = field(default_factory=list)


class TrackerStoreMissing(Exception):
    """The tracker database or its `events` table does not exist."""


def _engine(url: str):
    if url.startswith("sqlite"):
        path = make_url(url).database
        if not path or path == ":memory:" or not Path(path).exists():
            # Connecting would create an empty file: say what is missing instead.
            raise TrackerStoreMissing(
                f"还没有会话记录：{display_url(url)} 不存在（make run 接待过买家后再运行 make review）")
    return create_engine(url, future=True)


def count_events(url: str, since_timestamp: float) -> int:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            _check_events_table(connection, url)
            return connection.execute(
                text("SELECT COUNT(*) FROM events WHERE timestamp >= :since"),
                {"since": since_timestamp},
            ).scalar_one()
    finally:
        engine.dispose()


def read_conversations(url: str, since_timestamp: float, progress=None) -> Iterator[StoredConversation]:
    """Every session with events since the timestamp, one sender at a time.

    Rows are streamed in (sender, insertion) order, so memory holds one sender's
    events at a time. A session starts at Rasa's `action_session_start`.
    """
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            _check_events_table(connection, url)
            rows = connection.execution_options(stream_results=True, yield_per=2000).execute(
                # Insertion order, not event time: Rasa stamps an action after the
                # messages it sent, but stores them in the order they happened.
                text("SELECT sender_id, data FROM events WHERE timestamp >= :since "
                     "ORDER BY sender_id, id"),
                {"since": since_timestamp},
            )
            current: Optional[StoredConversation] = None
            for sender_id, data in rows:
                if progress is not None:
                    progress.update(1)
                event = _decode(data)
                if event is None:
                    continue
                starts_session = event.get("event") == "action" and event.get("name") == "action_session_start"
                if current is None or current.sender_id != sender_id or (starts_session and current.events):
                    if current is not None:
                        yield current
                    current = StoredConversation(sender_id)
                current.events.append(event)
            if current is not None:
                yield current
    finally:
        engine.dispose()


def _decode(data) -> Optional[Dict]:
    try:
        event = json.loads(data) if isinstance(data, (str, bytes)) else data
    except ValueError:
        return None  # a damaged row must not stop the review
    return event if isinstance(event, dict) else None


def _check_events_table(connection, url: str) -> None:
    from sqlalchemy import inspect

    if not inspect(connection).has_table("events"):
        raise TrackerStoreMissing(
            f"{display_url(url)} 里没有会话表（events）：机器人还没有用这个数据库记录过会话"
        )
