"""Working-day arrival windows end with their last day, not at a clock time.

Replies show such a window by date only ("12月5日前到账"), so at 15:00 on
that day the money is not yet late.
"""
import pytest

from actions.rules.timeline import card_refund_arrival, withdrawal_arrival
from tests.support.engine_factories import t

# Friday 2025-11-21 10:00 + 10 working days = Friday 12-05 10:00 (中国银行 card)
START = t(2025, 11, 21, 10, 0)


@pytest.mark.parametrize("now, passed", [
    (t(2025, 12, 5, 9, 0), False),
    (t(2025, 12, 5, 15, 0), False),    # later than 10:00, same day: not passed
    (t(2025, 12, 5, 23, 59), False),
    (t(2025, 12, 6, 0, 0), True),
])
def test_card_arrival_passes_after_its_last_day(now, passed):
    d = card_refund_arrival(START, "中国银行", now)
    assert d.at.date().isoformat() == "2025-12-05"
    assert d.passed is passed


def test_withdrawal_arrival_too():
    # 2-3 working days after Friday 11-21 10:00: Wednesday 11-26
    assert not withdrawal_arrival(START, t(2025, 11, 26, 18, 0)).passed
    assert withdrawal_arrival(START, t(2025, 11, 27, 8, 0)).passed
