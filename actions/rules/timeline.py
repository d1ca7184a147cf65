"""Where an order (and its latest refund) stands, and what happens next.

Pure functions over facts.py dataclasses and knowledge.yml: no Rasa, no
database, no clock (the caller passes `now`). Every number comes from
knowledge.yml by rule id.

Stage codes (OrderTimeline.stage) are the `Stage` enum of stages.py.

A closed refund does not give a stage of its own: the order's own stage is
returned, with `refund` set to that closed refund (and
`refund_cancelled_by_shipping` when shipping cancelled it, 004 常见问题1).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, List, Optional, Tuple

from .banks import canonical_bank, readable_bank
from .facts import BuyerFacts, FrozenFundFacts, OrderFacts, RefundFacts
from .knowledge import Knowledge, load_knowledge
from .stages import Stage
from .workdays import CHINA_TZ, surely_over, to_china, working_day_window

# Rules a closed refund adds to its order's timeline (004 常见问题1, 2).
CLOSED_REFUND_RULES = ("refund_not_agreed_checks", "cancel_refund_no_entry")


@dataclass(frozen=True)
class Deadline:
    """A moment that matters, with the rule that sets it.

    For arrival ranges (working days), `earliest` is the start of the range
    and `at` its end, `start` the moment counted from and `span` the
    (lo, hi) working days. An end the holiday calendar cannot back (a year
    it does not cover) is None, never guessed; such a window is `passed`
    only once it is over whatever that year's holidays turn out to be.
    A working-day window is passed once its last day is over (replies show
    the day only); any other deadline is passed at now >= at.
    """

    what: str
    at: Optional[datetime]
    rule_id: str
    passed: bool
    earliest: Optional[datetime] = None
    working_days: bool = False
    start: Optional[datetime] = None
    span: Optional[Tuple[int, int]] = None

    @property
    def certain(self) -> bool:
        """Are both ends of this deadline known dates?"""
        return self.at is not None and (not self.working_days or self.earliest is not None)


@dataclass(frozen=True)
class OrderTimeline:
    stage: Stage
    next_step: str
    actor: Optional[str]
    deadline: Optional[Deadline]
    rule_ids: Tuple[str, ...]
    refund: Optional[RefundFacts] = None
    other_deadlines: Tuple[Deadline, ...] = ()
    refund_cancelled_by_shipping: bool = False

    @property
    def deadline_at(self) -> Optional[datetime]:
        return self.deadline.at if self.deadline else None

    @property
    def deadline_passed(self) -> Optional[bool]:
        return self.deadline.passed if self.deadline else None

    @property
    def stage_rule_ids(self) -> Tuple[str, ...]:
        """The rules of the stage itself: without the side deadlines and a closed refund's notes."""
        aside = {d.rule_id for d in self.other_deadlines}
        if self.refund is not None and self.refund.status == "closed" and self.stage != Stage.CLOSED_REFUNDED:
            aside |= set(CLOSED_REFUND_RULES)
        return tuple(r for r in self.rule_ids if r not in aside)

    def find(self, what: str) -> Optional[Deadline]:
        for d in ((self.deadline,) if self.deadline else ()) + self.other_deadlines:
            if d.what == what:
                return d
        return None


@dataclass(frozen=True)
class FrozenTimeline:
    fund: FrozenFundFacts
    release: str  # how it is released (code, see frozen_timeline)
    actor: Optional[str]
    deadline: Optional[Deadline]
    rule_ids: Tuple[str, ...]


# --------------------------------------------------------------- helpers

def _k(knowledge: Optional[Knowledge]) -> Knowledge:
    return knowledge or load_knowledge()


def _check_now(now: datetime) -> datetime:
    return to_china(now)


def _calendar(what: str, start: datetime, rule_id: str, now: datetime, k: Knowledge) -> Deadline:
    at = to_china(start) + timedelta(days=int(k.param(rule_id, "days")))
    return Deadline(what=what, at=at, rule_id=rule_id, passed=now >= at)


def _working_range(what: str, start: datetime, days: Tuple[int, int], rule_id: str, now: datetime) -> Deadline:
    lo, hi = int(days[0]), int(days[1])
    window = working_day_window(start, lo, hi)
    at = window.latest
    # Arrival is promised by a day ("12月5日前到账"), not a clock time: the
    # window has passed only once that whole China day is over.
    # An end in an uncovered year is passed only once no holiday schedule could still hold it.
    passed = to_china(now).date() > to_china(at).date() if at is not None else surely_over(start, hi, now)
    return Deadline(what=what, at=at, earliest=window.earliest, rule_id=rule_id,
                    passed=passed,
                    working_days=True, start=window.start, span=(lo, hi))


