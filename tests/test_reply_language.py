"""Every reply a buyer can get is natural simplified Chinese.

Walks every response template in domain.yml, every sentence the actions say
around the answers, and the actions' output for every refund question of every
demo buyer: no English, no placeholders, no raw enum names, no Python reprs,
no traditional characters.
"""
from __future__ import annotations

import asyncio
import re

import pytest
import yaml
from opencc import OpenCC
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswerQuestion, ActionClarify, ActionGreet, ActionHandoff
from actions.dialogue import text as dialogue_text
from actions.form import ActionAskOrderId, ValidateOrderIdForm
from actions.orders.db import REPO_ROOT
from actions.rules.facts import (
    FROZEN_REASONS,
    LOGISTICS,
    ORDER_STATUSES,
    PAYMENT_METHODS,
    REFUND_DESTINATIONS,
    REFUND_KINDS,
    REFUND_STATUSES,
)
from actions.rules.intents import REFUND_INTENTS
from tests.support.trackers import make_tracker, order_entity, user_event

ENUMS = set(FROZEN_REASONS + LOGISTICS + ORDER_STATUSES + PAYMENT_METHODS + REFUND_DESTINATIONS
            + REFUND_KINDS + REFUND_STATUSES)
REPRS = ("None", "True", "False", "Decimal", "datetime", "[]", "{}", "nan")
to_simplified = OpenCC("t2s")
DEMO_BUYERS = ("tb_lily88", "tb_chen_wei", "tb_zhang_san", "tb_wang_fang", "tb_zhao_lei",
               "tb_new_buyer", "somebody_unknown")


def problems(text: str) -> list:
    found = []
    if not text or not text.strip():
        found.append("empty")
    if re.search(r"[A-Za-z]", text):
        found.append(f"latin letters: {re.findall(r'[A-Za-z]+', text)}")
    if re.search(r"[{}]|\$\{|%s|<[a-z]", text):
        found.append("placeholder")
    found += [f"enum {e}" for e in ENUMS if e in text]
    found += [f"repr {r}" for r in REPRS if r in text]
    if to_simplified.convert(text) != text:
        found.append("traditional characters")
    return found


def domain_texts():
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        for variant in variants:
            yield name, variant["text"]


@pytest.mark.parametrize("name,text", list(domain_texts()))
def test_every_response_template(name, text):
    assert problems(text) == [], (name, text)


def dialogue_strings():
    for name in dir(dialogue_text):
        value = getattr(dialogue_text, name)
        if name.isupper() and isinstance(value, str):
            yield name, value.format(order_id="3286451901234567890", item="加厚羽绒服 大码")
    for intent, title in dialogue_text.INTENT_TOPICS.items():
        yield intent, title


@pytest.mark.parametrize("name,text", list(dialogue_strings()))
def test_every_sentence_around_the_answers(name, text):
    assert problems(text) == [], (name, text)


def action_outputs(buyer):
    """What the actions say to this buyer for every refund question, with and without an order."""
    from actions.orders.db import session_factory
    from actions.orders.queries import buyer_facts

    facts = buyer_facts(session_factory(), buyer)
    order_ids = [None] + [o.order_id for o in (facts.orders if facts else ())]
    for intent in REFUND_INTENTS:
        for order_id in order_ids:
            entities = [order_entity(order_id)] if order_id else []
            tracker = make_tracker(buyer, [user_event("问题", intent, entities)])
            dispatcher = CollectingDispatcher()
            events = asyncio.run(ValidateOrderIdForm().run(dispatcher, tracker, {}))
            slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
            asked = make_tracker(buyer, [user_event("问题", intent, entities)], slots=slots)
            for action in (ActionAnswerQuestion(), ActionAskOrderId()):
                asyncio.run(action.run(dispatcher, asked if action.name() == "action_ask_order_id" else tracker, {}))
            for message in dispatcher.messages:
                yield f"{intent}/{order_id}", message
    for action in (ActionClarify(), ActionHandoff(), ActionGreet()):
        dispatcher = CollectingDispatcher()
        asyncio.run(action.run(dispatcher, make_tracker(buyer, [user_event("嗯", "nlu_fallback")]), {}))
        for message in dispatcher.messages:
            yield action.name(), message


@pytest.mark.parametrize("buyer", DEMO_BUYERS)
def test_every_action_output_for_every_demo_buyer(demo_orders, buyer):
    seen = 0
    for where, message in action_outputs(buyer):
        if message.get("text") is not None:
            seen += 1
            assert problems(message["text"]) == [], (where, message["text"])
        for button in message.get("buttons") or []:
            assert problems(button["title"]) == [], (where, button["title"])
    assert seen >= len(REFUND_INTENTS)
