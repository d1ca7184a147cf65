"""One list of refund intents: domain.yml, data/rules.yml and the Python follow it."""
from pathlib import Path

import yaml

from actions.dialogue import text as dialogue_text
from actions.rules.answers import _HANDLERS
from actions.rules.intents import REFUND_INTENTS

ROOT = Path(__file__).resolve().parents[2]


def _or_lists(rules_doc):
    for rule in rules_doc["rules"]:
        for step in rule.get("steps", []):
            if "or" in step:
                yield rule["rule"], [s["intent"] for s in step["or"] if "intent" in s]


def test_domain_declares_every_refund_intent_and_no_unknown_ask_intent():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    asks = [i for i in domain["intents"] if isinstance(i, str) and i.startswith("ask_")]
    assert asks == list(REFUND_INTENTS)


def test_every_rule_that_lists_refund_intents_lists_exactly_them():
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))
    lists = list(_or_lists(rules))
    assert lists, "data/rules.yml should route refund questions with `or:` lists"
    for name, intents in lists:
        if any(i.startswith("ask_") for i in intents):
            assert intents == list(REFUND_INTENTS), name


def test_every_refund_intent_has_a_handler_and_a_button_title():
    assert set(_HANDLERS) == set(REFUND_INTENTS)
    assert set(dialogue_text.INTENT_TOPICS) == set(REFUND_INTENTS) | {"request_human"}
