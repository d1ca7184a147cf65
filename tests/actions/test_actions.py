"""Actions called directly with a tracker, as the action server would call them."""
from __future__ import annotations

import asyncio
import json

from actions.actions import ActionAnswerQuestion, ActionClarify, ActionHandleComplaint
from actions.form import ActionAskOrderId, ValidateOrderIdForm
from actions.orders import db
from shared.identity import make_buyer_token
from tests.support.trackers import custom, make_tracker, order_entity, said, user_event

ZHANG_REFUNDED = "3286451901234567910"
ZHAO = "tb_zhao_lei"


def run(action, dispatcher, tracker):
    return asyncio.run(action.run(dispatcher, tracker, {}))


def slots(events):
    # Only the slots an action changes (the trackers here start with none set).
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_answer_uses_the_order_named_in_the_message(demo_orders, dispatcher):
    tracker = make_tracker("tb_zhang_san", [user_event(
        f"订单{ZHANG_REFUNDED}退款成功了钱怎么还没到", "ask_refund_not_received",
        [order_entity(ZHANG_REFUNDED)])])
    events = run(ActionAnswerQuestion(), dispatcher, tracker)
    assert "羽绒服" in said(dispatcher) and "招商银行" in said(dispatcher)
    assert custom(dispatcher)[0]["rule_ids"], "the answer names the rules it used"
    assert slots(events)["order_id"] == ZHANG_REFUNDED


def test_another_buyers_order_is_answered_as_not_found_with_the_general_rule(demo_orders, dispatcher):
    tracker = make_tracker("tb_lily88", [user_event(
        "钱怎么还没到", "ask_refund_not_received", [order_entity(ZHANG_REFUNDED)])])
    events = run(ActionAnswerQuestion(), dispatcher, tracker)
    text = said(dispatcher)
    assert "没有查到" in text
    assert "羽绒服" not in text and "599" not in text and "招商" not in text
    assert slots(events).get("order_id") is None


def test_form_asks_with_buttons_when_several_orders_fit(demo_orders, dispatcher):
    tracker = make_tracker(ZHAO, [user_event("退款到哪一步了", "ask_refund_progress")])
    events = run(ValidateOrderIdForm(), dispatcher, tracker)
    assert (slots(events).get("order_id"), slots(events)["requested_slot"]) == (None, "order_id")
    assert len(slots(events)["order_candidates"]) >= 3
    asked = make_tracker(ZHAO, [user_event("退款到哪一步了", "ask_refund_progress")], slots=slots(events))
    run(ActionAskOrderId(), dispatcher, asked)
    buttons = dispatcher.messages[-1]["buttons"]
    assert len(buttons) >= 3
    payload = buttons[0]["payload"]
    assert payload.startswith("/inform_order_id")
    assert json.loads(payload[len("/inform_order_id"):])["order_id"].isdigit()


def test_form_finishes_at_once_for_a_single_order(demo_orders, dispatcher):
    tracker = make_tracker("tb_chen_wei", [user_event("发货了能退吗", "ask_refund_after_shipping")])
    events = run(ValidateOrderIdForm(), dispatcher, tracker)
    assert (slots(events)["order_id"], slots(events)["requested_slot"]) == ("3286451901234567900", None)


def test_form_rejects_another_buyers_order_and_asks_again(demo_orders, dispatcher):
    tracker = make_tracker(
        ZHAO,
        [user_event("退款到哪一步了", "ask_refund_progress"),
         user_event(ZHANG_REFUNDED, "inform_order_id", [order_entity(ZHANG_REFUNDED)])],
        slots={"requested_slot": "order_id"},
    )
    events = run(ValidateOrderIdForm(), dispatcher, tracker)
    assert "没有查到" in said(dispatcher)
    assert (slots(events).get("order_id"), slots(events)["requested_slot"]) == (None, "order_id")


def test_form_answers_another_subject_asked_while_it_waits(demo_orders, dispatcher):
    tracker = make_tracker(
        ZHAO,
        [user_event("退款到哪一步了", "ask_refund_progress"),
         user_event("余额为啥冻结", "ask_frozen_balance")],
        slots={"requested_slot": "order_id"},
    )
    events = slots(run(ValidateOrderIdForm(), dispatcher, tracker))
    # The form ends and the answer rule answers the new question (an account question: no order).
    assert (events["question"], events["requested_slot"], events["order_id"]) == ("ask_frozen_balance", None, None)


def test_form_leaves_a_request_for_a_person_to_the_rules(demo_orders, dispatcher):
    tracker = make_tracker(
        ZHAO,
        [user_event("退款到哪一步了", "ask_refund_progress"), user_event("转人工", "request_human")],
        slots={"requested_slot": "order_id"},
    )
    # Nothing comes back: Rasa rejects the form and the 转人工 rule hands off.
    assert run(ValidateOrderIdForm(), dispatcher, tracker) == [] and not dispatcher.messages


