"""data/holidays.yml + chinese-calendar: agreement, added years, uncovered years."""
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
import yaml

from actions.rules.holidays import HOLIDAYS_PATH, HolidayCalendar, YearSchedule, load_calendar, parse_holidays
from actions.rules.workdays import (
    OutsideCalendar,
    add_working_days,
    covered_until,
    is_working_day,
    most_weekdays_off_within,
    surely_over,
    working_day_window,
)
from tests.support.engine_factories import t


def _days_of(year):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


def test_file_and_library_agree_on_every_year_both_cover():
    cal = load_calendar()
    both = sorted(set(cal.file_years) & set(cal.library_years))
    assert both, "holidays.yml should repeat at least one library year so the format stays checked"
    for year in both:
        schedule = cal.file_years[year]
        for d in _days_of(year):
            assert schedule.is_working_day(d) == chinese_calendar.is_workday(d), d


def test_every_file_year_names_its_source():
    for year, schedule in load_calendar().file_years.items():
        assert "国务院办公厅" in schedule.source and str(year) in schedule.source


def test_2027_is_not_guessed():
    # No official 2027 schedule could be checked: the calendar must say so.
    cal = load_calendar()
    assert not cal.covers(2027)
    assert cal.is_working_day(date(2027, 1, 1)) is None
    with pytest.raises(OutsideCalendar):
        is_working_day(date(2027, 1, 4))
    assert covered_until(t(2026, 11, 28, 9, 0)) == date(2026, 12, 31)
    assert covered_until(t(2027, 1, 5, 9, 0)) is None


def _write(tmp_path: Path, years: dict) -> str:
    path = tmp_path / "holidays.yml"
    path.write_text(yaml.safe_dump({"years": years}, allow_unicode=True), encoding="utf-8")
    return str(path)


# An invented schedule for a far year, only to show the file can add a year.
FAKE_2090 = {
    "source": "测试用的虚构安排",
    "holidays": [{"name": "元旦", "from": date(2090, 1, 1), "to": date(2090, 1, 3)}],
    "workdays": [date(2090, 1, 7)],  # a Saturday
}


def test_the_file_adds_a_year_the_library_lacks(tmp_path):
    cal = load_calendar(_write(tmp_path, {2090: FAKE_2090}))
    assert not HolidayCalendar({}).covers(2090)
    assert cal.covers(2090)
    assert cal.is_working_day(date(2090, 1, 2)) is False   # Monday, holiday
    assert cal.is_working_day(date(2090, 1, 7)) is True    # Saturday, 调休
    assert cal.is_working_day(date(2090, 1, 8)) is False   # ordinary Sunday
    # a count that starts in an uncovered year still stops there
    with pytest.raises(OutsideCalendar):  # 2089 itself is not covered
        add_working_days(t(2089, 12, 29, 10, 0), 2, cal)
    assert add_working_days(t(2090, 1, 1, 10, 0), 2, cal) == t(2090, 1, 5, 10, 0)


@pytest.mark.parametrize("change, message", [
    ({"source": ""}, "source"),
    ({"workdays": [date(2090, 1, 9)]}, "weekday"),
    ({"workdays": [date(2091, 1, 6)]}, "not in 2090"),
    ({"workdays": ["2090-01-07x"]}, "not a date"),
    ({"holidays": [{"name": "元旦", "from": date(2090, 1, 3), "to": date(2090, 1, 1)}]}, "before"),
    ({"holidays": [{"name": "元旦", "from": date(2090, 1, 6), "to": date(2090, 1, 7)}]}, "also listed"),
    ({"holidays": []}, "holidays"),
])
def test_a_bad_year_is_refused_with_the_entry_named(change, message):
    with pytest.raises(ValueError, match=message) as raised:
        parse_holidays({"years": {2090: {**FAKE_2090, **change}}})
    assert "2090" in str(raised.value)


def test_the_shipped_file_parses_and_is_the_default():
    assert HOLIDAYS_PATH.name == "holidays.yml" and HOLIDAYS_PATH.parent.name == "data"
    assert set(load_calendar().file_years) >= {2025, 2026}


@pytest.mark.parametrize("start, lo, hi, earliest, latest", [
    # 中国银行 credit card: 5-10 working days
    (t(2026, 12, 10, 15, 0), 5, 10, t(2026, 12, 17, 15, 0), t(2026, 12, 24, 15, 0)),  # all in 2026
    (t(2026, 12, 24, 15, 0), 5, 10, t(2026, 12, 31, 15, 0), None),  # end reaches 2027
    (t(2027, 2, 1, 15, 0), 5, 10, None, None),                       # all of it in 2027
    (t(2026, 12, 24, 15, 0), 2, 3, t(2026, 12, 28, 15, 0), t(2026, 12, 29, 15, 0)),
])
def test_a_window_states_only_the_ends_the_calendar_knows(start, lo, hi, earliest, latest):
    w = working_day_window(start, lo, hi)
    assert (w.earliest, w.latest) == (earliest, latest)
    assert w.certain == (earliest is not None and latest is not None)


@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_surely_over_is_exact_where_the_calendar_knows_every_day(n):
    # across 国庆 2025 (a 调休 Sunday and a week off): the same answer as counting the days
    start = t(2025, 9, 26, 14, 0)
    end_day = add_working_days(start, n).date()
    for offset in range(0, 30):
        now = t(2025, 9, 26, 9, 0) + timedelta(days=offset)
        assert surely_over(start, n, now) is (now.date() > end_day), (n, now)


def test_surely_over_in_an_uncovered_year_allows_the_most_holidays_a_known_stretch_that_long_held():
    start = t(2026, 12, 24, 15, 0)   # 5 working days known in 2026, then 2027 (not covered)
    # 2027-01-01..01-12: 8 weekdays in 12 days; known 12-day stretches held up to 6 weekday holidays
    assert not surely_over(start, 10, t(2027, 1, 13, 9, 0))
    # 2027-01-01..01-19: 13 weekdays in 19 days; no known 19-day stretch held more than 8
    assert surely_over(start, 10, t(2027, 1, 20, 9, 0))


def test_the_bound_for_an_uncovered_stretch_comes_from_the_holiday_data():
    assert most_weekdays_off_within(30) == 8        # 2004-2026: the hand count
    assert most_weekdays_off_within(7) == 5
    # a (made-up) year with three weeks off raises the bound: it is computed, not a constant
    long_break = YearSchedule(2030, "test", frozenset(date(2030, 3, 1) + timedelta(days=i) for i in range(21)),
                              frozenset())
    assert most_weekdays_off_within(30, HolidayCalendar({2030: long_break})) == 15
