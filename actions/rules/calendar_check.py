"""Warn, in one line, when the holiday calendar's coverage ends soon.

    python -m actions.rules.calendar_check   (`make run` calls it; BOT_NOW is honoured)

`coverage_warning(now)` is pure (the calendar is data); the action server
logs the same line at start-up. When coverage ends within WARN_WITHIN_DAYS,
add next year's official schedule to data/holidays.yml (docs/calendar.md).
"""
from __future__ import annotations

import sys
from datetime import datetime
from typing import Optional

from .holidays import HolidayCalendar, load_calendar
from .workdays import to_china

WARN_WITHIN_DAYS = 60


def coverage_warning(now: datetime, calendar: Optional[HolidayCalendar] = None,
                     within_days: int = WARN_WITHIN_DAYS) -> Optional[str]:
    """One line for the log when coverage ends within `within_days` of now, else None."""
    cal = calendar or load_calendar()
    today = to_china(now).date()
    end = cal.covered_until(today)
    if end is None:
        return (f"WARNING holiday calendar: {today.year} is not covered (today {today}); replies give no "
                f"exact working-day dates: add {today.year} to data/holidays.yml (docs/calendar.md)")
    left = (end - today).days
    if left > within_days:
        return None
    return (f"WARNING holiday calendar: coverage ends {end} ({left} days from {today}); add {end.year + 1} "
            f"to data/holidays.yml when the State Council publishes it (docs/calendar.md)")


def coverage_line(now: datetime, calendar: Optional[HolidayCalendar] = None) -> str:
    """The warning, or a one-line statement of coverage when all is well."""
    cal = calendar or load_calendar()
    warning = coverage_warning(now, cal)
    if warning:
        return warning
    return f"holiday calendar: covered to {cal.covered_until(to_china(now).date())}"


def main() -> int:
    from shared.clock import BadBotNow, bot_now

    try:
        now = bot_now()
    except BadBotNow as error:
        print(f"ERROR {error}", file=sys.stderr)
        return 2
    print(coverage_line(now))
    return 0


if __name__ == "__main__":
    sys.exit(main())
