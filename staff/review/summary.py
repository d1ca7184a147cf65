"""Totals over many conversations: per day, resolution rate, hand-offs, 👍/👎, masked buyer ids."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Dict, Iterable, List, Optional

from staff.review.conversations import Conversation, Unanswered

# Shops using this bot are in China: days are counted in Beijing time.
SHOP_TIMEZONE = timezone(timedelta(hours=8), "北京时间")


def mask_buyer(sender_id: str) -> str:
    """tb_lily88 -> tb_li***88; a channel prefix (store_im:, web:) stays readable."""
    prefix, _, buyer = sender_id.rpartition(":")
    prefix = prefix + ":" if prefix else ""
    if len(buyer) >= 8:
        return f"{prefix}{buyer[:5]}***{buyer[-2:]}"
    if len(buyer) >= 4:
        return f"{prefix}{buyer[:2]}***{buyer[-1:]}"
    return f"{prefix}***"


def shop_day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, SHOP_TIMEZONE).date().isoformat()


def shop_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, SHOP_TIMEZONE).strftime("%Y-%m-%d %H:%M")


@dataclass
class DayTotals:
    conversations: int = 0
    messages: int = 0
    resolved: int = 0


@dataclass
class Totals:
    conversations: int = 0
    resolved: int = 0
    messages: int = 0
    fallbacks: int = 0
    out_of_scope: int = 0
    handoffs: Counter = field(default_factory=Counter)
    feedback: Counter = field(default_factory=Counter)
    feedback_by_intent: Dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    feedback_by_rule: Dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    answers_by_intent: Counter = field(default_factory=Counter)
    per_day: Dict[str, DayTotals] = field(default_factory=lambda: defaultdict(DayTotals))
    handed_off: List[dict] = field(default_factory=list)
    unanswered: List[Unanswered] = field(default_factory=list)

    @property
    def resolution_rate(self) -> Optional[float]:
        return round(self.resolved / self.conversations, 4) if self.conversations else None

    def add(self, conversation: Conversation) -> None:
        if not conversation.messages:
            return  # a session with no buyer message is not a conversation
        self.conversations += 1
        self.messages += len(conversation.messages)
        self.resolved += conversation.resolved
        self.fallbacks += conversation.fallbacks
        self.out_of_scope += conversation.out_of_scope
        day = self.per_day[shop_day(conversation.started or 0.0)]
        day.conversations += 1
        day.messages += len(conversation.messages)
        day.resolved += conversation.resolved
        for handoff in conversation.handoffs:
            self.handoffs[handoff.reason] += 1
            self.handed_off.append({
                "buyer": mask_buyer(conversation.sender_id),
                "time": shop_time(handoff.timestamp),
                "reason": handoff.reason,
                "message": handoff.trigger.text if handoff.trigger else "",
            })
        for feedback in conversation.feedback:
            self.feedback[feedback.value] += 1
            self.feedback_by_intent[feedback.intent or "unknown"][feedback.value] += 1
            for rule_id in feedback.rule_ids:
                self.feedback_by_rule[rule_id][feedback.value] += 1
        for answer in conversation.answers:
            self.answers_by_intent[answer.intent or "unknown"] += 1
        self.unanswered.extend(conversation.unanswered)


def total(conversations: Iterable[Conversation]) -> Totals:
    totals = Totals()
    for conversation in conversations:
        totals.add(conversation)
    return totals


def up_down(counter: Counter) -> Dict[str, int]:
    return {"up": counter.get("up", 0), "down": counter.get("down", 0)}
