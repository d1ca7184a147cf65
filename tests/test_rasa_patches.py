"""bot/rasa_patches.py is applied by the server entry point, checked, and refuses other Rasas (#13)."""
from __future__ import annotations

import subprocess

import pytest

from bot import rasa_patches
from tests.support.servers import BIN, REPO, base_env


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "python"), "-c", code], cwd=REPO, env=base_env(env),
                          capture_output=True, text=True, timeout=300)


def test_importing_bot_patches_nothing_and_apply_does():
    result = run_python(
        "import bot, bot.channels.rest, rasa.core.actions.action as a\n"
        "print(a.DEFAULT_REQUEST_TIMEOUT)\n"
        "from bot import rasa_patches; rasa_patches.apply()\n"
        "print(a.DEFAULT_REQUEST_TIMEOUT)\n", RASA_ACTION_TIMEOUT_SECONDS="7")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-2:] == ["300", "7.0"]


def test_every_patched_name_exists_in_this_rasa():
    assert rasa_patches.missing_patch_targets() == []
    assert rasa_patches.check_rasa_version().startswith("3.6.")


def test_a_missing_name_is_reported():
    names = rasa_patches.PATCHED_NAMES + (("rasa.core.actions.action", "RemoteAction.no_such_method"),
                                          ("rasa.no_such_module", "X"))
    assert rasa_patches.missing_patch_targets(names) == [
        "rasa.core.actions.action:RemoteAction.no_such_method", "rasa.no_such_module:X"]


@pytest.mark.parametrize("version", ["3.7.0", "3.5.17", "4.0.0", "2.8.1"])
def test_other_rasa_versions_are_refused(version):
    with pytest.raises(rasa_patches.UnsupportedRasa, match="3.6"):
        rasa_patches.check_rasa_version(version)


def test_the_server_refuses_to_start_on_another_rasa_with_a_clear_message():
    result = run_python(
        "import sys, rasa; rasa.__version__ = '3.7.2'\n"
        "from bot import server; server.main(['run', '--model', 'models'])\n")
    assert result.returncode != 0
    assert "needs Rasa 3.6.x (found 3.7.2)" in result.stderr, result.stderr[-1000:]


def test_the_server_refuses_to_start_when_a_patched_name_is_gone():
    result = run_python(
        "import rasa.core.actions.action as a; del a.RemoteAction._validate_action_result\n"
        "from bot import server; server.main(['run', '--model', 'models'])\n")
    assert result.returncode != 0
    assert "RemoteAction._validate_action_result" in result.stderr, result.stderr[-1000:]


def test_rasa_takes_the_tracker_the_gate_read_instead_of_reading_it_again(monkeypatch):
    """One SQL read of the session per message, not two (bench/load/RESULTS.md)."""
    import asyncio
    from types import SimpleNamespace

    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    monkeypatch.setattr(MessageProcessor, "get_tracker", MessageProcessor.get_tracker)  # restored after
    rasa_patches.reuse_prefetched_tracker()
    store = InMemoryTrackerStore(Domain.empty())
    reads = []
    read = store.retrieve

    async def counted(sender_id):
        reads.append(sender_id)
        return await read(sender_id)

    monkeypatch.setattr(store, "retrieve", counted)
    processor = SimpleNamespace(tracker_store=store, model_metadata=SimpleNamespace(model_id="m1", assistant_id="a1"))

    async def one_message():
        gate_read = await MessageProcessor.get_tracker(processor, "store_im:tb_x")
        with rasa_patches.prefetched(gate_read):
            rasa_read = await MessageProcessor.get_tracker(processor, "store_im:tb_x")
            later = await MessageProcessor.get_tracker(processor, "store_im:tb_x")
            other = await MessageProcessor.get_tracker(processor, "store_im:tb_y")
        return gate_read, rasa_read, later, other

    gate_read, rasa_read, later, other = asyncio.run(one_message())
    assert rasa_read is gate_read and later is not gate_read and other.sender_id == "store_im:tb_y"
    assert reads == ["store_im:tb_x", "store_im:tb_x", "store_im:tb_y"]  # the second read was saved


