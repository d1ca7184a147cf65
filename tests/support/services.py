"""The local PostgreSQL and Redis the production tests use, and how a missing one is reported."""
from __future__ import annotations

import os

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def unavailable(what: str, error: Exception):
    """Services the production configuration needs: skip locally, fail in CI."""
    message = f"{what} is not reachable: {error}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