def is_boc(bank: Optional[str], knowledge: Optional[Knowledge] = None) -> bool:
    """Is this card bank 中国银行 (the 5-10 working day case), however it is written?"""
    return canonical_bank(bank) == "中国银行"


def card_refund_working_days(bank: Optional[str], knowledge: Optional[Knowledge] = None) -> Tuple[int, int]:
    """Working-day range for a credit-card refund to arrive, by card bank."""
    k = _k(knowledge)
    by_bank = k.param("frozen_credit_card_refund", "working_days_by_bank")
    if is_boc(bank, k):
        lo, hi = by_bank["中国银行"]
    else:
        lo, hi = k.param("frozen_credit_card_refund", "working_days_default")
    return int(lo), int(hi)


def card_refund_window_days(bank: Optional[str], knowledge: Optional[Knowledge] = None) -> Tuple[int, int]:
    """The working days to promise for a card refund: by bank; with no bank on record,
    from the fastest bank's first day to the slowest bank's last (never an end
    earlier than the slowest case the rule allows)."""
    if readable_bank(bank):
        return card_refund_working_days(bank, knowledge)
    k = _k(knowledge)
    spans = [card_refund_working_days(None, k)] + [
        (int(lo), int(hi)) for lo, hi in k.param("frozen_credit_card_refund", "working_days_by_bank").values()]
    return min(lo for lo, _ in spans), max(hi for _, hi in spans)


def card_refund_arrival(start: datetime, bank: Optional[str], now: datetime,
                        knowledge: Optional[Knowledge] = None) -> Deadline:
    """When a credit-card refund that succeeded at `start` reaches the card."""
    return _working_range("card_arrival", start, card_refund_window_days(bank, knowledge),
                          "frozen_credit_card_refund", _check_now(now))


def withdrawal_arrival(start: datetime, now: datetime, knowledge: Optional[Knowledge] = None) -> Deadline:
    """When a withdrawal requested at `start` reaches the bank card."""
    k = _k(knowledge)
    return _working_range("withdrawal_arrival", start, tuple(k.param("withdraw_own_id_bank", "working_days")),
                          "withdraw_own_id_bank", _check_now(now))


def auto_confirm_rule(logistics: str, knowledge: Optional[Knowledge] = None) -> str:
    k = _k(knowledge)
    for rid in ("auto_confirm_10d", "auto_confirm_post_30d"):
        if logistics in k.param(rid, "logistics"):
            return rid
    return "auto_confirm_10d"


def auto_confirm_deadline(order: OrderFacts, now: datetime, knowledge: Optional[Knowledge] = None) -> Optional[Deadline]:
    """System confirms receipt N days after shipping (10, or 30 for 平邮)."""
    if not order.shipped_at:
        return None
    k = _k(knowledge)
    return _calendar("auto_confirm", order.shipped_at, auto_confirm_rule(order.logistics, k), _check_now(now), k)


def seven_day_window(order: OrderFacts, now: datetime, knowledge: Optional[Knowledge] = None) -> Optional[Deadline]:
    """Last moment for a no-reason return: signing + 7 days (if the item supports it)."""
    if not order.seven_day_return or not order.signed_at:
        return None
    k = _k(knowledge)
    return _calendar("seven_day_return", order.signed_at, "seven_day_no_reason", _check_now(now), k)


def after_sales_window(order: OrderFacts, now: datetime, knowledge: Optional[Knowledge] = None) -> Optional[Deadline]:
    """Last moment to start after-sales / 维权: trade success + 15 days."""
    if not order.success_at:
        return None
    k = _k(knowledge)
    return _calendar("after_sales", order.success_at, "after_sales_15d", _check_now(now), k)


def succeeded_refund(order: OrderFacts) -> Optional[RefundFacts]:
    for r in reversed(order.refunds):
        if r.status == "succeeded":
            return r
    return None


def fast_refund_before_shipping(order: OrderFacts, refund: RefundFacts) -> bool:
    """A 极速退款 shop's refund asked for before the order shipped (000: 按照原路退回)."""
    if not order.fast_refund:
        return False
    return order.shipped_at is None or refund.requested_at < order.shipped_at


def cancelled_by_shipping(order: OrderFacts, refund: Optional[RefundFacts]) -> bool:
    """A refund asked for before shipping and closed once the seller shipped."""
    if not refund or refund.status != "closed" or not order.shipped_at:
        return False
    if refund.requested_at >= order.shipped_at:
        return False
    return refund.closed_at is None or refund.closed_at >= order.shipped_at


# ------------------------------------------------------------ the engine