STORE_A_LONE_SURROGATE = """
import asyncio, sys
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from bot import rasa_patches
if sys.argv[-1] == "patched":
    rasa_patches.apply()
store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=sys.argv[-2])
async def main():
    bad = DialogueStateTracker.from_events("rest:\\ud800", [UserUttered("hi")])
    try:
        await store.save(bad)
    except Exception as error:
        print("raised", type(error).__name__)
    good = DialogueStateTracker.from_events("rest:tb_ok", [UserUttered("hi")])
    await store.save(good)
    print("saved", len((await store.retrieve("rest:tb_ok")).events))
asyncio.run(main())
"""


def test_a_tracker_store_error_fails_one_request_and_never_exits_the_server(tmp_path):
    """Issue #23: Rasa's SQLTrackerStore.session_scope turned the UnicodeEncodeError of a lone
    surrogate into sys.exit(1). Patched, the save raises TrackerStoreError and the next works."""
    db = tmp_path / "conversations.db"
    result = subprocess.run([str(BIN / "python"), "-c", STORE_A_LONE_SURROGATE, str(db), "patched"], cwd=REPO,
                            env=base_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:2] == ["raised TrackerStoreError", "saved 1"], result.stdout
    unpatched = subprocess.run([str(BIN / "python"), "-c", STORE_A_LONE_SURROGATE, str(tmp_path / "b.db"), "stock"],
                               cwd=REPO, env=base_env(), capture_output=True, text=True, timeout=300)
    assert unpatched.returncode == 1 and "saved" not in unpatched.stdout  # what Rasa alone does
