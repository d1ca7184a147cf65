"""BOT_NOW across 2026 -> 2027, through the action the server runs and a real order database.

A 中国银行 credit-card refund that succeeds on 24 December 2026, and one that
succeeds on 1 February 2027 (a year the holiday calendar does not cover).
"""
from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy.orm import sessionmaker

from actions.actions import ActionAnswerQuestion
from actions.orders import db
from actions.orders.db import make_engine
from actions.orders.loader import load_document
from tests.support.trackers import make_tracker, said, user_event

DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日")
BUYER = "tb_boc_buyer"
ORDER_ID = "3286451901234500001"


def _document(order_id: str, succeeded: str) -> dict:
    return {
        "buyers": [{"buyer_id": BUYER, "real_name_verified": True}],
        "orders": [{
            "order_id": order_id, "buyer_id": BUYER, "shop": "小熊母婴旗舰店", "item": "羊毛围巾",
            "amount": "259.00", "status": "closed", "payment_method": "credit_card", "card_bank": "中国银行",
            "logistics": "express", "free_shipping": True, "seven_day_return": True, "fast_refund": False,
            "paid_at": "2026-12-01T10:00:00+08:00", "shipped_at": None, "signed_at": None,
            "success_at": None, "closed_at": succeeded,
        }],
        "refunds": [{
            "refund_id": "R" + order_id[-8:], "order_id": order_id, "kind": "refund_only",
            "status": "succeeded", "amount": "259.00", "reason": "不想要了",
            "requested_at": succeeded, "seller_agreed_at": None, "return_tracking_no": None,
            "return_shipped_at": None, "succeeded_at": succeeded, "closed_at": None,
            "destination": "credit_card",
        }],
        "frozen_funds": [],
    }


def _answer(tmp_path, monkeypatch, succeeded: str, bot_now: str) -> str:
    url = f"sqlite:///{tmp_path / 'orders.db'}"
    engine = make_engine(url)
    load_document(_document(ORDER_ID, succeeded), sessionmaker(engine, future=True))
    engine.dispose()
    monkeypatch.setenv(db.DB_URL_ENV, url)
    monkeypatch.setenv("BOT_NOW", bot_now)
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    # the order form has picked the buyer's only refunded order
    tracker = make_tracker(BUYER, [user_event("退款成功了钱怎么还没到", "ask_refund_not_received")],
                           slots={"order_id": ORDER_ID})
    asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker, {}))
    return said(dispatcher)


def test_boc_refund_succeeding_on_24_december_2026(tmp_path, monkeypatch):
    text = _answer(tmp_path, monkeypatch, "2026-12-24T15:00:00+08:00", "2026-12-24T16:00:00+08:00")
    assert "羊毛围巾" in text and "中国银行信用卡" in text
    assert "最早 12月31日 到账" in text and "最晚是 12月24日 之后的第10个工作日（12月24日 当天不算，遇法定节假日顺延）" in text
    assert set(DATE.findall(text)) == {"12月24日", "12月31日"}   # no 2027 date


def test_boc_refund_succeeding_on_1_february_2027(tmp_path, monkeypatch):
    text = _answer(tmp_path, monkeypatch, "2027-02-01T10:00:00+08:00", "2027-02-01T11:00:00+08:00")
    assert "在 2月1日 之后的5–10个工作日内到账（2月1日 当天不算，遇法定节假日顺延）" in text
    assert set(DATE.findall(text)) == {"2月1日"}


@pytest.mark.parametrize("bot_now, late", [("2026-12-17T09:00:00+08:00", False), ("2026-12-25T09:00:00+08:00", True)])
def test_bot_now_moves_the_answer_as_a_clock_would(tmp_path, monkeypatch, bot_now, late):
    # succeeded 12-10: 5-10 working days -> 12-17 .. 12-24, all inside 2026
    text = _answer(tmp_path, monkeypatch, "2026-12-10T15:00:00+08:00", bot_now)
    assert ("已超过预计到账时间（12月24日）" in text) is late
    assert ("预计在 12月17日 至 12月24日 到账" in text) is not late
