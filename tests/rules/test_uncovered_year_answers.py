"""Replies across 2026 -> 2027, a year the holiday calendar does not cover.

No reply states a working-day date the calendar cannot back: it gives the
start, the working days and that public holidays extend it instead.
"""
import re

import pytest

from actions.rules.answers import answer_for
from actions.rules.intents import REFUND_INTENTS
from actions.rules.knowledge import load_knowledge
from tests.support.engine_factories import buyer, fund, order, refund, t, with_refund

DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日")


def boc_refund(succeeded, bank="中国银行"):
    return with_refund(
        order("closed", payment_method="credit_card", card_bank=bank, closed_at=succeeded,
              paid_at=t(2026, 12, 1, 10, 0)),
        refund(status="succeeded", destination="credit_card", requested_at=succeeded, succeeded_at=succeeded))


def test_boc_refund_succeeding_on_christmas_eve_2026():
    # The bug: "12月31日至2027年1月7日", New Year's Day counted as a working day.
    text = answer_for("ask_refund_not_received", buyer(), boc_refund(t(2026, 12, 24, 15, 0)),
                      t(2026, 12, 24, 16, 0)).text
    assert "最早 12月31日 到账" in text                       # 5th working day, inside 2026: certain
    assert "最晚是 12月24日 之后的第10个工作日（12月24日 当天不算，遇法定节假日顺延）" in text
    assert "1月7日" not in text and "2027年" not in text
    assert set(DATE.findall(text)) == {"12月24日", "12月31日"}


def test_boc_refund_succeeding_on_1_february_2027():
    # The bug: a window straight through the Spring Festival.
    text = answer_for("ask_refund_not_received", buyer(), boc_refund(t(2027, 2, 1, 10, 0)),
                      t(2027, 2, 1, 11, 0)).text
    assert "预计在 2月1日 之后的5–10个工作日内到账（2月1日 当天不算，遇法定节假日顺延）" in text
    assert set(DATE.findall(text)) == {"2月1日"}
    assert "已超过" not in text


def test_an_uncovered_window_is_not_called_late_while_holidays_could_still_hold_it():
    # 10 working days from 12-24: 5 known in 2026, then Jan 2027 weekdays that a holiday could take
    text = answer_for("ask_refund_not_received", buyer(), boc_refund(t(2026, 12, 24, 15, 0)),
                      t(2027, 1, 15, 9, 0)).text
    assert "已超过" not in text and "节假日顺延" in text


def test_an_uncovered_window_is_late_once_no_holiday_schedule_could_hold_it():
    # by March more than a whole year's weekday holidays have passed: surely late, yet no 2027 date named
    b = buyer(funds=[fund("credit_card_refund", frozen_at=t(2026, 12, 24, 15, 0), card_bank="中国银行"),
                     fund("withdrawal_processing", frozen_at=t(2026, 12, 30, 10, 0))])
    now = t(2027, 3, 1, 9, 0)
    for text in (answer_for("ask_refund_not_received", b, boc_refund(t(2026, 12, 24, 15, 0)), now).text,
                 answer_for("ask_frozen_balance", b, None, now).text,
                 answer_for("ask_withdraw", b, None, now).text):
        assert "已超过" in text or "已过" in text, text
        assert re.search(r"2026年12月(24|30)日 之后的第(10|3)个工作日", text), text
        assert not re.search(r"2027年|(?<![0-9])[1-9]月[0-9]{1,2}日", text.replace("2026年12月", "")), text


def test_a_window_inside_2026_still_gets_exact_dates():
    text = answer_for("ask_refund_not_received", buyer(), boc_refund(t(2026, 12, 10, 15, 0)),
                      t(2026, 12, 11, 9, 0)).text
    assert "预计在 12月17日 至 12月24日 到账" in text


def test_no_bank_on_record_across_the_year_names_no_early_day():
    text = answer_for("ask_refund_not_received", buyer(), boc_refund(t(2026, 12, 24, 15, 0), bank=None),
                      t(2026, 12, 24, 16, 0)).text
    assert set(DATE.findall(text)) == {"12月24日"}
    assert "2–10个工作日内到账" in text


def test_frozen_card_refund_and_withdrawal_across_the_year():
    b = buyer(funds=[fund("credit_card_refund", frozen_at=t(2026, 12, 24, 15, 0), card_bank="中国银行"),
                     fund("withdrawal_processing", amount="300.00", frozen_at=t(2026, 12, 30, 10, 0))])
    now = t(2026, 12, 30, 11, 0)
    frozen = answer_for("ask_frozen_balance", b, None, now).text
    assert "最早 12月31日 到账" in frozen and "1月" not in frozen
    withdraw = answer_for("ask_withdraw", b, None, now).text
    assert "预计在 12月30日 之后的2–3个工作日内到账（12月30日 当天不算，遇法定节假日顺延）" in withdraw
    assert "1月" not in withdraw


def _orders_around_new_year():
    yield boc_refund(t(2026, 12, 24, 15, 0))
    yield boc_refund(t(2027, 2, 1, 10, 0), bank=None)
    yield order("shipped", paid_at=t(2026, 12, 20, 10), shipped_at=t(2026, 12, 28, 9))
    yield order("success", paid_at=t(2026, 12, 20, 10), shipped_at=t(2026, 12, 21, 9),
                signed_at=t(2026, 12, 23, 9), success_at=t(2026, 12, 24, 9))


@pytest.mark.parametrize("intent", REFUND_INTENTS)
def test_every_intent_answers_cleanly_around_new_year(intent):
    b = buyer(funds=[fund("credit_card_refund", frozen_at=t(2026, 12, 24, 15, 0)),
                     fund("withdrawal_processing", frozen_at=t(2026, 12, 30, 10, 0))])
    known = load_knowledge().rules
    for o in _orders_around_new_year():
        for now in (t(2026, 12, 24, 16, 0), t(2027, 1, 4, 9, 0), t(2027, 2, 1, 11, 0)):
            a = answer_for(intent, b, o, now)
            assert a.text.startswith("亲") and a.rule_ids
            assert not re.search(r"[A-Za-z]|None|\{|\}", a.text), a.text
            assert all(rid in known for rid in a.rule_ids)
