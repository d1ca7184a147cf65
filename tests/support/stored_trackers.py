"""Conversations for the review tests, saved by Rasa's own SQLTrackerStore with real Rasa events.

Each helper returns the events one turn of the real bot writes (as the
processor logs them: the action, then what it said, then its slot events).
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Iterable, List, Mapping, Sequence

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

REPO = Path(__file__).resolve().parents[2]
DAY = 24 * 3600


class Clock:
    """Event times one second apart from a start, so the store keeps their order."""

    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        self.now += 1
        return self.now


def _user(text: str, intent: str, clock: Clock, confidence: float = 0.95) -> List[Event]:
    return [UserUttered(text, intent={"name": intent, "confidence": confidence}, timestamp=clock())]


def session_start(clock: Clock) -> List[Event]:
    return [ActionExecuted("action_session_start", timestamp=clock()), SessionStarted(timestamp=clock()),
            ActionExecuted("action_listen", timestamp=clock())]


def answered(text: str, intent: str, rule_ids: Sequence[str], clock: Clock) -> List[Event]:
    return _user(text, intent, clock) + [
        ActionExecuted("action_answer_question", timestamp=clock()),
        BotUttered("亲，您好，……", data={"custom": {"rule_ids": list(rule_ids), "intent": intent}},
                   timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def replied(text: str, intent: str, response: str, clock: Clock) -> List[Event]:
    """A rule that answers with a response from the domain (utter_greet, utter_out_of_scope, ...)."""
    return _user(text, intent, clock) + [
        ActionExecuted(response, timestamp=clock()),
        BotUttered("亲，……", metadata={"utter_action": response}, timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def clarified(text: str, clock: Clock) -> List[Event]:
    """Low NLU confidence: nlu_fallback -> action_clarify (rules.yml)."""
    return _user(text, "nlu_fallback", clock, 0.4) + [
        ActionExecuted("action_clarify", timestamp=clock()),
        BotUttered("亲，不好意思，我不太确定您想问的是哪一个……", data={"buttons": []}, timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def core_fallback(text: str, intent: str, clock: Clock) -> List[Event]:
    """RulePolicy found no rule: action_default_fallback says utter_default."""
    return _user(text, intent, clock) + [
        ActionExecuted("action_default_fallback", timestamp=clock()),
        BotUttered("亲，非常抱歉，我没太理解您的意思……", metadata={"utter_action": "utter_default"},
                   timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def handed_off(text: str, intent: str, clock: Clock) -> List[Event]:
    """action_handoff as it is today: custom {"handoff": true, "reason": <intent>} + the slot."""
    return _user(text, intent, clock) + [
        ActionExecuted("action_handoff", timestamp=clock()),
        BotUttered("亲，非常抱歉没能帮您解决好，已经为您转接人工客服……",
                   data={"custom": {"handoff": True, "reason": intent}}, timestamp=clock()),
        SlotSet("handoff_requested", True, timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def feedback(value: str, clock: Clock) -> List[Event]:
    """The 👍/👎 button (the dialogue work's contract: SlotSet feedback up/down)."""
    title = "👍 解决了" if value == "up" else "👎 没解决"
    return _user(title, f"feedback_{value}", clock) + [
        SlotSet("feedback", value, timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def save(db_path: Path, conversations: Mapping[str, Iterable[Event]], **store_settings) -> str:
    """Save the conversations with SQLTrackerStore; returns the store's SQLAlchemy URL.

    SQLite at db_path by default; `store_settings` (dialect, host, port, db,
    username, ...) as in endpoints.yml for another database.
    """
    domain = Domain.load(str(REPO / "domain.yml"))
    store = SQLTrackerStore(domain, **(store_settings or {"dialect": "sqlite", "db": str(db_path)}))
    url = store.engine.url.render_as_string(hide_password=False)

    async def save_all() -> None:
        for sender_id, events in conversations.items():
            tracker = await store.retrieve(sender_id) or DialogueStateTracker(sender_id, domain.slots)
            for event in events:
                tracker.update(event)
            await store.save(tracker)

    asyncio.run(save_all())
    store.engine.dispose()
    return url
