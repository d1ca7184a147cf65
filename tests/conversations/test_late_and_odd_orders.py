"""Issue #20 through the real servers: odd data, a calendar that has run out, a late system.

One buyer's orders in their own database, the action server's clock set by
BOT_NOW to 2027-01-15 15:00 (a year the holiday calendar does not cover),
questions typed in Chinese over Rasa's REST channel. One defect of each
weight: High (a late 中国银行 refund past the calendar; a placeholder bank),
Medium (an automatic refund overdue), Low (the unshipped-cancel condition).
"""
from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from actions.orders.db import make_engine
from actions.orders.loader import load_document

BUYER = "tb_late_buyer"
BOT_NOW = "2027-01-15T15:00:00+08:00"
BOC_LATE = "3286451907000000001"      # 中国银行 card refund that succeeded 2026-12-18
NO_BANK = "3286451907000000002"       # card refund, the store wrote "未知" as the bank
OVERDUE = "3286451907000000003"       # unshipped, refund asked 01-11: auto refund due 01-13 10:00
JUST_ASKED = "3286451907000000004"    # unshipped, refund asked today 10:00


def _order(order_id, status, paid_at, **kw):
    base = {"order_id": order_id, "buyer_id": BUYER, "shop": "小熊母婴旗舰店", "item": "羊毛围巾", "amount": "259.00",
            "status": status, "payment_method": "alipay_balance", "card_bank": None, "logistics": "express",
            "free_shipping": True, "seven_day_return": True, "fast_refund": False, "paid_at": paid_at,
            "shipped_at": None, "signed_at": None, "success_at": None, "closed_at": None}
    base.update(kw)
    return base


def _refund(order_id, status, requested_at, destination="alipay_balance", **kw):
    base = {"refund_id": "R" + order_id[-8:], "order_id": order_id, "kind": "refund_only", "status": status,
            "amount": "259.00", "reason": "不想要了", "requested_at": requested_at, "seller_agreed_at": None,
            "return_tracking_no": None, "return_shipped_at": None, "succeeded_at": None, "closed_at": None,
            "destination": destination}
    base.update(kw)
    return base


def _document():
    orders, refunds = [], []
    for order_id, bank, item, succeeded in ((BOC_LATE, "中国银行", "羊毛围巾", "2026-12-18T15:00:00+08:00"),
                                            (NO_BANK, "未知", "儿童保温杯", "2027-01-13T10:00:00+08:00")):
        orders.append(_order(order_id, "closed", "2026-12-01T10:00:00+08:00", payment_method="credit_card",
                             card_bank=bank, item=item, closed_at=succeeded))
        refunds.append(_refund(order_id, "succeeded", succeeded, "credit_card", succeeded_at=succeeded))
    orders.append(_order(OVERDUE, "paid", "2027-01-10T09:00:00+08:00", item="婴儿连体衣"))
    refunds.append(_refund(OVERDUE, "waiting_seller", "2027-01-11T10:00:00+08:00"))
    orders.append(_order(JUST_ASKED, "paid", "2027-01-14T09:00:00+08:00", item="蓝牙耳机"))
    refunds.append(_refund(JUST_ASKED, "waiting_seller", "2027-01-15T10:00:00+08:00"))
    return {"buyers": [{"buyer_id": BUYER, "real_name_verified": True}], "orders": orders, "refunds": refunds,
            "frozen_funds": []}


@pytest.fixture(scope="module")
def late_bot(tmp_path_factory):
    from tests.support.servers import running_bot

    workdir = tmp_path_factory.mktemp("late-bot")
    url = f"sqlite:///{workdir / 'orders.db'}"
    engine = make_engine(url)
    load_document(_document(), sessionmaker(engine, future=True))
    engine.dispose()
    with running_bot(workdir, {"ORDERS_DB_URL": url, "BOT_NOW": BOT_NOW}) as rasa:
        yield rasa


def ask(bot, text):
    from tests.support.servers import texts

    bot.say(BUYER, "/restart")
    return texts(bot.say(BUYER, text))


def test_high_a_late_card_refund_past_the_calendar_is_called_late_with_who_can_help(late_bot):
    reply = ask(late_bot, f"订单{BOC_LATE}退款成功了钱怎么还没到")
    assert "羊毛围巾" in reply and "已超过预计到账时间" in reply, reply
    assert "预计最早" not in reply and "感谢您的耐心等待" not in reply, reply
    assert "平台客服" in reply and "转人工" in reply, reply


def test_high_a_placeholder_bank_reads_as_no_bank_known(late_bot):
    reply = ask(late_bot, f"订单{NO_BANK}退款成功了钱怎么还没到")
    assert "儿童保温杯" in reply and "没有查到发卡银行" in reply, reply
    assert "未知信用卡" not in reply and "这家银行" not in reply, reply


def test_medium_an_overdue_automatic_refund_offers_a_person(late_bot):
    reply = ask(late_bot, f"订单{OVERDUE}退款进度怎么样了")
    assert "婴儿连体衣" in reply and "没有按时完成" in reply, reply
    assert "请稍后刷新" not in reply and "转人工" in reply, reply


def test_low_unshipped_cancel_says_the_refund_happens_if_the_seller_does_not_ship(late_bot):
    reply = ask(late_bot, f"订单{JUST_ASKED}不想退了，这个退款怎么撤销")
    assert "蓝牙耳机" in reply, reply
    assert "如果卖家在 1月17日 10:00 前没有发货，系统会自动退款成功" in reply, reply
    assert "没有同意的话" not in reply, reply