def test_event_classes_are_found_once_and_read_back_the_same_events():
    # Rasa searched every Event subclass for each stored event it read (issue #21):
    # after apply() a second read of the same kinds of events searches nothing.
    result = run_python(
        "import rasa.shared.utils.common as common\n"
        "from rasa.shared.core import events as ev\n"
        "from bot import rasa_patches; rasa_patches.apply()\n"
        "stored = [e.as_dict() for e in [ev.UserUttered('你好', {'name': 'greet'}), ev.SlotSet('order_id', '1'),\n"
        "          ev.ActionExecuted('action_listen'), ev.BotUttered('亲'), ev.ActiveLoop('order_id_form'),\n"
        "          ev.SessionStarted(), ev.Restarted()]]\n"
        "first = ev.deserialise_events(stored)\n"
        "assert ev.Event.resolve_by_type('no_such_event', ev.SlotSet) is ev.SlotSet\n"
        "def searched(*args):\n"
        "    raise AssertionError('searched the Event subclasses again')\n"
        "common.all_subclasses = searched\n"
        "again = ev.deserialise_events(stored)\n"
        "assert again == first and [e.as_dict() for e in again] == stored, (again, first)\n"
        "print('ok')\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-1] == "ok"


def test_an_unknown_event_name_is_still_refused_after_the_patch():
    result = run_python(
        "from rasa.shared.core import events as ev\n"
        "from bot import rasa_patches; rasa_patches.apply()\n"
        "try:\n"
        "    ev.Event.resolve_by_type('no_such_event')\n"
        "except ValueError as e:\n"
        "    print('refused')\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-1] == "refused"


def test_the_sqlite_tracker_store_writes_ahead_and_keeps_what_it_saved(tmp_path):
    # One fsync per message on the event loop cost every buyer (issue #21): WAL + synchronous=NORMAL.
    code = (
        "import asyncio, sys\n"
        "from rasa.core.tracker_store import SQLTrackerStore\n"
        "from rasa.shared.core.domain import Domain\n"
        "from rasa.shared.core.events import UserUttered\n"
        "from bot import rasa_patches\n"
        "if sys.argv[1] == 'patched': rasa_patches.apply()\n"
        "domain = Domain.empty()\n"
        f"store = SQLTrackerStore(domain, dialect='sqlite', db=r'{tmp_path}/' + sys.argv[1] + '.db')\n"
        "tracker = asyncio.run(store.get_or_create_tracker('buyer'))\n"
        "tracker.update(UserUttered('你好'))\n"
        "asyncio.run(store.save(tracker))\n"
        "with store.engine.connect() as c:\n"
        "    print(c.exec_driver_sql('PRAGMA journal_mode').scalar(), c.exec_driver_sql('PRAGMA synchronous').scalar())\n"
        f"again = SQLTrackerStore(domain, dialect='sqlite', db=r'{tmp_path}/' + sys.argv[1] + '.db')\n"
        "print(asyncio.run(again.retrieve('buyer')).latest_message.text)\n")
    outputs = {}
    for mode in ("stock", "patched"):
        result = subprocess.run([str(BIN / "python"), "-c", code, mode], cwd=REPO, env=base_env({}),
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs[mode] = result.stdout.split()[-3:]
    assert outputs["stock"] == ["delete", "2", "你好"]
    assert outputs["patched"] == ["wal", "1", "你好"]


def test_the_command_patches_are_checked_like_the_others():
    # configure_app (the API guard) and Agent.handle_message (the shell's gate) live under the guard too.
    assert rasa_patches.missing_patch_targets(rasa_patches.COMMAND_PATCHED_NAMES) == []
    result = run_python(
        "import rasa.core.run as r; del r.configure_app\n"
        "from bot import server; server.main(['run', '--model', 'models'])\n")
    assert result.returncode != 0
    assert "lacks rasa.core.run:configure_app" in result.stderr, result.stderr[-1000:]


def test_every_app_rasa_run_builds_gets_the_api_guard(monkeypatch):
    import rasa.core.run

    built = object()
    monkeypatch.setattr(rasa.core.run, "configure_app", lambda *args, **kwargs: built)  # restored after
    guarded: list = []
    rasa_patches.guard_every_app(guarded.append)
    assert rasa.core.run.configure_app(cors=None) is built and guarded == [built]


def test_the_shells_messages_go_through_the_route_and_then_to_rasa(monkeypatch):
    import asyncio

    from rasa.core.agent import Agent

    handled = []

    async def rasa_handles(self, message):
        handled.append(("rasa", message))

    monkeypatch.setattr(Agent, "handle_message", rasa_handles)  # restored after

    async def route(agent, message, handle):
        handled.append(("route", message))
        await handle(message + "!")

    rasa_patches.route_agent_messages(route)
    asyncio.run(Agent.handle_message(object.__new__(Agent), "你好"))
    assert handled == [("route", "你好"), ("rasa", "你好!")]


def test_the_sqlite_tracker_store_keeps_its_connection_between_messages(tmp_path):
    # Opening and closing a connection per read and per save checkpointed the WAL each
    # time (issue #21): patched, ten reads and saves use one connection and keep every event.
    code = (
        "import asyncio, sys\n"
        "from sqlalchemy import event\n"
        "from rasa.core.tracker_store import SQLTrackerStore\n"
        "from rasa.shared.core.domain import Domain\n"
        "from rasa.shared.core.events import UserUttered\n"
        "from bot import rasa_patches\n"
        "if sys.argv[1] == 'patched': rasa_patches.apply()\n"
        f"store = SQLTrackerStore(Domain.empty(), dialect='sqlite', db=r'{tmp_path}/' + sys.argv[1] + '.db')\n"
        "opened = []\n"
        "event.listen(store.engine, 'connect', lambda *a: opened.append(1))\n"
        "async def main():\n"
        "    for i in range(10):\n"
        "        tracker = await store.get_or_create_tracker('buyer')\n"
        "        tracker.update(UserUttered(f'消息{i}'))\n"
        "        await store.save(tracker)\n"
        "    return await store.retrieve('buyer')\n"
        "tracker = asyncio.run(main())\n"
        "print(len(opened), len([e for e in tracker.events if isinstance(e, UserUttered)]))\n")
    outputs = {}
    for mode in ("stock", "patched"):
        result = subprocess.run([str(BIN / "python"), "-c", code, mode], cwd=REPO, env=base_env({}),
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs[mode] = [int(x) for x in result.stdout.split()[-2:]]
    assert outputs["stock"][1] == outputs["patched"][1] == 10
    assert outputs["stock"][0] >= 20 and outputs["patched"][0] == 1, outputs

