"""What words in a buyer's message mean beyond its intent: the tables of asides.yml, read. Pure, no Rasa.

Its own module because both the asides (asides.py) and several questions in one
message (several.py) read a detail question's words ("钱退到哪", "几号前要寄").
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Tuple

import yaml

from actions.dialogue.references import simplified

ASIDES_PATH = Path(__file__).with_name("asides.yml")

# A message the model could not place that is about something bought (a buyer with no orders hears so).
ABOUT_AN_ORDER = re.compile(r"退|钱|订单|訂單|买|買|到账|到帳|发货|發貨|快递|快遞|单号|單號")
# An off-topic reading of a message with these words is more likely a misread refund question.
ABOUT_A_REFUND = re.compile(r"退|钱|錢|到账|到帳|收到|发货|發貨|快递|快遞|单号|單號")

# The question whose full answer covers a detail: asked about when several orders fit the detail,
# or standing for the detail among several questions in one message.
DETAIL_QUESTIONS = {"tracking_check": "ask_refund_progress", "tracking_where": "ask_refund_progress",
                    "return_deadline": "ask_refund_progress", "seller_deadline": "ask_refund_progress",
                    "arrival": "ask_refund_not_received", "destination": "ask_refund_not_received",
                    "evidence": "ask_platform_intervention"}


@lru_cache(maxsize=None)
def words_table(path: Optional[str] = None) -> Dict[str, Any]:
    with Path(path or ASIDES_PATH).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def matches(patterns: Iterable[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def detail_kind(text: str) -> Optional[str]:
    """The detail a message asks about (asides.yml's `details`, the first that matches), or None."""
    plain = simplified(text)
    return next((kind for kind, patterns in words_table()["details"].items() if matches(patterns, plain)), None)


def complaint_question(text: str) -> Optional[str]:
    """The refund question a message asks by its words (钱还没到 → 钱没到账), or None."""
    plain = simplified(text)
    return next((intent for intent, patterns in words_table()["complaint_questions"].items()
                 if matches(patterns, plain)), None)


def beside_answer(text: str) -> Optional[Dict[str, Any]]:
    """A part of the question the rules do not cover (asides.yml's `beside_answer`: 拒收), or None."""
    plain = simplified(text)
    return next((entry for entry in (words_table().get("beside_answer") or {}).values()
                 if matches(entry["words"], plain)), None)


def with_beside_line(answer_text: str, message_text: str) -> Tuple[str, bool]:
    """The answer, and the honest line for a part the rules do not cover after it; True if added."""
    entry = beside_answer(message_text)
    if entry is None:
        return answer_text, False
    return answer_text + "\n\n另外，" + entry["reply"].removeprefix("亲，"), True
