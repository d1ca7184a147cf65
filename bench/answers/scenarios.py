"""Orders and buyers for the answer review: every order state x event ages, at a given clock.

Each scenario is built relative to `now` (events 0.2 to 60 days before it), so
the same shapes cross deadlines, the 2026 -> 2027 year end and the uncovered
2027 calendar at each review clock.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Dict, Iterator, Optional, Tuple

from actions.rules.facts import BuyerFacts, FrozenFundFacts, OrderFacts, RefundFacts

AGES = (0.2, 1.5, 3, 6, 11, 20, 35, 60)   # days before now
CARD_BANKS = ("中国银行", "招商银行", "中银", "未知", "-", "其他", "不详", None)
FROZEN_REASONS = ("unverified_receipt", "credit_card_refund", "auction_deposit",
                  "consumer_protection_deposit", "red_packet", "withdrawal_processing")


def _order(status: str, at: datetime, **kw) -> OrderFacts:
    base: Dict[str, Any] = dict(order_id="3286451901234567890", buyer_id="tb_review", shop="小熊母婴旗舰店", item="婴儿连体衣",
                amount=Decimal("129.00"), status=status, payment_method="alipay_balance", logistics="express",
                free_shipping=True, seven_day_return=True, fast_refund=False, paid_at=at - timedelta(days=3))
    base.update(kw)
    return OrderFacts(**base)


def _refund(at: datetime, kind: str = "refund_only", status: str = "waiting_seller", **kw) -> RefundFacts:
    base: Dict[str, Any] = dict(refund_id="R1", order_id="3286451901234567890", kind=kind, status=status, amount=Decimal("129.00"),
                reason="七天无理由" if kind == "refund_only" else "质量问题", requested_at=at,
                destination="alipay_balance")
    base.update(kw)
    return RefundFacts(**base)


def _with(o: OrderFacts, r: RefundFacts) -> OrderFacts:
    return replace(o, refunds=o.refunds + (r,))


def orders_at(now: datetime) -> Iterator[Tuple[str, OrderFacts]]:
    """(name, order) for every shape and age."""
    for age in AGES:
        at = now - timedelta(days=age)
        tag = f"@{age}d"
        yield "unpaid" + tag, _order("waiting_payment", at, paid_at=None)
        for fast in (False, True):
            yield f"paid fast={fast}" + tag, _order("paid", at, paid_at=at, fast_refund=fast)
            yield f"paid+refund fast={fast}" + tag, _with(_order("paid", at, fast_refund=fast), _refund(at))
        for logistics in ("express", "post"):
            for signed in (False, True):
                for seven in (False, True):
                    yield (f"shipped {logistics} signed={signed} 7d={seven}" + tag,
                           _order("shipped", at, shipped_at=at - timedelta(days=1), logistics=logistics,
                                  signed_at=at if signed else None, seven_day_return=seven,
                                  free_shipping=logistics == "express"))
        shipped = _order("shipped", at, shipped_at=at - timedelta(days=2), signed_at=at - timedelta(days=1))
        yield "shipped+refund_only" + tag, _with(shipped, _refund(at))
        yield "shipped+return waiting" + tag, _with(shipped, _refund(at, "return_and_refund"))
        yield "shipped+return agreed" + tag, _with(shipped, _refund(at, "return_and_refund", "waiting_buyer_return",
                                                                   seller_agreed_at=at))
        yield "shipped+return sent" + tag, _with(shipped, _refund(
            at - timedelta(days=1), "return_and_refund", "waiting_seller_receipt", seller_agreed_at=at - timedelta(days=1),
            return_shipped_at=at, return_tracking_no="773012345678"))
        yield "shipped+no-reason return sent" + tag, _with(shipped, _refund(
            at, "return_and_refund", "waiting_buyer_return", reason="不喜欢", seller_agreed_at=at))
        for st in ("seller_refused", "intervening", "closed"):
            yield f"shipped+{st}" + tag, _with(shipped, _refund(at, "return_and_refund", st,
                                                                  closed_at=at if st == "closed" else None))
        for seven in (False, True):
            success = _order("success", at, shipped_at=at - timedelta(days=3), signed_at=at - timedelta(days=1),
                             success_at=at, seven_day_return=seven)
            yield f"success 7d={seven}" + tag, success
            yield f"success partial 7d={seven}" + tag, _with(success, _refund(
                at + timedelta(hours=2), status="succeeded", amount=Decimal("20.00"), reason="协商补偿",
                succeeded_at=at + timedelta(hours=3)))
            yield f"success after-sales 7d={seven}" + tag, _with(success, _refund(at + timedelta(hours=2),
                                                                                   "return_and_refund"))
        for bank in CARD_BANKS:
            yield f"closed card bank={bank}" + tag, _with(
                _order("closed", at, payment_method="credit_card", card_bank=bank, closed_at=at),
                _refund(at, status="succeeded", destination="credit_card", succeeded_at=at))
        for dest in ("alipay_balance", "huabei", "bank_card"):
            yield f"closed {dest}" + tag, _with(_order("closed", at, payment_method=dest, closed_at=at),
                                               _refund(at, status="succeeded", destination=dest, succeeded_at=at))
        yield "closed unpaid" + tag, _order("closed", at, paid_at=None, closed_at=at)
        yield "closed other" + tag, _order("closed", at, closed_at=at)


def buyers_at(now: datetime) -> Iterator[Tuple[str, BuyerFacts]]:
    """Account-level buyers: each frozen reason at each age, verified or not, card banks."""
    for age in AGES:
        at = now - timedelta(days=age)
        for verified in (False, True):
            funds = []
            for reason in FROZEN_REASONS:
                banks: Tuple[Optional[str], ...] = CARD_BANKS if reason == "credit_card_refund" else (None,)
                for bank in banks:
                    funds.append(FrozenFundFacts("tb_review", Decimal("620.00"), reason, at, bank))
            for f in funds:
                yield (f"frozen {f.reason} bank={f.card_bank} verified={verified} @{age}d",
                       BuyerFacts("tb_review", verified, (), (f,)))
        yield f"no frozen @{age}d", BuyerFacts("tb_review", False, (), ())
