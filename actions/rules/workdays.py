"""Chinese working days: weekends and public holidays off, 调休 make-up days on.

The holiday data is holidays.py's calendar (chinese-calendar's years plus
data/holidays.yml). A day of a year the calendar does not cover is never
guessed: counting into it raises OutsideCalendar, and working_day_window()
leaves the end it cannot know as None, so no reply states a date the
calendar cannot back.

Days are counted in China time (Asia/Shanghai) whatever the tz of the input.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Optional, Tuple
from zoneinfo import ZoneInfo

from .holidays import HolidayCalendar, load_calendar

CHINA_TZ = ZoneInfo("Asia/Shanghai")


class OutsideCalendar(Exception):
    """A working-day count reached a day whose year the calendar does not cover."""

    def __init__(self, day: date):
        super().__init__(f"no official holiday schedule for {day.year} ({day.isoformat()})")
        self.day = day


@dataclass(frozen=True)
class WorkingDayWindow:
    """'lo to hi working days after start'; an end is None when the calendar cannot tell it."""

    start: datetime
    lo: int
    hi: int
    earliest: Optional[datetime]
    latest: Optional[datetime]

    @property
    def certain(self) -> bool:
        return self.earliest is not None and self.latest is not None


def _calendar(calendar: Optional[HolidayCalendar]) -> HolidayCalendar:
    return calendar or load_calendar()


def covered_until(moment: datetime, calendar: Optional[HolidayCalendar] = None) -> Optional[date]:
    """Last day the calendar covers without a gap from `moment`'s (China) date."""
    return _calendar(calendar).covered_until(to_china(moment).date())


def is_working_day(day: date, calendar: Optional[HolidayCalendar] = None) -> bool:
    if isinstance(day, datetime):
        day = to_china(day).date()
    known = _calendar(calendar).is_working_day(day)
    if known is None:
        raise OutsideCalendar(day)
    return known


def to_china(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times must carry a timezone")
    return moment.astimezone(CHINA_TZ)


def add_working_days(start: datetime, n: int, calendar: Optional[HolidayCalendar] = None) -> datetime:
    """The moment on the n-th working day after `start`'s (China) date.

    The day of `start` itself is not counted, and the clock time is kept:
    Friday 2025-09-26 14:00 + 2 working days = Monday 2025-09-29 14:00
    (Saturday 27th is off, Sunday 28th is a 国庆 make-up workday).
    n = 0 returns `start` unchanged (in China time). Raises OutsideCalendar
    when a day to count is in a year the calendar does not cover.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    cal = _calendar(calendar)
    current = to_china(start)
    counted = 0
    while counted < n:
        current = current + timedelta(days=1)
        if is_working_day(current.date(), cal):
            counted += 1
    return current


def working_day_window(start: datetime, lo: int, hi: int,
                       calendar: Optional[HolidayCalendar] = None) -> WorkingDayWindow:
    """'Arrives lo to hi working days after start', with each end only where the calendar knows it."""
    if not 0 <= lo <= hi:
        raise ValueError("need 0 <= lo <= hi")
    cal = _calendar(calendar)

    def end(n: int) -> Optional[datetime]:
        try:
            return add_working_days(start, n, cal)
        except OutsideCalendar:
            return None

    return WorkingDayWindow(start=to_china(start), lo=lo, hi=hi, earliest=end(lo), latest=end(hi))


@lru_cache(maxsize=8)
def _weekdays_off_prefix(cal: HolidayCalendar) -> Tuple[int, ...]:
    """Running count of Monday-to-Friday days off over every covered day, first year to last."""
    if not cal.years:
        return (0,)
    day, last, counts = date(cal.years[0], 1, 1), date(cal.years[-1], 12, 31), [0]
    while day <= last:
        off = day.weekday() < 5 and cal.is_working_day(day) is False
        counts.append(counts[-1] + off)
        day += timedelta(days=1)
    return tuple(counts)


@lru_cache(maxsize=256)
def most_weekdays_off_within(length: int, calendar: Optional[HolidayCalendar] = None) -> int:
    """The most Monday-to-Friday days off that any run of `length` consecutive days
    the calendar knows has held (30 days: 8 in 2004-2026). What an uncovered
    stretch of that length could take out of a window, at most: computed from
    the holiday data, so it grows if a year with longer holidays is added."""
    prefix = _weekdays_off_prefix(_calendar(calendar))
    known = len(prefix) - 1
    if length <= 0 or known == 0:
        return 0 if length <= 0 else length
    if length > known:  # longer than all the history: whole history as often as it fits, rounded up
        return prefix[-1] * -(-length // known)
    return max(prefix[i + length] - prefix[i] for i in range(known - length + 1))


def surely_over(start: datetime, n: int, now: datetime, calendar: Optional[HolidayCalendar] = None) -> bool:
    """Has the n-th working day after `start` ended by `now`'s date, even where a
    year is not covered? Covered days count as they are; in each uncovered
    stretch, only the weekdays beyond the most weekday holidays a known stretch
    of the same length has held count, so the answer is True only when no
    holiday schedule like any known year's could make it False."""
    cal = _calendar(calendar)
    if to_china(now).date() <= to_china(start).date():
        return False
    first, last = to_china(start).date() + timedelta(days=1), to_china(now).date() - timedelta(days=1)
    known, unknown_weekdays, allowance, run = 0, 0, 0, 0
    day = first
    while day <= last:
        working = cal.is_working_day(day)
        if working is None:
            run += 1
            unknown_weekdays += day.weekday() < 5
        else:
            known += working
            allowance += most_weekdays_off_within(run, cal) if run else 0
            run = 0
        day += timedelta(days=1)
    allowance += most_weekdays_off_within(run, cal) if run else 0
    return known + max(0, unknown_weekdays - allowance) >= n
