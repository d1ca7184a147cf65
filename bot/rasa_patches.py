"""Every change this project makes to Rasa 3.6, under one version and name guard.

``python -m bot.server`` (scripts/run.sh, scripts/shell.sh, the tests) calls
``apply()`` before Rasa starts; importing ``bot`` changes nothing. ``apply()``
refuses a Rasa other than 3.6.x and checks that every name it replaces still
exists, so an upgrade fails loudly at start-up instead of silently dropping the
action timeout. ``BOT_RASA_PATCHES=0`` turns them off (to measure, bench/load).

1. Rasa 3.6 hard-codes a 300 s timeout for custom actions
   (``rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT``, passed explicitly by
   ``RemoteAction.run``; ``action_endpoint`` accepts no timeout key). A hung
   action server would hold the buyer for five minutes; here the bound is
   ``RASA_ACTION_TIMEOUT_SECONDS`` (default 10), and the channels answer with
   an apology when it is hit.
2. Rasa 3.6 validates every action server response with ``jsonschema.validate``,
   which re-checks the constant schema each time: 44% of the server's CPU
   under load (bench/load/RESULTS.md). The validator is prepared once.
3. The hand-off gate (bot/handoff/gate.py) reads the tracker before Rasa
   handles the message, and Rasa then read it again from the store: two SQL
   reads of the whole session per message. Inside the gate's conversation lock
   the gate hands its tracker over (``prefetched``), and the processor's next
   ``get_tracker`` for that conversation takes it instead of reading again.
4. Rasa 3.6 turns each stored event back into an object by searching all
   subclasses of ``Event`` (recursively, with ``inspect.isabstract``) for its
   type name: ~0.15 ms per event, so reading a 1,400-event session cost
   ~150–200 ms on every message (issue #21; docs/production.md, "Tuning").
   The class found for a type name is remembered (~3 ms for the same read).
5. The local profile's SQLite tracker store committed every message in
   SQLite's default rollback-journal mode, an fsync per commit (6.6 ms here
   under load) on the event loop that answers every buyer. Its connections
   now use write-ahead logging with ``synchronous=NORMAL`` (0.03 ms): a
   killed or crashed Rasa loses nothing; only a power cut or an OS crash can
   lose the last messages. PostgreSQL is untouched. The connection stays
   open between messages: SQLAlchemy 1.4 opened and closed one for every read
   and every save of a file database, and each close checkpointed the log.
6. ``SQLTrackerStore.session_scope`` turns any error inside a session into
   ``sys.exit(1)``: one request with a string the database cannot store (a
   lone surrogate) stopped the server for every buyer (issue #23). An error of
   one request now raises ``TrackerStoreError`` (the channels answer 503) and
   the server goes on; a missing PostgreSQL schema still exits at start-up.

Two more belong to one command each and are not turned off by ``BOT_RASA_PATCHES=0``
(they are security and hand-off behaviour, not speed); bot/server.py calls them
after ``apply()``, and they refuse this Rasa the same way when a name is gone:

7. ``run``: ``rasa.core.run.configure_app`` also installs bot/api_guard.py on
   the Sanic app it builds (``guard_every_app``).
8. ``shell``: Rasa's ``cmdline`` channel calls ``Agent.handle_message``
   directly; it goes through the hand-off gate instead (``route_agent_messages``,
   bot/handoff/shell.py).
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Text

logger = logging.getLogger(__name__)

# The tracker the gate has read for the message being handled (one asyncio task).
_PREFETCHED: ContextVar[Optional[Any]] = ContextVar("prefetched_tracker", default=None)

ACTION_TIMEOUT_ENV = "RASA_ACTION_TIMEOUT_SECONDS"
DEFAULT_ACTION_TIMEOUT_SECONDS = 10
PATCHES_ENV = "BOT_RASA_PATCHES"
SUPPORTED_RASA = "3.6."

# (module, attribute path) of every name the patches read or replace.
PATCHED_NAMES = (
    ("rasa.core.actions.action", "DEFAULT_REQUEST_TIMEOUT"),
    ("rasa.core.actions.action", "DOCS_BASE_URL"),
    ("rasa.core.actions.action", "RemoteAction.action_response_format_spec"),
    ("rasa.core.actions.action", "RemoteAction._validate_action_result"),
    ("rasa.core.processor", "MessageProcessor.get_tracker"),
    ("rasa.core.tracker_store", "SQLTrackerStore.session_scope"),
    ("rasa.core.tracker_store", "ensure_schema_exists"),
    ("rasa.shared.core.events", "Event.resolve_by_type"),
    ("rasa.core.tracker_store", "SQLTrackerStore.__init__"),
)
# The names patches 7 and 8 replace (checked when the command needs them, and by the tests).
CONFIGURE_APP = ("rasa.core.run", "configure_app")
HANDLE_MESSAGE = ("rasa.core.agent", "Agent.handle_message")
PARSE_MESSAGE = ("rasa.core.processor", "MessageProcessor.parse_message")
CONSOLE_PRINTER = ("rasa.core.channels.console", "_print_bot_output")
COMMAND_PATCHED_NAMES = (CONFIGURE_APP, HANDLE_MESSAGE, PARSE_MESSAGE, CONSOLE_PRINTER)


class UnsupportedRasa(RuntimeError):
    """This Rasa is not one the patches were written and tested against."""


class TrackerStoreError(RuntimeError):
    """The tracker store failed for one request; the server goes on (patch 6)."""


def check_rasa_version(version: Optional[str] = None) -> str:
    if version is None:
        import rasa

        version = rasa.__version__
    if not version.startswith(SUPPORTED_RASA):
        raise UnsupportedRasa(
            f"this bot needs Rasa {SUPPORTED_RASA}x (found {version}): bot/rasa_patches.py "
            "bounds the action timeout and must be checked against any other Rasa; "
            "install the pinned version (pip install -c constraints.txt -r requirements.txt)")
    return version


def missing_patch_targets(names=PATCHED_NAMES) -> List[str]:
    """Every ``module:attribute`` in ``names`` that this Rasa does not have."""
    import importlib

    missing = []
    for module_name, path in names:
        try:
            target: Any = importlib.import_module(module_name)
        except ImportError:
            missing.append(f"{module_name}:{path}")
            continue
        for part in path.split("."):
            if not hasattr(target, part):
                missing.append(f"{module_name}:{path}")
                break
            target = getattr(target, part)
    return missing


def require_names(names=PATCHED_NAMES) -> None:
    """Refuse this Rasa (UnsupportedRasa) unless it is 3.6.x and has every name in ``names``."""
    check_rasa_version()
    missing = missing_patch_targets(names)
    if missing:
        raise UnsupportedRasa("bot/rasa_patches.py: this Rasa lacks " + ", ".join(missing))


def action_timeout_seconds() -> float:
    raw = os.environ.get(ACTION_TIMEOUT_ENV, "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_ACTION_TIMEOUT_SECONDS
    except ValueError:
        logger.warning("%s=%r is not a number; using %ss", ACTION_TIMEOUT_ENV, raw,
                       DEFAULT_ACTION_TIMEOUT_SECONDS)
        value = DEFAULT_ACTION_TIMEOUT_SECONDS
    return value if value > 0 else DEFAULT_ACTION_TIMEOUT_SECONDS


def bound_action_calls() -> float:
    """Lower Rasa's 300 s custom-action timeout (read at call time by RemoteAction.run)."""
    import rasa.core.actions.action as rasa_action

    seconds = action_timeout_seconds()
    rasa_action.DEFAULT_REQUEST_TIMEOUT = seconds
    return seconds


