"""The timeline engine: stage, actor, exact deadlines, rule ids."""
from dataclasses import replace

import pytest
import yaml

from actions.rules.knowledge import KNOWLEDGE_PATH, parse_knowledge
from actions.rules.timeline import (
    buyer_frozen,
    card_refund_arrival,
    card_refund_working_days,
    frozen_timeline,
    order_timeline,
    withdrawal_arrival,
)
from tests.support.engine_factories import buyer, fund, order, refund, spread, t, with_refund

NOW = t(2025, 11, 24, 9, 0)


def test_paid_order_refund_auto_succeeds_two_days_after_request():
    o = with_refund(order("paid"), refund(requested_at=t(2025, 11, 23, 14, 3)))
    tl = order_timeline(o, NOW)
    assert tl.stage == "refund_paid_waiting_seller"
    assert tl.actor == "seller"
    assert tl.deadline_at == t(2025, 11, 25, 14, 3)
    assert tl.deadline_passed is False
    assert tl.rule_ids == ("paid_auto_refund_2d",)
    assert order_timeline(o, t(2025, 11, 25, 14, 3)).deadline_passed is True


def test_fast_refund_shop_is_flagged():
    o = with_refund(order("paid", fast_refund=True), refund())
    assert "fast_refund" in order_timeline(o, NOW).rule_ids
    assert order_timeline(order("paid", fast_refund=True), NOW).rule_ids == ("paid_refund_steps", "fast_refund")
    assert order_timeline(order("paid"), NOW).rule_ids == ("paid_refund_steps", "paid_auto_refund_2d")


def test_refund_only_on_shipped_order_auto_refunds_after_5_days():
    o = with_refund(order("shipped"), refund(kind="refund_only"))
    tl = order_timeline(o, NOW)
    assert tl.stage == "refund_only_waiting_seller"
    assert tl.deadline.what == "auto_refund"
    assert tl.deadline_at == t(2025, 11, 25, 14, 3)


def test_return_and_refund_seller_has_5_days_then_buyer_may_escalate():
    o = with_refund(order("shipped"), refund(kind="return_and_refund"))
    tl = order_timeline(o, NOW)
    assert (tl.stage, tl.actor, tl.next_step) == ("return_waiting_seller", "seller", "seller_agrees_return")
    assert tl.deadline_at == t(2025, 11, 25, 14, 3)
    late = order_timeline(o, t(2025, 11, 26, 9, 0))
    assert late.deadline_passed and late.actor == "buyer" and late.next_step == "request_intervention"
    assert "intervention_upload_evidence" in late.rule_ids


def test_buyer_has_7_days_after_agreement_to_fill_tracking():
    o = with_refund(order("shipped"), refund(kind="return_and_refund", status="waiting_buyer_return",
                                             seller_agreed_at=t(2025, 11, 21, 9, 0)))
    tl = order_timeline(o, NOW)
    assert (tl.stage, tl.actor) == ("waiting_buyer_return", "buyer")
    assert tl.deadline_at == t(2025, 11, 28, 9, 0)


def test_auto_refund_10_days_after_return_shipped():
    o = with_refund(order("shipped"), refund(kind="return_and_refund", status="waiting_seller_receipt",
                                             seller_agreed_at=t(2025, 11, 21, 9, 0),
                                             return_shipped_at=t(2025, 11, 22, 16, 20)))
    tl = order_timeline(o, NOW)
    assert tl.stage == "waiting_seller_receipt"
    assert tl.deadline_at == t(2025, 12, 2, 16, 20)
    assert tl.rule_ids == ("return_auto_refund_10d",)


def test_after_sales_refund_on_succeeded_trade_has_no_invented_deadline():
    o = with_refund(order("success"), refund(requested_at=t(2025, 11, 23, 10, 0)))
    tl = order_timeline(o, NOW)
    assert tl.stage == "after_sales_waiting_seller"
    assert tl.deadline is None


