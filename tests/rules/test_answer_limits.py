"""Answers say no more than their rule (issue #10: "Answers that go beyond their rule").

Each test here failed before the fix it names.
"""
import re

import pytest

from actions.rules.answers import answer_for
from tests.support.engine_factories import buyer, fund, order, refund, rich_buyer, t, with_refund

B = rich_buyer()
DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日")


def _card_refund(bank, succeeded, **order_kw):
    return with_refund(
        order("closed", payment_method="credit_card", card_bank=bank, closed_at=succeeded, **order_kw),
        refund(status="succeeded", destination="credit_card", succeeded_at=succeeded, requested_at=succeeded))


# ---------------------------------------------- card refund, no bank on record

def test_card_refund_without_a_bank_promises_no_day_before_the_slowest_case():
    # Monday 2025-11-24 11:00: 2-3 working days -> 11-26/27; 中国银行's 10 -> 12-08
    o = _card_refund(None, t(2025, 11, 24, 11, 0))
    text = answer_for("ask_refund_not_received", B, o, t(2025, 11, 24, 12, 0)).text
    assert "12月8日" in text
    assert "11月26日" not in text and "11月27日" not in text
    assert "5–10" in text


@pytest.mark.parametrize("bank", ["HSBC", "Standard Chartered", "  "])
def test_a_bank_the_reply_cannot_name_is_timed_as_no_bank(bank):
    # the reply says no bank was found, so its date must be the slowest bank's too
    o = _card_refund(bank, t(2025, 11, 24, 11, 0))
    text = answer_for("ask_refund_not_received", B, o, t(2025, 11, 24, 12, 0)).text
    assert "12月8日" in text
    assert "11月26日" not in text and "11月27日" not in text
    assert not any("a" <= ch.lower() <= "z" for ch in text)


def test_a_frozen_card_refund_from_an_unknown_latin_bank_too():
    b = buyer(funds=[fund("credit_card_refund", frozen_at=t(2025, 11, 24, 11, 0), card_bank="HSBC")])
    text = answer_for("ask_frozen_balance", b, None, t(2025, 11, 24, 12, 0)).text
    assert "12月8日" in text and "11月26日" not in text


def test_a_chinese_bank_name_outside_the_alias_list_is_an_other_bank():
    # the rule's 其他银行 2–3 working days: 11-26 to 11-27, named as the store wrote it
    text = answer_for("ask_refund_not_received", B, _card_refund("某某农商银行", t(2025, 11, 24, 11, 0)),
                      t(2025, 11, 24, 12, 0)).text
    assert "某某农商银行" in text and "11月27日" in text and "12月8日" not in text


def test_card_refund_without_a_bank_is_late_only_after_the_slowest_case():
    o = _card_refund(None, t(2025, 11, 24, 11, 0))
    assert "已超过" not in answer_for("ask_refund_not_received", B, o, t(2025, 11, 28, 9, 0)).text
    assert "已超过" in answer_for("ask_refund_not_received", B, o, t(2025, 12, 9, 9, 0)).text


def test_frozen_card_refund_without_a_bank_too():
    b = buyer(funds=[fund("credit_card_refund", frozen_at=t(2025, 11, 24, 11, 0))])
    text = answer_for("ask_frozen_balance", b, None, t(2025, 11, 24, 12, 0)).text
    assert "12月8日" in text and "11月26日" not in text


# ------------------------------------------------ signed for, or not

def test_logistics_on_a_trade_that_succeeded_without_signing_does_not_say_signed():
    o = order("success", signed_at=None)
    text = answer_for("ask_logistics_problem", B, o, t(2025, 11, 24, 9, 0)).text
    assert "签收并" not in text and "已经签收" not in text
    assert "没有查到签收记录" in text and "索赔" in text


def test_logistics_on_a_signed_trade_names_the_signing_time():
    text = answer_for("ask_logistics_problem", B, order("success"), t(2025, 11, 24, 9, 0)).text
    assert "已于 11月21日 15:00 签收" in text


# ---------------------------------- a window shown by day ends with that day

@pytest.mark.parametrize("now, late", [(t(2025, 12, 5, 15, 0), False), (t(2025, 12, 6, 9, 0), True)])
def test_arrival_shown_by_date_is_not_late_on_that_date(now, late):
    o = _card_refund("中国银行", t(2025, 11, 21, 10, 0))   # + 10 working days = 12-05 10:00
    text = answer_for("ask_refund_not_received", B, o, now).text
    assert ("已超过预计到账时间（12月5日）" in text) is late


