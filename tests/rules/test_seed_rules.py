"""Seed content the bot now answers from: rules, parameters and the 维权 conflict."""
from actions.rules.knowledge import load_knowledge


def test_delivery_times_from_seed_001():
    k = load_knowledge()
    assert k.param("delivery_times", "days_by_region") == {"江浙沪": [1, 2], "江浙沪以外": [3, 5], "偏远地区": [5, 7]}
    assert k.rule("delivery_times").seed.startswith("001_")
    assert k.rule("weather_delay").seed.startswith("001_")


def test_not_as_described_covers_colour_quantity_invoice_and_shelf_life():
    covers = load_knowledge().param("not_as_described_definition", "covers")
    assert {"颜色", "数量", "发票", "保质期"} <= set(covers)


def test_disputed_postage_needs_evidence():
    evidence = load_knowledge().param("postage_disputed_evidence", "evidence")
    assert "实物测量图片" in evidence
    assert "尺寸偏大" in load_knowledge().rule("postage_disputed_evidence").quote


def test_return_rules_from_seed_002_and_003():
    k = load_knowledge()
    for rid, seed in [("return_condition", "002_"), ("return_to_seller_address", "002_"),
                      ("keep_negotiation_records", "001_"), ("keep_purchase_proof", "002_"),
                      ("unshipped_cancel_full_refund", "003_"), ("logistics_remedies", "003_")]:
        assert k.rule(rid).seed.startswith(seed), rid


def test_the_weiquan_withdrawal_conflict_is_recorded():
    k = load_knowledge()
    conflict = next(c for c in k.conflicts if c["id"] == "weiquan_withdrawal")
    assert set(conflict["rules"]) == {"cancel_refund_no_entry", "weiquan_once"}
    assert "intervening" in conflict["follows"] and "撤销" in conflict["follows"]
