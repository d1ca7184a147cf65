"""Multi-turn conversations through the real servers (tests/conversations/dialogues/*.yml).

Each conversation is a buyer id and turns; each turn says one message over
the REST channel and checks what the buyer reads:
  has: [..]        every substring appears in the reply
  has_any: [..]    at least one appears
  lacks: [..]      none appears
  buttons: N       exactly N buttons besides 👍/👎 (0: none)
  feedback: b      whether the reply offers 👍 解决了 / 👎 没解决
  asks_order: b    whether the bot asks "which order?"
  handoff: b       whether the reply hands over to a person
  summary_has: [..]  the hand-off's summary for the agent mentions each
  date: true       the reply names a date (11月25日)
  in_order: [..]   every substring appears, each after the one before
A message may name a day relative to now, as buyers do: "{now-9d}" becomes
"11月23号" when the demo shop's "now-9d" fell on that day.
The demo shop plus tests/conversations/more_orders.json (buyers with 2-4
orders) are loaded by tests/conftest.py.

tests/conversations/buyers_lead/*.yml are conversations written by buyers' rules
for issue #19: the ones marked `passes: true` run in make test like the others;
BUYERS_LEAD=1 runs them all (their STATUS.md says which pass).

Conversations marked `widget: true` (at least one in simplified and one in
traditional characters for each case of issue #19) are replayed a second time
through the web chat widget's channel (socket.io, signed buyer token), checked
the same way; the hand-off's staff summary is only checked over REST.
"""
from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from actions.dialogue import text as say
from shared.identity import make_buyer_token
from tests.support.servers import WIDGET_TOKEN_SECRET
from tests.support.widget import Widget

HERE = Path(__file__).parent
DATE = re.compile(r"\d{1,2}月\d{1,2}日")
ORDER_QUESTIONS = (say.CHOOSE_ORDER[:12], say.NARROWED[:8], say.NO_FIT[:10], say.ORDER_ID_PLEASE[:10])
FOLDERS = ["dialogues"] + (["buyers_lead"] if os.environ.get("BUYERS_LEAD") == "1" else [])
DAYS_AGO = re.compile(r"\{now-(\d+)d\}")
SHANGHAI = timezone(timedelta(hours=8))


def _conversations(widget_only: bool = False) -> List[Any]:
    found = []
    for folder in ["dialogues", "buyers_lead"]:
        prefix = "" if folder == "dialogues" else f"{folder}/"
        for path in sorted((HERE / folder).glob("*.yml")):
            for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
                if widget_only and not conversation.get("widget"):
                    continue
                if folder in FOLDERS or conversation.get("passes"):
                    found.append(pytest.param(conversation, id=f"{prefix}{path.stem}: {conversation['name']}"))
    return found


def _dated(message: str) -> str:
    def day(match: re.Match) -> str:
        moment = datetime.now(SHANGHAI) - timedelta(days=int(match[1]))
        return f"{moment.month}月{moment.day}号"

    return DAYS_AGO.sub(day, message)


def _check(turn: Dict[str, Any], replies: List[dict], where: str) -> None:
    text = "\n".join(r.get("text") or "" for r in replies)
    every = [b for r in replies for b in (r.get("buttons") or [])]
    buttons = [b for b in every if "feedback" not in b.get("payload", "")]
    shown = f"{where}\n--- reply ---\n{text}\n--- buttons: {[b.get('title') for b in buttons]}"
    expect = turn.get("expect") or {}
    assert replies, f"{where}: no reply at all"
    for part in expect.get("has", []):
        assert part in text, f"missing {part!r}: {shown}"
    if "has_any" in expect:
        assert any(p in text for p in expect["has_any"]), f"none of {expect['has_any']}: {shown}"
    for part in expect.get("lacks", []):
        assert part not in text, f"should not say {part!r}: {shown}"
    if "buttons" in expect:
        assert len(buttons) == expect["buttons"], f"{len(buttons)} buttons, expected {expect['buttons']}: {shown}"
    if "asks_order" in expect:
        asks = any(q in text for q in ORDER_QUESTIONS)
        assert asks == expect["asks_order"], f"asks which order: {asks}: {shown}"
    if "handoff" in expect:
        handoff = any((r.get("custom") or {}).get("handoff") for r in replies)
        assert handoff == expect["handoff"], f"hand-off: {handoff}: {shown}"
    if "summary_has" in expect:
        summary = next(((r.get("custom") or {}).get("handoff") and (r.get("custom") or {}).get("summary")
                        for r in replies if (r.get("custom") or {}).get("handoff")), None) or {}
        for part in expect["summary_has"]:
            assert part in (summary.get("text") or ""), f"summary lacks {part!r}: {summary}"
    if "feedback" in expect:
        offered = len(every) > len(buttons)
        assert offered == expect["feedback"], f"👍/👎 offered: {offered}: {shown}"
    if "in_order" in expect:
        places = [text.find(part) for part in expect["in_order"]]
        assert -1 not in places and places == sorted(places), f"not in order {expect['in_order']}: {shown}"
    if expect.get("date"):
        assert DATE.search(text), f"no date: {shown}"


@pytest.mark.parametrize("conversation", _conversations())
def test_conversation(bot, conversation):
    buyer = conversation["buyer"]
    bot.say(buyer, "/restart")
    for number, turn in enumerate(conversation["turns"], 1):
        replies = bot.say(buyer, _dated(turn["say"]))
        _check(turn, replies, f"turn {number} ({turn['say']!r})")


def _as_rest(messages: List[Dict[str, Any]], customs: List[Dict[str, Any]]) -> List[dict]:
    """What the widget received, in the REST channel's shape: quick replies are its buttons."""
    replies = [{"text": m.get("text") or "", "buttons": m.get("quick_replies") or m.get("buttons") or []}
               for m in messages]
    return replies + [{"custom": c} for c in customs]


@pytest.mark.parametrize("conversation", _conversations(widget_only=True))
def test_conversation_in_the_widget(bot, conversation):
    token = make_buyer_token(conversation["buyer"], WIDGET_TOKEN_SECRET)
    widget = Widget(bot.url, bot.origin)
    try:
        widget.open()
        for number, turn in enumerate(conversation["turns"], 1):
            customs = len(widget.customs)
            said = widget.say(_dated(turn["say"]), {"buyer_token": token}, quiet=0.6)
            expect = {k: v for k, v in (turn.get("expect") or {}).items() if k != "summary_has"}
            _check({**turn, "expect": expect}, _as_rest(said, widget.customs[customs:]),
                   f"widget turn {number} ({turn['say']!r})")
    finally:
        widget.close()
