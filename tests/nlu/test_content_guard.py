"""bot.nlu.content_guard.ContentGuard: messages without letters/digits/CJK -> nlu_fallback.

Unit tests on Messages (no training), a check that config.yml registers the
guard after the classifiers, and an end-to-end check through a tiny trained
model (the one from test_tracker_text, ~20 s).
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from bot.nlu.content_guard import ContentGuard, has_content
from bot.nlu.normalise import ORIGINAL_TEXT_KEY

ROOT = Path(__file__).resolve().parents[2]

NO_CONTENT = [
    "😂😂😂",
    "😂",
    "🤔🤔 ？？",
    "？？？",
    "...",
    "。。。！！",
    "~~~",
    "   ",
    "",
    "\x00\x01\x7f",
    "\u200b\u200d\ufeff",  # zero-width / format characters only
    "\u3000\t\n",
    "👍🏻👍🏻",
    "♥♥♥",
    "(╯°□°)╯︵ ┻━┻",  # kaomoji made of symbols only
]

WITH_CONTENT = [
    "退款",
    "已發貨",
    "ok",
    "1",
    "３２８６",  # full-width digits
    "😂 退款呢",
    "在吗😂",
    "？？？人呢",
    "Ⅷ",  # letter-number
    "①",
    "あ",
]


def _guard(**config):
    return ContentGuard({**ContentGuard.get_default_config(), **config})


def _message(text, intent="deny", original=None):
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": text})
    if original is not None:
        message.set(ORIGINAL_TEXT_KEY, original)
    message.set("intent", {"name": intent, "confidence": 0.97})
    message.set("intent_ranking", [
        {"name": intent, "confidence": 0.97},
        {"name": "affirm", "confidence": 0.02},
    ])
    return message


def test_has_content():
    for text in WITH_CONTENT:
        assert has_content(text), text
    for text in NO_CONTENT:
        assert not has_content(text), repr(text)


@pytest.mark.parametrize("text", NO_CONTENT)
def test_no_content_goes_to_fallback(text):
    (message,) = _guard().process([_message(text)])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == "nlu_fallback"
    # the classifier's ranking stays behind it (rasa test nlu can undo the fallback)
    assert [r["name"] for r in ranking[1:]] == ["deny", "affirm"]


@pytest.mark.parametrize("text", WITH_CONTENT)
def test_content_keeps_the_classifier_intent(text):
    (message,) = _guard().process([_message(text)])
    assert message.get("intent")["name"] == "deny"


def test_original_text_is_checked_not_only_the_normalised_one():
    # the normaliser turns controls into spaces; the original decides
    (message,) = _guard().process([_message("   ", original="\x00\x01\x02")])
    assert message.get("intent")["name"] == "nlu_fallback"
    (message,) = _guard().process([_message("   ", original="  ")])
    assert message.get("intent")["name"] == "nlu_fallback"


def _trained_guard(*examples):
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    guard = _guard()
    guard.train(TrainingData([Message(data={"text": t, "intent": "x"}) for t in examples]))
    return guard


@pytest.mark.parametrize("text", ["asdfghjkl", "qwerty uiop", "ASDF!!", "zzz zzz", "ｑｗｅｒ"])
def test_latin_words_the_bot_never_learned_go_to_fallback(text):
    guard = _trained_guard("ok", "thank you", "iphone退款了吗", "你好")
    (message,) = guard.process([_message(text, intent="thank")])
    assert message.get("intent")["name"] == "nlu_fallback", text


@pytest.mark.parametrize("text", ["ok", "OK", "Ｏｋ！", "thank you", "ok asdf", "iPhone呢", "asdf 退款",
                                  "asdf 123"])
def test_known_latin_words_cjk_or_digits_keep_the_classifier_intent(text):
    guard = _trained_guard("ok", "thank you", "iphone退款了吗", "你好")
    (message,) = guard.process([_message(text, intent="thank")])
    assert message.get("intent")["name"] == "thank", text


def test_an_untrained_guard_leaves_latin_messages_alone():
    (message,) = _guard().process([_message("asdfghjkl", intent="thank")])
    assert message.get("intent")["name"] == "thank"


@pytest.mark.parametrize("text", ["👌", "🙅", "🙅‍♀️", "👌👌", " 👌🏽 "])
def test_labelled_gesture_emoji_pass_through(text):
    (message,) = _guard().process([_message(text, intent="affirm")])
    assert message.get("intent")["name"] == "affirm"


def test_pass_through_is_configurable():
    (message,) = _guard(pass_through=[]).process([_message("👌", intent="affirm")])
    assert message.get("intent")["name"] == "nlu_fallback"
    (message,) = _guard().process([_message("👌😂", intent="affirm")])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_no_duplicate_fallback_entries_after_fallback_classifier():
    message = _message("😂😂😂")
    message.set("intent", {"name": "nlu_fallback", "confidence": 0.6})
    message.set("intent_ranking", [{"name": "nlu_fallback", "confidence": 0.6},
                                   {"name": "deny", "confidence": 0.4}])
    (message,) = _guard().process([message])
    names = [r["name"] for r in message.get("intent_ranking")]
    assert names == ["nlu_fallback", "deny"]
    assert message.get("intent")["confidence"] == 1.0


def test_registered_in_config_after_the_classifiers():
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    assert "bot.nlu.content_guard.ContentGuard" in names
    guard = names.index("bot.nlu.content_guard.ContentGuard")
    assert guard > names.index("bot.nlu.ensemble.EnsembleVote")
    assert guard > names.index("FallbackClassifier")


def test_dialogue_handles_nlu_fallback():
    # the guard is only useful if the dialogue reacts to nlu_fallback
    rules = (ROOT / "data" / "rules.yml").read_text(encoding="utf-8")
    assert "intent: nlu_fallback" in rules


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    import textwrap

    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    from tests.support.nlu import CONFIG, NLU

    config = CONFIG.replace(
        "  - name: bot.nlu.entities.SpacyEntityRuler",
        "  - name: FallbackClassifier\n    threshold: 0.3\n"
        "  - name: bot.nlu.content_guard.ContentGuard\n"
        "  - name: bot.nlu.entities.SpacyEntityRuler",
    )
    assert "ContentGuard" in config
    directory = tmp_path_factory.mktemp("guard_model")
    (directory / "config.yml").write_text(config, encoding="utf-8")
    (directory / "nlu.yml").write_text(textwrap.dedent(NLU), encoding="utf-8")
    model = train_nlu(
        str(directory / "config.yml"), str(directory / "nlu.yml"), str(directory),
        fixed_model_name="guard",
    )
    return Agent.load(model)


@pytest.mark.parametrize("text", ["😂😂😂", "？？？", "...", "\x00\x01", "\u200b", "🤔 !!", "asdfghjkl"])
def test_end_to_end_no_content_is_nlu_fallback(agent, text):
    parse = asyncio.run(agent.parse_message(text))
    assert parse["intent"]["name"] == "nlu_fallback"
    assert parse["intent"]["confidence"] == 1.0
    assert parse["text"] == text.strip()


@pytest.mark.parametrize("text,intent", [("提现要几天", "ask_withdraw"),
                                         ("😂 已經發貨了還能退嗎", "ask_refund_after_shipping")])
def test_end_to_end_real_messages_unchanged(agent, text, intent):
    parse = asyncio.run(agent.parse_message(text))
    assert parse["intent"]["name"] == intent
