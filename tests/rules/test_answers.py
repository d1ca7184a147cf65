"""The Chinese answers: facts, dates, tone, and no leaked code."""
import re
from dataclasses import replace

import pytest

from actions.dialogue.choice import candidate_orders
from actions.rules.answers import answer_for
from actions.rules.intents import REFUND_INTENTS, needs_order
from actions.rules.knowledge import load_knowledge
from actions.rules.wording import Answer, fmt_amount, fmt_time
from tests.support.engine_factories import buyer, fund, order, refund, rich_buyer, spread, t, with_refund

NOW = t(2025, 11, 24, 9, 0)
B = rich_buyer()


def _all_answers():
    """Every intent x (anonymous, buyer without order, buyer with each spread order)."""
    sp = spread()
    out = []
    for intent in REFUND_INTENTS:
        out.append((intent, "anonymous", answer_for(intent, None, None, NOW)))
        out.append((intent, "buyer", answer_for(intent, B, None, NOW)))
        out.append((intent, "plain_buyer", answer_for(intent, buyer(verified=True), None, NOW)))
        for name, o in sp.items():
            out.append((intent, name, answer_for(intent, B, o, NOW)))
            # the same order far later: deadlines passed
            out.append((intent, name + "@late", answer_for(intent, B, o, t(2026, 1, 20, 9, 0))))
    return out


ALL = _all_answers()


def test_intents_are_the_16_refund_domain_intents():
    assert len(REFUND_INTENTS) == 16
    assert "request_human" not in REFUND_INTENTS
    assert "ask_frozen_balance" in REFUND_INTENTS and "ask_logistics_problem" in REFUND_INTENTS


@pytest.mark.parametrize("intent, who, ans", ALL, ids=[f"{i}-{w}" for i, w, _ in ALL])
def test_answers_are_clean_polite_chinese(intent, who, ans):
    assert isinstance(ans, Answer)
    text = ans.text
    assert text.startswith("亲"), text
    assert not re.search(r"[A-Za-z]", text), text
    for bad in ("{", "}", "None", "_", "Decimal", "True", "False", "  "):
        assert bad not in text, (bad, text)
    sentences = len(re.findall(r"[。！？]", text))
    assert 1 <= sentences <= 5, (sentences, text)
    assert ans.rule_ids, text
    known = load_knowledge().rules
    for rid in ans.rule_ids:
        assert rid in known and not known[rid].superseded_by, rid


def test_every_active_rule_is_used_by_some_answer():
    used = {rid for _, _, a in ALL for rid in a.rule_ids}
    k = load_knowledge()
    assert used == set(k.active_ids)
    assert "credit_card_refund_3d" not in used  # superseded (conflicts: credit_card_arrival)


# ------------------------------------------------------------ formatting

def test_formats():
    assert fmt_amount(__import__("decimal").Decimal("129")) == "¥129.00"
    assert fmt_time(t(2025, 11, 25, 14, 3), NOW) == "11月25日 14:03"
    assert fmt_time(t(2026, 1, 2, 8, 5), NOW) == "2026年1月2日 08:05"
    from datetime import datetime, timezone
    assert fmt_time(datetime(2025, 11, 25, 6, 3, tzinfo=timezone.utc), NOW) == "11月25日 14:03"


# ------------------------------------------------- concrete order answers

def test_refund_progress_shows_seller_deadline():
    o = with_refund(order("shipped"), refund(kind="return_and_refund"))
    a = answer_for("ask_refund_progress", B, o, NOW)
    assert "卖家需在 11月25日 14:03 前处理" in a.text
    assert "「婴儿连体衣 66码」" in a.text and "「小熊母婴旗舰店」" in a.text and "¥129.00" in a.text
    assert "7天内寄回" in a.text
    assert a.rule_ids[:1] == ("return_seller_agree_5d",)


def test_dates_in_another_year_carry_the_year():
    o = with_refund(order("shipped"), refund(kind="return_and_refund"))
    a = answer_for("ask_refund_progress", B, o, t(2026, 1, 5, 9, 0))
    assert "2025年11月25日 14:03" in a.text
    o = order("shipped", shipped_at=t(2025, 12, 28, 10, 0))
    a = answer_for("ask_auto_confirm", B, o, t(2025, 12, 30, 9, 0))
    assert "系统会在 2026年1月7日 10:00 自动确认收货" in a.text


