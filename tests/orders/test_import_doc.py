"""docs/orders.md is what a shop owner reads to build an import file: its
example must load, and its table of values must be exactly what the loader takes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from actions.orders.validate import ImportRejected, parse_import
from actions.rules import facts

DOC = Path(__file__).resolve().parents[2] / "docs" / "orders.md"
TEXT = DOC.read_text(encoding="utf-8")

# "| order `status` |" rows start a field; "| |" rows continue it.
FIELD_ENUMS = {
    "order `status`": facts.ORDER_STATUSES,
    "`payment_method`": facts.PAYMENT_METHODS,
    "`logistics`": facts.LOGISTICS,
    "refund `kind`": facts.REFUND_KINDS,
    "refund `status`": facts.REFUND_STATUSES,
    "refund `destination`": facts.REFUND_DESTINATIONS,
    "frozen `reason`": facts.FROZEN_REASONS,
}


def documented_values() -> dict:
    section = TEXT.split("### Values", 1)[1].split("\n\n", 2)[1]
    values: dict = {}
    current = None
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[1].startswith("---") or cells[1] == "value":
            continue
        current = cells[0] or current
        values.setdefault(current, []).append(cells[1].strip("`"))
    return values


def test_the_documented_example_loads():
    example = json.loads(re.search(r"```json\n(.*?)```", TEXT, re.S).group(1))
    parsed = parse_import(example, lambda ids: set(), lambda ids: set())
    assert [o["order_id"] for o in parsed["orders"]] == ["3286451901234567890"]
    assert parsed["refunds"][0]["status"] == "waiting_seller"


def test_the_documented_example_is_rejected_when_a_value_is_misspelt():
    example = json.loads(re.search(r"```json\n(.*?)```", TEXT, re.S).group(1))
    example["orders"][0]["status"] = "shiped"
    with pytest.raises(ImportRejected, match="status"):
        parse_import(example, lambda ids: set(), lambda ids: set())


@pytest.mark.parametrize("field", FIELD_ENUMS)
def test_the_documented_values_are_the_accepted_ones(field):
    assert documented_values()[field] == list(FIELD_ENUMS[field])
