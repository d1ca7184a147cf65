"""The dialogue decisions (actions/dialogue/talk.py) over the demo shop, without Rasa."""
from __future__ import annotations

import pytest

from actions.dialogue import talk as t
from actions.dialogue.choice import candidate_orders
from tests.support.demo_shop import demo_buyers


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    return demo_buyers(tmp_path_factory.mktemp("shop") / "orders.db")


def ask(shop, buyer_id, intent):
    step = t.start_question(intent, t.Message(intent), shop[buyer_id], t.Talk())
    return step


def test_several_candidates_ask_and_a_bank_reference_answers(shop):
    step = ask(shop, "tb_zhang_san", "ask_refund_not_received")
    assert step.outcome == t.ASK and len(step.candidates) == 2 and step.talk.asks == 1
    reply = t.continue_question(t.Message("inform_order_id", "招商银行那个"), shop["tb_zhang_san"], step.talk)
    assert reply.outcome == t.ANSWER and reply.order.item == "加厚羽绒服 大码"
    assert reply.talk.question == "ask_refund_not_received" and reply.talk.focus_id == reply.order.order_id


def test_a_reference_misread_as_another_question_still_answers_the_pending_one(shop):
    step = ask(shop, "tb_zhang_san", "ask_refund_not_received")
    reply = t.continue_question(t.Message("ask_platform_intervention", "羽绒服那个"), shop["tb_zhang_san"], step.talk)
    assert reply.outcome == t.ANSWER and reply.talk.question == "ask_refund_not_received"


def test_a_new_question_mid_form_is_answered_for_its_own_candidates(shop):
    step = ask(shop, "tb_zhao_lei", "ask_platform_intervention")
    assert step.outcome == t.ASK
    reply = t.continue_question(t.Message("ask_frozen_balance", "余额为什么被冻结了"), shop["tb_zhao_lei"], step.talk)
    assert reply.outcome == t.ANSWER and reply.talk.question == "ask_frozen_balance" and reply.order is None


def test_small_talk_gets_its_answer_and_a_reminder_not_the_question(shop):
    step = ask(shop, "tb_zhao_lei", "ask_platform_intervention")
    for intent in ("greet", "thank", "bot_challenge", "out_of_scope", "affirm", "greet", "thank"):
        step = t.continue_question(t.Message(intent, "嗯"), shop["tb_zhao_lei"], step.talk)
        assert step.outcome == t.REMIND and step.reply and step.talk.asks == 1
    step = t.continue_question(t.Message("inform_order_id", "第二个"), shop["tb_zhao_lei"], step.talk)
    assert step.outcome == t.ANSWER and step.order.item == "珊瑚绒毛毯"


def test_unplaceable_replies_reask_once_then_clarify(shop):
    step = ask(shop, "tb_zhao_lei", "ask_platform_intervention")
    step = t.continue_question(t.Message("nlu_fallback", "啊啊啊"), shop["tb_zhao_lei"], step.talk)
    assert step.outcome == t.ASK and step.talk.asks == 2
    step = t.continue_question(t.Message("nlu_fallback", "？？"), shop["tb_zhao_lei"], step.talk)
    assert step.outcome == t.CLARIFY


def test_the_full_question_is_never_asked_more_than_twice_in_a_row(shop):
    step = ask(shop, "tb_zhao_lei", "ask_platform_intervention")
    full = 1
    for text in ("尾号0000", "第九个", "花呗那单"):
        step = t.continue_question(t.Message("inform_order_id", text), shop["tb_zhao_lei"], step.talk)
        full += step.outcome == t.ASK
        if step.outcome != t.ASK:
            break
    assert full <= 2 and step.outcome == t.CLARIFY


def test_handoff_and_second_complaint_leave_the_form_to_the_rules(shop):
    step = ask(shop, "tb_zhang_san", "ask_refund_not_received")
    assert t.continue_question(t.Message("request_human", "转人工"), shop["tb_zhang_san"], step.talk).outcome == t.PASS
    first = t.continue_question(t.Message("complain", "我要投诉"), shop["tb_zhang_san"], step.talk)
    assert first.outcome == t.REMIND and first.talk.complaints == 1
    assert t.continue_question(t.Message("complain", "骗子"), shop["tb_zhang_san"], first.talk).outcome == t.PASS


def test_another_buyers_number_mid_form_looks_like_a_missing_one(shop):
    step = ask(shop, "tb_zhang_san", "ask_refund_not_received")
    lily_order = shop["tb_lily88"].orders[0].order_id
    a = t.continue_question(t.Message("inform_order_id", lily_order, lily_order), shop["tb_zhang_san"], step.talk)
    b = t.continue_question(t.Message("inform_order_id", "3286451909999999999", "3286451909999999999"),
                            shop["tb_zhang_san"], step.talk)
    assert (a.outcome, a.notice, a.order, a.candidates) == (b.outcome, b.notice, b.order, b.candidates)
    assert a.notice == t.NOT_FOUND and all(o.buyer_id == "tb_zhang_san" for o in a.candidates)


