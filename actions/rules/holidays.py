"""Which years' official holidays the bot knows: chinese-calendar plus data/holidays.yml.

The maintained `chinese-calendar` package is the base (1.11.0 knows
2004-2026); data/holidays.yml adds years the shop writes in when the State
Council publishes them (and, for a year both know, the file is used: a test
checks they agree). A day of a year in neither is unknown (None), never
guessed: workdays.py then refuses to give an exact date past it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Mapping, Optional, Set, Tuple

import chinese_calendar
import yaml

HOLIDAYS_PATH = Path(__file__).resolve().parents[2] / "data" / "holidays.yml"
# Years probed in the package (its data starts in 2004; this range is generous).
_LIBRARY_PROBE = range(1990, 2101)


@dataclass(frozen=True)
class YearSchedule:
    """One year of the State Council's notice: days off and 调休 working weekends."""

    year: int
    source: str
    days_off: FrozenSet[date]
    makeup_workdays: FrozenSet[date]

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.days_off


def _day(value: Any, where: str, year: int) -> date:
    if not isinstance(value, date):
        raise ValueError(f"{where}: {value!r} is not a date written YYYY-MM-DD")
    if value.year != year:
        raise ValueError(f"{where}: {value.isoformat()} is not in {year}")
    return value


def _parse_year(year: Any, raw: Any) -> YearSchedule:
    if not isinstance(year, int):
        raise ValueError(f"holidays.yml: year {year!r} is not a number")
    if not isinstance(raw, Mapping):
        raise ValueError(f"holidays.yml {year}: expected source, holidays and workdays")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"holidays.yml {year}: 'source' (the notice it comes from) is missing")
    periods = raw.get("holidays")
    if not isinstance(periods, list) or not periods:
        raise ValueError(f"holidays.yml {year}: 'holidays' must list the periods off")
    off: Set[date] = set()
    for i, period in enumerate(periods):
        where = f"holidays.yml {year} holidays[{i}]"
        if not isinstance(period, Mapping) or not period.get("name"):
            raise ValueError(f"{where}: needs name, from and to")
        first = _day(period.get("from"), where + ".from", year)
        last = _day(period.get("to"), where + ".to", year)
        if last < first:
            raise ValueError(f"{where}: 'to' {last} is before 'from' {first}")
        off.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    makeup: Set[date] = set()
    for i, value in enumerate(raw.get("workdays") or ()):
        day = _day(value, f"holidays.yml {year} workdays[{i}]", year)
        if day.weekday() < 5:
            raise ValueError(f"holidays.yml {year} workdays[{i}]: {day} is a weekday; "
                             "list only the weekend days that are worked (调休)")
        if day in off:
            raise ValueError(f"holidays.yml {year} workdays[{i}]: {day} is also listed as a holiday")
        makeup.add(day)
    return YearSchedule(year, source.strip(), frozenset(off), frozenset(makeup))


def parse_holidays(data: Any) -> Dict[int, YearSchedule]:
    """The years of a holidays.yml document; ValueError naming the bad entry."""
    years = (data or {}).get("years") if isinstance(data, Mapping) else None
    if years is None:
        return {}
    if not isinstance(years, Mapping):
        raise ValueError("holidays.yml: 'years' must map each year to its schedule")
    return {y: _parse_year(y, raw) for y, raw in years.items()}


@lru_cache(maxsize=None)
def library_covers(year: int) -> bool:
    """Does the installed chinese-calendar know this year?"""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class HolidayCalendar:
    """Working days from the file's years, else the package's years, else unknown."""

    def __init__(self, file_years: Mapping[int, YearSchedule]):
        self.file_years = dict(file_years)
        self.library_years = tuple(y for y in _LIBRARY_PROBE if library_covers(y))

    def covers(self, year: int) -> bool:
        return year in self.file_years or year in self.library_years

    def is_working_day(self, day: date) -> Optional[bool]:
        """True/False, or None when the day's year is not covered."""
        schedule = self.file_years.get(day.year)
        if schedule is not None:
            return schedule.is_working_day(day)
        if day.year in self.library_years:
            return bool(chinese_calendar.is_workday(day))
        return None

    def covered_until(self, day: date) -> Optional[date]:
        """Last day of the run of covered years that holds `day` (None: not covered)."""
        if not self.covers(day.year):
            return None
        year = day.year
        while self.covers(year + 1):
            year += 1
        return date(year, 12, 31)

    @property
    def years(self) -> Tuple[int, ...]:
        return tuple(sorted(set(self.file_years) | set(self.library_years)))


@lru_cache(maxsize=None)
def load_calendar(path: Optional[str] = None) -> HolidayCalendar:
    p = Path(path) if path else HOLIDAYS_PATH
    with p.open(encoding="utf-8") as fh:
        return HolidayCalendar(parse_holidays(yaml.safe_load(fh)))
