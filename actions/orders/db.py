"""Where the order database lives and how to connect to it.

SQLite in a git-ignored file by default; any SQLAlchemy URL through
ORDERS_DB_URL (PostgreSQL via psycopg2 in production). Every connection
has a short timeout so a database outage turns into a polite reply, not
a hung conversation.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = REPO_ROOT / ".local" / "orders.db"
DB_URL_ENV = "ORDERS_DB_URL"
# Seconds a query may take before the action gives up and apologises.
QUERY_TIMEOUT_SECONDS = 5


def database_url() -> str:
    return os.environ.get(DB_URL_ENV) or f"sqlite:///{DEFAULT_DB_PATH}"


def is_default_database(url: str) -> bool:
    return not os.environ.get(DB_URL_ENV) and url == f"sqlite:///{DEFAULT_DB_PATH}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(
            url, future=True, connect_args={"timeout": QUERY_TIMEOUT_SECONDS}
        )
    connect_args = {}
    if url.startswith("postgresql"):
        timeout_ms = QUERY_TIMEOUT_SECONDS * 1000
        connect_args = {
            "connect_timeout": QUERY_TIMEOUT_SECONDS,
            "options": f"-c statement_timeout={timeout_ms}",
        }
    return create_engine(
        url,
        future=True,
        pool_pre_ping=True,  # survive a database restart without a failed reply
        pool_size=5,
        max_overflow=5,
        pool_timeout=QUERY_TIMEOUT_SECONDS,
        connect_args=connect_args,
    )


@lru_cache(maxsize=None)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def session_factory(url: str | None = None) -> sessionmaker:
    return sessionmaker(engine_for(url or database_url()), future=True, class_=Session)
