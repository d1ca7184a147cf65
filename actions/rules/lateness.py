"""When the record says something should have happened and it has not.

The seeds give the system's automatic steps (004 §四: refund after 2 / 5 / 10
days) but not how soon the order record shows them. A day's grace after the
deadline is allowed for the record to catch up ("请稍后刷新"); past that the
step looks overdue and the buyer is offered a person instead of being told
to refresh for ever. The grace is the shop's tolerance, not a seed rule.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Optional

from .facts import OrderFacts, RefundFacts
from .timeline import Deadline
from .workdays import to_china

AUTO_STEP_GRACE = timedelta(days=1)


def auto_step_overdue(d: Optional[Deadline], now: datetime) -> bool:
    """Is an automatic step more than a day past its deadline and still not on record?"""
    return d is not None and d.at is not None and to_china(now) >= to_china(d.at) + AUTO_STEP_GRACE


def refunded_total(order: OrderFacts) -> Decimal:
    return sum((r.amount for r in order.refunds if r.status == "succeeded"), Decimal("0"))


def partial_refund(order: OrderFacts, refund: Optional[RefundFacts]) -> bool:
    """A succeeded refund that leaves part of the order paid on a trade still open or
    succeeded (协商补偿, one item of several): the order's own story goes on."""
    return (refund is not None and refund.status == "succeeded" and order.status in ("shipped", "success")
            and refunded_total(order) < order.amount)