def test_refund_progress_apologises_and_points_to_intervention_when_seller_is_late():
    o = with_refund(order("shipped"), refund(kind="return_and_refund"))
    a = answer_for("ask_refund_progress", B, o, t(2025, 11, 26, 10, 0))
    assert "抱歉" in a.text and "客服介入" in a.text and "11月25日 14:03" in a.text


def test_paid_order_refund_auto_refund_wording():
    o = with_refund(order("paid"), refund(requested_at=t(2025, 11, 23, 14, 3)))
    a = answer_for("ask_refund_before_shipping", B, o, NOW)
    assert "卖家需在 11月25日 14:03 前处理，逾期未处理系统将自动退款成功" in a.text
    assert "没有拒绝的入口" in a.text


def test_refund_only_auto_refund_wording():
    o = with_refund(order("shipped"), refund(kind="refund_only", requested_at=t(2025, 11, 21, 20, 15)))
    a = answer_for("ask_refund_progress", B, o, NOW)
    assert "卖家需在 11月26日 20:15 前处理，逾期未处理系统将自动退款" in a.text


def test_return_tracking_and_receipt_deadlines_in_text():
    o = with_refund(order("shipped"), refund(kind="return_and_refund", status="waiting_buyer_return",
                                             seller_agreed_at=t(2025, 11, 21, 9, 0)))
    assert "请在 11月28日 09:00 前把商品寄回卖家指定的地址，并填写退货快递单号" in answer_for("ask_refund_progress", B, o, NOW).text
    o = with_refund(order("shipped"), refund(kind="return_and_refund", status="waiting_seller_receipt",
                                             seller_agreed_at=t(2025, 11, 21, 9, 0),
                                             return_shipped_at=t(2025, 11, 22, 16, 20)))
    assert "卖家需在 12月2日 16:20 前确认，逾期未确认系统将自动退款" in answer_for("ask_refund_progress", B, o, NOW).text


def test_auto_confirm_dates_by_logistics():
    a = answer_for("ask_auto_confirm", B, order("shipped"), NOW)
    assert "系统会在 11月29日 09:30 自动确认收货" in a.text and "快递" in a.text
    a = answer_for("ask_auto_confirm", B, order("shipped", logistics="post"), NOW)
    assert "12月19日 09:30" in a.text and "平邮" in a.text
    a = answer_for("ask_auto_confirm", None, None, NOW)
    assert "10天" in a.text and "30天" in a.text and "平邮" in a.text


def test_credit_card_refund_not_received_boc_across_national_day():
    o = with_refund(order("closed", payment_method="credit_card", card_bank="中国银行", closed_at=t(2025, 9, 29, 11, 0)),
                    refund(status="succeeded", destination="credit_card", succeeded_at=t(2025, 9, 29, 11, 0)))
    a = answer_for("ask_refund_not_received", B, o, t(2025, 10, 9, 10, 0))
    assert "中国银行信用卡" in a.text and "5–10个工作日" in a.text
    assert "预计在 10月13日 至 10月20日 到账" in a.text
    assert "信用卡" in a.text and "credit" not in a.text
    late = answer_for("ask_refund_not_received", B, o, t(2025, 10, 21, 10, 0))
    assert "抱歉" in late.text and "10月20日" in late.text


def test_alipay_refund_goes_to_balance_not_bank():
    a = answer_for("ask_refund_not_received", B, spread()["closed_refunded"], NOW)
    assert "支付宝余额" in a.text and "不是银行卡" in a.text
    assert set(a.rule_ids) >= {"refund_back_to_alipay", "closed_refunded"}


def test_not_received_when_refund_not_yet_succeeded():
    o = with_refund(order("shipped"), refund())
    a = answer_for("ask_refund_not_received", B, o, NOW)
    assert "还没有成功" in a.text and "11月25日 14:03" in a.text


def test_after_success_window_and_expired():
    a = answer_for("ask_refund_after_success", B, order("success"), NOW)
    assert "12月7日 12:00 前" in a.text and "申请售后" in a.text and "只有一次" in a.text
    a = answer_for("ask_refund_after_success", B, order("success"), t(2025, 12, 8, 9, 0))
    assert "已在 12月7日 12:00 结束" in a.text and "不再受理" in a.text


