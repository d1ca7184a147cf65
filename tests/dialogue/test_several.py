"""Several questions in one message, and orders named by time, comparison or state (issue #19).

The clause splitter (bot/clauses.py), the questions a message asks with their
orders (actions/dialogue/several.py), the joined reply, and the references the
buyers used in tests/conversations/buyers_lead: 上周买的杯子, X月X号买的鞋子, 便宜的那个,
退的20块, 43码, and the one order a question's state fits.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Dict

import pytest

from actions.dialogue import talk as t
from actions.dialogue.references import NO_REFERENCE, ONE, fitting_state, resolve_order
from actions.dialogue.several import Clause, clauses_of, combined, questions_in
from actions.rules.answers import answer_for
from bot.clauses import add_clauses, question_text, split_clauses
from tests.support.demo_shop import demo_buyers

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    return demo_buyers(tmp_path_factory.mktemp("shop") / "orders.db", now=NOW)


def _day(days_ago: int) -> str:
    moment = NOW - timedelta(days=days_ago)
    return f"{moment.month}月{moment.day}号"


@pytest.mark.parametrize("message, clauses", [
    ("这个键盘确认收货了还能退吗？退的话运费谁出", ["这个键盘确认收货了还能退吗", "退的话运费谁出"]),
    ("羽绒服的钱什么时候到 还有登山鞋怎么寄回去", ["羽绒服的钱什么时候到", "还有登山鞋怎么寄回去"]),
    ("枕頭那個賣家拒絕退款了怎麼辦 另外毛毯客服介入要多久啊", ["枕頭那個賣家拒絕退款了怎麼辦", "另外毛毯客服介入要多久啊"]),
    ("上周买的杯子呢 能退吗", ["上周买的杯子呢 能退吗"]),   # a short fragment joins the clause before
    ("退款成功了钱怎么还没到", ["退款成功了钱怎么还没到"]),
    ("好 那鞋子几号前要寄出去", ["好 那鞋子几号前要寄出去"]),
    ("你好 羽绒服的钱什么时候到 还有登山鞋怎么寄回去", ["羽绒服的钱什么时候到", "还有登山鞋怎么寄回去"]),
    ("親 在嗎 枕頭賣家拒絕了怎麼辦", ["枕頭賣家拒絕了怎麼辦"]),
    ("你好", ["你好"]),
])
def test_a_message_splits_into_its_questions(message, clauses):
    assert split_clauses(message) == clauses


def test_a_message_the_model_could_not_place_keeps_its_clarifying_question():
    # Measured on real messages: taking a sure clause's intent made more wrong answers than right ones.
    parse: Dict[str, Any] = {"text": "x", "intent": {"name": "nlu_fallback", "confidence": 0.5}}
    add_clauses(parse, [{"text": "a", "intent": "greet", "confidence": 0.99, "entities": []},
                        {"text": "b", "intent": "ask_trade_closed", "confidence": 0.93, "entities": []}])
    assert parse["intent"]["name"] == "nlu_fallback" and len(parse["clauses"]) == 2
    sure: Dict[str, Any] = {"text": "x", "intent": {"name": "complain", "confidence": 0.9}}
    add_clauses(sure, [{"text": "b", "intent": "ask_trade_closed", "confidence": 0.93, "entities": []}])
    assert sure["intent"]["name"] == "complain"  # a message the model placed keeps its intent


def test_two_questions_about_two_orders_are_answered_in_the_order_asked(shop):
    buyer = shop["tb_zhang_san"]
    questions = questions_in([Clause("羽绒服的钱什么时候到", "ask_refund_not_received", 0.95),
                              Clause("还有登山鞋怎么寄回去", "ask_refund_progress", 0.9)], buyer)
    assert [q.order.item for q in questions] == ["加厚羽绒服 大码", "登山鞋 42码"]
    text = combined([(answer_for(q.intent, buyer, q.order, NOW).text, q.order) for q in questions])
    assert text.index("加厚羽绒服") < text.index("登山鞋") and text.count("亲，您好") == 1
    assert text.count("北境户外旗舰店") == 1 and "599.00" in text


def test_a_second_question_without_an_order_asks_about_the_first_ones(shop):
    buyer = shop["tb_chen_wei"]
    questions = questions_in([Clause("耳机都发货了还能退吗", "ask_refund_after_shipping", 0.95),
                              Clause("退的话运费谁出啊", "ask_return_shipping_fee", 0.9)], buyer)
    assert [q.intent for q in questions] == ["ask_refund_after_shipping", "ask_return_shipping_fee"]
    text = combined([(answer_for(q.intent, buyer, q.order, NOW).text, q.order) for q in questions])
    assert text.count("蓝牙耳机") == 1 and "这件商品" in text and "运费" in text


def test_one_question_or_an_unsure_clause_is_not_several(shop):
    buyer = shop["tb_zhang_san"]
    assert questions_in([Clause("羽绒服的钱什么时候到", "ask_refund_not_received", 0.95),
                         Clause("用了一次", "ask_refund_progress", 0.4)], buyer) == ()
    # the same question twice about the same order is one question
    assert questions_in([Clause("登山鞋怎么寄回去", "ask_refund_progress", 0.95),
                         Clause("几天之内要寄", "ask_refund_progress", 0.9)], buyer) == ()
    # a question whose order the message does not settle: the usual "which order?"
    assert questions_in([Clause("钱什么时候到", "ask_refund_not_received", 0.95),
                         Clause("登山鞋怎么寄回去", "ask_refund_progress", 0.9)], buyer) == ()


def test_the_clauses_from_the_server_are_checked():
    assert clauses_of([{"text": "a", "intent": "greet", "confidence": 0.9,
                        "entities": [{"entity": "order_id", "value": "123"}]}, "junk", {"text": 5}]) == \
        (Clause("a", "greet", 0.9, "123"),)
    assert clauses_of(None) == ()


def test_several_questions_answer_at_once_even_while_the_bot_asks_which_order(shop):
    buyer = shop["tb_zhao_lei"]
    step = t.start_question("ask_refund_progress", t.Message("ask_refund_progress"), buyer, t.Talk())
    assert step.outcome == t.ASK
    message = t.Message("ask_platform_intervention", "枕頭那個賣家拒絕退款了怎麼辦 另外毛毯客服介入要多久啊", clauses=(
        Clause("枕頭那個賣家拒絕退款了怎麼辦", "ask_platform_intervention", 0.97),
        Clause("另外毛毯客服介入要多久啊", "ask_platform_intervention", 0.96)))
    reply = t.continue_question(message, buyer, step.talk)
    assert reply.outcome == t.ANSWER and reply.order.item == "记忆棉枕头"


@pytest.mark.parametrize("buyer, message, item", [
    ("tb_lily88", "那上周买的杯子呢 能退吗 用了一次", "儿童保温杯 350毫升"),
    ("tb_zhang_san", f"{_day(9)}买的那个鞋子呢", "登山鞋 42码"),
    ("tb_zhao_lei", f"那个床垫{_day(33)}申请的退货退款 怎么关闭了", "乳胶床垫"),
    ("tb_zhang_san", "昨天退款成功的那个 钱怎么还没到", "加厚羽绒服 大码"),
    ("tb_lily88", "剛拍的那個還沒發貨 能直接退款不", "宝宝纯棉口水巾 5条装"),
    ("tb_zhang_san", "订单尾号7911的那个退货要怎么寄回去，几天之内要寄", "登山鞋 42码"),
    ("tb_zhang_san", "台灯那笔退的20块退到哪去了", "户外折叠台灯"),
])
def test_an_order_named_inside_a_first_question(shop, buyer, message, item):
    found = resolve_order(message, shop[buyer].orders, None, shop[buyer].orders, strict=True, now=NOW)
    assert found.kind == ONE and found.order.item == item


@pytest.mark.parametrize("message, item", [("便宜的那个", "户外折叠台灯"), ("便宜的那個啦", "户外折叠台灯"),
                                           ("贵的那个", "加厚羽绒服 大码")])
def test_comparisons_both_ways(shop, message, item):
    shown = [o for o in shop["tb_zhang_san"].orders if o.item != "登山鞋 42码"]
    assert resolve_order(message, shown, now=NOW).order.item == item


@pytest.mark.parametrize("message", ["换个43码的", "单号是SF1402938475610没错吧", "今天能到吗", "12月8日前要寄吗"])
def test_sizes_tracking_numbers_and_days_are_not_order_references(shop, message):
    assert resolve_order(message, shop["tb_zhang_san"].orders, now=NOW).kind == NO_REFERENCE


@pytest.mark.parametrize("message, item", [("卖家拒绝了我该怎么办", "记忆棉枕头"), ("平台介入要等多久啊", "珊瑚绒毛毯")])
def test_while_the_bot_asks_which_order_a_question_only_one_order_fits_is_answered(shop, message, item):
    buyer = shop["tb_zhao_lei"]
    step = t.start_question("ask_refund_progress", t.Message("ask_refund_progress"), buyer, t.Talk())
    assert step.outcome == t.ASK and len(step.candidates) == 3
    reply = t.continue_question(t.Message("ask_platform_intervention", message), buyer, step.talk)
    assert reply.outcome == t.ANSWER and reply.order.item == item


def test_a_supposed_state_does_not_single_out_an_order(shop):
    orders = shop["tb_zhao_lei"].orders
    assert fitting_state("卖家拒绝了怎么办", orders)[0].item == "记忆棉枕头"
    assert fitting_state("如果卖家拒绝了怎么办", orders) == ()


def test_a_greeting_in_front_of_a_clause_is_not_read_as_part_of_the_question():
    assert question_text("你好羽绒服的钱什么时候到") == "羽绒服的钱什么时候到"
    assert question_text("您好，还有登山鞋怎么寄回去") == "登山鞋怎么寄回去"
    assert question_text("你好") == "你好"


def test_where_the_money_of_a_second_order_goes_is_answered_beside_the_first_question(shop):
    buyer = shop["tb_lily88"]
    questions = questions_in([Clause("保温杯用了一次还能退吗", "ask_refund_after_success", 0.95),
                              Clause("退的话花呗的钱怎么退回来", "ask_refund_not_received", 0.6)], buyer)
    assert [(q.intent, q.order.item, q.detail) for q in questions] == [
        ("ask_refund_after_success", "儿童保温杯 350毫升", None),
        ("ask_refund_not_received", "儿童保温杯 350毫升", "destination")]


def test_a_clause_that_says_what_the_buyer_will_do_is_not_a_question(shop):
    buyer = shop["tb_lily88"]
    clauses = [Clause("行 那口水巾我自己申请", "ask_cancel_refund", 0.93),
               Clause("钱多久能回来", "ask_refund_not_received", 0.9)]
    assert questions_in(clauses, buyer) == ()  # one question: answered as usual, not as two


def test_a_clause_the_model_is_unsure_of_that_names_an_order_is_read_by_its_words(shop):
    buyer = shop["tb_zhang_san"]
    questions = questions_in([Clause("台灯的钱退回余额没", "nlu_fallback", 0.5),
                              Clause("还有羽绒服那个咋还没到账", "nlu_fallback", 0.5)], buyer)
    assert [(q.order.item, q.detail) for q in questions] == [("户外折叠台灯", "destination"),
                                                           ("加厚羽绒服 大码", None)]
    assert questions[1].intent == "ask_refund_not_received"


def test_a_detail_about_the_order_of_the_clause_before_is_one_question_not_two(shop):
    buyer = shop["tb_lily88"]
    clauses = [Clause("花呗付的", "ask_refund_not_received", 0.9), Clause("退了钱回哪", "nlu_fallback", 0.5)]
    assert questions_in(clauses, buyer) == ()  # one question: the detail alone, answered as usual


def test_an_order_number_in_a_clause_of_its_own_is_the_order_the_questions_after_it_ask_about(shop):
    buyer = shop["tb_zhao_lei"]
    mattress = next(o for o in buyer.orders if o.item == "乳胶床垫")
    questions = questions_in([Clause(f"{mattress.order_id}这单", "inform_order_id", 0.99, mattress.order_id),
                              Clause("退款为啥关了", "ask_trade_closed", 0.9),
                              Clause("还能再申请不", "ask_refund_after_success", 0.9)], buyer)
    assert [q.order.item for q in questions] == ["乳胶床垫", "乳胶床垫"]


def test_why_a_return_closed_is_the_tracking_number_not_filled_in_time(shop):
    buyer = shop["tb_zhao_lei"]
    mattress = next(o for o in buyer.orders if o.item == "乳胶床垫")
    closed = answer_for("ask_trade_closed", buyer, mattress, NOW)
    assert "交易并没有关闭" in closed.text and "退款申请" in closed.text
    assert "7天内寄回并填写退货单号" in closed.text and "return_fill_tracking_7d" in closed.rule_ids
    refund = next(r for r in mattress.refunds if r.status == "closed")
    assert f"{refund.closed_at.month}月{refund.closed_at.day}日" in closed.text
    progress = answer_for("ask_refund_progress", buyer, mattress, NOW)
    assert "退款申请已经关闭" in progress.text and "7天内寄回并填写退货单号" in progress.text


def test_two_questions_about_one_order_do_not_describe_it_twice(shop):
    buyer = shop["tb_zhao_lei"]
    mattress = next(o for o in buyer.orders if o.item == "乳胶床垫")
    first = answer_for("ask_trade_closed", buyer, mattress, NOW).text
    second = answer_for("ask_refund_progress", buyer, mattress, NOW).text
    text = combined([(first, mattress), (second, mattress)])
    assert text.count("售后维权期") == 1 and text.count("7天内寄回并填写退货单号") == 1
    assert text.startswith(first)


def test_can_it_be_returned_about_a_named_order_is_asked_in_the_state_it_is_in(shop):
    buyer = shop["tb_chen_wei"]  # the 蓝牙耳机 has shipped
    questions = questions_in([Clause("耳机能退吗", "nlu_fallback", 0.4, guess="out_of_scope", guess_confidence=0.37),
                              Clause("还有运费谁出", "ask_return_shipping_fee", 0.9)], buyer)
    assert [(q.intent, q.order.item) for q in questions] == [
        ("ask_refund_after_shipping", "蓝牙耳机 降噪版"), ("ask_return_shipping_fee", "蓝牙耳机 降噪版")]


def test_a_greeting_in_front_of_a_question_the_model_could_not_place_is_read_without_it():
    from bot.clauses import greeting_in_front, read_without_greeting

    unsure: Dict[str, Any] = {"intent": {"name": "nlu_fallback", "confidence": 0.55}, "intent_ranking": []}
    assert greeting_in_front(unsure, "在嗎 我買的東西退款怎麼還沒到帳") == "我買的東西退款怎麼還沒到帳"
    assert greeting_in_front(unsure, "你好 在吗") is None                    # a greeting alone stays one
    assert greeting_in_front({"intent": {"name": "ask_refund_progress"}}, "亲 退款到哪了") is None  # placed already
    sure = {"intent": {"name": "ask_refund_not_received", "confidence": 0.7},
            "intent_ranking": [{"name": "ask_refund_not_received", "confidence": 0.7}]}
    read_without_greeting(unsure, sure)
    assert unsure["intent"]["name"] == "ask_refund_not_received"
    still_unsure = {"intent": {"name": "nlu_fallback", "confidence": 0.55}}
    read_without_greeting(still_unsure, {"intent": {"name": "nlu_fallback", "confidence": 0.55}})
    assert still_unsure["intent"]["name"] == "nlu_fallback"
