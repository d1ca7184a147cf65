"""Send messages without any content to ``nlu_fallback``.

DIET always answers with *some* intent, often confidently: an emoji-only message
such as 😂😂😂 came out as ``deny``, a lone "？？？" or a message of control
characters got whatever intent the bias terms favour.  ``ContentGuard`` runs after
the classifiers (after ``FallbackClassifier``) and, when the message contains no
letter, no digit and no CJK character at all - i.e. only emoji / symbols,
punctuation, marks, whitespace or control characters (Unicode categories other
than ``L*`` and ``N*``) - sets the intent to ``nlu_fallback`` with confidence
1.0, so the dialogue's fallback rule (``action_clarify``) asks the buyer with
topic buttons instead of answering from a random refund rule.

Exception (``pass_through``, configurable): a message made only of a few gesture
emoji that the training data labels (👌 = affirm, 🙅 = deny) keeps the
classifier's answer; skin-tone modifiers, ZWJ, variation selectors and gender
signs are ignored for that check (🙅‍♀️ counts as 🙅).

Latin-only messages (no CJK character, no digit) are read only when one of their
words occurs in the training data ("ok", "thx", "hello"): the guard learns those
words when the model is trained. Keyboard mashing such as "asdfghjkl" or
"qwerty uiop" otherwise came out as ``affirm`` or ``thank`` with high confidence.

The classifier's own ranking is kept *behind* ``nlu_fallback`` (like
``FallbackClassifier`` does), so ``rasa test nlu`` - which undoes a fallback
prediction - and the quality gate still see what DIET predicted.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.normalise import ORIGINAL_TEXT_KEY

DEFAULT_PASS_THROUGH = ["👌", "🙅"]

# ignored when checking a message against ``pass_through``
_MODIFIERS = {"\u200d", "\ufe0f", "\ufe0e", "\u2640", "\u2642"} | {
    chr(cp) for cp in range(0x1F3FB, 0x1F400)  # skin tones
}


def has_content(text: Optional[str]) -> bool:
    """True if ``text`` holds at least one letter, digit or CJK character."""
    if not text:
        return False
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


_LATIN_WORD = re.compile(r"[a-z]+")
_VOCABULARY_FILE = "latin_words.json"


def latin_words(text: str) -> List[str]:
    return _LATIN_WORD.findall(unicodedata.normalize("NFKC", text).lower())


def unknown_latin_only(text: str, known: Optional[Set[str]]) -> bool:
    """True if ``text`` is Latin words only (no CJK, no digit), none of them known."""
    if known is None:
        return False
    if any(unicodedata.category(ch)[0] in "LN" and not ("a" <= ch.lower() <= "z")
           for ch in unicodedata.normalize("NFKC", text)):
        return False
    words = latin_words(text)
    return bool(words) and not any(word in known for word in words)


def only_pass_through(text: Optional[str], allowed: List[str]) -> bool:
    """True if ``text`` (ignoring whitespace and emoji modifiers) is non-empty
    and made only of characters in ``allowed``."""
    if not text or not allowed:
        return False
    chars = [ch for ch in text if not ch.isspace() and ch not in _MODIFIERS]
    allowed_chars = set("".join(allowed))
    return bool(chars) and all(ch in allowed_chars for ch in chars)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class ContentGuard(GraphComponent):
    """``nlu_fallback`` for messages with no content, or only unknown Latin words."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"pass_through": list(DEFAULT_PASS_THROUGH)}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        known_latin: Optional[Set[str]] = None,
    ) -> None:
        self._pass_through = list(config.get("pass_through") or [])
        self._model_storage, self._resource = model_storage, resource
        # None (not trained, as in the unit tests): Latin messages are left alone.
        self._known_latin = known_latin

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ContentGuard":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        words = sorted({w for example in training_data.training_examples
                        for w in latin_words(example.get(TEXT) or "")})
        self._known_latin = set(words)
        if self._model_storage is not None and self._resource is not None:
            with self._model_storage.write_to(self._resource) as directory:
                (directory / _VOCABULARY_FILE).write_text(json.dumps(words), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ContentGuard":
        try:
            with model_storage.read_from(resource) as directory:
                known = set(json.loads((directory / _VOCABULARY_FILE).read_text(encoding="utf-8")))
        except (ValueError, OSError):
            known = None
        return cls(config, model_storage, resource, known)

    def should_fallback(self, message: Message) -> bool:
        text = message.get(ORIGINAL_TEXT_KEY)
        if not isinstance(text, str):
            text = message.get(TEXT)
        if not isinstance(text, str):
            text = ""
        if has_content(text):
            return unknown_latin_only(text, self._known_latin)
        return not only_pass_through(text, self._pass_through)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not self.should_fallback(message):
                continue
            fallback = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: 1.0,
            }
            ranking = [
                r for r in (message.get(INTENT_RANKING_KEY) or [])
                if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
            ]
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [dict(fallback)] + ranking, add_to_output=True)
        return messages