def test_a_follow_up_question_is_about_the_order_under_discussion(shop):
    zs = shop["tb_zhang_san"]
    answered = t.continue_question(t.Message("inform_order_id", "羽绒服那个"), zs,
                                   ask(shop, "tb_zhang_san", "ask_refund_not_received").talk).talk
    again = t.start_question("ask_refund_not_received", t.Message("ask_refund_not_received", "那要几天"), zs, answered)
    assert again.outcome == t.ANSWER and again.order.item == "加厚羽绒服 大码"
    other = t.follow_up(t.Message("inform_order_id", "那另一单呢"), zs, answered)
    assert other.outcome == t.ANSWER and other.order.item == "户外折叠台灯"


def test_the_other_order_after_a_direct_answer_asks_among_the_rest(shop):
    lily = shop["tb_lily88"]
    first = ask(shop, "tb_lily88", "ask_refund_progress")
    assert first.outcome == t.ANSWER and first.order is not None
    other = t.follow_up(t.Message("inform_order_id", "那另一单呢"), lily, first.talk)
    assert other.outcome == t.ASK and first.order not in other.candidates and len(other.candidates) == 2


def test_one_open_refund_is_answered_directly(shop):
    step = ask(shop, "tb_lily88", "ask_refund_progress")
    assert step.outcome == t.ANSWER and step.order.item == "婴儿连体衣 66码"
    assert candidate_orders("ask_refund_progress", shop["tb_lily88"]) == [step.order]


def test_an_item_named_in_a_new_question_wins_over_the_intents_candidates(shop):
    lily = shop["tb_lily88"]
    step = t.start_question("ask_refund_after_shipping", t.Message("ask_refund_after_shipping", "那保温杯呢 已经收到了 还能退吗"),
                            lily, t.Talk())
    assert step.outcome == t.ANSWER and step.order.item == "儿童保温杯 350毫升"


def test_a_follow_up_naming_an_order_outside_the_last_list_moves_to_it(shop):
    zs = shop["tb_zhang_san"]
    answered = t.continue_question(t.Message("inform_order_id", "羽绒服那个"), zs,
                                   ask(shop, "tb_zhang_san", "ask_refund_not_received").talk).talk
    step = t.follow_up(t.Message("inform_order_id", "登山鞋那个呢"), zs, answered)
    assert step.outcome == t.ANSWER and step.order.item == "登山鞋 42码"


def test_a_side_question_naming_an_item_is_not_taken_as_the_pick(shop):
    step = ask(shop, "tb_zhang_san", "ask_refund_not_received")
    side = t.continue_question(t.Message("out_of_scope", "你们店还有别的羽绒服卖吗"), shop["tb_zhang_san"], step.talk)
    assert side.outcome == t.REMIND and side.order is None


def test_an_item_the_buyer_never_bought_fits_nothing(shop):
    step = ask(shop, "tb_zhang_san", "ask_refund_not_received")
    reply = t.continue_question(t.Message("out_of_scope", "电饭煲那个"), shop["tb_zhang_san"], step.talk)
    assert reply.outcome == t.ASK and reply.notice == t.NO_FIT and len(reply.candidates) == 2


def test_where_is_my_money_with_only_an_open_refund_gets_that_refund(shop):
    step = ask(shop, "tb_lily88", "ask_refund_not_received")
    assert step.outcome == t.ANSWER and step.order.item == "婴儿连体衣 66码"


def test_a_follow_up_leans_on_the_order_under_discussion_even_for_another_intent(shop):
    zs = shop["tb_zhang_san"]
    answered = t.continue_question(t.Message("inform_order_id", "招商银行那个"), zs,
                                   ask(shop, "tb_zhang_san", "ask_refund_not_received").talk).talk
    # read as a progress question, whose own candidate would be the 登山鞋's open return
    step = t.start_question("ask_refund_progress", t.Message("ask_refund_progress", "那要几天到账"), zs, answered)
    assert step.outcome == t.ANSWER and step.order.item == "加厚羽绒服 大码"
    fresh = t.start_question("ask_refund_progress", t.Message("ask_refund_progress", "我的退货退款到哪一步了"), zs, answered)
    assert fresh.outcome == t.ANSWER and fresh.order.item == "登山鞋 42码"


def test_the_other_order_among_several_is_asked_without_a_narrowing_notice(shop):
    lily = shop["tb_lily88"]
    first = ask(shop, "tb_lily88", "ask_refund_progress")
    other = t.follow_up(t.Message("inform_order_id", "那另一单呢"), lily, first.talk)
    assert other.outcome == t.ASK and other.notice is None


@pytest.mark.parametrize("text,guess,leans", [
    ("那大概还要几天", "ask_refund_not_received", True),   # unsure between two refund questions
    ("还要多久啊", "ask_refund_progress", True),
    ("要等多久啊", "complain", True),                      # how long, whatever the model guessed
    ("那好吧", "greet", False),                            # no refund question behind it, no how long
    ("发票怎么开", "ask_refund_progress", False),           # does not open like a follow-up
])
def test_an_unplaced_follow_up_leans_on_the_order_under_discussion(text, guess, leans):
    assert t.leans_on_focus(t.Message("nlu_fallback", text), guess) is leans
