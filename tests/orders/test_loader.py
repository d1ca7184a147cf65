"""The JSON import: good files, each kind of bad record, idempotence (SQLite and PostgreSQL)."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from actions.orders.__main__ import main as orders_cli
from actions.orders.demo import demo_document
from actions.orders.loader import load_document, load_file
from actions.orders.models import Buyer, FrozenFund, Order, Refund
from actions.orders.queries import buyer_facts
from actions.orders.validate import ImportRejected
from actions.rules.facts import FROZEN_REASONS, ORDER_STATUSES, REFUND_STATUSES

SPEC_EXAMPLE = {
    "buyers": [{"buyer_id": "tb_lily88", "real_name_verified": False}],
    "orders": [{
        "order_id": "3286451901234567890", "buyer_id": "tb_lily88", "shop": "小熊母婴旗舰店",
        "item": "婴儿连体衣 66码", "amount": "129.00", "status": "shipped",
        "payment_method": "credit_card", "card_bank": "中国银行", "logistics": "express",
        "free_shipping": True, "seven_day_return": True, "fast_refund": False,
        "paid_at": "2026-11-18T10:00:00+08:00", "shipped_at": "2026-11-19T09:30:00+08:00",
        "signed_at": None, "success_at": None, "closed_at": None,
    }],
    "refunds": [{
        "refund_id": "R20261120001", "order_id": "3286451901234567890", "kind": "return_and_refund",
        "status": "waiting_seller", "amount": "129.00", "reason": "七天无理由",
        "requested_at": "2026-11-20T14:03:00+08:00", "seller_agreed_at": None,
        "return_tracking_no": None, "return_shipped_at": None, "succeeded_at": None,
        "closed_at": None, "destination": "credit_card",
    }],
    "frozen_funds": [{
        "buyer_id": "tb_lily88", "amount": "620.00", "reason": "unverified_receipt",
        "frozen_at": "2026-11-21T08:00:00+08:00", "card_bank": None,
    }],
}


def counts(sessions):
    with sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Buyer, Order, Refund, FrozenFund)
        )


def example():
    return copy.deepcopy(SPEC_EXAMPLE)


def test_spec_example_loads_with_exact_values(sessions):
    summary = load_document(example(), sessions)
    assert (summary.buyers, summary.orders, summary.refunds, summary.frozen_funds) == (1, 1, 1, 1)
    buyer = buyer_facts(sessions, "tb_lily88")
    order = buyer.orders[0]
    assert order.amount == Decimal("129.00")
    assert order.card_bank == "中国银行"
    assert order.shipped_at == datetime(2026, 11, 19, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    refund = order.latest_refund
    assert refund.status == "waiting_seller" and refund.requested_at.utcoffset() is not None
    assert buyer.frozen_funds[0].amount == Decimal("620.00")


def test_loading_twice_changes_nothing_and_updates_in_place(sessions):
    load_document(example(), sessions)
    load_document(example(), sessions)
    assert counts(sessions) == (1, 1, 1, 1)
    changed = example()
    changed["refunds"][0]["status"] = "succeeded"
    changed["refunds"][0]["succeeded_at"] = "2026-11-22T10:00:00+08:00"
    changed["frozen_funds"][0]["amount"] = "700.00"
    load_document(changed, sessions)
    assert counts(sessions) == (1, 1, 1, 1)
    order = buyer_facts(sessions, "tb_lily88").orders[0]
    assert order.latest_refund.status == "succeeded"
    assert buyer_facts(sessions, "tb_lily88").frozen_funds[0].amount == Decimal("700.00")


def test_a_later_file_may_refer_to_buyers_and_orders_loaded_before(sessions):
    load_document(example(), sessions)
    later = {"refunds": [dict(example()["refunds"][0], refund_id="R2", status="closed",
                              closed_at="2026-11-22T00:00:00+08:00")]}
    load_document(later, sessions)
    assert counts(sessions) == (1, 1, 2, 1)


def mutate(section, field, value):
    document = example()
    if value is KeyError:
        del document[section][0][field]
    else:
        document[section][0][field] = value
    return document


BAD_RECORDS = [
    ("orders", "status", "shipping", "orders[0] (order_id=3286451901234567890): field 'status'"),
    ("orders", "amount", "-5.00", "field 'amount' must not be negative"),
    ("orders", "amount", 129.0, "field 'amount' must be yuan as a string"),
    ("orders", "amount", "129", "field 'amount' must be yuan as a string"),
    ("orders", "shop", KeyError, "field 'shop' is required"),
    ("orders", "paid_at", "2026-11-18 10:00", "field 'paid_at' needs a UTC offset"),
    ("orders", "paid_at", "yesterday", "field 'paid_at' is not an ISO 8601 time"),
    ("orders", "logistics", "drone", "field 'logistics' unknown value 'drone'"),
    ("orders", "payment_method", "bitcoin", "field 'payment_method'"),
    ("orders", "free_shipping", "yes", "field 'free_shipping' must be true or false"),
    ("orders", "buyer_id", "tb_ghost", "field 'buyer_id' refers to unknown buyer 'tb_ghost'"),
    ("orders", "order_id", "12ab", "field 'order_id' has an invalid format"),
    ("orders", "shipped_at", None, "field 'shipped_at' is required when status is shipped"),
    ("refunds", "order_id", "3286451900000000000", "refunds[0] (refund_id=R20261120001): field 'order_id' refers to unknown order"),
    ("refunds", "kind", "exchange", "field 'kind' unknown value 'exchange'"),
    ("refunds", "status", "pending", "field 'status' unknown value 'pending'"),
    ("refunds", "destination", "cash", "field 'destination'"),
    ("refunds", "requested_at", KeyError, "field 'requested_at' is required"),
    ("refunds", "amount", "999.00", "field 'amount' is more than the order's amount"),
    ("frozen_funds", "reason", "mystery", "frozen_funds[0] (buyer_id=tb_lily88): field 'reason'"),
    ("frozen_funds", "buyer_id", "tb_nobody", "field 'buyer_id' refers to unknown buyer"),
    ("buyers", "real_name_verified", "no", "buyers[0] (buyer_id=tb_lily88): field 'real_name_verified'"),
]


@pytest.mark.parametrize("section,field,value,message", BAD_RECORDS,
                         ids=[f"{s}.{f}={v!r}" for s, f, v, _ in BAD_RECORDS])
def test_bad_record_rejects_the_whole_file_naming_record_and_field(sessions, section, field, value, message):
    load_document(example(), sessions)
    before = counts(sessions)
    document = mutate(section, field, value)
    # Add a good new buyer too: it must not be stored when the file is rejected.
    document["buyers"].append({"buyer_id": "tb_innocent", "real_name_verified": True})
    with pytest.raises(ImportRejected) as rejected:
        load_document(document, sessions)
    assert any(message in error for error in rejected.value.errors), rejected.value.errors
    assert counts(sessions) == before
    assert buyer_facts(sessions, "tb_innocent") is None


def test_duplicate_ids_in_one_file_are_rejected(sessions):
    document = example()
    document["orders"].append(copy.deepcopy(document["orders"][0]))
    with pytest.raises(ImportRejected) as rejected:
        load_document(document, sessions)
    assert "orders[1] (order_id=3286451901234567890): field 'order_id' is a duplicate" in str(rejected.value)
    assert counts(sessions) == (0, 0, 0, 0)


@pytest.mark.parametrize("document", [[], "text", {"orders": {"not": "a list"}}, {"orders": ["x"]}])
def test_malformed_documents_are_rejected(sessions, document):
    with pytest.raises(ImportRejected):
        load_document(document, sessions)


def test_demo_data_covers_every_status_and_reason_with_live_times(sessions):
    load_document(demo_document(), sessions)
    with sessions() as session:
        assert set(session.scalars(select(Order.status))) == set(ORDER_STATUSES)
        assert set(session.scalars(select(Refund.status))) == set(REFUND_STATUSES)
        assert set(session.scalars(select(FrozenFund.reason))) == set(FROZEN_REASONS)
        newest = max(session.scalars(select(Refund.requested_at)))
    assert datetime.now(timezone.utc) - newest < timedelta(days=3)


def test_cli_reports_rejections_and_loads_good_files(tmp_path, monkeypatch, capsys, db_url):
    monkeypatch.setenv("ORDERS_DB_URL", db_url)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(example(), ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(mutate("orders", "status", "lost"), ensure_ascii=False), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")

    assert orders_cli(["load", str(bad)]) == 1
    assert "orders[0] (order_id=3286451901234567890): field 'status'" in capsys.readouterr().err
    assert orders_cli(["load", str(broken)]) == 1
    assert "not valid JSON at line 1" in capsys.readouterr().err
    assert orders_cli(["load", str(good)]) == 0
    assert "loaded 1 buyers, 1 orders, 1 refunds, 1 frozen funds" in capsys.readouterr().out
    # With ORDERS_DB_URL set, the demo is never loaded into a store's database.
    assert orders_cli(["demo", "--if-empty"]) == 0
    assert "not loading demo data" in capsys.readouterr().out


def test_queries_only_return_the_asking_buyers_rows(sessions):
    document = example()
    document["buyers"].append({"buyer_id": "tb_other", "real_name_verified": True})
    other = dict(document["orders"][0], order_id="3286451909999999999", buyer_id="tb_other")
    document["orders"].append(other)
    load_document(document, sessions)
    assert [o.order_id for o in buyer_facts(sessions, "tb_lily88").orders] == ["3286451901234567890"]
    assert [o.order_id for o in buyer_facts(sessions, "tb_other").orders] == ["3286451909999999999"]
    assert buyer_facts(sessions, "tb_nobody") is None


def test_load_file_rejects_non_utf8(tmp_path, sessions):
    path = tmp_path / "gbk.json"
    path.write_bytes('{"buyers": [{"buyer_id": "张三"}]}'.encode("gbk"))
    with pytest.raises(ImportRejected, match="not UTF-8"):
        load_file(path, sessions)
