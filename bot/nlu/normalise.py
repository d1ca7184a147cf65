"""Text normalisation for the Chinese NLU pipeline.

``TraditionalToSimplified`` runs first in the pipeline and rewrites the message's
``text`` attribute so that every later component sees one spelling:

* traditional characters -> simplified (OpenCC ``t2s``), 已發貨 -> 已发货;
* full-width ASCII (FF01-FF5E) -> ASCII, ideographic space -> space,
  full-width currency signs (￥ ￠ ￡) -> their ASCII/Latin-1 forms;
* control / format / surrogate characters (Unicode categories Cc, Cf, Cs, Zl, Zp)
  -> a plain space (the tokenizer then drops them);
* spelling (``bot/nlu/spelling.py``, component option ``spelling``, on by default):
  common typos / homophones of the same length (审合 -> 审核) and characters or
  short words repeated three or more times folded to two (啊啊啊啊 -> 啊啊 + spaces).

Every step is **length preserving** (one code point in, one code point out), so
character offsets computed on the normalised text (tokens, entity ``start`` /
``end``) are valid offsets into the original text.  This is why we do not use
full NFKC (it expands e.g. ㎏ -> kg, ﬁ -> fi) and why OpenCC phrase conversions
that would change the length fall back to character-by-character conversion.

The original text is kept in ``message.data["text_original"]`` and
``RestoreOriginalText`` (last component of the pipeline) puts it back into
``text``, so ``parse_data["text"]`` and the tracker hold what the buyer typed.
"""
from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.spelling import clean_spelling, spelling_fingerprint
from shared.chinese_text import fold_width, t2s_converter

logger = logging.getLogger(__name__)

ORIGINAL_TEXT_KEY = "text_original"
NORMALISED_TEXT_KEY = "text_normalised"

_CONTROL_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out = t2s_converter().convert(ch)
    return out if len(out) == 1 else ch


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in _CONTROL_CATEGORIES


def _has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def to_simplified(text: str) -> str:
    """OpenCC t2s, guaranteed to return a string of the same length."""
    if not text or not _has_han(text):
        return text
    try:
        out = t2s_converter().convert(text)
    except Exception:  # pragma: no cover - defensive, OpenCC is pure python
        logger.exception("OpenCC conversion failed; falling back to per-char")
        out = None
    if out is not None and len(out) == len(text):
        return out
    # A phrase mapping changed the length: convert character by character.
    return "".join(_t2s_char(ch) for ch in text)


def normalise_text(text: Optional[str], spelling: bool = True) -> Optional[str]:
    """Length-preserving normalisation (see module docstring)."""
    if not text:
        return text
    # controls first (OpenCC must never see surrogates / NULs)
    if any(_is_control(ch) for ch in text):
        text = "".join(" " if _is_control(ch) else ch for ch in text)
    text = to_simplified(fold_width(text))
    return clean_spelling(text) if spelling else text


def _normalise_message(message: Message, spelling: bool = True) -> None:
    text = message.get(TEXT)
    if not isinstance(text, str):
        return
    if message.get(ORIGINAL_TEXT_KEY) is None:
        message.set(ORIGINAL_TEXT_KEY, text)
    normalised = normalise_text(text, spelling=spelling)
    message.set(NORMALISED_TEXT_KEY, normalised)
    message.set(TEXT, normalised)


def _simplify_entity_values(example: Message) -> None:
    # The text is simplified above; a value left traditional (an example
    # annotated [中國銀行](bank)) would teach the synonym mapper 中国银行 -> 中國銀行.
    for entity in example.get(ENTITIES) or []:
        if isinstance(entity.get("value"), str):
            entity["value"] = to_simplified(fold_width(entity["value"]))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class TraditionalToSimplified(GraphComponent):
    """Normalises ``text`` (t2s, full-width, controls) before tokenisation.

    Registered as a MESSAGE_TOKENIZER type (it is not a ``Tokenizer`` subclass,
    so Rasa's "only one tokenizer" check is not affected) because the default
    recipe only runs ``process_training_data`` for tokenizer/featurizer types;
    that is what makes the training data normalised the same way.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # spelling: typo / homophone fixes and repeat folding (bot/nlu/spelling.py)
        return {"spelling": True}

    def __init__(self, spelling: bool = True) -> None:
        self.spelling = spelling

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        # bot/nlu/spelling.py's tables are not part of this class's source, which is
        # what Rasa fingerprints: editing them must still retrain downstream
        return spelling_fingerprint() if config.get("spelling", True) else None

    @staticmethod
    def required_packages() -> List[Text]:
        # Not ["opencc"]: Rasa fingerprints required packages through
        # pkg_resources.get_distribution(name) and the distribution is called
        # "opencc-python-reimplemented" (while the import name is "opencc").
        return []

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TraditionalToSimplified":
        # warm OpenCC's dictionaries at load time, not on the first message
        normalise_text("已發貨")
        return cls(spelling=bool(config.get("spelling", True)))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            _normalise_message(example, self.spelling)
            _simplify_entity_values(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            _normalise_message(message, self.spelling)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class RestoreOriginalText(GraphComponent):
    """Last pipeline step: put the buyer's original text back into ``text``.

    Registered as ENTITY_EXTRACTOR so the recipe places it in the predict graph
    after everything listed before it (it extracts nothing).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RestoreOriginalText":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            original = message.get(ORIGINAL_TEXT_KEY)
            if isinstance(original, str):
                message.set(TEXT, original)
        return messages
