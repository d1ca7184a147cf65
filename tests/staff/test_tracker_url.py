"""`make run` (scripts/env.sh) and `make review` (staff/review/source.py) find the same
tracker store for the same environment: the review reads what the bot wrote."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from staff.review.source import tracker_db_url
from tests.support.servers import REPO, base_env


def _file(url: str) -> Path:
    assert url.startswith("sqlite:///"), url
    return Path(url[len("sqlite:///"):]).resolve()


def _env_sh_url(env: dict) -> str:
    run = subprocess.run(["bash", "-c", '. scripts/env.sh && printf %s "$TRACKER_DB_URL"'], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=30, check=True)
    return run.stdout


@pytest.mark.parametrize("case", ["default", "local_dir", "orders_absolute", "orders_relative",
                                  "orders_with_driver", "orders_in_memory", "orders_postgres", "override"])
def test_make_run_and_make_review_agree_on_the_tracker_store(tmp_path, case):
    settings = {
        "default": {},
        "local_dir": {"LOCAL_DIR": str(tmp_path / "local")},
        "orders_absolute": {"ORDERS_DB_URL": f"sqlite:///{tmp_path / 'shop' / 'orders.db'}"},
        "orders_relative": {"ORDERS_DB_URL": "sqlite:///.local/orders.db"},
        "orders_with_driver": {"ORDERS_DB_URL": f"sqlite+pysqlite:///{tmp_path / 'orders.db'}"},
        "orders_in_memory": {"ORDERS_DB_URL": "sqlite:///:memory:", "LOCAL_DIR": str(tmp_path / "l")},
        "orders_postgres": {"ORDERS_DB_URL": "postgresql://127.0.0.1/shop", "LOCAL_DIR": str(tmp_path / "p")},
        "override": {"TRACKER_DB_URL": f"sqlite:///{tmp_path / 'elsewhere.db'}"},
    }[case]
    (tmp_path / "shop").mkdir()
    env = base_env(settings)
    bash_url, python_url = _env_sh_url(env), tracker_db_url(env)
    assert _file(bash_url) == _file(python_url), (bash_url, python_url)
    expected = {
        "default": REPO / ".local" / "conversations.db",
        "local_dir": tmp_path / "local" / "conversations.db",
        "orders_absolute": tmp_path / "shop" / "conversations.db",
        "orders_relative": REPO / ".local" / "conversations.db",
        "orders_with_driver": tmp_path / "conversations.db",
        "orders_in_memory": tmp_path / "l" / "conversations.db",
        "orders_postgres": tmp_path / "p" / "conversations.db",
        "override": tmp_path / "elsewhere.db",
    }[case]
    assert _file(python_url) == expected.resolve()
