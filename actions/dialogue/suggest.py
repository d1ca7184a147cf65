"""Which questions a buyer's own orders make likely (for the greeting's buttons)."""
from __future__ import annotations

from datetime import datetime
from typing import List

from actions.rules.facts import BuyerFacts
from actions.rules.timeline import succeeded_refund

MAX_TOPICS = 3


def likely_questions(buyer: BuyerFacts, now: datetime) -> List[str]:
    """Refund intents in order of how likely the buyer's orders make them, at most three."""
    topics: List[str] = []

    def add(intent: str) -> None:
        if intent not in topics:
            topics.append(intent)

    orders = buyer.orders
    if any(o.has_open_refund for o in orders):
        add("ask_refund_progress")
    for o in orders:
        r = succeeded_refund(o)
        if r is not None and r.destination == "credit_card":
            add("ask_refund_not_received")
    if buyer.frozen_funds:
        add("ask_frozen_balance")
    if any(o.status == "shipped" and o.signed_at is None and not o.latest_refund for o in orders):
        add("ask_logistics_problem")
    if any(o.status == "paid" and not o.latest_refund for o in orders):
        add("ask_refund_before_shipping")
    return topics[:MAX_TOPICS]
