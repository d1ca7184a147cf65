"""Where an order stands: the stage codes the timeline gives and answers read.

A `str` Enum, so a stage still compares equal to its code and reads as one
in logs and tests, while a typo in the code is an AttributeError, not a
silently false comparison.
"""
from __future__ import annotations

from enum import Enum


class Stage(str, Enum):
    UNPAID = "unpaid"                                          # waiting for payment
    PAID_NOT_SHIPPED = "paid_not_shipped"                      # paid, no refund in progress
    SHIPPED = "shipped"                                        # shipped, no refund in progress
    SUCCESS_AFTER_SALES_OPEN = "success_after_sales_open"      # inside the 15-day after-sales window
    SUCCESS_AFTER_SALES_OVER = "success_after_sales_over"      # window over (or success time unknown)
    CLOSED_REFUNDED = "closed_refunded"                        # closed after a successful refund
    CLOSED_UNPAID = "closed_unpaid"                            # closed without ever being paid
    CLOSED_OTHER = "closed_other"                              # closed, paid, no successful refund on record
    REFUND_PAID_WAITING_SELLER = "refund_paid_waiting_seller"  # paid order: seller has 2 days, then auto refund
    REFUND_ONLY_WAITING_SELLER = "refund_only_waiting_seller"  # refund-only after shipping: 5 days, then auto
    RETURN_WAITING_SELLER = "return_waiting_seller"            # return-and-refund: seller has 5 days to agree
    AFTER_SALES_WAITING_SELLER = "after_sales_waiting_seller"  # request on a succeeded trade, seller to confirm
    WAITING_BUYER_RETURN = "waiting_buyer_return"              # seller agreed: buyer has 7 days for tracking no.
    WAITING_SELLER_RECEIPT = "waiting_seller_receipt"          # returned: seller has 10 days, then auto refund
    SELLER_REFUSED = "seller_refused"                          # buyer may ask for platform intervention
    INTERVENING = "intervening"                                # platform customer service is handling it
    REFUND_SUCCEEDED = "refund_succeeded"                      # money on its way / back

    def __str__(self) -> str:
        return self.value


# Stages of an order with a refund in progress (or just succeeded).
REFUND_STAGES = frozenset({
    Stage.REFUND_PAID_WAITING_SELLER,
    Stage.REFUND_ONLY_WAITING_SELLER,
    Stage.RETURN_WAITING_SELLER,
    Stage.AFTER_SALES_WAITING_SELLER,
    Stage.WAITING_BUYER_RETURN,
    Stage.WAITING_SELLER_RECEIPT,
    Stage.SELLER_REFUSED,
    Stage.INTERVENING,
    Stage.REFUND_SUCCEEDED,
})

# Open refund stages still in the normal flow (no refusal, no intervention yet).
NORMAL_FLOW_STAGES = frozenset({
    Stage.REFUND_ONLY_WAITING_SELLER,
    Stage.RETURN_WAITING_SELLER,
    Stage.WAITING_SELLER_RECEIPT,
    Stage.WAITING_BUYER_RETURN,
})
