"""The bot as `make run` stores conversations: Rasa's SQL tracker store on SQLite (issue #23).

The session-wide `bot` fixture keeps conversations in memory; a lone surrogate
only stopped Rasa through the SQL store, so the issue #23 tests use this one.
"""
from __future__ import annotations

import pytest

from bot.channels.limits import DEFAULT_PER_CLIENT, DEFAULT_PER_CONVERSATION

SESSION_EVENT_CAP = 150


@pytest.fixture(scope="session")
def sql_bot(tmp_path_factory, demo_db_url):
    from tests.support.servers import running_bot

    workdir = tmp_path_factory.mktemp("sql-bot")
    tracker_db = workdir / "conversations.db"
    env = {
        "ORDERS_DB_URL": demo_db_url,
        # a session's event cap (bot/channels/limits.py) low enough for a test to reach
        "BOT_MAX_EVENTS_PER_SESSION": str(SESSION_EVENT_CAP),
        # the limits as shipped (tests/support/servers.py raises them for the other suites)
        "BOT_MESSAGES_PER_MINUTE_PER_CONVERSATION": str(DEFAULT_PER_CONVERSATION),
        "BOT_MESSAGES_PER_MINUTE_PER_CLIENT": str(DEFAULT_PER_CLIENT),
    }
    with running_bot(workdir, env, widget_page=True,
                     endpoints_extra=f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
                     ) as rasa:
        yield rasa
