"""Builders for OrderFacts / BuyerFacts used by the engine tests."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from actions.rules.facts import BuyerFacts, FrozenFundFacts, OrderFacts, RefundFacts

CN = ZoneInfo("Asia/Shanghai")


def t(y, mo, d, h=0, mi=0):
    """A China-time moment."""
    return datetime(y, mo, d, h, mi, tzinfo=CN)


def order(status="shipped", **kw) -> OrderFacts:
    base = dict(
        order_id="3286451901234567890",
        buyer_id="tb_lily88",
        shop="小熊母婴旗舰店",
        item="婴儿连体衣 66码",
        amount=Decimal("129.00"),
        status=status,
        payment_method="alipay_balance",
        logistics="express",
        free_shipping=True,
        seven_day_return=True,
        fast_refund=False,
        paid_at=t(2025, 11, 18, 10, 0),
    )
    if status in ("shipped", "success"):
        base["shipped_at"] = t(2025, 11, 19, 9, 30)
    if status == "success":
        base["signed_at"] = t(2025, 11, 21, 15, 0)
        base["success_at"] = t(2025, 11, 22, 12, 0)
    if status == "waiting_payment":
        base["paid_at"] = None
    base.update(kw)
    return OrderFacts(**base)


def refund(kind="refund_only", status="waiting_seller", **kw) -> RefundFacts:
    base = dict(
        refund_id="R20251120001",
        order_id="3286451901234567890",
        kind=kind,
        status=status,
        amount=Decimal("129.00"),
        reason="七天无理由",
        requested_at=t(2025, 11, 20, 14, 3),
        destination="alipay_balance",
    )
    base.update(kw)
    return RefundFacts(**base)


def with_refund(o: OrderFacts, r: RefundFacts) -> OrderFacts:
    return replace(o, refunds=o.refunds + (r,))


def fund(reason, amount="620.00", frozen_at=None, card_bank=None) -> FrozenFundFacts:
    return FrozenFundFacts(buyer_id="tb_lily88", amount=Decimal(amount), reason=reason,
                           frozen_at=frozen_at or t(2025, 11, 21, 8, 0), card_bank=card_bank)


def buyer(*orders, verified=False, funds=()) -> BuyerFacts:
    return BuyerFacts(buyer_id="tb_lily88", real_name_verified=verified, orders=tuple(orders),
                      frozen_funds=tuple(funds))


def spread():
    """A spread of orders covering every order status x refund status."""
    out = {}
    out["unpaid"] = order("waiting_payment")
    out["paid"] = order("paid")
    out["paid_fast"] = order("paid", fast_refund=True)
    out["shipped"] = order("shipped")
    out["shipped_post"] = order("shipped", logistics="post", free_shipping=False)
    out["shipped_signed"] = order("shipped", signed_at=t(2025, 11, 21, 15, 0))
    out["shipped_no7"] = order("shipped", seven_day_return=False, signed_at=t(2025, 11, 21, 15, 0))
    out["success"] = order("success")
    out["success_old"] = order("success", success_at=t(2025, 10, 1, 12, 0), signed_at=t(2025, 9, 29, 9, 0),
                               shipped_at=t(2025, 9, 27, 9, 0), paid_at=t(2025, 9, 26, 9, 0))
    out["closed_unpaid"] = order("closed", paid_at=None, closed_at=t(2025, 11, 19, 10, 0))
    out["closed_other"] = order("closed", closed_at=t(2025, 11, 19, 10, 0))
    out["closed_refunded"] = with_refund(
        order("closed", closed_at=t(2025, 11, 21, 10, 0)),
        refund(status="succeeded", succeeded_at=t(2025, 11, 21, 10, 0)))
    out["closed_refunded_card"] = with_refund(
        order("closed", payment_method="credit_card", card_bank="中国银行", closed_at=t(2025, 11, 21, 10, 0)),
        refund(status="succeeded", destination="credit_card", succeeded_at=t(2025, 11, 21, 10, 0)))
    out["paid_refund"] = with_refund(order("paid"), refund())
    out["paid_refund_fast"] = with_refund(order("paid", fast_refund=True), refund())
    out["paid_refund_closed_by_shipping"] = with_refund(
        order("shipped"), refund(requested_at=t(2025, 11, 18, 20, 0), status="closed", closed_at=t(2025, 11, 19, 9, 30)))
    statuses = ("waiting_seller", "waiting_buyer_return", "waiting_seller_receipt", "seller_refused",
                "intervening", "succeeded", "closed")
    for ost in ("shipped", "success"):
        for kind in ("refund_only", "return_and_refund"):
            for st in statuses:
                if kind == "refund_only" and st in ("waiting_buyer_return", "waiting_seller_receipt"):
                    continue
                extra = {}
                late = ost == "success"  # after-sales requests come after trade success (11-22)
                if st in ("waiting_buyer_return", "waiting_seller_receipt"):
                    extra["seller_agreed_at"] = t(2025, 11, 23, 15, 0) if late else t(2025, 11, 21, 9, 0)
                if st == "waiting_seller_receipt":
                    extra["return_shipped_at"] = t(2025, 11, 23, 18, 0) if late else t(2025, 11, 22, 16, 20)
                    extra["return_tracking_no"] = "773012345678"
                if st == "succeeded":
                    extra["succeeded_at"] = t(2025, 11, 24, 11, 0)
                if st == "closed":
                    extra["closed_at"] = t(2025, 11, 24, 11, 0)
                reason = "质量问题" if kind == "return_and_refund" else "七天无理由"
                out[f"{ost}_{kind}_{st}"] = with_refund(
                    order(ost), refund(kind=kind, status=st, reason=reason,
                                       requested_at=t(2025, 11, 23, 10, 0) if ost == "success" else t(2025, 11, 20, 14, 3),
                                       **extra))
    for dest in ("credit_card", "bank_card", "huabei"):
        out[f"shipped_succeeded_{dest}"] = with_refund(
            order("shipped", payment_method=dest, card_bank="招商银行" if dest == "credit_card" else None),
            refund(status="succeeded", destination=dest, succeeded_at=t(2025, 11, 24, 11, 0)))
    out["shipped_succeeded_card_nobank"] = with_refund(
        order("shipped", payment_method="credit_card"),
        refund(status="succeeded", destination="credit_card", succeeded_at=t(2025, 11, 24, 11, 0)))
    return out


def rich_buyer():
    funds = [fund(r, card_bank="中国银行" if r == "credit_card_refund" else None)
             for r in ("unverified_receipt", "credit_card_refund", "auction_deposit",
                       "consumer_protection_deposit", "red_packet", "withdrawal_processing")]
    return buyer(*spread().values(), funds=funds)
