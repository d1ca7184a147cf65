"""Shared fixtures: databases (SQLite and the local PostgreSQL)."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from actions.orders import db
from actions.orders.db import make_engine
from tests.support.services import POSTGRES_ADMIN_URL, REDIS_URL, unavailable  # noqa: F401 (fixtures use them)

# A BOT_NOW left in a developer's shell must not move the clock under the
# tests (nor the servers they start); a test that wants one sets it itself.
os.environ.pop("BOT_NOW", None)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'orders.db'}"


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"refund_bot_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT",
                              connect_args={"connect_timeout": 3})
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any driver/connection error means "not reachable"
        unavailable("PostgreSQL on 127.0.0.1:5432", error)
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    from actions.orders.db import engine_for
    engine_for.cache_clear()
    with admin.connect() as connection:
        connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
        ), {"name": name})
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request):
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def sessions(db_url):
    engine = make_engine(db_url)
    yield sessionmaker(engine, future=True)
    engine.dispose()


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory):
    """A SQLite order database holding the demo shop, loaded now (live deadlines)."""
    from actions.orders.demo import demo_document
    from actions.orders.loader import load_document

    url = f"sqlite:///{tmp_path_factory.mktemp('demo-db') / 'orders.db'}"
    engine = make_engine(url)
    load_document(demo_document(), sessionmaker(engine, future=True))
    # Buyers with 2-4 orders that the conversation tests need beside the demo shop.
    more = Path(__file__).parent / "conversations" / "more_orders.json"
    load_document(demo_document(path=more), sessionmaker(engine, future=True))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def bot(tmp_path_factory, demo_db_url):
    """The real bot: action server + Rasa server (local configuration) on free ports,
    with a port for the chat page (tests/channels) whose exact origin may use socket.io."""
    from tests.support.servers import running_bot

    with running_bot(tmp_path_factory.mktemp("bot"), {"ORDERS_DB_URL": demo_db_url}, widget_page=True) as rasa:
        yield rasa


@pytest.fixture
def dispatcher():
    from rasa_sdk.executor import CollectingDispatcher

    return CollectingDispatcher()


@pytest.fixture
def demo_orders(monkeypatch, demo_db_url):
    """Point the actions at the demo shop's database."""
    monkeypatch.setenv(db.DB_URL_ENV, demo_db_url)
    yield demo_db_url
