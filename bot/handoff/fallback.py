"""转人工 when the action server cannot answer: the channel side of the hand-off (issue #23).

The hand-off is an action (``action_handoff``, with the agent's summary). When
the action server is down or hung, Rasa records the failed action and says
nothing, and the apology the buyer then got told them to type 人工: which
could not work. After Rasa has handled a message, ``hand_off_if_actions_failed``
looks at what it recorded: a message read as ``request_human`` that led to no
hand-off and no reply is handed off here instead, with the same reply text, the
same ``custom.handoff`` marker (a short summary: reason, verified buyer, last
messages, quoted) and the same ``SlotSet handoff_requested`` event, so every
channel, the store's IM and the review see an ordinary hand-off.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

from shared.contract import CUSTOM_HANDOFF, CUSTOM_REASON, CUSTOM_SUMMARY, HANDOFF_REPLY, HANDOFF_SLOT, REQUEST_HUMAN
from shared.payloads import in_words

REASON_TEXT = "买家要求转人工（自动回复服务暂时不可用，以下为简要信息）"
LAST_MESSAGES = 5
QUOTED_CHARS = 60


def _quoted(text: object) -> str:
    """One line in 「」 the buyer cannot close (as actions/dialogue/handoff_summary.py quotes)."""
    flat = "".join(c for c in " ".join(str(text or "").split()) if c.isprintable())
    flat = flat.replace("「", "『").replace("」", "』")
    return "「" + (flat[:QUOTED_CHARS] + "…" if len(flat) > QUOTED_CHARS else flat) + "」"


def _unanswered_request(events: List[Any]) -> Optional[UserUttered]:
    """The latest user message if it asked for a person and nothing (no reply, no hand-off) followed."""
    for event in reversed(events):
        if isinstance(event, UserUttered):
            return event if (event.intent or {}).get("name") == REQUEST_HUMAN else None
        if isinstance(event, BotUttered) or (isinstance(event, SlotSet) and event.key == HANDOFF_SLOT):
            return None
    return None


def summary(events: List[Any], buyer_id: Optional[str]) -> Dict[str, Any]:
    said = [in_words(e.text) for e in events if isinstance(e, UserUttered)][-LAST_MESSAGES:]
    lines = [f"转人工原因：{REASON_TEXT}。", f"买家：{_quoted(buyer_id) if buyer_id else '未登录访客'}。",
             "最近的消息：" + " ".join(_quoted(t) for t in said)]
    return {"buyer_id": buyer_id, "reason": REQUEST_HUMAN, "reason_text": REASON_TEXT,
            "last_messages": said, "text": "\n".join(lines)}


def hand_off_if_actions_failed(tracker: Any, verified_buyer: Optional[str]) -> Optional[Dict[str, Any]]:
    """The hand-off reply to send and record when ``tracker`` ends in an unanswered 转人工, else None."""
    events = list(tracker.events)
    if _unanswered_request(events) is None:
        return None
    custom = {CUSTOM_HANDOFF: True, CUSTOM_REASON: REQUEST_HUMAN, CUSTOM_SUMMARY: summary(events, verified_buyer),
              "actions_unavailable": True}
    return {"text": HANDOFF_REPLY, "custom": custom}


def handoff_events(reply: Dict[str, Any]) -> List[Any]:
    """What the hand-off action would have recorded: its message and the hand-off slot."""
    return [BotUttered(reply["text"], data={"custom": reply["custom"]}), SlotSet(HANDOFF_SLOT, True)]
