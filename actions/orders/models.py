"""SQLAlchemy tables for buyers, orders, refunds and frozen funds.

Amounts are stored as integer fen (no float rounding, no SQLite Decimal
warnings); times are stored in UTC and handed out timezone-aware.
"""
from __future__ import annotations

from datetime import timezone
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


# Any: SQLAlchemy 1.4 declarative bases are not understood by mypy without its plugin.
Base: Any = declarative_base()


class Buyer(Base):
    __tablename__ = "buyers"

    buyer_id = Column(String(64), primary_key=True)
    real_name_verified = Column(Boolean, nullable=False, default=False)

    orders = relationship("Order", back_populates="buyer", lazy="selectin", order_by="Order.paid_at")
    frozen_funds = relationship(
        "FrozenFund", back_populates="buyer", lazy="selectin", order_by="FrozenFund.frozen_at"
    )


class Order(Base):
    __tablename__ = "orders"

    order_id = Column(String(32), primary_key=True)
    buyer_id = Column(String(64), ForeignKey("buyers.buyer_id"), nullable=False, index=True)
    shop = Column(String(200), nullable=False)
    item = Column(String(500), nullable=False)
    amount_fen = Column(Integer, nullable=False)
    status = Column(String(32), nullable=False)
    payment_method = Column(String(32), nullable=False)
    card_bank = Column(String(64))
    logistics = Column(String(16), nullable=False)
    free_shipping = Column(Boolean, nullable=False, default=False)
    seven_day_return = Column(Boolean, nullable=False, default=False)
    fast_refund = Column(Boolean, nullable=False, default=False)
    paid_at = Column(UTCDateTime)
    shipped_at = Column(UTCDateTime)
    signed_at = Column(UTCDateTime)
    success_at = Column(UTCDateTime)
    closed_at = Column(UTCDateTime)

    buyer = relationship("Buyer", back_populates="orders")
    refunds = relationship(
        "Refund", back_populates="order", lazy="selectin", order_by="Refund.requested_at"
    )


class Refund(Base):
    __tablename__ = "refunds"

    refund_id = Column(String(64), primary_key=True)
    order_id = Column(String(32), ForeignKey("orders.order_id"), nullable=False, index=True)
    kind = Column(String(32), nullable=False)
    status = Column(String(32), nullable=False)
    amount_fen = Column(Integer, nullable=False)
    reason = Column(String(200))
    requested_at = Column(UTCDateTime, nullable=False)
    seller_agreed_at = Column(UTCDateTime)
    return_tracking_no = Column(String(64))
    return_shipped_at = Column(UTCDateTime)
    succeeded_at = Column(UTCDateTime)
    closed_at = Column(UTCDateTime)
    destination = Column(String(32), nullable=False)

    order = relationship("Order", back_populates="refunds")


class FrozenFund(Base):
    """A frozen sum in a buyer's Alipay balance.

    The import format gives frozen funds no id, so (buyer, reason, time)
    is the natural key that makes a re-import update instead of duplicate.
    """

    __tablename__ = "frozen_funds"
    __table_args__ = (
        UniqueConstraint("buyer_id", "reason", "frozen_at", name="uq_frozen_natural_key"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    buyer_id = Column(String(64), ForeignKey("buyers.buyer_id"), nullable=False)
    amount_fen = Column(Integer, nullable=False)
    reason = Column(String(64), nullable=False)
    frozen_at = Column(UTCDateTime, nullable=False)
    card_bank = Column(String(64))

    buyer = relationship("Buyer", back_populates="frozen_funds")


Index("ix_frozen_funds_buyer_id", FrozenFund.buyer_id)


def create_tables(engine) -> None:
    """Create missing tables; never drops or alters existing data."""
    Base.metadata.create_all(engine)

