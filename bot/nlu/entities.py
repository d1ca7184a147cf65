"""Rule-based entity extraction with spaCy's ``entity_ruler``.

``SpacyEntityRuler`` owns its own spaCy 3.4 pipeline (no model download: a blank
``zh`` pipeline whose tokenizer is jieba with our user dictionary, plus an
``entity_ruler``).  Patterns live in ``bot/nlu/entity_patterns.jsonl`` (spaCy's
JSONL pattern format; ``id`` holds the canonical value, e.g. 工行 -> 工商银行).

Extracted entity types: ``order_id`` (15-20 ASCII digits, value = the digits),
``amount`` (value = "129.00"), ``bank`` and ``payment_method`` (value = the
canonical name), ``duration`` (value = the normalised surface text).

Tokenisation: spaCy's jieba segmenter is wrapped so that every ASCII digit run
is its own token (``bot.nlu.tokenizer.split_digit_runs``) - "No3286451901234567890"
becomes "No" / "3286451901234567890", and a 21-digit run stays one token, so the
token pattern ``^[0-9]{15,20}$`` can never match part of a longer number.

The component runs on the message's (normalised, simplified) ``text``; the
normaliser is length preserving, so ``start`` / ``end`` are valid offsets into
the buyer's original text as well.

Training only copies the pattern file and the jieba dictionary into the model
(so a packed model is self-contained); ``fingerprint_addon`` hashes both, so
editing either retrains this node.
"""
from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
import re
import shutil
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.normalise import normalise_text
from bot.nlu.tokenizer import (
    dictionary_files,
    dictionary_fingerprint,
    load_user_dictionaries,
    split_digit_runs,
    warm_jieba,
)

logger = logging.getLogger(__name__)

EXTRACTOR_NAME = "SpacyEntityRuler"
DEFAULT_PATTERNS_PATH = os.path.join(os.path.dirname(__file__), "entity_patterns.jsonl")
PATTERNS_FILE_NAME = "entity_patterns.jsonl"
DICTIONARY_DIR_NAME = "jieba"

_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ZH_NUMBER = re.compile(r"[零一二两三四五六七八九十百千万]+")


def chinese_to_number(text: str) -> Optional[int]:
    """五十 -> 50, 一百二十九 -> 129, 两千 -> 2000, 三万五千 -> 35000."""
    if not text:
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (1 if digit is None else digit) * _ZH_UNITS[ch]
            digit = None
        elif ch == "万":
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def amount_value(span_text: str) -> Optional[str]:
    match = _NUMBER.search(span_text)
    if match:
        return f"{float(match.group()):.2f}"
    match = _ZH_NUMBER.search(span_text)
    if match:
        number = chinese_to_number(match.group())
        if number is not None:
            return f"{number:.2f}"
    return None


def read_patterns(path: Text) -> List[Dict[Text, Any]]:
    patterns = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line:
                patterns.append(json.loads(line))
    return patterns


class _DigitAwareTokenizer:
    """Wraps spaCy's jieba tokenizer; ASCII digit runs become their own tokens."""

    def __init__(self, base: Any) -> None:
        self.base = base
        self.vocab = base.vocab

    def __call__(self, text: str) -> Any:
        from spacy.tokens import Doc
        from spacy.util import get_words_and_spaces

        doc = self.base(text)
        pieces = [(t.text, t.idx) for t in doc]
        words = [w for w, _ in split_digit_runs(pieces)]
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy calls these when (de)serialising a pipeline; we never persist it
    def to_bytes(self, **kwargs: Any) -> bytes:  # pragma: no cover
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> "_DigitAwareTokenizer":  # pragma: no cover
        return self


