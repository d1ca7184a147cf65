"""Chinese working days: weekends and public holidays off, 调休 make-up days on.

Uses the maintained `chinese-calendar` package (import name
`chinese_calendar`), whose data follows the State Council's holiday
notices. Version 1.11.0 covers 2004-2026; for a year it does not know yet
it raises NotImplementedError, and we then fall back to plain Monday-Friday
(no holidays, no make-up days). That fallback can be a few days off around
a holiday of an unpublished year; upgrade the package when the State
Council publishes the next year's schedule (usually in November).

Days are counted in China time (Asia/Shanghai) whatever the tz of the input.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

CHINA_TZ = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=None)
def calendar_covers(year: int) -> bool:
    """Does the installed chinese-calendar know this year's holidays?"""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date) -> bool:
    if isinstance(day, datetime):
        day = to_china(day).date()
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # Year outside the package's data: Monday-Friday only.
        return day.weekday() < 5


def to_china(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times must carry a timezone")
    return moment.astimezone(CHINA_TZ)


def add_working_days(start: datetime, n: int) -> datetime:
    """The moment on the n-th working day after `start`'s (China) date.

    The day of `start` itself is not counted, and the clock time is kept:
    Friday 2025-09-26 14:00 + 2 working days = Monday 2025-09-29 14:00
    (Saturday 27th is off, Sunday 28th is a 国庆 make-up workday).
    n = 0 returns `start` unchanged (in China time).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    current = to_china(start)
    counted = 0
    while counted < n:
        current = current + timedelta(days=1)
        if is_working_day(current.date()):
            counted += 1
    return current


def working_days_between(start: datetime, end: datetime) -> int:
    """Working days after start's date up to and including end's date."""
    s, e = to_china(start).date(), to_china(end).date()
    count = 0
    d = s
    while d < e:
        d = d + timedelta(days=1)
        if is_working_day(d):
            count += 1
    return count