def cache_action_result_validator() -> None:
    """Validate action server responses with one prepared validator.

    Rasa 3.6 checks every action server response with ``jsonschema.validate``,
    which first checks the schema itself against the draft 2020-12 meta-schema:
    measured at 44% of the Rasa server's CPU under load (bench/load/RESULTS.md).
    The schema is a constant, so it is checked once here; each response is
    then validated exactly as before (same validator class, same best error).
    """
    from jsonschema import ValidationError, exceptions
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        assert isinstance(error, ValidationError)
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result


@contextmanager
def prefetched(tracker: Any) -> Iterator[None]:
    """While the caller holds the conversation's lock: the processor's next
    get_tracker for this conversation returns `tracker` instead of reading it."""
    token = _PREFETCHED.set(tracker)
    try:
        yield
    finally:
        _PREFETCHED.reset(token)


def reuse_prefetched_tracker() -> None:
    from rasa.core.processor import MessageProcessor

    read_from_store = MessageProcessor.get_tracker

    async def get_tracker(self: MessageProcessor, conversation_id: Text) -> Any:
        tracker = _PREFETCHED.get()
        if tracker is not None and tracker.sender_id == conversation_id:
            _PREFETCHED.set(None)  # once: later reads in the same turn go to the store
            tracker.model_id = self.model_metadata.model_id
            return tracker
        return await read_from_store(self, conversation_id)

    MessageProcessor.get_tracker = get_tracker


def keep_serving_on_store_errors() -> None:
    """SQLTrackerStore.session_scope without sys.exit for errors of one request (patch 6)."""
    import rasa.core.tracker_store as tracker_store
    import rasa.shared.utils.cli

    def session_scope(self: Any) -> Iterator[Any]:
        session = self.sessionmaker()
        try:
            try:
                tracker_store.ensure_schema_exists(session)
            except ValueError as error:  # a configuration error: Rasa's own message and exit
                rasa.shared.utils.cli.print_error_and_exit(
                    f"Requested PostgreSQL schema '{error}' was not found in the database. "
                    "Create it or unset POSTGRESQL_SCHEMA. Exiting application.")
            try:
                yield session
            except ValueError as error:  # UnicodeEncodeError, a NUL for psycopg2: this request only
                raise TrackerStoreError(f"tracker store: {type(error).__name__}: {error}") from error
        finally:
            session.close()

    tracker_store.SQLTrackerStore.session_scope = contextmanager(session_scope)


