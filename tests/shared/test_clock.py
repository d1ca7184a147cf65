"""BOT_NOW: the action server, the demo loader and the demo data take it as now."""
from datetime import datetime, timedelta, timezone

import pytest

from actions.orders.demo import demo_document
from shared.clock import BadBotNow, bot_now
from tests.support.servers import ActionServer, base_env


def test_unset_is_the_real_clock():
    before = datetime.now(timezone.utc)
    now = bot_now({})
    assert before <= now <= datetime.now(timezone.utc) and now.tzinfo is not None


@pytest.mark.parametrize("text, expected", [
    ("2026-12-24T15:00:00+08:00", datetime(2026, 12, 24, 7, 0, tzinfo=timezone.utc)),
    ("2027-02-01T09:30:00Z", datetime(2027, 2, 1, 9, 30, tzinfo=timezone.utc)),
    ("  2026-12-31T23:59:00-05:00 ", datetime(2027, 1, 1, 4, 59, tzinfo=timezone.utc)),
])
def test_bot_now_with_an_offset_is_now(text, expected):
    assert bot_now({"BOT_NOW": text}) == expected


@pytest.mark.parametrize("text", ["2026-12-24T15:00:00", "2026-12-24", "next tuesday", "2026-13-01T00:00:00+08:00"])
def test_bot_now_without_an_offset_or_garbled_is_refused(text):
    with pytest.raises(BadBotNow, match="BOT_NOW"):
        bot_now({"BOT_NOW": text})


def test_the_demo_data_is_staged_at_bot_now(monkeypatch):
    monkeypatch.setenv("BOT_NOW", "2026-12-24T15:00:00+08:00")
    doc = demo_document()
    lily = next(o for o in doc["orders"] if o["buyer_id"] == "tb_lily88")
    times = [datetime.fromisoformat(v) for o in doc["orders"] for k, v in o.items()
             if k.endswith("_at") and isinstance(v, str)]
    now = datetime(2026, 12, 24, 15, 0, tzinfo=timezone(timedelta(hours=8)))
    assert lily and times
    assert max(times) <= now + timedelta(days=1) and min(times) >= now - timedelta(days=120)
    assert any(abs(ti - now) < timedelta(days=7) for ti in times)
    assert doc == demo_document(now=now)


def test_the_demo_loader_command_stages_the_shop_at_bot_now(tmp_path):
    import subprocess

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from actions.orders.db import make_engine
    from actions.orders.models import Refund
    from tests.support.servers import BIN, REPO

    url = f"sqlite:///{tmp_path / 'orders.db'}"
    done = subprocess.run([str(BIN / "python"), "-m", "actions.orders", "demo"], cwd=REPO, timeout=120,
                          env=base_env({"BOT_NOW": "2027-02-01T10:00:00+08:00", "ORDERS_DB_URL": url}),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    engine = make_engine(url)
    with Session(engine) as session:
        requested = [r.requested_at for r in session.scalars(select(Refund))]
    engine.dispose()
    staged = datetime(2027, 2, 1, 2, 0, tzinfo=timezone.utc)
    assert requested and all(staged - timedelta(days=60) <= r <= staged for r in requested)


def _start_log(tmp_path, bot_now_text):
    server = ActionServer(tmp_path, base_env({"BOT_NOW": bot_now_text}))
    try:
        server.start()
    finally:
        server.stop()
    return server.log.read_text()


def test_action_server_start_up_warns_within_sixty_days(tmp_path):
    log = _start_log(tmp_path, "2026-11-28T09:00:00+08:00")
    lines = [line for line in log.splitlines() if "holiday calendar" in line]
    assert len(lines) == 1 and "coverage ends 2026-12-31 (33 days" in lines[0]


def test_action_server_start_up_is_quiet_with_more_than_sixty_days(tmp_path):
    log = _start_log(tmp_path, "2026-10-31T09:00:00+08:00")
    assert "holiday calendar" not in log


def test_action_server_refuses_to_start_with_a_malformed_bot_now(tmp_path):
    server = ActionServer(tmp_path, base_env({"BOT_NOW": "2026-12-24 15:00"}))
    with pytest.raises(RuntimeError, match="exited early"):
        server.start()
    server.stop()
    assert "has no offset" in server.log.read_text()