def order_timeline(order: OrderFacts, now: datetime, knowledge: Optional[Knowledge] = None) -> OrderTimeline:
    """Stage, next step, who acts and the deadline for one order."""
    k = _k(knowledge)
    now = _check_now(now)
    refund = order.latest_refund
    if refund and refund.status != "closed":
        return _refund_timeline(order, refund, now, k)
    tl = _order_stage(order, now, k)
    if refund:  # closed refund: keep it visible
        tl = OrderTimeline(
            stage=tl.stage, next_step=tl.next_step, actor=tl.actor, deadline=tl.deadline,
            rule_ids=tl.rule_ids + ("refund_not_agreed_checks",)
            + (("cancel_refund_no_entry",) if cancelled_by_shipping(order, refund) else ()),
            refund=refund, other_deadlines=tl.other_deadlines,
            refund_cancelled_by_shipping=cancelled_by_shipping(order, refund),
        )
    return tl


def _order_stage(order: OrderFacts, now: datetime, k: Knowledge) -> OrderTimeline:
    s = order.status
    if s == "waiting_payment":
        return OrderTimeline(Stage.UNPAID, "pay_or_let_close", "buyer", None, ("closed_unpaid",))
    if s == "paid":
        speed = "fast_refund" if order.fast_refund else "paid_auto_refund_2d"
        return OrderTimeline(Stage.PAID_NOT_SHIPPED, "apply_refund_directly", "buyer", None,
                             ("paid_refund_steps", speed))
    if s == "shipped":
        ac = auto_confirm_deadline(order, now, k)
        others = tuple(d for d in (seven_day_window(order, now, k),) if d)
        rules = ("shipped_apply_after_sales",) + ((ac.rule_id,) if ac else ()) \
            + tuple(d.rule_id for d in others)
        return OrderTimeline(Stage.SHIPPED, "receive_or_apply_after_sales", "system" if ac else "buyer",
                             ac, rules, other_deadlines=others)
    if s == "success":
        win = after_sales_window(order, now, k)
        others = tuple(d for d in (seven_day_window(order, now, k),) if d)
        if win and not win.passed:
            return OrderTimeline(Stage.SUCCESS_AFTER_SALES_OPEN, "negotiate_or_apply_after_sales", "buyer", win,
                                 ("success_no_refund_entry", "after_sales_15d") + tuple(d.rule_id for d in others),
                                 other_deadlines=others)
        return OrderTimeline(Stage.SUCCESS_AFTER_SALES_OVER, "negotiate_with_seller", "buyer", win,
                             ("success_no_refund_entry", "after_sales_15d"), other_deadlines=others)
    # closed
    ok = succeeded_refund(order)
    if ok:
        return OrderTimeline(Stage.CLOSED_REFUNDED, "check_refund_detail", None, None, ("closed_refunded",), refund=ok)
    if order.paid_at is None:
        return OrderTimeline(Stage.CLOSED_UNPAID, "none", None, None, ("closed_unpaid",))
    return OrderTimeline(Stage.CLOSED_OTHER, "contact_platform", "platform", None, ("closed_unpaid", "closed_refunded"))