def remember_event_classes() -> None:
    """Find an event's class by its type name once, not on every event read.

    Only names that resolve to a class are remembered: an unknown name still
    raises (or gives the caller's default) exactly as Rasa's lookup does.
    """
    from rasa.shared.core.events import Event

    search = Event.resolve_by_type
    found: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default: Optional[Any] = None) -> Optional[Any]:
        event_class = found.get(type_name)
        if event_class is None:
            event_class = search(type_name, default)
            if event_class is not None and event_class.type_name == type_name:
                found[type_name] = event_class
        return event_class

    Event.resolve_by_type = staticmethod(resolve_by_type)


def _write_ahead(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_trackers_write_ahead() -> None:
    """SQLite tracker store files in WAL mode, synchronous=NORMAL (see 5. above)."""
    from rasa.core.tracker_store import SQLTrackerStore

    create = SQLTrackerStore.__init__

    def __init__(self: SQLTrackerStore, *args: Any, **kwargs: Any) -> None:
        create(self, *args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            keep_sqlite_connection(self)

    SQLTrackerStore.__init__ = __init__


def guard_every_app(install: Callable[[Any], None]) -> None:
    """Patch 7: every Sanic app ``rasa run`` builds (rasa.core.run.configure_app) gets ``install(app)``."""
    require_names((CONFIGURE_APP,))
    import rasa.core.run

    configure_app = rasa.core.run.configure_app

    def configure_guarded_app(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        install(app)
        return app

    rasa.core.run.configure_app = configure_guarded_app


def route_agent_messages(route: Callable[[Any, Any, Callable[[Any], Awaitable[Any]]], Awaitable[Any]]) -> None:
    """Patch 8: ``Agent.handle_message(message)`` becomes ``route(agent, message, handle)``, where
    ``handle`` is Rasa's own handling of that message (bot/handoff/shell.py routes it through the gate)."""
    require_names((HANDLE_MESSAGE,))
    from rasa.core.agent import Agent

    original = Agent.handle_message

    async def handle_message(self: Agent, message: Any) -> Any:
        async def unguarded(m: Any) -> Any:
            return await original(self, m)

        return await route(self, message, unguarded)

    Agent.handle_message = handle_message


def print_console_replies(printer: Callable[..., Any]) -> None:
    """Patch 9: the shell prints each bot message with ``printer`` (bot/handoff/shell.py: the
    reply first, then its buttons, and a line instead of the hand-off JSON)."""
    require_names((CONSOLE_PRINTER,))
    from rasa.core.channels import console

    console._print_bot_output = printer


def wrap_parse_message(wrap: Callable[[Any], Any]) -> None:
    """Patch 10: ``MessageProcessor.parse_message`` becomes ``wrap(original)`` (bot/clauses.py parses
    each clause of a several-question message too). Installed once."""
    require_names((PARSE_MESSAGE,))
    from rasa.core.processor import MessageProcessor

    if not getattr(MessageProcessor.parse_message, "_wrapped_by_bot", False):
        wrapped = wrap(MessageProcessor.parse_message)
        wrapped._wrapped_by_bot = True
        MessageProcessor.parse_message = wrapped


def keep_sqlite_connection(store: Any) -> None:
    """The SQLite tracker store's connections: WAL, and kept open between messages (5. above).

    SQLAlchemy 1.4 gives a file database no pool: every read and every save of
    a tracker opened a connection and closed it, and closing the last
    connection of a WAL database checkpoints it and deletes the log (about 7 ms
    plus 8 ms for the first commit on the new log, per connection, three per
    first message, measured here; issue #21). A pool keeps one open (more
    only while one is in use: Rasa's store runs on the event loop's thread).
    """
    import sqlalchemy as sa
    from sqlalchemy import event
    from sqlalchemy.pool import QueuePool

    url = store.engine.url
    store.engine.dispose()
    store.engine = sa.create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=4,
                                    connect_args={"check_same_thread": False})
    event.listen(store.engine, "connect", _write_ahead)
    store.sessionmaker = sa.orm.session.sessionmaker(bind=store.engine)


def apply() -> bool:
    """Check the Rasa version and the patched names, then patch (1-6). False if turned off."""
    check_rasa_version()
    if os.environ.get(PATCHES_ENV, "1") == "0":
        logger.warning("%s=0: Rasa's action calls are not patched (300 s timeout)", PATCHES_ENV)
        return False
    require_names()
    bound_action_calls()
    cache_action_result_validator()
    reuse_prefetched_tracker()
    keep_serving_on_store_errors()
    remember_event_classes()
    sqlite_trackers_write_ahead()
    return True