def test_database_down_gives_an_apology_and_the_general_rule(monkeypatch, dispatcher):
    monkeypatch.setenv(db.DB_URL_ENV, "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    tracker = make_tracker("tb_lily88", [user_event("已经发货了还能退款吗", "ask_refund_after_shipping")])
    run(ActionAnswerQuestion(), dispatcher, tracker)
    text = said(dispatcher)
    assert "非常抱歉" in text and "申请售后" in text


def test_widget_visitor_without_a_valid_token_is_anonymous(demo_orders, monkeypatch, dispatcher):
    monkeypatch.setenv("WIDGET_TOKEN_SECRET", "s3cret")
    forged = make_buyer_token("tb_zhang_san", "not-the-secret")
    tracker = make_tracker("socket-session-1", [user_event(
        "退款成功了钱怎么还没到", "ask_refund_not_received", channel="socketio",
        metadata={"buyer_token": forged})])
    run(ActionAnswerQuestion(), dispatcher, tracker)
    assert "羽绒服" not in said(dispatcher) and "599" not in said(dispatcher)


def test_widget_visitor_with_a_valid_token_sees_their_orders(demo_orders, monkeypatch, dispatcher):
    monkeypatch.setenv("WIDGET_TOKEN_SECRET", "s3cret")
    token = make_buyer_token("tb_zhang_san", "s3cret")
    tracker = make_tracker("socket-session-2", [user_event(
        f"{ZHANG_REFUNDED}退款成功了钱怎么还没到", "ask_refund_not_received",
        [order_entity(ZHANG_REFUNDED)], channel="socketio", metadata={"buyer_token": token})])
    run(ActionAnswerQuestion(), dispatcher, tracker)
    assert "羽绒服" in said(dispatcher)


def test_production_trusts_no_plain_rest_sender(demo_orders, monkeypatch, dispatcher):
    monkeypatch.setenv("TRUSTED_SENDER_CHANNELS", "store_im")
    tracker = make_tracker("tb_zhang_san", [user_event(
        f"{ZHANG_REFUNDED}钱怎么还没到", "ask_refund_not_received", [order_entity(ZHANG_REFUNDED)])])
    run(ActionAnswerQuestion(), dispatcher, tracker)
    assert "羽绒服" not in said(dispatcher)


def test_clarify_offers_the_likely_topics_as_buttons(dispatcher):
    event = user_event("钱呢", "nlu_fallback")
    event["parse_data"]["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ask_refund_not_received", "confidence": 0.41},
        {"name": "ask_withdraw", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
    ]
    run(ActionClarify(), dispatcher, make_tracker("tb_lily88", [event]))
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == ["退款成功了钱没到账", "怎么提现"]


def test_second_complaint_hands_off(dispatcher):
    tracker = make_tracker("tb_lily88", [user_event("太慢了", "complain")], slots={"complaint_count": 1.0})
    events = run(ActionHandleComplaint(), dispatcher, tracker)
    assert slots(events)["handoff_requested"] is True
    [marker] = custom(dispatcher)
    assert (marker["handoff"], marker["reason"]) == (True, "complain")
    assert marker["summary"]["complaints"] == 2 and "买家多次投诉" in marker["summary"]["text"]


def test_a_reference_after_the_frozen_list_answers_about_that_item_alone(demo_orders, dispatcher):
    tracker = make_tracker("tb_wang_fang", [user_event("余额为什么冻结了", "ask_frozen_balance"),
                                            user_event("拍卖那个呢", "inform_order_id")],
                           slots={"question": "ask_frozen_balance"})
    run(ActionAnswerQuestion(), dispatcher, tracker)
    text = said(dispatcher)
    assert "拍卖保证金" in text and "红包" not in text and "提现" not in text


def low_confidence(text):
    event = user_event(text, "nlu_fallback")
    event["parse_data"]["intent"]["confidence"] = 0.42
    return event


def test_two_messages_in_a_row_the_bot_cannot_understand_go_to_a_person(demo_orders, dispatcher):
    tracker = make_tracker("tb_lily88", [low_confidence("呃那个啥"), low_confidence("就是那个嘛")])
    events = run(ActionClarify(), dispatcher, tracker)
    assert slots(events)["handoff_requested"] is True
    [marker] = custom(dispatcher)
    assert marker["reason"] == "fallback" and "没能理解" in marker["summary"]["text"]


def test_empty_or_emoji_messages_are_not_the_bot_failing(demo_orders, dispatcher):
    guarded = user_event("😀😀", "nlu_fallback")
    guarded["parse_data"]["intent"]["confidence"] = 1.0  # the content guard's verdict
    tracker = make_tracker("tb_lily88", [low_confidence("呃那个啥"), guarded])
    events = run(ActionClarify(), dispatcher, tracker)
    assert "handoff_requested" not in slots(events) and dispatcher.messages[-1]["buttons"]
