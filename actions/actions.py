"""Rasa actions: thin glue between the tracker, the order database and the rules.

Each action reads who is asking (identity), loads only that buyer's facts
(orders.queries), asks the rules engine (rules.answers) and says the result.
"""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import dialogue_text as say
from actions.identity import buyer_id_for
from actions.order_choice import OrderChoice, choose_order, find_own_order
from actions.orders.db import session_factory
from actions.orders.queries import buyer_facts
from actions.rules.answers import REFUND_INTENTS, answer_for
from actions.rules.facts import BuyerFacts

logger = logging.getLogger(__name__)

HANDOFF_AFTER_COMPLAINTS = 2


class OrdersUnavailable(Exception):
    """The order database could not be read (down, slow, misconfigured)."""


class Asker:
    """Who is asking, and what the bot may know about them."""

    def __init__(self, tracker: Tracker):
        metadata = tracker.latest_message.get("metadata") or {}
        self.buyer_id = buyer_id_for(
            tracker.sender_id, tracker.get_latest_input_channel(), metadata
        )
        self._buyer: Optional[BuyerFacts] = None
        self._loaded = False

    @property
    def anonymous(self) -> bool:
        return self.buyer_id is None

    def buyer(self) -> Optional[BuyerFacts]:
        if self.anonymous:
            return None
        if not self._loaded:
            try:
                self._buyer = buyer_facts(session_factory(), self.buyer_id)
            except SQLAlchemyError as error:
                logger.error("order database unavailable: %s", error)
                raise OrdersUnavailable() from error
            self._loaded = True
        return self._buyer


def question_intent(tracker: Tracker) -> Optional[str]:
    """The refund question being answered: the latest refund-domain intent."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if name in REFUND_INTENTS:
                return name
    return None


# What an order number can look like; anything else (a dict sent as a button
# payload, 900 characters) is never looked up nor echoed back to the buyer.
ORDER_ID_SHAPE = re.compile(r"^[0-9A-Za-z_-]{1,40}$")


def usable_order_id(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and ORDER_ID_SHAPE.match(value) else None


def mentioned_order_id(tracker: Tracker) -> Optional[str]:
    ids = [
        usable_order_id(e.get("value"))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == "order_id"
    ]
    ids = [i for i in ids if i]
    return ids[-1] if ids else None


def remembered_order_id(tracker: Tracker) -> Optional[str]:
    return usable_order_id(tracker.get_slot("order_id"))


def say_answer(dispatcher: CollectingDispatcher, text: str, rule_ids, intent: str) -> None:
    # The rule ids travel with the reply so a store can audit every answer.
    dispatcher.utter_message(
        text=text, json_message={"rule_ids": list(rule_ids), "intent": intent}
    )


class ValidateOrderIdForm(Action):
    """Decides whether the question needs the buyer to pick an order."""

    def name(self) -> Text:
        return "validate_order_id_form"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        intent = question_intent(tracker)
        asker = Asker(tracker)
        mentioned = mentioned_order_id(tracker)
        asking_now = tracker.get_slot("requested_slot") == "order_id"
        if asking_now and not mentioned:
            # Not an order number: let the dialogue handle the change of subject.
            return [SlotSet("requested_slot", "order_id")]
        try:
            buyer = asker.buyer()
        except OrdersUnavailable:
            return [SlotSet("order_id", None), SlotSet("requested_slot", None)]
        if asking_now and mentioned and find_own_order(buyer, mentioned) is None:
            dispatcher.utter_message(text=say.ORDER_NOT_FOUND.format(order_id=mentioned))
            return [SlotSet("order_id", None), SlotSet("requested_slot", "order_id")]
        remembered = None if mentioned else remembered_order_id(tracker)
        choice = choose_order(intent, buyer, mentioned, remembered)
        if choice.ask_between:
            return [SlotSet("order_id", None), SlotSet("requested_slot", "order_id")]
        chosen = choice.order.order_id if choice.order else None
        return [SlotSet("order_id", chosen), SlotSet("requested_slot", None)]


class ActionAskOrderId(Action):
    """Asks which order, with a button for each candidate."""

    def name(self) -> Text:
        return "action_ask_order_id"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        try:
            choice = choose_order(question_intent(tracker), Asker(tracker).buyer(), None)
        except OrdersUnavailable:
            choice = OrderChoice()
        buttons = [
            {
                "title": say.order_button_title(order),
                "payload": "/inform_order_id" + json.dumps({"order_id": order.order_id}),
            }
            for order in choice.ask_between
        ]
        dispatcher.utter_message(text=say.CHOOSE_ORDER if buttons else say.ORDER_ID_PLEASE, buttons=buttons)
        return []


class ActionAnswerQuestion(Action):
    """Answers the refund question from the rules and the buyer's own order."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        intent = question_intent(tracker)
        if intent is None:
            dispatcher.utter_message(response="utter_default")
            return []
        now = datetime.now(timezone.utc)
        asker = Asker(tracker)
        wanted = mentioned_order_id(tracker) or remembered_order_id(tracker)
        try:
            buyer = asker.buyer()
        except OrdersUnavailable:
            answer = answer_for(intent, None, None, now)
            say_answer(dispatcher, say.ORDERS_UNAVAILABLE + answer.text, answer.rule_ids, intent)
            return []
        if wanted and asker.anonymous:
            dispatcher.utter_message(text=say.ANONYMOUS_ORDER)
        order = find_own_order(buyer, wanted)
        if wanted and order is None and not asker.anonymous:
            dispatcher.utter_message(text=say.ORDER_NOT_FOUND.format(order_id=wanted))
            wanted = None
        answer = answer_for(intent, buyer, order, now)
        say_answer(dispatcher, answer.text, answer.rule_ids, intent)
        return [SlotSet("order_id", order.order_id if order else None)]


class ActionClarify(Action):
    """Low NLU confidence: ask which topic, with buttons for the likely intents."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        likely = [
            r.get("name") for r in ranking
            if r.get("name") in say.INTENT_TOPICS and (r.get("confidence") or 0) >= 0.1
        ][:3]
        text = say.CLARIFY if likely else say.NOT_UNDERSTOOD
        topics = likely or list(say.COMMON_TOPICS)
        buttons = [{"title": say.INTENT_TOPICS[name], "payload": f"/{name}"} for name in topics]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionHandoff(Action):
    """Hands the conversation to a person, with a marker the store can act on."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(
            text=say.HANDOFF,
            json_message={"handoff": True, "reason": tracker.latest_message.get("intent", {}).get("name")},
        )
        return [SlotSet("handoff_requested", True)]


class ActionHandleComplaint(Action):
    """Apologises; the second complaint in a conversation goes to a person."""

    def name(self) -> Text:
        return "action_handle_complaint"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        count = int(tracker.get_slot("complaint_count") or 0) + 1
        events: List[Dict[Text, Any]] = [SlotSet("complaint_count", float(count))]
        if count >= HANDOFF_AFTER_COMPLAINTS:
            events += await ActionHandoff().run(dispatcher, tracker, domain)
        else:
            dispatcher.utter_message(response="utter_complain_apology")
        return events
