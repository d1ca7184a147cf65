"""Bank aliases (中银, BOC, Bank of China, 工行, ICBC ...) reach the right refund rule."""
import json
from pathlib import Path

import pytest
import yaml

from actions.rules.banks import BANKS_PATH, canonical_bank
from actions.rules.timeline import card_refund_working_days, order_timeline
from tests.support.engine_factories import order, refund, t, with_refund

PATTERNS = Path(__file__).resolve().parents[2] / "bot" / "nlu" / "entity_patterns.jsonl"


@pytest.mark.parametrize("written", [
    "中国银行", "中行", "中银", "中國銀行", "中银信用卡", "中国银行信用卡", "BOC", "boc", "ＢＯＣ",
    "Bank of China", "bank of  china", "BANK OF CHINA LIMITED", "BOC credit card", " 中国银行 ",
])
def test_every_spelling_of_bank_of_china_is_bank_of_china(written):
    assert canonical_bank(written) == "中国银行"
    assert card_refund_working_days(written) == (5, 10)


@pytest.mark.parametrize("written, bank", [
    ("BOCOM", "交通银行"), ("交行", "交通银行"), ("Bank of Communications", "交通银行"),
    ("工行", "工商银行"), ("ICBC", "工商银行"), ("中国工商银行", "工商银行"),
    ("建行", "建设银行"), ("CCB", "建设银行"), ("农行", "农业银行"),
    ("招行", "招商银行"), ("CMB", "招商银行"), ("CMBC", "民生银行"),
    ("邮储", "邮政储蓄银行"), ("浦发", "浦发银行"), ("廣發銀行", "广发银行"),
])
def test_other_banks_short_names_reach_their_bank_and_the_default_rule(written, bank):
    assert canonical_bank(written) == bank
    assert card_refund_working_days(written) == (2, 3)


@pytest.mark.parametrize("written", [None, "", "   ", "某某农村商业银行", "BOCX", "中", 42])
def test_unknown_or_empty_names_are_no_bank(written):
    assert canonical_bank(written) is None
    assert card_refund_working_days(written if isinstance(written, str) else None) == (2, 3)


def test_a_refund_to_a_card_written_boc_gets_the_5_to_10_day_window():
    o = with_refund(order("closed", payment_method="credit_card", card_bank="BOC", closed_at=t(2025, 11, 21, 10)),
                    refund(status="succeeded", destination="credit_card", succeeded_at=t(2025, 11, 21, 10)))
    d = order_timeline(o, t(2025, 11, 22, 9, 0)).deadline
    assert d.span == (5, 10)
    assert d.at == t(2025, 12, 5, 10, 0)   # 10 working days after Friday 11-21


def test_bank_entity_ids_and_the_engine_table_name_banks_alike():
    table = yaml.safe_load(BANKS_PATH.read_text(encoding="utf-8"))["banks"]
    for line in PATTERNS.read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        if p["label"] != "bank":
            continue
        assert p["id"] in table, p
        text = p["pattern"] if isinstance(p["pattern"], str) else " ".join(tok["LOWER"] for tok in p["pattern"])
        assert canonical_bank(text) == p["id"], p