def test_seven_day_return_window_and_postage():
    o = order("success")
    a = answer_for("ask_seven_day_return", B, o, NOW)
    assert "11月28日 15:00 前" in a.text and "各承担一程" in a.text
    a = answer_for("ask_seven_day_return", B, replace(o, free_shipping=False), NOW)
    assert "来回运费都由您承担" in a.text
    a = answer_for("ask_seven_day_return", B, replace(o, seven_day_return=False), NOW)
    assert "不支持" in a.text
    a = answer_for("ask_seven_day_return", B, o, t(2025, 11, 29, 9, 0))
    assert "已在 11月28日 15:00 结束" in a.text


def test_return_postage_depends_on_reason():
    o = with_refund(order("shipped"), refund(kind="return_and_refund", reason="质量问题"))
    a = answer_for("ask_return_shipping_fee", B, o, NOW)
    assert "由卖家承担" in a.text and a.rule_ids[0] == "postage_fault_pays"
    o = with_refund(order("shipped", free_shipping=False), refund(kind="return_and_refund", reason="七天无理由"))
    a = answer_for("ask_return_shipping_fee", B, o, NOW)
    assert "来回运费都由您承担" in a.text and "postage_no_reason_not_free" in a.rule_ids
    o = with_refund(order("shipped"), refund(kind="refund_only"))
    assert "不涉及退货运费" in answer_for("ask_return_shipping_fee", B, o, NOW).text


def test_cancel_refund_on_paid_order_warns_about_auto_refund():
    o = with_refund(order("paid"), refund(requested_at=t(2025, 11, 23, 14, 3)))
    a = answer_for("ask_cancel_refund", B, o, NOW)
    assert "没有取消入口" in a.text and "发货后这笔退款会自动取消" in a.text
    assert "11月25日 14:03" in a.text
    assert a.rule_ids == ("cancel_refund_no_entry", "paid_auto_refund_2d")


def test_state_mismatch_is_explained_gently():
    a = answer_for("ask_refund_after_shipping", B, order("waiting_payment"), NOW)
    assert "等待买家付款" in a.text and "不涉及退款" in a.text
    a = answer_for("ask_refund_before_shipping", B, order("shipped"), NOW)
    assert "已于 11月19日 09:30 发货" in a.text and "申请售后" in a.text
    a = answer_for("ask_trade_closed", B, order("success"), NOW)
    assert "交易成功" in a.text and "并没有交易关闭" in a.text
    a = answer_for("ask_refund_after_success", B, order("paid"), NOW)
    assert "买家已付款，待发货" in a.text


def test_trade_closed_answers():
    a = answer_for("ask_trade_closed", B, spread()["closed_unpaid"], NOW)
    assert "没有付款" in a.text and a.rule_ids == ("closed_unpaid",)
    a = answer_for("ask_trade_closed", B, spread()["closed_refunded"], NOW)
    assert "退款成功" in a.text and "closed_refunded" in a.rule_ids


def test_logistics_answer_mentions_claim_and_auto_confirm():
    a = answer_for("ask_logistics_problem", B, order("shipped"), NOW)
    assert "索赔" in a.text and "11月29日 09:30" in a.text and "抱歉" in a.text


def test_quality_issue_with_refused_refund_points_to_intervention():
    o = with_refund(order("shipped"), refund(kind="return_and_refund", status="seller_refused", reason="质量问题"))
    a = answer_for("ask_quality_issue", B, o, NOW)
    assert "要求客服介入" in a.text and "凭证" in a.text


# ------------------------------------------------- buyer-level answers

def test_frozen_balance_per_reason_for_buyer():
    b = buyer(funds=[fund("credit_card_refund", "88.50", t(2025, 9, 30, 10, 0), "中国银行"),
                     fund("unverified_receipt", "620.00", t(2025, 11, 21, 8, 0))])
    a = answer_for("ask_frozen_balance", b, None, t(2025, 10, 9, 9, 0))
    assert "2笔冻结款项" in a.text
    assert "¥88.50" in a.text and "中国银行信用卡" in a.text
    # 5-10 working days after 09-30: 10-14 .. 10-21
    assert "10月14日 至 10月21日" in a.text
    assert "¥620.00" in a.text and "实名认证" in a.text and "500元" in a.text
    assert set(a.rule_ids) == {"frozen_credit_card_refund", "frozen_unverified_receipt"}


