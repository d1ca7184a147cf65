"""Reading the tracker: who is asking, what they said, and what the talk is about.

The one place that knows slot names; the actions turn a tracker into a
`Talk` and a `Message` (actions/dialogue/talk.py) and a `Step` back into slot events.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy.exc import SQLAlchemyError

from actions.dialogue.several import clauses_of
from actions.dialogue.talk import Message, Talk
from actions.orders.db import session_factory
from actions.orders.queries import buyer_facts
from actions.rules.facts import BuyerFacts
from actions.rules.intents import REFUND_INTENTS
from shared.identity import buyer_id_for

logger = logging.getLogger(__name__)

# Slots of the conversation state (domain.yml).
QUESTION = "question"
FOCUS = "order_id"
CANDIDATES = "order_candidates"
ASKS = "order_asks"
UNCLEAR = "unclear_count"
COMPLAINTS = "complaint_count"
PROMPT = "order_prompt"  # how the next "which order?" prompt reads: ask / remind / done


class OrdersUnavailable(Exception):
    """The order database could not be read (down, slow, misconfigured)."""


# One buyer message usually makes two action calls (the order form's validation,
# then the answer or the "which order?" prompt); both read the buyer's orders. The
# facts read for a message are kept for the next call of the same message (same
# conversation, same message id) for a few seconds at most (issue #21).
TURN_FACTS_SECONDS = 5.0
TURN_FACTS_KEPT = 256
_turn_facts: "OrderedDict[Tuple[str, str, str], Tuple[float, Optional[BuyerFacts]]]" = OrderedDict()
_turn_facts_lock = threading.Lock()


def _turn_key(tracker: Tracker, buyer_id: Optional[str]) -> Optional[Tuple[str, str, str]]:
    message_id = (tracker.latest_message or {}).get("message_id")
    if buyer_id is None or not isinstance(message_id, str) or not message_id:
        return None
    return (str(tracker.sender_id), message_id, buyer_id)


def _facts_of_turn(key: Optional[Tuple[str, str, str]]) -> Tuple[bool, Optional[BuyerFacts]]:
    if key is None:
        return False, None
    with _turn_facts_lock:
        kept = _turn_facts.get(key)
    if kept is None or time.monotonic() - kept[0] > TURN_FACTS_SECONDS:
        return False, None
    return True, kept[1]


def _keep_for_turn(key: Optional[Tuple[str, str, str]], facts: Optional[BuyerFacts]) -> None:
    if key is None:
        return
    with _turn_facts_lock:
        _turn_facts[key] = (time.monotonic(), facts)
        _turn_facts.move_to_end(key)
        while len(_turn_facts) > TURN_FACTS_KEPT:
            _turn_facts.popitem(last=False)


class Asker:
    """Who is asking, and what the bot may know about them (read once per message)."""

    def __init__(self, tracker: Tracker):
        metadata = tracker.latest_message.get("metadata") or {}
        self.buyer_id = buyer_id_for(tracker.sender_id, tracker.get_latest_input_channel(), metadata)
        self._turn = _turn_key(tracker, self.buyer_id)
        self._buyer: Optional[BuyerFacts] = None
        self._loaded = False

    @property
    def anonymous(self) -> bool:
        return self.buyer_id is None

    def buyer(self) -> Optional[BuyerFacts]:
        if self.buyer_id is None:
            return None
        if not self._loaded:
            self._loaded, self._buyer = _facts_of_turn(self._turn)
        if not self._loaded:
            try:
                self._buyer = buyer_facts(session_factory(), self.buyer_id)
            except SQLAlchemyError as error:
                logger.error("order database unavailable: %s", error)
                raise OrdersUnavailable() from error
            self._loaded = True
            _keep_for_turn(self._turn, self._buyer)
        return self._buyer


def latest_refund_intent(tracker: Tracker) -> Optional[str]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if name in REFUND_INTENTS:
                return name
    return None


def question_intent(tracker: Tracker) -> Optional[str]:
    """The refund question under discussion: the slot, else the latest refund intent."""
    question = tracker.get_slot(QUESTION)
    return question if question in REFUND_INTENTS else latest_refund_intent(tracker)


# What an order number can look like; anything else (a dict sent as a button
# payload, 900 characters) is never looked up nor echoed back to the buyer.
ORDER_ID_SHAPE = re.compile(r"^[0-9A-Za-z_-]{1,40}$")


def usable_order_id(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and ORDER_ID_SHAPE.match(value) else None


def mentioned_order_id(tracker: Tracker) -> Optional[str]:
    ids = [usable_order_id(e.get("value")) for e in tracker.latest_message.get("entities") or []
           if e.get("entity") == "order_id"]
    usable = [i for i in ids if i]
    return usable[-1] if usable else None


def _count(tracker: Tracker, slot: str) -> int:
    value = tracker.get_slot(slot)
    return int(value) if isinstance(value, (int, float)) else 0


def talk_of(tracker: Tracker) -> Talk:
    ids = tracker.get_slot(CANDIDATES)
    return Talk(
        question=question_intent(tracker),
        focus_id=usable_order_id(tracker.get_slot(FOCUS)),
        candidate_ids=tuple(i for i in map(usable_order_id, ids) if i) if isinstance(ids, list) else (),
        asks=_count(tracker, ASKS),
        unclear=_count(tracker, UNCLEAR),
        complaints=_count(tracker, COMPLAINTS),
    )


def message_of(tracker: Tracker) -> Message:
    latest = tracker.latest_message or {}
    text = latest.get("text")
    return Message(
        intent=(latest.get("intent") or {}).get("name"),
        text=text if isinstance(text, str) else "",
        order_id=mentioned_order_id(tracker),
        clauses=clauses_of(latest.get("clauses")),
    )


def talk_events(talk: Talk, tracker: Optional[Tracker] = None) -> List[Dict[str, Any]]:
    """The slot events that carry `talk`; with `tracker`, only those that change a slot."""
    events = [
        SlotSet(QUESTION, talk.question),
        SlotSet(FOCUS, talk.focus_id),
        SlotSet(CANDIDATES, list(talk.candidate_ids) or None),
        SlotSet(ASKS, float(talk.asks)),
        SlotSet(UNCLEAR, float(talk.unclear)),
        SlotSet(COMPLAINTS, float(talk.complaints)),
    ]
    return events if tracker is None else changed_only(tracker, events)


def changed_only(tracker: Tracker, events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """`events` without the slot events that set a slot to the value it already has.

    Every event stays in the conversation: each later message reads it back,
    sends it to the action server and scans it (issue #21), and setting six
    unchanged slots on every turn made more than half of a long conversation's
    events. Not for the form's validation: Rasa's form reads its events.
    """
    values: Dict[str, Any] = {}
    kept = []
    for event in events:
        if event.get("event") == "slot":
            name = event["name"]
            current = values[name] if name in values else tracker.get_slot(name)
            values[name] = event.get("value")
            if current == event.get("value"):
                continue
        kept.append(event)
    return kept
