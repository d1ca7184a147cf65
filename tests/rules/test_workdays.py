"""Working days: Chinese holidays skipped, 调休 make-up days counted."""
from datetime import date, datetime, timezone

import pytest

from actions.rules.holidays import load_calendar
from actions.rules.workdays import (
    OutsideCalendar,
    add_working_days,
    is_working_day,
)
from tests.support.engine_factories import t


def test_national_day_2025_is_off_and_makeup_saturdays_are_on():
    assert not is_working_day(date(2025, 10, 1))
    assert not is_working_day(date(2025, 10, 8))
    assert is_working_day(date(2025, 9, 28))   # Sunday, make-up workday
    assert is_working_day(date(2025, 10, 11))  # Saturday, make-up workday
    assert not is_working_day(date(2025, 11, 22))  # ordinary Saturday


@pytest.mark.parametrize("n, expected", [
    (1, t(2025, 10, 9, 10, 0)),   # 10-01..10-08 are holidays
    (2, t(2025, 10, 10, 10, 0)),
    (3, t(2025, 10, 11, 10, 0)),  # Saturday make-up day counts
    (4, t(2025, 10, 13, 10, 0)),  # Sunday 10-12 does not
])
def test_add_working_days_across_national_day(n, expected):
    assert add_working_days(t(2025, 9, 30, 10, 0), n) == expected


def test_add_working_days_counts_sunday_makeup_day():
    # Friday 09-26 -> Sunday 09-28 is the first working day after it
    assert add_working_days(t(2025, 9, 26, 14, 0), 1) == t(2025, 9, 28, 14, 0)
    assert add_working_days(t(2025, 9, 26, 14, 0), 2) == t(2025, 9, 29, 14, 0)


def test_add_working_days_across_plain_weekend():
    assert add_working_days(t(2025, 11, 21, 10, 0), 1) == t(2025, 11, 24, 10, 0)
    assert add_working_days(t(2025, 11, 21, 10, 0), 3) == t(2025, 11, 26, 10, 0)
    assert add_working_days(t(2025, 11, 21, 10, 0), 0) == t(2025, 11, 21, 10, 0)


def test_days_are_counted_in_china_time():
    # 2025-09-30 20:00 UTC is already 10-01 04:00 in China (a holiday)
    start = datetime(2025, 9, 30, 20, 0, tzinfo=timezone.utc)
    assert add_working_days(start, 1) == t(2025, 10, 9, 4, 0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2025, 10, 1), 1)


def test_installed_calendar_covers_2025_and_2026():
    assert load_calendar().covers(2025)
    assert load_calendar().covers(2026)
    # 2026 Spring Festival: 02-15..02-23 off, Saturday 02-28 a make-up day
    assert not is_working_day(date(2026, 2, 23))
    assert is_working_day(date(2026, 2, 28))


def test_unknown_years_are_never_guessed():
    # Before: 2099 was counted Monday to Friday, New Year's Day as a working day.
    assert not load_calendar().covers(2099)
    with pytest.raises(OutsideCalendar):
        is_working_day(date(2099, 1, 1))
    with pytest.raises(OutsideCalendar):
        add_working_days(t(2099, 1, 2, 9, 0), 1)