@pytest.mark.parametrize("logistics, days, rule", [
    ("express", 10, "auto_confirm_10d"), ("ems", 10, "auto_confirm_10d"),
    ("none", 10, "auto_confirm_10d"), ("post", 30, "auto_confirm_post_30d"),
])
def test_auto_confirm_by_logistics(logistics, days, rule):
    tl = order_timeline(order("shipped", logistics=logistics), NOW)
    assert tl.stage == "shipped" and tl.actor == "system"
    assert tl.deadline.rule_id == rule
    expected = {10: t(2025, 11, 29, 9, 30), 30: t(2025, 12, 19, 9, 30)}[days]
    assert tl.deadline_at == expected


def test_seven_day_window_runs_from_signing():
    o = order("shipped", signed_at=t(2025, 11, 21, 15, 0))
    tl = order_timeline(o, NOW)
    d = tl.find("seven_day_return")
    assert d.at == t(2025, 11, 28, 15, 0) and not d.passed
    assert "seven_day_no_reason" in tl.rule_ids
    assert order_timeline(replace(o, seven_day_return=False), NOW).find("seven_day_return") is None
    assert order_timeline(order("shipped"), NOW).find("seven_day_return") is None  # not signed yet


def test_after_sales_window_is_15_days_after_success():
    tl = order_timeline(order("success"), NOW)
    assert tl.stage == "success_after_sales_open"
    assert tl.deadline_at == t(2025, 12, 7, 12, 0)
    over = order_timeline(order("success"), t(2025, 12, 7, 12, 0))
    assert over.stage == "success_after_sales_over" and over.deadline_passed


def test_closed_orders():
    sp = spread()
    assert order_timeline(sp["closed_unpaid"], NOW).stage == "closed_unpaid"
    assert order_timeline(sp["closed_other"], NOW).stage == "closed_other"
    tl = order_timeline(sp["closed_refunded"], NOW)
    assert tl.stage == "refund_succeeded"
    assert set(tl.rule_ids) == {"refund_back_to_alipay", "closed_refunded"}
    assert order_timeline(order("waiting_payment"), NOW).stage == "unpaid"


def test_refund_closed_by_shipping_is_detected():
    tl = order_timeline(spread()["paid_refund_closed_by_shipping"], NOW)
    assert tl.stage == "shipped"
    assert tl.refund_cancelled_by_shipping
    assert "cancel_refund_no_entry" in tl.rule_ids
    other = order_timeline(spread()["shipped_refund_only_closed"], NOW)
    assert not other.refund_cancelled_by_shipping


def test_seller_refused_and_intervening():
    tl = order_timeline(with_refund(order("shipped"), refund(status="seller_refused")), NOW)
    assert (tl.stage, tl.actor, tl.next_step) == ("seller_refused", "buyer", "request_intervention")
    tl = order_timeline(with_refund(order("shipped"), refund(status="intervening")), NOW)
    assert (tl.stage, tl.actor) == ("intervening", "platform")


def test_boc_credit_card_refund_arrives_in_5_to_10_working_days_across_national_day():
    o = with_refund(order("shipped", payment_method="credit_card", card_bank="中国银行"),
                    refund(status="succeeded", destination="credit_card", succeeded_at=t(2025, 9, 29, 11, 0)))
    tl = order_timeline(o, t(2025, 10, 9, 9, 0))
    assert tl.stage == "refund_succeeded" and tl.actor == "bank"
    # working days after 09-29: 09-30, 10-09, 10-10, 10-11 (Sat, make-up), 10-13 (5th) ... 10-17, 10-20 (10th)
    assert tl.deadline.earliest == t(2025, 10, 13, 11, 0)
    assert tl.deadline_at == t(2025, 10, 20, 11, 0)
    assert tl.rule_ids == ("frozen_credit_card_refund",)


