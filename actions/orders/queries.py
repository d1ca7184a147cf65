"""Buyer-scoped reads: the only way actions see the order database.

Every query is filtered by the asking buyer's id, so no code path can
return (or reveal the existence of) another buyer's order.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from actions.orders.models import Buyer, FrozenFund, Order, Refund
from actions.rules.facts import BuyerFacts, FrozenFundFacts, OrderFacts, RefundFacts


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _refund_facts(row: Refund) -> RefundFacts:
    return RefundFacts(
        refund_id=row.refund_id,
        order_id=row.order_id,
        kind=row.kind,
        status=row.status,
        amount=_yuan(row.amount_fen),
        reason=row.reason,
        requested_at=row.requested_at,
        destination=row.destination,
        seller_agreed_at=row.seller_agreed_at,
        return_tracking_no=row.return_tracking_no,
        return_shipped_at=row.return_shipped_at,
        succeeded_at=row.succeeded_at,
        closed_at=row.closed_at,
    )


def _order_facts(row: Order) -> OrderFacts:
    return OrderFacts(
        order_id=row.order_id,
        buyer_id=row.buyer_id,
        shop=row.shop,
        item=row.item,
        amount=_yuan(row.amount_fen),
        status=row.status,
        payment_method=row.payment_method,
        card_bank=row.card_bank,
        logistics=row.logistics,
        free_shipping=row.free_shipping,
        seven_day_return=row.seven_day_return,
        fast_refund=row.fast_refund,
        paid_at=row.paid_at,
        shipped_at=row.shipped_at,
        signed_at=row.signed_at,
        success_at=row.success_at,
        closed_at=row.closed_at,
        refunds=tuple(_refund_facts(r) for r in sorted(row.refunds, key=lambda r: r.requested_at)),
    )


def _frozen_facts(row: FrozenFund) -> FrozenFundFacts:
    return FrozenFundFacts(
        buyer_id=row.buyer_id,
        amount=_yuan(row.amount_fen),
        reason=row.reason,
        frozen_at=row.frozen_at,
        card_bank=row.card_bank,
    )


def buyer_facts(sessions: sessionmaker, buyer_id: str) -> Optional[BuyerFacts]:
    """Everything the bot may know about one buyer; None if the buyer is unknown."""
    with sessions() as session:
        # One SELECT for the buyer; its orders, their refunds and the frozen
        # funds come with it (selectin relationships, ordered in models.py).
        buyer = session.scalars(select(Buyer).where(Buyer.buyer_id == buyer_id)).first()
        if buyer is None:
            return None
        return BuyerFacts(
            buyer_id=buyer.buyer_id,
            real_name_verified=buyer.real_name_verified,
            orders=tuple(_order_facts(o) for o in buyer.orders),
            frozen_funds=tuple(_frozen_facts(f) for f in buyer.frozen_funds),
        )