# ------------------------------------------------------- postage by reason

@pytest.mark.parametrize("reason", ["尺码不合适", "尺寸偏大", "大小不合适"])
def test_size_complaints_are_disputed_and_settled_by_evidence(reason):
    o = with_refund(order("shipped"), refund(kind="return_and_refund", reason=reason))
    a = answer_for("ask_return_shipping_fee", B, o, t(2025, 11, 24, 9, 0))
    assert "由您承担" not in a.text and "主动发起" not in a.text
    assert "凭证" in a.text and "协商" in a.text and "维权" in a.text
    assert "postage_disputed_evidence" in a.rule_ids


@pytest.mark.parametrize("reason", ["颜色和图片不一样", "数量不对", "没给发票", "保质期和描述的不一样"])
def test_colour_quantity_invoice_and_shelf_life_are_not_as_described(reason):
    o = with_refund(order("shipped"), refund(kind="return_and_refund", reason=reason))
    a = answer_for("ask_return_shipping_fee", B, o, t(2025, 11, 24, 9, 0))
    assert "退货运费由卖家承担" in a.text and "描述不符" in a.text and "凭证" in a.text
    assert "not_as_described_definition" in a.rule_ids


def test_a_buyer_who_dislikes_the_colour_still_pays_as_a_no_reason_return():
    o = with_refund(order("shipped", free_shipping=False), refund(kind="return_and_refund", reason="颜色不喜欢"))
    assert "来回运费都由您承担" in answer_for("ask_return_shipping_fee", B, o, t(2025, 11, 24, 9, 0)).text


# ------------------------------------------------ cancelling, by state

@pytest.mark.parametrize("status, ost", [("intervening", "shipped"), ("waiting_seller", "success")])
def test_a_weiquan_can_be_withdrawn_once(status, ost):
    o = with_refund(order(ost), refund(kind="return_and_refund", status=status,
                                       requested_at=t(2025, 11, 23, 10, 0)))
    a = answer_for("ask_cancel_refund", B, o, t(2025, 11, 24, 9, 0))
    assert "没有取消入口" not in a.text
    assert "撤销" in a.text and "只有一次" in a.text and "weiquan_once" in a.rule_ids


def test_an_unshipped_refund_still_has_no_cancel_entry():
    o = with_refund(order("paid"), refund())
    assert "没有取消入口" in answer_for("ask_cancel_refund", B, o, t(2025, 11, 21, 9, 0)).text


def test_the_general_cancel_answer_tells_both_cases():
    # no order known: an unshipped refund has no cancel entry (004), a 维权 can be withdrawn once (001)
    a = answer_for("ask_cancel_refund", B, None, t(2025, 11, 24, 9, 0))
    assert "没有取消" in a.text and "撤销" in a.text and "只有一次" in a.text
    assert {"cancel_refund_no_entry", "weiquan_once"} <= set(a.rule_ids)


# ---------------------------------------- money that has not arrived yet

@pytest.mark.parametrize("intent", ["ask_cancel_refund", "ask_trade_closed", "ask_refund_progress"])
def test_a_card_refund_is_never_said_to_be_back_already(intent):
    o = _card_refund("招商银行", t(2025, 11, 24, 11, 0))
    text = answer_for(intent, B, o, t(2025, 11, 24, 12, 0)).text
    assert "钱已退回" not in text and "已经退回" not in text
    assert "工作日" in text


def test_the_general_trade_closed_answer_does_not_say_the_money_is_back():
    a = answer_for("ask_trade_closed", B, None, t(2025, 11, 24, 12, 0))
    assert "钱已退回" not in a.text and "已经退回" not in a.text
    assert "工作日" in a.text and "frozen_credit_card_refund" in a.rule_ids


# ------------------------------------------------- 原路 and 花呗

@pytest.mark.parametrize("dest", ["bank_card", "huabei"])
def test_no_original_route_promise_without_a_fast_refund_before_shipping(dest):
    o = with_refund(order("shipped", payment_method=dest),
                    refund(status="succeeded", destination=dest, succeeded_at=t(2025, 11, 24, 11, 0)))
    a = answer_for("ask_refund_not_received", B, o, t(2025, 11, 24, 12, 0))
    assert "原路" not in a.text and "refund_original_route" not in a.rule_ids


