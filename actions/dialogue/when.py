"""Orders named by a time: 上周买的杯子, 11月23号买的那个, 10月份退的, 昨天退款成功的, 刚拍的 (pure).

`by_time` reads a time phrase in (simplified) text and returns a test: does
the order have an event on that day or in that period? The verb after the
phrase says which event (买/拍 → paid, 退/申请 → the refund request, 退款成功 →
the refund's success, 发货 → shipped, 关闭 → closed); without one, any event
counts. Days are China days (shared clock, BOT_NOW).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Callable, Iterable, List, Optional, Tuple

from actions.rules.facts import OrderFacts
from actions.rules.workdays import to_china

Test = Callable[[OrderFacts], bool]

_DAY = re.compile(r"(?<![\d.])(?:(\d{1,2})月)?(\d{1,2})[号日](?!前|之前|以前)")
_MONTH = re.compile(r"(?<![\d.])(\d{1,2})月份?(?!\d)")
_RELATIVE_DAYS = {"今天": 0, "昨天": 1, "前天": 2, "大前天": 3}
_PAID = re.compile(r"^[^,，。？?]{0,3}?(?:买|拍|下单|下的单|付款|付的|购买|订)")
_REFUND_DONE = re.compile(r"^[^,，。？?]{0,3}?(?:退款成功|退成功|到账|退回来)")
_REFUND = re.compile(r"^[^,，。？?]{0,3}?(?:申请|退|提交)")
_SHIPPED = re.compile(r"^[^,，。？?]{0,3}?(?:发货|发的|寄出)")
_CLOSED = re.compile(r"^[^,，。？?]{0,3}?关闭")
_NAMES_AN_ORDER = re.compile(r"^[^,，。？?]{0,3}?(?:买|拍|下单|下的单|付|购|订|申请|退|提交|发货|发的|寄|关闭|收到|签收|的|那|这)")
_JUST_BOUGHT = re.compile(r"刚(?:刚)?(?:拍|买|下单)|最近(?:拍|买)|新买的|最新的那")


def _events(o: OrderFacts, after: str) -> List[datetime]:
    refunds = o.refunds
    if _REFUND_DONE.search(after):
        return [r.succeeded_at for r in refunds if r.succeeded_at]
    if _PAID.search(after):
        return [t for t in (o.paid_at,) if t]
    if _CLOSED.search(after):
        return [t for t in [o.closed_at] + [r.closed_at for r in refunds] if t]
    if _REFUND.search(after):
        return [t for r in refunds for t in (r.requested_at, r.succeeded_at) if t]
    if _SHIPPED.search(after):
        return [t for t in (o.shipped_at,) if t]
    return [t for t in [o.paid_at, o.shipped_at, o.signed_at, o.success_at, o.closed_at]
            + [x for r in refunds for x in (r.requested_at, r.seller_agreed_at, r.succeeded_at, r.closed_at)] if t]


def _days(text: str, today: date) -> Optional[Tuple[Tuple[date, date], str]]:
    """The first time phrase: (first day, last day) and the text after it."""
    for word, back in sorted(_RELATIVE_DAYS.items(), key=lambda kv: -len(kv[0])):
        at = text.find(word)
        if at != -1:
            day = today - timedelta(days=back)
            return (day, day), text[at + len(word):]
    m = re.search(r"上(?:个)?(?:周|星期|礼拜)", text)
    if m:
        monday = today - timedelta(days=today.weekday())
        # buyers say 上周 of a week or two back: the last calendar week, or 5 to 14 days ago
        return (min(monday - timedelta(days=7), today - timedelta(days=14)),
                max(monday - timedelta(days=1), today - timedelta(days=5))), text[m.end():]
    m = re.search(r"(?:这|本)(?:个)?(?:周|星期|礼拜)", text)
    if m:
        return (today - timedelta(days=today.weekday()), today), text[m.end():]
    m = re.search(r"前(?:几|两)天", text)
    if m:
        return (today - timedelta(days=6), today - timedelta(days=1)), text[m.end():]
    m = _DAY.search(text)
    if m:
        month = int(m.group(1)) if m.group(1) else today.month
        named = _date(today, month, int(m.group(2)))
        return ((named, named), text[m.end():]) if named else None
    m = _MONTH.search(text)
    if m:
        first = _date(today, int(m.group(1)), 1)
        if first is None:
            return None
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return (first, last), text[m.end():].lstrip("份")
    return None


def _date(today: date, month: int, day: int) -> Optional[date]:
    """That day this year, or last year when it is still to come."""
    try:
        found = date(today.year, month, day)
    except ValueError:
        return None
    return found if found <= today else found.replace(year=today.year - 1)


def by_time(text: str, now: datetime) -> Optional[Test]:
    """A test for the orders a time phrase names; None when the text names no time."""
    found = _days(text, to_china(now).date())
    if found is None:
        return None
    (first, last), after = found
    if not _NAMES_AN_ORDER.search(after):
        return None  # 今天能到吗: a time, but not of an order

    def test(o: OrderFacts) -> bool:
        return any(first <= to_china(t).date() <= last for t in _events(o, after))
    return test


def just_bought(text: str, pool: Iterable[OrderFacts]) -> Optional[Tuple[OrderFacts, ...]]:
    """刚拍的 / 最近买的: the most recently paid of `pool`; None when the text does not say so."""
    if not _JUST_BOUGHT.search(text):
        return None
    paid = [o for o in pool if o.paid_at]
    return (max(paid, key=lambda o: o.paid_at.timestamp() if o.paid_at else 0.0),) if paid else ()
