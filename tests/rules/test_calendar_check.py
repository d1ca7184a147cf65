"""The one-line coverage warning: both sides of the 60-day boundary, CLI and `make run`."""
import subprocess
from datetime import date

import pytest

from actions.rules.calendar_check import WARN_WITHIN_DAYS, coverage_line, coverage_warning
from actions.rules.holidays import HolidayCalendar, YearSchedule
from tests.support.engine_factories import t
from tests.support.servers import BIN, REPO, base_env


def test_sixty_days_before_the_end_warns():
    # coverage ends 2026-12-31; 2026-11-01 is exactly 60 days before
    warning = coverage_warning(t(2026, 11, 1, 9, 0))
    assert WARN_WITHIN_DAYS == 60
    assert warning and "2026-12-31" in warning and "60 days" in warning and "2027" in warning
    assert "\n" not in warning


def test_sixty_one_days_before_the_end_is_quiet():
    assert coverage_warning(t(2026, 10, 31, 23, 59)) is None
    assert coverage_line(t(2026, 10, 31, 9, 0)) == "holiday calendar: covered to 2026-12-31"


def test_the_boundary_is_a_china_date():
    # 2026-10-31 16:30 UTC is already 11-01 00:30 in China: 60 days left
    from datetime import datetime, timezone
    assert coverage_warning(datetime(2026, 10, 31, 16, 30, tzinfo=timezone.utc)) is not None


def test_an_uncovered_today_warns_that_no_dates_are_given():
    warning = coverage_warning(t(2027, 1, 5, 9, 0))
    assert warning and "2027 is not covered" in warning


def test_adding_next_year_silences_the_warning():
    # An invented schedule, only to show what adding a year to the file does.
    invented = YearSchedule(2027, "测试用的虚构安排", frozenset({date(2027, 1, 1)}), frozenset())
    cal = HolidayCalendar({2027: invented})
    assert coverage_warning(t(2026, 11, 28, 9, 0), cal) is None
    assert coverage_warning(t(2027, 11, 1, 9, 0), cal) is not None


def _check(bot_now: str):
    return subprocess.run([str(BIN / "python"), "-m", "actions.rules.calendar_check"], cwd=REPO,
                          env=base_env({"BOT_NOW": bot_now}), capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("bot_now, warns", [
    ("2026-11-28T09:00:00+08:00", True),
    ("2026-11-01T00:00:00+08:00", True),
    ("2026-10-31T23:59:00+08:00", False),
])
def test_the_command_prints_one_line_either_way(bot_now, warns):
    done = _check(bot_now)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("WARNING") == warns


def test_the_command_refuses_a_bot_now_without_offset():
    done = _check("2026-12-24 15:00")
    assert done.returncode == 2
    assert "BOT_NOW" in done.stderr and "+08:00" in done.stderr


def test_make_run_calls_the_check_before_starting_the_bot():
    plan = subprocess.run(["make", "-n", "run"], cwd=REPO, capture_output=True, text=True, timeout=60).stdout
    check = plan.find("-m actions.rules.calendar_check")
    assert check >= 0 and check < plan.find("scripts/run.sh")