def test_frozen_balance_anonymous_lists_all_six_reasons():
    a = answer_for("ask_frozen_balance", None, None, NOW)
    for word in ("实名认证", "中国银行", "拍卖保证金", "消费者保障", "红包", "提现"):
        assert word in a.text
    assert len(a.rule_ids) == 6


def test_frozen_balance_buyer_without_funds():
    a = answer_for("ask_frozen_balance", buyer(verified=True), None, NOW)
    assert "没有查到" in a.text


def test_withdraw_with_pending_withdrawal_across_holiday():
    b = buyer(funds=[fund("withdrawal_processing", "300.00", t(2025, 9, 30, 16, 0))], verified=True)
    a = answer_for("ask_withdraw", b, None, t(2025, 10, 2, 9, 0))
    assert "本人注册身份证" in a.text and "2–3个工作日" in a.text
    assert "¥300.00" in a.text and "10月10日 至 10月11日" in a.text
    anon = answer_for("ask_withdraw", None, None, NOW)
    assert "¥" not in anon.text


def test_real_name_verification():
    anon = answer_for("ask_real_name_verification", None, None, NOW)
    assert "银行" in anon.text and "身份证" in anon.text and "1." in anon.text
    done = answer_for("ask_real_name_verification", buyer(verified=True), None, NOW)
    assert "已经完成实名认证" in done.text
    held = answer_for("ask_real_name_verification", buyer(funds=[fund("unverified_receipt", "620.00")]), None, NOW)
    assert "¥620.00" in held.text and "自动解冻" in held.text


def test_anonymous_gets_no_order_facts_even_if_order_passed():
    o = with_refund(order("shipped"), refund())
    a = answer_for("ask_refund_progress", None, o, NOW)
    assert "小熊母婴旗舰店" not in a.text and "¥129.00" not in a.text
    assert a == answer_for("ask_refund_progress", None, None, NOW)


def test_buyer_and_anonymous_answers_differ_where_buyer_facts_matter():
    b = buyer(funds=[fund("red_packet", "50.00")])
    assert answer_for("ask_frozen_balance", b, None, NOW) != answer_for("ask_frozen_balance", None, None, NOW)
    assert "¥50.00" in answer_for("ask_frozen_balance", b, None, NOW).text


# ------------------------------------------------- routing helpers

def test_needs_order():
    assert needs_order("ask_refund_progress")
    assert needs_order("ask_return_shipping_fee")
    assert not needs_order("ask_frozen_balance")
    assert not needs_order("ask_withdraw")
    assert not needs_order("ask_real_name_verification")
    with pytest.raises(ValueError):
        needs_order("request_human")


def test_candidate_orders():
    sp = spread()
    b = buyer(sp["paid"], sp["shipped"], sp["success"], sp["closed_refunded"], sp["paid_refund"],
              sp["shipped_return_and_refund_seller_refused"], sp["closed_unpaid"])
    def ids(intent):
        return list(candidate_orders(intent, b))
    # most recent activity first: the refund request (11-20) is newer than the plain payment (11-18)
    assert ids("ask_refund_before_shipping") == [sp["paid_refund"], sp["paid"]]
    assert sp["closed_refunded"] in ids("ask_refund_not_received")
    assert sp["paid"] not in ids("ask_refund_not_received")
    assert set(map(id, ids("ask_refund_progress"))) == {id(sp["paid_refund"]), id(sp["shipped_return_and_refund_seller_refused"])}
    assert ids("ask_platform_intervention") == [sp["shipped_return_and_refund_seller_refused"]]
    assert set(map(id, ids("ask_trade_closed"))) == {id(sp["closed_refunded"]), id(sp["closed_unpaid"])}
    assert ids("ask_frozen_balance") == []
    assert candidate_orders("ask_refund_after_success", buyer()) == []


def test_candidate_orders_most_recent_first():
    older = order("shipped", order_id="1", shipped_at=t(2025, 11, 1, 9, 0))
    newer = order("shipped", order_id="2", shipped_at=t(2025, 11, 20, 9, 0))
    assert [o.order_id for o in candidate_orders("ask_auto_confirm", buyer(older, newer))] == ["2", "1"]


def test_unknown_intent_is_refused():
    with pytest.raises(ValueError):
        answer_for("greet", None, None, NOW)
