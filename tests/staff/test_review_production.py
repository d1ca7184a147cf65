"""The production profile: `PROFILE=production make review` reads the PostgreSQL tracker store.

Rasa's SQLTrackerStore writes to a fresh PostgreSQL database (as
endpoints.production.yml configures it); the review finds it from the same
RASA_TRACKER_DB_* variables scripts/run.sh exports. Skipped locally when
PostgreSQL is not running, failed in CI (tests/conftest.py `unavailable`).
"""
from __future__ import annotations

import json
import subprocess
import time

from sqlalchemy.engine import make_url

from tests.support.servers import BIN, REPO, base_env
from tests.support.stored_trackers import Clock, answered, clarified, handed_off, save, session_start


def test_production_review_reads_postgresql_from_the_run_variables(postgres_url, tmp_path):
    target = make_url(postgres_url)
    clock = Clock(time.time() - 3600)
    save(tmp_path / "unused.db", {
        "store_im:tb_lily88": session_start(clock)
        + answered("退款到哪一步了", "ask_refund_progress", ["return_auto_refund_10d"], clock),
        "store_im:tb_zhang_san": session_start(clock) + clarified("发票怎么开", clock)
        + handed_off("转人工", "request_human", clock),
    }, dialect="postgresql", host=target.host, port=target.port or 5432, db=target.database,
        username=target.username, password=target.password or "")
    environment = base_env({
        "PROFILE": "production", "RASA_TRACKER_DB_HOST": target.host,
        "RASA_TRACKER_DB_PORT": str(target.port or 5432), "RASA_TRACKER_DB": target.database,
        "RASA_TRACKER_DB_USER": target.username, "RASA_TRACKER_DB_PASSWORD": target.password or "",
    })
    environment.pop("TRACKER_DB_URL", None)
    out = tmp_path / "reports"
    run = subprocess.run([str(BIN / "python"), "-m", "staff.review", "--out", str(out), "--no-model", "--quiet"],
                         cwd=REPO, env=environment, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    review = json.loads((out / "review.json").read_text(encoding="utf-8"))
    assert (review["conversations"], review["fallbacks"], review["handoffs"]) == (2, 1, {"request_human": 1})
    assert review["resolution_rate"] == 0.5
    assert review["store"].startswith("postgresql") and target.database in review["store"]
    assert review["handed_off"][0]["buyer"] == "store_im:tb_zh***an"