def test_a_fast_refund_before_shipping_goes_back_the_original_route():
    o = with_refund(order("closed", payment_method="bank_card", fast_refund=True, closed_at=t(2025, 11, 18, 11)),
                    refund(status="succeeded", destination="bank_card", requested_at=t(2025, 11, 18, 10),
                           succeeded_at=t(2025, 11, 18, 10, 5)))
    a = answer_for("ask_refund_not_received", B, o, t(2025, 11, 24, 12, 0))
    assert "原路退回" in a.text and "refund_original_route" in a.rule_ids


def test_the_general_answer_does_not_promise_huabei_the_original_route():
    text = answer_for("ask_refund_not_received", None, None, t(2025, 11, 24, 12, 0)).text
    assert "花呗" not in text
    assert "极速退款" in text and "原路" in text


# ----------------------------------------------------------- bank aliases

@pytest.mark.parametrize("written", ["BOC", "中银", "Bank of China"])
def test_bank_of_china_by_any_name_gets_its_rule_and_its_chinese_name(written):
    o = _card_refund(written, t(2025, 11, 21, 10, 0))
    text = answer_for("ask_refund_not_received", B, o, t(2025, 11, 24, 9, 0)).text
    assert "中国银行信用卡" in text and "5–10个工作日" in text and "12月5日" in text
    assert not re.search(r"[A-Za-z]", text)


# ------------------------------------------------- seed content answered

def test_delivery_times_and_weather():
    a = answer_for("ask_logistics_problem", None, None, t(2025, 11, 24, 9, 0))
    assert "江浙沪1–2天" in a.text and "偏远地区5–7天" in a.text and "雨雪天气" in a.text
    assert {"delivery_times", "weather_delay"} <= set(a.rule_ids)


def test_a_return_goes_to_the_sellers_address_intact_and_complete():
    o = with_refund(order("shipped"), refund(kind="return_and_refund", status="waiting_buyer_return",
                                             seller_agreed_at=t(2025, 11, 21, 9, 0)))
    a = answer_for("ask_refund_progress", B, o, t(2025, 11, 24, 9, 0))
    assert "卖家指定的地址" in a.text and "完好无损" in a.text and "配件齐全" in a.text
    assert "退货凭证" in a.text and "保存好" in a.text
    assert {"return_to_seller_address", "return_condition", "keep_negotiation_records"} <= set(a.rule_ids)
    # 002's "provide the correct receiving account" is not passed on: refunds go back by themselves,
    # and asking a buyer for an account is what scammers do (knowledge.yml, return_condition note)
    assert "收款信息" not in a.text and "收款账号" not in a.text


def test_the_general_intervention_answer_asks_to_keep_purchase_proof():
    a = answer_for("ask_platform_intervention", None, None, t(2025, 11, 24, 9, 0))
    assert "订单号、支付记录等购物凭证" in a.text and "keep_purchase_proof" in a.rule_ids


def test_unshipped_orders_can_be_cancelled_with_a_full_refund():
    a = answer_for("ask_refund_before_shipping", None, None, t(2025, 11, 24, 9, 0))
    assert "取消订单" in a.text and "全额退款" in a.text


def test_quality_answer_defines_not_as_described_and_asks_to_keep_records():
    a = answer_for("ask_quality_issue", None, None, t(2025, 11, 24, 9, 0))
    assert "颜色" in a.text and "描述不符" in a.text and "聊天记录" in a.text


def test_an_intervention_in_progress_says_it_can_be_withdrawn_once():
    o = with_refund(order("shipped"), refund(kind="return_and_refund", status="intervening"))
    a = answer_for("ask_platform_intervention", B, o, t(2025, 11, 24, 9, 0))
    assert "可以撤销" in a.text and "只有一次" in a.text and "weiquan_once" in a.rule_ids


def test_postage_question_while_returning_names_where_to_send_it():
    o = with_refund(order("shipped"), refund(kind="return_and_refund", status="waiting_buyer_return",
                                             reason="质量问题", seller_agreed_at=t(2025, 11, 21, 9, 0)))
    a = answer_for("ask_return_shipping_fee", B, o, t(2025, 11, 24, 9, 0))
    assert "卖家指定的地址" in a.text and "由卖家承担" in a.text