def test_other_bank_credit_card_refund_2_to_3_working_days_across_weekend():
    d = card_refund_arrival(t(2025, 11, 21, 10, 0), "招商银行", NOW)
    assert d.earliest == t(2025, 11, 25, 10, 0) and d.at == t(2025, 11, 26, 10, 0)
    assert card_refund_working_days("中国银行") == (5, 10)
    assert card_refund_working_days("中國銀行信用卡") == (5, 10)
    assert card_refund_working_days("中国建设银行") == (2, 3)
    assert card_refund_working_days(None) == (2, 3)


def test_withdrawal_arrives_in_2_to_3_working_days():
    d = withdrawal_arrival(t(2025, 9, 30, 16, 0), t(2025, 10, 1, 0, 0))
    assert d.earliest == t(2025, 10, 10, 16, 0) and d.at == t(2025, 10, 11, 16, 0)
    assert not d.passed


@pytest.mark.parametrize("reason, release, rules", [
    ("unverified_receipt", "real_name_verification", ("frozen_unverified_receipt",)),
    ("credit_card_refund", "card_arrival", ("frozen_credit_card_refund",)),
    ("auction_deposit", "see_release_terms", ("frozen_auction_deposit",)),
    ("consumer_protection_deposit", "see_release_terms", ("frozen_consumer_protection_deposit",)),
    ("red_packet", "expiry_unused", ("frozen_red_packet",)),
    ("withdrawal_processing", "withdrawal_arrival", ("frozen_withdrawal_processing", "withdraw_own_id_bank")),
])
def test_each_frozen_reason_has_its_release(reason, release, rules):
    ft = frozen_timeline(fund(reason, card_bank="中国银行"), False, NOW)
    assert ft.release == release
    assert ft.rule_ids == rules


def test_frozen_unverified_receipt_actor_depends_on_verification():
    assert frozen_timeline(fund("unverified_receipt"), False, NOW).actor == "buyer"
    assert frozen_timeline(fund("unverified_receipt"), True, NOW).actor is None


def test_frozen_credit_card_refund_range_uses_card_bank():
    boc = frozen_timeline(fund("credit_card_refund", frozen_at=t(2025, 11, 21, 8, 0), card_bank="中国银行"), True, NOW)
    assert boc.deadline.earliest == t(2025, 11, 28, 8, 0) and boc.deadline.at == t(2025, 12, 5, 8, 0)
    other = frozen_timeline(fund("credit_card_refund", frozen_at=t(2025, 11, 21, 8, 0), card_bank="工商银行"), True, NOW)
    assert other.deadline.earliest == t(2025, 11, 25, 8, 0) and other.deadline.at == t(2025, 11, 26, 8, 0)


def test_buyer_frozen_sorted_by_time():
    b = buyer(funds=[fund("red_packet", frozen_at=t(2025, 11, 22)), fund("auction_deposit", frozen_at=t(2025, 11, 1))])
    assert [f.fund.reason for f in buyer_frozen(b, NOW)] == ["auction_deposit", "red_packet"]


def test_engine_takes_its_numbers_from_knowledge_yml():
    data = yaml.safe_load(KNOWLEDGE_PATH.read_text(encoding="utf-8"))
    for r in data["rules"]:
        if r["id"] == "paid_auto_refund_2d":
            r["days"] = 3
        if r["id"] == "auto_confirm_10d":
            r["days"] = 12
        if r["id"] == "frozen_credit_card_refund":
            r["working_days_default"] = [1, 1]
    k = parse_knowledge(data)
    o = with_refund(order("paid"), refund())
    assert order_timeline(o, NOW, k).deadline_at == t(2025, 11, 23, 14, 3)
    assert order_timeline(order("shipped"), NOW, k).deadline_at == t(2025, 12, 1, 9, 30)
    d = card_refund_arrival(t(2025, 11, 21, 10, 0), "招商银行", NOW, k)
    assert d.earliest == d.at == t(2025, 11, 24, 10, 0)


def test_every_spread_order_gets_a_timeline():
    for name, o in spread().items():
        tl = order_timeline(o, NOW)
        assert tl.stage, name
        assert tl.actor in (None, "buyer", "seller", "platform", "system", "bank"), name
        assert tl.rule_ids, name
