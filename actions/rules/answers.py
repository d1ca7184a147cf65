"""The bot's Chinese answer to a refund question: `answer_for`, pure, no Rasa.

Picks the handler for the intent (answers_refund, answers_aftersales,
answers_account), gives it one Context (buyer, order, timeline, now,
knowledge) and returns the text with the rule ids it rests on.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Dict, Optional, Sequence

from . import answers_account as account
from . import answers_aftersales as aftersales
from . import answers_refund as refund
from .context import Context
from .facts import BuyerFacts, FrozenFundFacts, OrderFacts
from .intents import BUYER_LEVEL_INTENTS, REFUND_INTENTS, check_intent
from .knowledge import Knowledge, load_knowledge
from .timeline import order_timeline
from .wording import Answer

_HANDLERS: Dict[str, Callable[[Context], None]] = {
    "ask_refund_after_shipping": refund.refund_after_shipping,
    "ask_refund_before_shipping": refund.refund_before_shipping,
    "ask_refund_after_success": refund.refund_after_success,
    "ask_refund_not_received": refund.refund_not_received,
    "ask_refund_progress": refund.refund_progress,
    "ask_cancel_refund": refund.cancel_refund,
    "ask_frozen_balance": account.frozen_balance,
    "ask_withdraw": account.withdraw,
    "ask_real_name_verification": account.real_name,
    "ask_seven_day_return": aftersales.seven_day,
    "ask_return_shipping_fee": aftersales.return_postage,
    "ask_quality_issue": aftersales.quality,
    "ask_platform_intervention": aftersales.intervention,
    "ask_auto_confirm": aftersales.auto_confirm,
    "ask_trade_closed": aftersales.trade_closed,
    "ask_logistics_problem": aftersales.logistics,
}
assert set(_HANDLERS) == set(REFUND_INTENTS), "every refund intent needs exactly one handler"


def answer_for(intent: str, buyer: Optional[BuyerFacts], order: Optional[OrderFacts], now: datetime,
               knowledge: Optional[Knowledge] = None, frozen: Sequence[FrozenFundFacts] = ()) -> Answer:
    """The answer to `intent`: general rule, or this buyer's / order's facts.

    `frozen`: for a frozen-balance question about particular items (红包那笔),
    the answer covers only those.
    """
    check_intent(intent)
    k = knowledge or load_knowledge()
    if buyer is None or intent in BUYER_LEVEL_INTENTS:
        order = None  # anonymous visitors get the general rule only; account questions have no order
    timeline = order_timeline(order, now, k) if order is not None else None
    own_frozen = tuple(f for f in frozen if buyer is not None and f in buyer.frozen_funds)
    q = Context(buyer=buyer, order=order, timeline=timeline, now=now, k=k, frozen=own_frozen)
    _HANDLERS[intent](q)
    return q.b.answer()
