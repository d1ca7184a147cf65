"""Which of the buyer's orders a question is about (pure, no Rasa)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

from actions.rules.answers import candidate_orders, needs_order
from actions.rules.facts import BuyerFacts, OrderFacts


@dataclass(frozen=True)
class OrderChoice:
    order: Optional[OrderFacts] = None
    # The buyer must pick one of these (shown as buttons).
    ask_between: Tuple[OrderFacts, ...] = field(default_factory=tuple)
    # The buyer named an order that is not theirs, or does not exist: same answer.
    not_found: Optional[str] = None


def find_own_order(buyer: Optional[BuyerFacts], order_id: Optional[str]) -> Optional[OrderFacts]:
    if buyer is None or not order_id:
        return None
    return next((o for o in buyer.orders if o.order_id == order_id), None)


def choose_order(
    intent: str,
    buyer: Optional[BuyerFacts],
    mentioned_id: Optional[str],
    remembered_id: Optional[str] = None,
) -> OrderChoice:
    if mentioned_id:
        order = find_own_order(buyer, mentioned_id)
        return OrderChoice(order=order) if order else OrderChoice(not_found=mentioned_id)
    if buyer is None or not needs_order(intent):
        return OrderChoice()
    candidates = tuple(candidate_orders(intent, buyer))
    if len(candidates) == 1:
        return OrderChoice(order=candidates[0])
    if not candidates:
        return OrderChoice()
    remembered = next((o for o in candidates if o.order_id == remembered_id), None)
    if remembered is not None:
        return OrderChoice(order=remembered)
    return OrderChoice(ask_between=candidates)
