"""Which of the buyer's own orders a question is about (pure, no Rasa, no SQL).

`candidate_orders` lists the orders an intent plausibly concerns;
`choose_order` decides between answering, asking which one, or the general
rule. Only the asking buyer's facts are ever searched, so another buyer's
order is indistinguishable from one that does not exist.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from actions.rules.facts import OPEN_REFUND_STATUSES, BuyerFacts, OrderFacts
from actions.rules.intents import BUYER_LEVEL_INTENTS, check_intent, needs_order
from actions.rules.timeline import last_activity, succeeded_refund


def _open(o: OrderFacts) -> bool:
    return o.has_open_refund


def _refunded(o: OrderFacts) -> bool:
    r = o.latest_refund
    return (r is not None and r.status == "succeeded") or (o.status == "closed" and succeeded_refund(o) is not None)


def _open_return(o: OrderFacts) -> bool:
    r = o.latest_refund
    return r is not None and r.kind == "return_and_refund" and r.status in OPEN_REFUND_STATUSES


def _refused_or_intervening(o: OrderFacts) -> bool:
    r = o.latest_refund
    return r is not None and r.status in ("seller_refused", "intervening")


_CANDIDATES: Dict[str, Callable[[OrderFacts], bool]] = {
    "ask_refund_after_shipping": lambda o: o.status == "shipped",
    "ask_refund_before_shipping": lambda o: o.status == "paid",
    "ask_refund_after_success": lambda o: o.status == "success",
    "ask_refund_not_received": _refunded,
    "ask_refund_progress": _open,
    "ask_cancel_refund": _open,
    "ask_seven_day_return": lambda o: o.status in ("shipped", "success") and not _open(o),
    "ask_return_shipping_fee": _open_return,
    "ask_quality_issue": lambda o: o.status in ("shipped", "success"),
    "ask_platform_intervention": _refused_or_intervening,
    "ask_auto_confirm": lambda o: o.status == "shipped",
    "ask_trade_closed": lambda o: o.status == "closed",
    "ask_logistics_problem": lambda o: o.status == "shipped" and o.signed_at is None,
}

# When the first test finds nothing, try a broader one.
_FALLBACK: Dict[str, Callable[[OrderFacts], bool]] = {
    "ask_refund_not_received": _open,  # 钱呢 with no refund succeeded yet: the refund under way
    "ask_return_shipping_fee": lambda o: o.status in ("shipped", "success"),
    "ask_platform_intervention": _open,
    "ask_logistics_problem": lambda o: o.status == "shipped",
}


def candidate_orders(intent: str, buyer: Optional[BuyerFacts]) -> List[OrderFacts]:
    """Orders this question is plausibly about, most recent activity first."""
    check_intent(intent)
    if buyer is None or intent in BUYER_LEVEL_INTENTS:
        return []
    found = [o for o in buyer.orders if _CANDIDATES[intent](o)]
    if not found and intent in _FALLBACK:
        found = [o for o in buyer.orders if _FALLBACK[intent](o)]
    return sorted(found, key=last_activity, reverse=True)


@dataclass(frozen=True)
class OrderChoice:
    order: Optional[OrderFacts] = None
    # The buyer must pick one of these (shown as buttons).
    ask_between: Tuple[OrderFacts, ...] = field(default_factory=tuple)


def find_own_order(buyer: Optional[BuyerFacts], order_id: Optional[str]) -> Optional[OrderFacts]:
    if buyer is None or not order_id:
        return None
    return next((o for o in buyer.orders if o.order_id == order_id), None)


def choose_order(
    intent: Optional[str],
    buyer: Optional[BuyerFacts],
    mentioned_id: Optional[str],
    remembered_id: Optional[str] = None,
) -> OrderChoice:
    """The order to answer about, the orders to ask between, or neither (general rule).

    A mentioned number that is not the buyer's gives neither, exactly like a
    number that does not exist.
    """
    if mentioned_id:
        return OrderChoice(order=find_own_order(buyer, mentioned_id))
    if buyer is None or intent is None or not needs_order(intent):
        return OrderChoice()
    candidates = tuple(candidate_orders(intent, buyer))
    if len(candidates) == 1:
        return OrderChoice(order=candidates[0])
    remembered = next((o for o in candidates if o.order_id == remembered_id), None)
    if remembered is not None:
        return OrderChoice(order=remembered)
    return OrderChoice(ask_between=candidates if len(candidates) > 1 else ())


def status_intent(order: OrderFacts) -> str:
    """The question an order named on its own ("订单号是3286…") most likely asks: where it stands."""
    latest = order.latest_refund
    if latest is not None:
        return "ask_refund_not_received" if latest.status == "succeeded" else (
            "ask_trade_closed" if latest.status == "closed" else "ask_refund_progress")
    return {"paid": "ask_refund_before_shipping", "shipped": "ask_refund_after_shipping",
            "success": "ask_refund_after_success", "closed": "ask_trade_closed"}.get(order.status, "ask_refund_progress")
