"""The dialogue's own replies (not the rules' answers): hand-off, clarifying
question, "which order?" with buttons. Shared by the form and the actions so
each reply is built in one place."""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import text as say
from actions.rules.facts import OrderFacts
from shared.contract import (
    CUSTOM_HANDOFF,
    CUSTOM_INTENT,
    CUSTOM_REASON,
    CUSTOM_RULE_IDS,
    CUSTOM_SUMMARY,
    FEEDBACK_SLOT,
    HANDOFF_SLOT,
)

FEEDBACK_BUTTONS = [
    {"title": "👍 解决了", "payload": f'/thank{{"{FEEDBACK_SLOT}": "up"}}'},
    {"title": "👎 没解决", "payload": f'/deny{{"{FEEDBACK_SLOT}": "down"}}'},
]


PERSON_BUTTON = {"title": "转人工", "payload": "/request_human"}


def say_answer(dispatcher: CollectingDispatcher, text: str, rule_ids: Iterable[str], intent: str,
               ask_feedback: bool = False, person_button: bool = False) -> None:
    # The rule ids travel with the reply so a store can audit every answer.
    buttons = (list(FEEDBACK_BUTTONS) if ask_feedback else []) + ([PERSON_BUTTON] if person_button else [])
    dispatcher.utter_message(text=text, json_message={CUSTOM_RULE_IDS: list(rule_ids), CUSTOM_INTENT: intent},
                             buttons=buttons)


def say_aside(dispatcher: CollectingDispatcher, text: str, rule_ids: Iterable[str], intent: Optional[str],
              person_button: bool) -> None:
    """A reply of actions/dialogue/asides.py: a detail, a question beyond the rules, anger,
    an emoji; with the 转人工 button where a person is the way on."""
    buttons = [PERSON_BUTTON] if person_button else []
    dispatcher.utter_message(text=text, json_message={CUSTOM_RULE_IDS: list(rule_ids), CUSTOM_INTENT: intent},
                             buttons=buttons)


def hand_off(dispatcher: CollectingDispatcher, reason: Optional[str],
             summary: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
    """Hand the conversation to a person, with a marker and the agent's summary."""
    dispatcher.utter_message(text=say.HANDOFF, json_message={
        CUSTOM_HANDOFF: True, CUSTOM_REASON: reason, CUSTOM_SUMMARY: summary})
    return [SlotSet(HANDOFF_SLOT, True)]


def clarify(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Low confidence: ask which topic, with buttons for the likely intents."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    likely = [
        r.get("name") for r in ranking
        if r.get("name") in say.INTENT_TOPICS and (r.get("confidence") or 0) >= 0.1
    ][:3]
    text = say.CLARIFY if likely else say.NOT_UNDERSTOOD
    topics = likely or list(say.COMMON_TOPICS)
    buttons = [{"title": say.INTENT_TOPICS[name], "payload": f"/{name}"} for name in topics]
    dispatcher.utter_message(text=text, buttons=buttons)


def order_buttons(orders: Sequence[OrderFacts]) -> List[Dict[str, str]]:
    return [
        {"title": say.order_button_title(order),
         "payload": "/inform_order_id" + json.dumps({"order_id": order.order_id})}
        for order in orders
    ]


def ask_which_order(dispatcher: CollectingDispatcher, orders: Sequence[OrderFacts]) -> None:
    """The question, with the orders numbered in the text (so 第二个 means something on any
    channel, buttons or not) and a button for each."""
    if not orders:
        dispatcher.utter_message(text=say.ORDER_ID_PLEASE)
        return
    listed = "\n".join(f"{i}. {say.order_button_title(o)}" for i, o in enumerate(orders, 1))
    dispatcher.utter_message(text=f"{say.CHOOSE_ORDER}\n{listed}", buttons=order_buttons(orders))
