"""How answers are worded: the builder, number/date formatters and spacing.

Pure string work, no rules: times are shown in China time as
"11月25日 14:03" (with the year in front when it is not the current year),
amounts as "¥129.00".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import List, Optional, Sequence, Tuple

from .facts import OrderFacts
from .timeline import Deadline
from .workdays import surely_over, to_china

HELLO = "亲，您好，"
SORRY = "亲，非常抱歉，"


@dataclass(frozen=True)
class Answer:
    text: str                  # natural simplified Chinese, shop customer-service tone
    rule_ids: Tuple[str, ...]  # ids from knowledge.yml that the answer used


class Builder:
    """Collects sentences and the rule ids they rest on, in order, without repeats."""

    def __init__(self) -> None:
        self.parts: List[str] = []
        self.rules: List[str] = []

    def say(self, text: str, *rule_ids: str) -> "Builder":
        self.parts.append(text)
        self.use(*rule_ids)
        return self

    def use(self, *rule_ids: str) -> "Builder":
        for r in rule_ids:
            if r not in self.rules:
                self.rules.append(r)
        return self

    def answer(self) -> Answer:
        return Answer(tidy("".join(self.parts)), tuple(self.rules))


def fmt_amount(amount: Decimal) -> str:
    """¥129.00"""
    return "¥" + str(Decimal(amount).quantize(Decimal("0.01")))


def _year_prefix(c: datetime, now: datetime) -> str:
    return f"{c.year}年" if c.year != to_china(now).year else ""


def fmt_time(moment: Optional[datetime], now: datetime) -> str:
    """11月25日 14:03 (China time; year in front if not this year); "" for an unknown time."""
    if moment is None:
        return ""
    c = to_china(moment)
    return f"{_year_prefix(c, now)}{c.month}月{c.day}日 {c:%H:%M}"


def fmt_day(moment: Optional[datetime], now: datetime) -> str:
    """11月25日 (China time; year in front if not this year); "" for an unknown day."""
    if moment is None:
        return ""
    c = to_china(moment)
    return f"{_year_prefix(c, now)}{c.month}月{c.day}日"


def fmt_range(d: Deadline, now: datetime) -> str:
    assert d.earliest is not None
    if fmt_day(d.earliest, now) == fmt_day(d.at, now):
        return fmt_day(d.at, now)
    return f"{fmt_day(d.earliest, now)}至{fmt_day(d.at, now)}"


def span(pair: Sequence[int]) -> str:
    """(2, 3) -> "2–3"; (5, 5) -> "5"."""
    lo, hi = int(pair[0]), int(pair[1])
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def order_ref(o: OrderFacts) -> str:
    return f"您在「{o.shop}」购买的「{o.item}」（{fmt_amount(o.amount)}）"


def window_end_text(d: Deadline, now: datetime) -> str:
    """The last day of a working-day window: a date, or where the calendar does
    not know it, "12月24日之后的第10个工作日" (the start day itself not counted)."""
    if d.at is not None:
        return fmt_day(d.at, now)
    return f"{fmt_day(d.start, now)}之后的第{(d.span or (0, 0))[1]}个工作日"


def earliest_gone(d: Deadline, now: datetime) -> bool:
    """Has the first day of a working-day window already ended (the money may be back)?
    Where the calendar cannot date it, only once no holiday schedule could still hold it."""
    if d.earliest is not None:
        return to_china(now).date() > to_china(d.earliest).date()
    return d.start is not None and d.span is not None and surely_over(d.start, d.span[0], now)


def arrival_text(d: Deadline, now: datetime, earliest_too: bool = True) -> str:
    """When a working-day window ends, saying only what the holiday calendar backs.

    Certain: "预计在12月17日至12月24日到账" (the dates already skip holidays).
    An end in a year the calendar does not cover is not given: the start, the
    working days and that holidays extend it instead, worded so the start day
    cannot be read as counted. `earliest_too=False` names no day before the
    last one. A first day already past is not promised again.
    """
    lo, hi = d.span or (0, 0)
    start = fmt_day(d.start, now)
    if d.at is not None and d.earliest is not None:
        if earliest_too:
            return f"预计在{fmt_range(d, now)}到账"
        return f"预计最晚{fmt_day(d.at, now)}到账"
    if d.earliest is not None and earliest_too:
        last = f"最晚是{start}之后的第{hi}个工作日（{start}当天不算，遇法定节假日顺延）"
        if earliest_gone(d, now):
            return f"按规则最早{fmt_day(d.earliest, now)}就可能到账，{last}"
        return f"预计最早{fmt_day(d.earliest, now)}到账，{last}，具体日期以实际入账为准"
    if earliest_gone(d, now):
        return (f"按规则最早的到账时间已经过了，最晚是{start}之后的第{hi}个工作日（{start}当天不算，"
                "遇法定节假日顺延）")
    return (f"预计在{start}之后的{span((lo, hi))}个工作日内到账（{start}当天不算，遇法定节假日顺延），"
            "具体日期以实际入账为准")


# Who can help when something looks late (001 Ⅱ: 人工客服 starts from 我的淘宝 in 手机淘宝).
ESCALATE = ("可以联系平台客服帮您核实（打开手机淘宝，点右下角“我的淘宝”进入），"
            "也可以回复“转人工”，由人工客服为您跟进")
ESCALATE_RULE = "find_platform_service"


_CJK = "\u4e00-\u9fff"


def tidy(text: str) -> str:
    """Put a space between Chinese text and dates, times and amounts.

    "卖家需在11月25日 14:03前处理" -> "卖家需在 11月25日 14:03 前处理"
    """
    text = re.sub(rf"(?<=[{_CJK}])(?<!年)(?=(\d{{4}}年)?\d{{1,2}}月\d{{1,2}}日)", " ", text)
    text = re.sub(rf"(\d{{1,2}}:\d{{2}})(?=[{_CJK}])", r"\1 ", text)
    text = re.sub(rf"(?<=[{_CJK}])¥", " ¥", text)
    text = re.sub(rf"(¥\d+\.\d{{2}})(?=[{_CJK}])", r"\1 ", text)
    # a bare date followed by Chinese (ranges, arrival days)
    text = re.sub(rf"(\d{{1,2}}月\d{{1,2}}日)(?=[{_CJK}])", r"\1 ", text)
    return text
