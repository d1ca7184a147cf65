"""How much one conversation and one client may ask of the bot (issue #23).

Every message costs NLU time, an action call and a tracker that grows with
each event; one buyer sending 1,000 messages slowed every other buyer 5×.
The channels check two sliding one-minute windows before handing a message
to Rasa, and answer with ``RATE_LIMITED`` (polite, not parsed) when one is full:

- per conversation: ``messages_per_minute_per_conversation`` (default 30, one
  every two seconds: a person types far fewer);
- per client (the remote address: a REST caller, a widget's browser, the IM
  platform): ``messages_per_minute_per_client`` (default 600). Only messages
  the conversation limit let through count here, so one flooded conversation
  does not lock out other buyers behind the same address.

The widget also bounds the connections one address may hold at once
(``max_connections_per_client``, default 100). All three live under each
channel in credentials.yml (``BOT_<NAME>`` in the environment wins: the test
servers, which drive one demo buyer far faster than a person, raise them); 0
turns a limit off. Counts are per process (one Rasa replica): behind N
replicas a client may send up to N times as much.

A session may also hold at most ``BOT_MAX_EVENTS_PER_SESSION`` events
(env, default 1500: about 100 answered messages): the hand-off gate then
starts a new session before the message, as Rasa does after
``session_expiration_time``, so a long conversation cannot make each message
slower without bound.

The sizes a channel accepts live here too, one source for the code, the
scripts and credentials*.yml (tests/test_one_source.py checks the copies):
``max_message_chars`` (longer messages are not parsed), the store IM's
``max_body_bytes``, ``max_clock_skew_seconds`` and ``dedup_ttl_seconds``, and
the request size every channel shares (``SANIC_REQUEST_MAX_SIZE``, set by
bot/server.py unless the environment sets it).
"""
from __future__ import annotations

import os
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any, Deque, Dict, Optional

RATE_LIMITED = ("亲，您的消息发得有点快啦😅 为了认真回复每一位买家，请您稍等一分钟再发，"
                "我们一定会仔细看您的每个问题，谢谢您的理解～")
WINDOW_SECONDS = 60.0
DEFAULT_PER_CONVERSATION = 30
DEFAULT_PER_CLIENT = 600
DEFAULT_CONNECTIONS_PER_CLIENT = 100
MAX_EVENTS_ENV = "BOT_MAX_EVENTS_PER_SESSION"
DEFAULT_MAX_EVENTS_PER_SESSION = 1500
MAX_TRACKED_KEYS = 100_000  # the oldest keys are forgotten beyond this (memory bound)

# NLU time grows faster than linearly with length (2,000 characters: about
# 0.5 s; 10,000: over 30 s, during which the server answers nobody), so longer
# messages are not parsed: the buyer is asked to say it shorter (replies.TOO_LONG).
DEFAULT_MAX_MESSAGE_CHARS = 1000
# The store IM webhook: body size (413 above it), replay window, how long a message id is remembered.
DEFAULT_MAX_BODY_BYTES = 64 * 1024
DEFAULT_MAX_CLOCK_SKEW = 300
DEFAULT_DEDUP_TTL = 24 * 3600
# Every request to the Rasa server (Sanic's own default: 100 MB; 413 above it). A socket.io
# packet over engine.io's buffer limit drops the connection without a word, so the widget's
# buffer is this size too and a long message reaches max_message_chars' polite reply.
REQUEST_MAX_ENV = "SANIC_REQUEST_MAX_SIZE"
MAX_REQUEST_BYTES = 1024 * 1024


class SlidingWindow:
    """At most ``limit`` hits per key within ``window`` seconds (limit 0: unlimited)."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self._hits: "OrderedDict[str, Deque[float]]" = OrderedDict()

    def allow(self, key: str, now: Optional[float] = None) -> bool:
        if self.limit <= 0:
            return True
        now = time.monotonic() if now is None else now
        hits = self._hits.pop(key, None) or deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        self._hits[key] = hits  # most recently used last
        while len(self._hits) > MAX_TRACKED_KEYS:
            self._hits.popitem(last=False)
        return allowed


def _limit(credentials: Dict[str, Any], name: str, default: int) -> int:
    """``BOT_<NAME>`` from the environment, else the channel's credentials, else the default."""
    raw = os.environ.get("BOT_" + name.upper(), credentials.get(name, default))
    try:
        return max(0, int(raw))
    except (TypeError, ValueError):
        return default


@dataclass
class MessageLimits:
    per_conversation: SlidingWindow
    per_client: SlidingWindow
    connections_per_client: int = DEFAULT_CONNECTIONS_PER_CLIENT

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "MessageLimits":
        credentials = credentials or {}
        return cls(
            SlidingWindow(_limit(credentials, "messages_per_minute_per_conversation", DEFAULT_PER_CONVERSATION)),
            SlidingWindow(_limit(credentials, "messages_per_minute_per_client", DEFAULT_PER_CLIENT)),
            _limit(credentials, "max_connections_per_client", DEFAULT_CONNECTIONS_PER_CLIENT),
        )

    def allow(self, conversation: str, client: Optional[str]) -> bool:
        """Count this message; False when the conversation or its client is over its limit."""
        if not self.per_conversation.allow(conversation):
            return False
        return self.per_client.allow(client or "unknown")


def max_events_per_session() -> int:
    try:
        return int(os.environ.get(MAX_EVENTS_ENV, DEFAULT_MAX_EVENTS_PER_SESSION))
    except ValueError:
        return DEFAULT_MAX_EVENTS_PER_SESSION


def events_in_session(events: Any) -> int:
    """Events since the session began (a tracker from the SQL store holds only these)."""
    from rasa.shared.core.events import SessionStarted

    count = 0
    for event in reversed(events):
        if isinstance(event, SessionStarted):
            break
        count += 1
    return count


def session_full(tracker: Any) -> bool:
    cap = max_events_per_session()
    return cap > 0 and events_in_session(list(tracker.events)) >= cap


def start_new_session(tracker: Any) -> None:
    """What Rasa's default action_session_start records (no slots carried over: domain.yml)."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    for event in (ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)):
        tracker.update(event)