def _refund_timeline(order: OrderFacts, r: RefundFacts, now: datetime, k: Knowledge) -> OrderTimeline:
    st = r.status
    d: Optional[Deadline]
    if st == "waiting_seller":
        if order.status == "paid":
            d = _calendar("auto_refund", r.requested_at, "paid_auto_refund_2d", now, k)
            rules = ("paid_auto_refund_2d",) + (("fast_refund",) if order.fast_refund else ())
            return OrderTimeline(Stage.REFUND_PAID_WAITING_SELLER, "seller_agrees_or_auto_refund", "seller", d, rules, r)
        if order.status == "shipped" and r.kind == "refund_only":
            d = _calendar("auto_refund", r.requested_at, "refund_only_auto_5d", now, k)
            return OrderTimeline(Stage.REFUND_ONLY_WAITING_SELLER, "seller_agrees_or_auto_refund", "seller", d,
                                 ("refund_only_auto_5d",), r)
        if order.status == "shipped":
            d = _calendar("seller_handle", r.requested_at, "return_seller_agree_5d", now, k)
            rules = ("return_seller_agree_5d",) + (("intervention_upload_evidence",) if d.passed else ())
            return OrderTimeline(Stage.RETURN_WAITING_SELLER,
                                 "request_intervention" if d.passed else "seller_agrees_return",
                                 "buyer" if d.passed else "seller", d, rules, r)
        # succeeded trade (or an inconsistent state): after-sales, no seed deadline
        return OrderTimeline(Stage.AFTER_SALES_WAITING_SELLER, "seller_confirms", "seller", None,
                             ("after_sales_seller_confirm",), r)
    if st == "waiting_buyer_return":
        d = None
        if r.seller_agreed_at and order.status == "shipped":
            d = _calendar("fill_tracking", r.seller_agreed_at, "return_fill_tracking_7d", now, k)
        return OrderTimeline(Stage.WAITING_BUYER_RETURN, "buyer_ships_return", "buyer", d,
                             ("return_fill_tracking_7d",), r)
    if st == "waiting_seller_receipt":
        d = None
        if r.return_shipped_at and order.status == "shipped":
            d = _calendar("auto_refund", r.return_shipped_at, "return_auto_refund_10d", now, k)
        return OrderTimeline(Stage.WAITING_SELLER_RECEIPT, "seller_confirms_receipt_or_auto_refund",
                             "seller" if not (d and d.passed) else "system", d, ("return_auto_refund_10d",), r)
    if st == "seller_refused":
        return OrderTimeline(Stage.SELLER_REFUSED, "request_intervention", "buyer", None,
                             ("quality_negotiate_first", "intervention_upload_evidence"), r)
    if st == "intervening":
        return OrderTimeline(Stage.INTERVENING, "wait_platform_decision", "platform", None,
                             ("platform_mediation", "intervention_upload_evidence"), r)
    # succeeded
    money_rules: List[str] = []
    d = None
    actor: Optional[str] = None
    dest = r.destination
    if dest == "credit_card":
        start = r.succeeded_at or r.requested_at
        d = card_refund_arrival(start, order.card_bank, now, k)
        money_rules.append("frozen_credit_card_refund")
        actor = None if d.passed else "bank"
    elif dest in ("alipay_balance", "huabei"):
        # 004: the money goes back to Alipay, not to a bank (花呗 is Alipay's)
        money_rules.append("refund_back_to_alipay")
    else:
        money_rules.append("refund_to_alipay_or_bank")
        actor = "bank"
    if fast_refund_before_shipping(order, r):
        money_rules.append("refund_original_route")  # 000: only 极速退款 before shipping goes back 原路
    if order.status == "closed":
        money_rules.append("closed_refunded")
    return OrderTimeline(Stage.REFUND_SUCCEEDED, "money_arrives", actor, d, tuple(money_rules), r)


# ------------------------------------------------------------ buyer level

def frozen_timeline(fund: FrozenFundFacts, real_name_verified: bool, now: datetime,
                    knowledge: Optional[Knowledge] = None) -> FrozenTimeline:
    """How one frozen amount is released.

    release codes: real_name_verification, card_arrival, see_release_terms,
    expiry_unused, withdrawal_arrival, unknown.
    """
    k = _k(knowledge)
    now = _check_now(now)
    reason = fund.reason
    if reason == "unverified_receipt":
        return FrozenTimeline(fund, "real_name_verification", None if real_name_verified else "buyer", None,
                              ("frozen_unverified_receipt",))
    if reason == "credit_card_refund":
        d = card_refund_arrival(fund.frozen_at, fund.card_bank, now, k)
        return FrozenTimeline(fund, "card_arrival", "bank", d, ("frozen_credit_card_refund",))
    if reason == "auction_deposit":
        return FrozenTimeline(fund, "see_release_terms", None, None, ("frozen_auction_deposit",))
    if reason == "consumer_protection_deposit":
        return FrozenTimeline(fund, "see_release_terms", None, None, ("frozen_consumer_protection_deposit",))
    if reason == "red_packet":
        return FrozenTimeline(fund, "expiry_unused", "system", None, ("frozen_red_packet",))
    if reason == "withdrawal_processing":
        d = withdrawal_arrival(fund.frozen_at, now, k)
        return FrozenTimeline(fund, "withdrawal_arrival", "bank", d,
                              ("frozen_withdrawal_processing", "withdraw_own_id_bank"))
    return FrozenTimeline(fund, "unknown", None, None, ())


def buyer_frozen(buyer: BuyerFacts, now: datetime, knowledge: Optional[Knowledge] = None) -> Tuple[FrozenTimeline, ...]:
    funds = sorted(buyer.frozen_funds, key=lambda f: f.frozen_at)
    return tuple(frozen_timeline(f, buyer.real_name_verified, now, knowledge) for f in funds)


def last_activity(order: OrderFacts) -> datetime:
    """Latest known moment of an order or its refunds (for sorting)."""
    stamps: Iterable[Optional[datetime]] = (
        order.paid_at, order.shipped_at, order.signed_at, order.success_at, order.closed_at,
        *(t for r in order.refunds for t in (r.requested_at, r.seller_agreed_at, r.return_shipped_at,
                                              r.succeeded_at, r.closed_at)),
    )
    real = [to_china(t) for t in stamps if t is not None]
    return max(real) if real else datetime(1970, 1, 1, tzinfo=CHINA_TZ)
