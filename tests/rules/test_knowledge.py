"""knowledge.yml: well-formed, traceable to the seeds, labels complete."""

import pytest

from actions.rules import facts, labels
from actions.rules.knowledge import load_knowledge
from tests.support.seeds import require_seeds

TRADITIONAL = set("發貨買賣實認證凍結後說時個帳運費網頁國銀號單確協處這還們點")


def test_rule_ids_are_unique_snake_case_and_complete():
    k = load_knowledge()
    assert len(k.rules) >= 35
    for rid, r in k.rules.items():
        assert rid == r.id and rid.replace("_", "").isalnum() and rid.islower(), rid
        assert r.summary and r.quote and r.seed.endswith(".txt"), rid


def test_quotes_are_simplified_chinese():
    for r in load_knowledge().rules.values():
        bad = TRADITIONAL & set(r.quote + r.summary)
        assert not bad, (r.id, bad)
        assert "(fā)" not in r.quote and "(zh" not in r.quote, r.id


def test_every_rule_names_an_existing_seed():
    names = {p.name for p in require_seeds().glob("*.txt")}
    for r in load_knowledge().rules.values():
        assert r.seed in names, r.id


def test_required_timeline_parameters():
    k = load_knowledge()
    assert k.param("paid_auto_refund_2d", "days") == 2
    assert k.param("return_seller_agree_5d", "days") == 5
    assert k.param("return_fill_tracking_7d", "days") == 7
    assert k.param("return_auto_refund_10d", "days") == 10
    assert k.param("refund_only_auto_5d", "days") == 5
    assert k.param("after_sales_15d", "days") == 15
    assert k.param("auto_confirm_10d", "days") == 10
    assert k.param("auto_confirm_post_30d", "days") == 30
    assert k.param("seven_day_no_reason", "days") == 7
    assert k.param("withdraw_own_id_bank", "working_days") == [2, 3]
    assert k.param("frozen_credit_card_refund", "working_days_by_bank") == {"中国银行": [5, 10]}
    assert k.param("frozen_credit_card_refund", "working_days_default") == [2, 3]
    assert k.param("frozen_unverified_receipt", "threshold_yuan") == 500


def test_conflicts_say_what_the_bot_follows():
    k = load_knowledge()
    ids = {c["id"] for c in k.conflicts}
    assert {"return_postage", "credit_card_arrival"} <= ids
    for c in k.conflicts:
        assert c["follows"] and c["why"] and c["rules"], c["id"]
    assert k.rule("credit_card_refund_3d").superseded_by == "frozen_credit_card_refund"
    assert "卖家" in k.rule("paid_auto_refund_2d").note
    assert any("买家沒有同意" in n or "買家沒有同意" in n for n in k.notes)


@pytest.mark.parametrize("name, enum", [
    ("ORDER_STATUS", facts.ORDER_STATUSES), ("PAYMENT_METHOD", facts.PAYMENT_METHODS),
    ("LOGISTICS", facts.LOGISTICS), ("REFUND_KIND", facts.REFUND_KINDS),
    ("REFUND_STATUS", facts.REFUND_STATUSES), ("REFUND_DESTINATION", facts.REFUND_DESTINATIONS),
    ("FROZEN_REASON", facts.FROZEN_REASONS),
])
def test_every_enum_value_has_a_chinese_label(name, enum):
    table = getattr(labels, name)
    assert set(table) == set(enum)
    for v in table.values():
        assert not any("a" <= c.lower() <= "z" for c in v), v