class EntityRulerEngine:
    """The spaCy pipeline plus value normalisation; usable without Rasa."""

    def __init__(
        self,
        patterns: List[Dict[Text, Any]],
        dictionary_path: Optional[Text] = None,
    ) -> None:
        import spacy

        warm_jieba()
        # the dictionary must be in jieba before the phrase patterns are
        # tokenised, or 招商银行 would become 招商/银行 in the pattern only
        load_user_dictionaries(dictionary_path)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.tokenizer = _DigitAwareTokenizer(nlp.tokenizer)
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]  # spaCy types add_pipe as Pipe
        self.nlp = nlp
        # warm the matcher
        self.extract("订单号3286451901234567890退129元到招商银行")

    @classmethod
    def from_files(
        cls, patterns_path: Text = DEFAULT_PATTERNS_PATH, dictionary_path: Optional[Text] = None
    ) -> "EntityRulerEngine":
        return cls(read_patterns(patterns_path), dictionary_path)

    def extract(self, text: Optional[str], normalise: bool = True) -> List[Dict[Text, Any]]:
        if not text:
            return []
        working = (normalise_text(text) if normalise else text) or ""
        if len(working) != len(text):  # pragma: no cover - normaliser guarantees it
            logger.warning("normalised text changed length; skipping entities")
            return []
        try:
            doc = self.nlp(working)
        except Exception:  # never let entity extraction break a conversation
            logger.exception("spaCy entity ruler failed")
            return []
        if doc.text != working:  # pragma: no cover - defensive
            logger.warning("spaCy doc text differs from input; skipping entities")
            return []
        entities = []
        for ent in doc.ents:
            start, end = ent.start_char, ent.end_char
            surface = working[start:end]
            label = ent.label_
            if label == "order_id":
                value: Optional[str] = surface
                if not re.fullmatch(r"[0-9]{15,20}", surface):
                    continue
            elif label == "amount":
                value = amount_value(surface)
            elif label in ("bank", "payment_method"):
                value = ent.ent_id_ or surface
            else:
                value = re.sub(r"\s+", "", surface)
            if value is None:
                continue
            entities.append(
                {
                    "entity": label,
                    "start": start,
                    "end": end,
                    "value": value,
                    "confidence_entity": 1.0,
                    "extractor": EXTRACTOR_NAME,
                }
            )
        return entities


def _resolved(config: Dict[Text, Any]) -> Dict[Text, Any]:
    return {**SpacyEntityRuler.get_default_config(), **(config or {})}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class SpacyEntityRuler(GraphComponent, EntityExtractorMixin):
    """Rasa graph component around ``EntityRulerEngine``."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # spaCy JSONL patterns; default: bot/nlu/entity_patterns.jsonl
            "patterns_path": None,
            # jieba user dictionary DIRECTORY (same as the tokenizer's)
            "dictionary_path": None,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy", "jieba"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        config = _resolved(config)
        digest = hashlib.sha256()
        with open(config["patterns_path"] or DEFAULT_PATTERNS_PATH, "rb") as handle:
            digest.update(handle.read())
        digest.update((dictionary_fingerprint(config["dictionary_path"]) or "").encode())
        return digest.hexdigest()

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        engine: EntityRulerEngine,
    ) -> None:
        self._config = _resolved(config)
        self._model_storage = model_storage
        self._resource = resource
        self.engine = engine

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SpacyEntityRuler":
        resolved = _resolved(config)
        engine = EntityRulerEngine.from_files(
            resolved["patterns_path"] or DEFAULT_PATTERNS_PATH,
            resolved["dictionary_path"],
        )
        return cls(config, model_storage, resource, engine)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SpacyEntityRuler":
        try:
            with model_storage.read_from(resource) as directory:
                patterns = read_patterns(os.path.join(directory, PATTERNS_FILE_NAME))
                dictionary_dir = os.path.join(directory, DICTIONARY_DIR_NAME)
                has_dictionary = bool(dictionary_files(dictionary_dir))
                engine = EntityRulerEngine(
                    patterns, dictionary_dir if has_dictionary else None
                )
        except (ValueError, FileNotFoundError):
            logger.warning(
                f"{cls.__name__}: no persisted patterns in the model; "
                f"using the files on disk."
            )
            return cls.create(config, model_storage, resource, execution_context)
        return cls(config, model_storage, resource, engine)

    def train(self, training_data: TrainingData) -> Resource:
        """Nothing to learn: store patterns + dictionary in the model."""
        with self._model_storage.write_to(self._resource) as directory:
            shutil.copy2(
                self._config["patterns_path"] or DEFAULT_PATTERNS_PATH,
                os.path.join(directory, PATTERNS_FILE_NAME),
            )
            dictionary_path = self._config["dictionary_path"]
            if dictionary_path:
                target = os.path.join(directory, DICTIONARY_DIR_NAME)
                os.makedirs(target, exist_ok=True)
                for name in glob.glob(f"{dictionary_path}/*"):
                    if os.path.isfile(name):
                        shutil.copy2(name, target)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            # TEXT is already normalised by TraditionalToSimplified; normalising
            # again is idempotent and keeps the component correct on its own.
            entities = self.engine.extract(text, normalise=True)
            entities = self.add_extractor_name(entities)
            message.set(
                ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True
            )
        return messages
