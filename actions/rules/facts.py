"""Plain, immutable facts about one buyer, as the rules engine sees them.

The order database turns its rows into these; the engine never sees
SQLAlchemy objects, so it stays pure and testable without a database.
Field names and enum values follow docs/orders.md (the import format) exactly.
Times are timezone-aware datetimes, amounts are Decimal yuan.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Optional, Tuple

ORDER_STATUSES = ("waiting_payment", "paid", "shipped", "success", "closed")
PAYMENT_METHODS = ("alipay_balance", "bank_card", "credit_card", "huabei", "other")
LOGISTICS = ("express", "ems", "post", "none")
REFUND_KINDS = ("refund_only", "return_and_refund")
REFUND_STATUSES = (
    "waiting_seller",
    "waiting_buyer_return",
    "waiting_seller_receipt",
    "seller_refused",
    "intervening",
    "succeeded",
    "closed",
)
# A refund still under way (neither succeeded nor closed).
OPEN_REFUND_STATUSES = tuple(s for s in REFUND_STATUSES if s not in ("succeeded", "closed"))
REFUND_DESTINATIONS = ("alipay_balance", "bank_card", "credit_card", "huabei")
FROZEN_REASONS = (
    "unverified_receipt",
    "credit_card_refund",
    "auction_deposit",
    "consumer_protection_deposit",
    "red_packet",
    "withdrawal_processing",
)


@dataclass(frozen=True)
class RefundFacts:
    refund_id: str
    order_id: str
    kind: str
    status: str
    amount: Decimal
    reason: Optional[str]
    requested_at: datetime
    destination: str
    seller_agreed_at: Optional[datetime] = None
    return_tracking_no: Optional[str] = None
    return_shipped_at: Optional[datetime] = None
    succeeded_at: Optional[datetime] = None
    closed_at: Optional[datetime] = None


@dataclass(frozen=True)
class OrderFacts:
    order_id: str
    buyer_id: str
    shop: str
    item: str
    amount: Decimal
    status: str
    payment_method: str
    logistics: str
    free_shipping: bool
    seven_day_return: bool
    fast_refund: bool
    paid_at: Optional[datetime] = None
    shipped_at: Optional[datetime] = None
    signed_at: Optional[datetime] = None
    success_at: Optional[datetime] = None
    closed_at: Optional[datetime] = None
    card_bank: Optional[str] = None
    # Newest last; an order may have had several refund requests.
    refunds: Tuple[RefundFacts, ...] = field(default_factory=tuple)

    @property
    def latest_refund(self) -> Optional[RefundFacts]:
        return self.refunds[-1] if self.refunds else None

    @property
    def has_open_refund(self) -> bool:
        """The latest refund is still under way."""
        latest = self.latest_refund
        return latest is not None and latest.status in OPEN_REFUND_STATUSES


@dataclass(frozen=True)
class FrozenFundFacts:
    buyer_id: str
    amount: Decimal
    reason: str
    frozen_at: datetime
    card_bank: Optional[str] = None


@dataclass(frozen=True)
class BuyerFacts:
    buyer_id: str
    real_name_verified: bool
    orders: Tuple[OrderFacts, ...] = field(default_factory=tuple)
    frozen_funds: Tuple[FrozenFundFacts, ...] = field(default_factory=tuple)
