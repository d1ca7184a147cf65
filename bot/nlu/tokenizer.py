"""Jieba tokenizer for the refund bot.

Differences from ``rasa.nlu.tokenizers.jieba_tokenizer.JiebaTokenizer``:

* whitespace tokens are dropped (RasaHQ/rasa #7910, #10578: they misalign
  featurizers); a message made only of whitespace keeps one token so that
  featurizers never see an empty token list (as Rasa's WhitespaceTokenizer does);
* runs of ASCII digits are always their own token: "No3286451901234567890" ->
  "No" / "3286451901234567890", and digit runs that jieba split are re-joined,
  so an order number is one token for the featurizers and for entity alignment;
* ``dictionary_path`` must be a *directory* (Rasa loads every file in it;
  a file path silently loads nothing) - we fail loudly otherwise;
* the dictionary files' content is part of the training fingerprint through
  ``fingerprint_addon`` (Rasa 3.6 ``rasa/engine/training/fingerprinting.py``
  calls it for every node), so editing only ``data/jieba/*`` retrains the
  tokenizer and everything downstream without ``--force``;
* jieba is initialised (prefix dict built, ~1 s) when the component is
  created/loaded, not on the first buyer message.
"""
from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
from typing import Any, Dict, Iterable, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer as RasaJiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

_DIGIT_SPLIT = re.compile(r"[0-9]+(?:\.[0-9]+)?|[^0-9]+")
_DIGIT_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_loaded_dictionaries: set = set()
# jieba sometimes glues a unit to the next word after a number ("129元到" ->
# "129" / "元到"); such a piece is split after the unit so that "129元" can be
# an entity on token boundaries. Longest units first.
UNIT_PREFIXES = ("个工作日", "块钱", "元钱", "工作日", "个小时", "个星期", "个礼拜", "个月",
                 "小时", "星期", "礼拜", "元", "块", "圆", "天", "周")


def dictionary_files(path: Text) -> List[Text]:
    """The files Rasa's JiebaTokenizer would load from ``path`` (sorted)."""
    return sorted(f for f in glob.glob(f"{path}/*") if os.path.isfile(f))


def dictionary_fingerprint(path: Optional[Text]) -> Optional[Text]:
    """sha256 over the names and bytes of every dictionary file in ``path``."""
    if not path or not os.path.isdir(path):
        return None
    digest = hashlib.sha256()
    for name in dictionary_files(path):
        digest.update(os.path.basename(name).encode("utf-8") + b"\0")
        with open(name, "rb") as handle:
            digest.update(handle.read())
        digest.update(b"\0")
    return digest.hexdigest()


def load_user_dictionaries(path: Optional[Text]) -> None:
    """Load every file of a jieba user-dictionary directory (idempotent)."""
    import jieba

    if not path:
        return
    if not os.path.isdir(path):
        raise InvalidConfigException(
            f"jieba dictionary_path '{path}' is not a directory. Rasa reads "
            f"dictionary_path as a directory and loads every file inside it."
        )
    # Keyed by content, not by path: the tokenizer and the entity ruler each keep a
    # copy in the model, and jieba.load_userdict adds every frequency to jieba's
    # total again on each load, which shifts how other words are cut. Loading the
    # same words once per process keeps the cut the same in training (whichever
    # components the training cache skips) and in the server.
    key = dictionary_fingerprint(path)
    if key in _loaded_dictionaries:
        return
    for name in dictionary_files(path):
        logger.debug(f"Loading jieba user dictionary {name}")
        jieba.load_userdict(name)
    _loaded_dictionaries.add(key)


def warm_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    list(jieba.cut("已经发货了还能退款吗"))


def split_digit_runs(pieces: Iterable[Tuple[Text, int]]) -> List[Tuple[Text, int]]:
    """Make every ASCII digit run (optionally with decimals) its own piece.

    ``pieces`` are (text, start) pairs in order; whitespace pieces are kept
    here (callers decide). Adjacent digit pieces with nothing between them are
    merged, pieces mixing digits and other characters are split.
    """
    out: List[Tuple[Text, int]] = []
    for text, start in pieces:
        offset = 0
        for part in _DIGIT_SPLIT.findall(text):
            part_start = start + offset
            offset += len(part)
            if (
                out
                and _DIGIT_RUN.fullmatch(part)
                and _DIGIT_RUN.fullmatch(out[-1][0])
                and out[-1][1] + len(out[-1][0]) == part_start
                and "." not in out[-1][0]
            ):
                prev_text, prev_start = out[-1]
                out[-1] = (prev_text + part, prev_start)
            elif out and _DIGIT_RUN.fullmatch(out[-1][0]) and out[-1][1] + len(out[-1][0]) == part_start:
                unit = next((u for u in UNIT_PREFIXES if part.startswith(u) and len(part) > len(u)), None)
                if unit:
                    out.append((unit, part_start))
                    out.append((part[len(unit):], part_start + len(unit)))
                else:
                    out.append((part, part_start))
            else:
                out.append((part, part_start))
    return out


def segment(text: Text) -> List[Tuple[Text, int]]:
    """jieba segmentation + digit-run repair, whitespace removed."""
    import jieba

    pieces = [(word, start) for (word, start, _end) in jieba.tokenize(text)]
    return [(w, s) for (w, s) in split_digit_runs(pieces) if w.strip()]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class RefundJiebaTokenizer(RasaJiebaTokenizer):
    """Rasa's JiebaTokenizer minus whitespace tokens, plus digit-run repair.

    Named differently from Rasa's class on purpose: ``DefaultV1Recipe`` keys its
    registry by ``__name__``, so a subclass called ``JiebaTokenizer`` would
    silently replace Rasa's own ``JiebaTokenizer`` for the whole process.
    ``bot.nlu.tokenizer.JiebaTokenizer`` (the alias below) resolves to this class.
    """

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return dictionary_fingerprint(config.get("dictionary_path"))

    @staticmethod
    def _load_custom_dictionary(path: Text) -> None:
        load_user_dictionaries(path)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RefundJiebaTokenizer":
        warm_jieba()
        return super().create(config, model_storage, resource, execution_context)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "RefundJiebaTokenizer":
        warm_jieba()
        return super().load(
            config, model_storage, resource, execution_context, **kwargs
        )

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **RasaJiebaTokenizer.get_default_config(),
            # digit runs at least this long get `long_number_lemma` as lemma;
            # CountVectorsFeaturizer uses lemmas (use_lemma: true by default),
            # so every order number looks the same to the classifier instead
            # of contributing random digit n-grams. None disables it.
            "long_number_min_digits": 9,
            "long_number_lemma": "LONGNUM",
        }

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        pieces = segment(text)
        if not pieces:
            # only whitespace/control characters: keep one token so the
            # featurizers never see an empty sequence
            return [Token(text, 0)] if text else []
        min_digits = self._config.get("long_number_min_digits")
        lemma = self._config.get("long_number_lemma")
        tokens = []
        for word, start in pieces:
            if min_digits and word.isascii() and word.isdigit() and len(word) >= min_digits:
                tokens.append(Token(word, start, lemma=lemma))
            else:
                tokens.append(Token(word, start))
        return self._apply_token_pattern(tokens)


# config.yml name: bot.nlu.tokenizer.JiebaTokenizer (resolves to RefundJiebaTokenizer)
JiebaTokenizer = RefundJiebaTokenizer
