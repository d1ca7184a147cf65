"""A turn adds only the slot events that change something (issue #21).

Every event stays in the conversation: each later message reads it back, sends
it to the action server and scans it. A follow-up about the same order used to
set all six conversation slots again, unchanged.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from actions.actions import ActionAnswerQuestion
from actions.dialogue.asker import changed_only
from actions.form import ValidateOrderIdForm
from tests.support.trackers import make_tracker, order_entity, said, user_event

ZHANG = "tb_zhang_san"
ZHANG_REFUNDED = "3286451901234567910"
TALK_ABOUT_IT = {"question": "ask_refund_not_received", "order_id": ZHANG_REFUNDED, "order_candidates": None,
                 "order_asks": 0.0, "unclear_count": 0.0, "complaint_count": 0.0, "order_prompt": None,
                 "feedback_topics": ["ask_refund_not_received"], "handoff_requested": False}


def slot_events(events):
    return [(e["name"], e["value"]) for e in events if e.get("event") == "slot"]


def test_a_follow_up_about_the_same_order_sets_no_slot_again(demo_orders, dispatcher):
    tracker = make_tracker(ZHANG, [user_event("那钱什么时候到", "ask_refund_not_received")], slots=dict(TALK_ABOUT_IT))
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, {}))
    assert "羽绒服" in said(dispatcher), "still answered about the order under discussion"
    assert slot_events(events) == []


def test_an_order_named_for_the_first_time_is_the_only_slot_set(demo_orders, dispatcher):
    tracker = make_tracker(ZHANG, [user_event(f"订单{ZHANG_REFUNDED}的钱怎么还没到", "ask_refund_not_received",
                                              [order_entity(ZHANG_REFUNDED)])],
                           slots=dict(TALK_ABOUT_IT, order_id=None))
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, {}))
    assert "羽绒服" in said(dispatcher)
    assert slot_events(events) == [("order_id", ZHANG_REFUNDED)]


def test_the_forms_own_events_stay_even_when_unchanged(demo_orders, dispatcher):
    # Rasa's form decides from the validation's events (a SlotSet of requested_slot
    # None ends it; no slot event at all rejects it), so those are always returned.
    tracker = make_tracker(ZHANG, [user_event("钱怎么还没到", "ask_refund_not_received")], slots=dict(TALK_ABOUT_IT))
    events = asyncio.run(ValidateOrderIdForm().run(dispatcher, tracker, {}))
    assert ("order_id", ZHANG_REFUNDED) in slot_events(events)
    assert ("requested_slot", None) in slot_events(events)
    assert not any(name in ("question", "order_asks", "complaint_count") for name, _ in slot_events(events))


def test_a_slot_set_twice_in_one_turn_keeps_its_last_value():
    tracker = make_tracker(ZHANG, [user_event("你好", "greet")], slots={"order_prompt": "ask"})
    events: List[Dict[str, Any]] = [{"event": "slot", "name": "order_prompt", "value": None},
              {"event": "slot", "name": "order_prompt", "value": "ask"},
              {"event": "slot", "name": "order_asks", "value": 1.0}]
    assert slot_events(changed_only(tracker, events)) == [("order_prompt", None), ("order_prompt", "ask"),
                                                          ("order_asks", 1.0)]


def _turn(text: str, intent: str, message_id: str) -> Dict[str, Any]:
    event = user_event(text, intent)
    event["parse_data"]["message_id"] = event["message_id"] = message_id
    return event


def test_the_two_action_calls_of_one_message_read_the_orders_once(demo_orders, dispatcher, monkeypatch):
    # "Which order?" takes the form's validation and then its prompt, and both need the
    # buyer's orders (issue #21): the prompt reuses the validation's read of the same
    # message; the next message reads the orders again (they may have changed).
    from actions.dialogue import asker
    from actions.form import ActionAskOrderId

    reads: List[str] = []
    real = asker.buyer_facts

    def counted(sessions, buyer):
        reads.append(buyer)
        return real(sessions, buyer)

    monkeypatch.setattr(asker, "buyer_facts", counted)
    slots = dict(TALK_ABOUT_IT, order_id=None, question=None)
    question = [_turn("钱怎么还没到", "ask_refund_not_received", "m-1")]
    form_events = asyncio.run(ValidateOrderIdForm().run(dispatcher, make_tracker(ZHANG, question, slots=slots), {}))
    candidates = dict(slot_events(form_events))["order_candidates"]
    assert len(candidates) == 2 and ("requested_slot", "order_id") in slot_events(form_events)
    prompt = dict(slots, order_candidates=candidates, order_prompt="ask", requested_slot="order_id")
    asyncio.run(ActionAskOrderId().run(dispatcher, make_tracker(ZHANG, question, slots=prompt), {}))
    buttons = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert len(buttons) == 2, "the buyer is shown both orders to choose from"
    assert reads == [ZHANG]
    asyncio.run(ActionAnswerQuestion().run(dispatcher, make_tracker(
        ZHANG, [_turn("那钱什么时候到", "ask_refund_not_received", "m-2")], slots=dict(TALK_ABOUT_IT)), {}))
    assert "羽绒服" in said(dispatcher)
    assert reads == [ZHANG, ZHANG]
