"""Issue #23 through `make run` (scripts/run.sh, local profile, started for real):

- a process that stops answering its health check (kill -STOP on the action
  server) is killed and restarted by the watchdog within 30 s, not only one
  that exits; meanwhile 转人工 still hands the conversation to a person;
- files at rest: `.local/` is 0700 and every file in it 0600 (also an order
  database made before with a wider mode); no widget bearer token in the
  stored events; STORE_IM_SECRET only in the Rasa server's environment.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import time

import pytest
import requests

from shared.buyer_token import make_buyer_token
from tests.supervision.test_kill_each_process import ANSWER, CHEN, QUESTION, RunScript, im_say
from tests.support.servers import BIN, REPO, WIDGET_TOKEN_SECRET, base_env
from tests.support.store_im import im_body, post_im
from tests.support.widget import Widget, widget_text

RESTART_WITHIN_SECONDS = 30


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("watchdog")
    local = workdir / "local"
    local.mkdir(mode=0o755)
    env = {"ORDERS_DB_URL": f"sqlite:///{local / 'orders.db'}"}
    subprocess.run([str(BIN / "python"), "-m", "actions.orders", "demo"], cwd=REPO, env=base_env(env),
                   check=True, capture_output=True)
    os.chmod(local / "orders.db", 0o644)  # as an older make run left it
    run = RunScript(workdir, "local", env)
    try:
        run.start()
        run.wait_ready("web", 60)
        yield run
    finally:
        run.stop()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_local_files_are_readable_by_this_user_only(running):
    assert ANSWER in im_say(running, QUESTION)  # the conversation store exists now
    assert mode(running.local) == 0o700
    files = sorted(p for p in running.local.iterdir() if p.is_file())
    assert {"orders.db", "conversations.db", "api_token"} <= {p.name for p in files}, files
    assert {p.name: oct(mode(p)) for p in files} == {p.name: oct(0o600) for p in files}


def test_no_widget_bearer_token_rests_in_the_stored_events(running):
    token = make_buyer_token(CHEN, WIDGET_TOKEN_SECRET)
    widget = Widget(running.url, running.origin)
    try:
        widget.open()
        assert ANSWER in widget_text(widget.say(QUESTION, {"buyer_token": token}, timeout=60))
    finally:
        widget.close()
    with sqlite3.connect(running.local / "conversations.db") as db:
        rows = [data for (data,) in db.execute("SELECT data FROM events")]
    assert rows and not any(token in data or token.split(":")[-1] in data for data in rows)


def environment_of(pid: int) -> set:
    raw = (open(f"/proc/{pid}/environ", "rb").read()).split(b"\0")
    return {item.split(b"=", 1)[0].decode() for item in raw if b"=" in item}


def test_only_the_rasa_server_gets_the_store_im_secret(running):
    assert "STORE_IM_SECRET" in environment_of(running.pid("rasa"))
    for name in ("actions", "web"):
        assert "STORE_IM_SECRET" not in environment_of(running.pid(name)), name


def test_a_hung_action_server_is_restarted_and_handoff_works_meanwhile(running):
    hung = running.pid("actions")
    os.kill(hung, signal.SIGSTOP)
    stopped_at = time.monotonic()
    try:
        result = post_im(running.url, im_body("tb_lily88", "转人工")).json()
        markers = [r["custom"] for r in result["replies"] if (r.get("custom") or {}).get("handoff")]
        assert result["handoff_active"] is True and markers, result
        assert "tb_lily88" in markers[0]["summary"]["text"]
        assert post_im(running.url, im_body("tb_lily88", "还在吗")).json()["replies"] == []  # a person has it
        stored = requests.get(f"{running.url}/conversations/store_im:tb_lily88/tracker",
                              params={"token": running.api_token()}, timeout=30).json()["events"]
        handoffs = [e for e in stored if e["event"] == "slot" and e["name"] == "handoff_requested"]
        assert [e["value"] for e in handoffs] == [True]  # recorded once, as the action would have
        assert sum(e["event"] == "user" and e.get("text") == "转人工" for e in stored) == 1  # not repeated
        while time.monotonic() - stopped_at < RESTART_WITHIN_SECONDS:
            try:
                restarted = running.pid("actions") != hung and requests.get(
                    f"http://127.0.0.1:{running.actions_port}/health", timeout=1).ok
            except (requests.RequestException, OSError, ValueError):
                restarted = False
            if restarted:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - stopped_at
        print(f"\nhung action server answering again after {elapsed:.1f}s")
        assert elapsed < RESTART_WITHIN_SECONDS, running.log()
        assert "[watchdog" in running.log() and f"actions (pid {hung})" in running.log()
        assert ANSWER in im_say(running, QUESTION)
    finally:
        try:
            os.kill(hung, signal.SIGCONT)
        except ProcessLookupError:
            pass
