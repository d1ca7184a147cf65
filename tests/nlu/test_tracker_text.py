"""End to end through Rasa's graph: the tracker keeps the buyer's ORIGINAL text.

Trains a tiny NLU model (DIET without transformer, 30 epochs, ~20 s; Rasa's
LogisticRegressionClassifier cannot parse an empty message, DIET can) with our normaliser,
tokenizer, entity ruler and RestoreOriginalText, then logs a traditional message
through ``Agent.log_message`` (the processor path every channel uses).
"""
from __future__ import annotations

import asyncio
import textwrap

import pytest

from tests.support.nlu import CONFIG, NLU


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    directory = tmp_path_factory.mktemp("tiny_model")
    (directory / "config.yml").write_text(CONFIG, encoding="utf-8")
    (directory / "nlu.yml").write_text(textwrap.dedent(NLU), encoding="utf-8")
    model = train_nlu(
        str(directory / "config.yml"), str(directory / "nlu.yml"), str(directory),
        fixed_model_name="tiny",
    )
    return Agent.load(model)


def test_parse_keeps_original_text_and_classifies_traditional(agent):
    text = "已發貨的能退款麼？訂單號３２８６４５１９０１２３４５６７８９０"
    parse = asyncio.run(agent.parse_message(text))
    assert parse["text"] == text
    assert parse["intent"]["name"] == "ask_refund_after_shipping"
    (order,) = [e for e in parse["entities"] if e["entity"] == "order_id"]
    assert order["value"] == "3286451901234567890"
    assert order["extractor"] == "SpacyEntityRuler"
    assert text[order["start"]:order["end"]] == "３２８６４５１９０１２３４５６７８９０"


def test_tracker_stores_original_text(agent):
    from rasa.core.channels.channel import UserMessage

    text = "提現要幾天到帳"
    tracker = asyncio.run(agent.log_message(UserMessage(text, sender_id="nlu-test")))
    latest = tracker.latest_message
    assert latest.text == text
    assert latest.parse_data["text"] == text
    assert latest.intent["name"] == "ask_withdraw"
    stored = asyncio.run(agent.tracker_store.retrieve("nlu-test"))
    assert stored.latest_message.text == text


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "😀😀😀", "退" * 10000])
def test_odd_inputs_do_not_break_the_graph(agent, text):
    parse = asyncio.run(agent.parse_message(text))
    # Rasa's UserMessage strips surrounding whitespace itself
    assert parse["text"] == text.strip()
