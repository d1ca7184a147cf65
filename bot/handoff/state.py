"""Reading the hand-off state from a conversation's events (pure functions, no I/O).

A conversation is handed off from the ``SlotSet handoff_requested=True`` the
hand-off action records (actions/dialogue/replies.py ``hand_off``) until a later
``SlotSet handoff_requested=False`` (hand-back or timeout, gate.py), a restart
or a new session. The event's own timestamp says since when, so every replica
reading the same tracker store agrees without a clock of its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional

from rasa.shared.core.events import BotUttered, Event, Restarted, SessionStarted, SlotSet

from shared.contract import HANDOFF_SLOT

ENDED_BY_KEY = "handoff_ended_by"  # event metadata: "handback" or "timeout"
NOTICE_KEY = "handoff_notice"  # event metadata of the "a person is on it" notices
HANDBACK_ID_KEY = "handback_id"  # event metadata: the store's id of the hand-back (accepted once)

DEFAULT_TIMEOUT_MINUTES = 30.0
NOTICE_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class HandoffSettings:
    """A channel's hand-off behaviour (from credentials.yml)."""

    timeout_seconds: float = DEFAULT_TIMEOUT_MINUTES * 60
    notice: Optional[str] = None  # said while handed off; None: silence (the store IM)
    notice_interval_seconds: float = NOTICE_INTERVAL_SECONDS

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]], notice: Optional[str]) -> "HandoffSettings":
        """``handoff_timeout_minutes`` (fractions allowed, e.g. 0.5 in tests); bad values: the default."""
        raw = (credentials or {}).get("handoff_timeout_minutes", DEFAULT_TIMEOUT_MINUTES)
        try:
            minutes = float(raw)
        except (TypeError, ValueError):
            minutes = DEFAULT_TIMEOUT_MINUTES
        if not minutes > 0 or minutes == float("inf"):
            minutes = DEFAULT_TIMEOUT_MINUTES
        return cls(timeout_seconds=minutes * 60, notice=notice)


def handed_off_since(events: Iterable[Event]) -> Optional[float]:
    """When the current hand-off began, or None when the bot has the conversation."""
    for event in reversed(list(events)):
        if isinstance(event, SlotSet) and event.key == HANDOFF_SLOT:
            return event.timestamp if event.value else None
        if isinstance(event, (Restarted, SessionStarted)):
            return None
    return None


def timed_out(since: float, now: float, settings: HandoffSettings) -> bool:
    return now - since >= settings.timeout_seconds


def notice_due(events: Iterable[Event], since: float, now: float, settings: HandoffSettings) -> bool:
    """A notice at most once per interval during one hand-off."""
    if not settings.notice:
        return False
    for event in reversed(list(events)):
        if event.timestamp < since:
            break
        if isinstance(event, BotUttered) and (event.metadata or {}).get(NOTICE_KEY):
            return now - event.timestamp >= settings.notice_interval_seconds
    return True


def bot_takes_back(ended_by: str, handback_id: Optional[str] = None) -> SlotSet:
    """The event that ends a hand-off (seen by the review and by every replica)."""
    metadata: Dict[str, Any] = {ENDED_BY_KEY: ended_by}
    if handback_id:
        metadata[HANDBACK_ID_KEY] = handback_id
    return SlotSet(HANDOFF_SLOT, False, metadata=metadata)


def handback_used(events: Iterable[Event], handback_id: str) -> bool:
    """Has a hand-back with this id already ended a hand-off of this conversation?"""
    return any(isinstance(e, SlotSet) and e.key == HANDOFF_SLOT
               and (e.metadata or {}).get(HANDBACK_ID_KEY) == handback_id for e in events)


def notice_event(text: str) -> BotUttered:
    return BotUttered(text, metadata={NOTICE_KEY: True})
