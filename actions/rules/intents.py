"""The refund-domain intents: the one list the actions, domain and rules follow.

`domain.yml` and the `or:` lists in `data/rules.yml` must name exactly these
(tests/rules/test_intents.py checks both), and every one has an answer
handler (answers.py asserts it at import).
"""
from __future__ import annotations

from typing import Tuple

REFUND_INTENTS: Tuple[str, ...] = (
    "ask_refund_after_shipping",
    "ask_refund_before_shipping",
    "ask_refund_after_success",
    "ask_refund_not_received",
    "ask_refund_progress",
    "ask_cancel_refund",
    "ask_frozen_balance",
    "ask_withdraw",
    "ask_real_name_verification",
    "ask_seven_day_return",
    "ask_return_shipping_fee",
    "ask_quality_issue",
    "ask_platform_intervention",
    "ask_auto_confirm",
    "ask_trade_closed",
    "ask_logistics_problem",
)

# Questions about the buyer's account rather than one order.
BUYER_LEVEL_INTENTS: Tuple[str, ...] = ("ask_frozen_balance", "ask_withdraw", "ask_real_name_verification")


def needs_order(intent: str) -> bool:
    """Would knowing the specific order sharpen the answer to this intent?"""
    check_intent(intent)
    return intent not in BUYER_LEVEL_INTENTS


def check_intent(intent: str) -> None:
    if intent not in REFUND_INTENTS:
        raise ValueError(f"not a refund-domain intent: {intent!r}")
