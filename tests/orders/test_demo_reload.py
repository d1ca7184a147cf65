"""`python -m actions.orders demo` twice changes nothing, frozen funds included (issue #14 item 7)."""
from __future__ import annotations

import subprocess

from sqlalchemy import create_engine, func, select

from actions.orders.models import Buyer, FrozenFund, Order, Refund
from tests.support.servers import BIN, REPO, base_env


def counts(url: str) -> dict:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return {model.__name__: connection.scalar(select(func.count()).select_from(model))
                    for model in (Buyer, Order, Refund, FrozenFund)}
    finally:
        engine.dispose()


def test_loading_the_demo_twice_changes_no_counts(tmp_path):
    # each load at another "now" (BOT_NOW), as a re-load a day later would be: the frozen funds'
    # times move with now, so a key that holds their time would add rows on every load
    url = f"sqlite:///{tmp_path / 'orders.db'}"
    seen = []
    for now in ("2026-11-20T10:00:00+08:00", "2026-11-21T16:30:00+08:00", "2026-12-24T09:00:00+08:00"):
        env = base_env({"ORDERS_DB_URL": url, "BOT_NOW": now})
        subprocess.run([str(BIN / "python"), "-m", "actions.orders", "demo"], cwd=REPO, env=env,
                       check=True, capture_output=True, timeout=120)
        seen.append(counts(url))
    assert seen[0] == seen[1] == seen[2], seen
    assert seen[0]["FrozenFund"] == 7
