"""What happened in one conversation, read from its tracker events (pure: no Rasa, no database).

The event contract (also in the package docstring and docs/staff.md):
- fallback: an `action_default_fallback` or `action_clarify` action, or a bot
  message of `utter_default`, after a buyer message;
- hand-off: SlotSet `handoff_requested` turning true; the reason is the
  `reason` in the bot message's custom JSON (`{"handoff": true, "reason": …}`,
  or `{"handoff": {"reason": …}}`);
- feedback: SlotSet `feedback` = "up" / "down", about the last answer before it;
- answers: bot messages whose custom JSON has `rule_ids` and `intent`;
- out of scope: the bot said `utter_out_of_scope` (listed with the unanswered
  questions, not counted against the resolution rate).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from shared.contract import (
    CUSTOM_HANDOFF,
    CUSTOM_INTENT,
    CUSTOM_REASON,
    CUSTOM_RULE_IDS,
    FEEDBACK_SLOT,
    FEEDBACK_VALUES,
    HANDOFF_SLOT,
)

FALLBACK_ACTIONS = frozenset({"action_default_fallback", "action_clarify", "utter_default"})
FALLBACK_RESPONSES = frozenset({"utter_default"})
# "这个问题我暂时帮不上忙": a designed answer (not a failure in the resolution
# rate), but exactly what a shop may want to teach the bot next.
OUT_OF_SCOPE_RESPONSES = frozenset({"utter_out_of_scope"})
# Messages that are not a question the bot could fail at: a bare "转人工" or "谢谢"
# says nothing about what went wrong, the question before it does; neither does a
# button's payload ("/inform_order_id{…}"), the question it answers does.
NOT_A_QUESTION_INTENTS = frozenset({
    "request_human", "greet", "goodbye", "thank", "affirm", "deny", "inform_order_id",
})
UNKNOWN_REASON = "unknown"


@dataclass
class BuyerMessage:
    text: str
    timestamp: float
    intent: Optional[str]


@dataclass
class Unanswered:
    """A buyer message the bot could not answer, and why (fallback / down / handoff / out_of_scope)."""

    message: BuyerMessage
    sender_id: str
    why: List[str] = field(default_factory=list)


@dataclass
class Answer:
    intent: Optional[str]
    rule_ids: Tuple[str, ...]
    question: Optional[BuyerMessage]


@dataclass
class Feedback:
    value: str  # "up" or "down"
    intent: Optional[str]
    rule_ids: Tuple[str, ...]


@dataclass
class Handoff:
    reason: str
    timestamp: float
    trigger: Optional[BuyerMessage]


@dataclass
class Conversation:
    sender_id: str
    messages: List[BuyerMessage] = field(default_factory=list)
    fallbacks: int = 0
    out_of_scope: int = 0
    handoffs: List[Handoff] = field(default_factory=list)
    feedback: List[Feedback] = field(default_factory=list)
    answers: List[Answer] = field(default_factory=list)
    unanswered: List[Unanswered] = field(default_factory=list)

    @property
    def started(self) -> Optional[float]:
        return self.messages[0].timestamp if self.messages else None

    @property
    def resolved(self) -> bool:
        """No fallback, no 👎 and no hand-off."""
        return not (self.fallbacks or self.handoffs or any(f.value == "down" for f in self.feedback))


def _dict(value) -> Dict:
    """Stored JSON is trusted for nothing: a field that is not an object reads as empty."""
    return value if isinstance(value, dict) else {}


def custom_of(event: Dict) -> Dict:
    return _dict(_dict(event.get("data")).get("custom"))


def _handoff_reason_in(custom: Dict) -> Optional[str]:
    handoff = custom.get(CUSTOM_HANDOFF)
    if isinstance(handoff, dict) and handoff.get(CUSTOM_REASON):
        return str(handoff[CUSTOM_REASON])
    if handoff and custom.get(CUSTOM_REASON):
        return str(custom[CUSTOM_REASON])
    return None


def _text_or_none(value) -> Optional[str]:
    return str(value) if value not in (None, "") else None


def _time(event: Dict) -> float:
    try:
        return float(event.get("timestamp") or 0)
    except (TypeError, ValueError):
        return 0.0


class _Turn:
    """A buyer message and everything the bot did until the next one."""

    def __init__(self, message: Optional[BuyerMessage]):
        self.message = message
        self.fallback = False
        self.out_of_scope = False
        self.handoff_values: List[bool] = []  # handoff_requested as set in this turn, in order
        self.reason_custom: Optional[str] = None
        self.feedback: Optional[str] = None
        self.answers: List[Answer] = []
        self.rated_here: Optional[Answer] = None  # feedback set after an answer of this same turn
        self.timestamp = message.timestamp if message else 0.0


def _turns(events: Iterable[Dict]) -> List[_Turn]:
    turns = [_Turn(None)]  # events before the first buyer message (session start)
    for event in events:
        kind = event.get("event")
        turn = turns[-1]
        if kind == "user":
            intent = _text_or_none(_dict(_dict(event.get("parse_data")).get("intent")).get("name"))
            turns.append(_Turn(BuyerMessage(str(event.get("text") or ""), _time(event), intent)))
        elif kind == "action" and event.get("name") in FALLBACK_ACTIONS:
            turn.fallback = turn.message is not None
        elif kind == "action" and event.get("name") in OUT_OF_SCOPE_RESPONSES:
            turn.out_of_scope = turn.message is not None
        elif kind == "bot":
            response = _dict(event.get("metadata")).get("utter_action")
            if response in FALLBACK_RESPONSES:
                turn.fallback = turn.message is not None
            if response in OUT_OF_SCOPE_RESPONSES:
                turn.out_of_scope = turn.message is not None
            custom = custom_of(event)
            if custom.get(CUSTOM_INTENT) == "out_of_scope":  # a question beyond the rules, declined with a line
                turn.out_of_scope = turn.message is not None
            turn.reason_custom = _handoff_reason_in(custom) or turn.reason_custom
            if CUSTOM_RULE_IDS in custom:
                listed = custom.get(CUSTOM_RULE_IDS)
                rule_ids = tuple(str(r) for r in listed) if isinstance(listed, list) else ()
                turn.answers.append(Answer(_text_or_none(custom.get(CUSTOM_INTENT)), rule_ids, None))
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == HANDOFF_SLOT:
                turn.handoff_values.append(value is True)
                turn.timestamp = _time(event) or turn.timestamp
            elif name == FEEDBACK_SLOT and value in FEEDBACK_VALUES:
                turn.feedback = value
                turn.rated_here = turn.answers[-1] if turn.answers else None
    return turns


def read_conversation(sender_id: str, events: Iterable[Dict]) -> Conversation:
    """Summarise one session's events (dicts as stored by Rasa's tracker store)."""
    conversation = Conversation(sender_id)
    unanswered: Dict[int, Unanswered] = {}  # by id() of the buyer message: counted once

    def mark(message: Optional[BuyerMessage], why: str) -> None:
        if message is None:
            return
        entry = unanswered.setdefault(id(message), Unanswered(message, sender_id))
        if why not in entry.why:
            entry.why.append(why)

    handed_off = False
    rated_topics: set = set()  # topics (intents) already rated in this conversation
    last_answer: Optional[Answer] = None
    last_question: Optional[BuyerMessage] = None
    for turn in _turns(events):
        if turn.message is not None:
            conversation.messages.append(turn.message)
            # A 👍/👎 click (feedback about an earlier answer) is not a question either.
            clicked_feedback = turn.feedback and turn.rated_here is None
            if is_question(turn.message) and not clicked_feedback:
                last_question = turn.message
        for answer in turn.answers:
            answer.question = last_question
        rated = (turn.rated_here or last_answer) if turn.feedback else None
        topic = rated.intent if rated else None
        if turn.feedback and topic in rated_topics:
            pass  # the bot offers 👍/👎 once per topic; one typed by hand again counts once (issue #23)
        elif turn.feedback:
            # 👍/👎 rate the answer given before the click, not the click itself.
            rated_topics.add(topic)
            conversation.feedback.append(Feedback(
                turn.feedback, rated.intent if rated else None, rated.rule_ids if rated else ()))
            if turn.feedback == "down" and rated is not None:
                mark(rated.question, "down")
        if turn.answers:
            conversation.answers.extend(turn.answers)
            last_answer = turn.answers[-1]
        if turn.fallback:
            conversation.fallbacks += 1
            mark(turn.message, "fallback")
        if turn.out_of_scope:
            conversation.out_of_scope += 1
            mark(turn.message, "out_of_scope")
        for requested in turn.handoff_values:
            # Counted when the conversation goes to staff, not each time the slot is re-set.
            if requested and not handed_off:
                reason = turn.reason_custom or UNKNOWN_REASON
                trigger = turn.message if is_question(turn.message) else (last_question or turn.message)
                conversation.handoffs.append(Handoff(reason, turn.timestamp, trigger))
                mark(trigger, "handoff")
            handed_off = requested
    conversation.unanswered = list(unanswered.values())
    return conversation


def is_question(message: Optional[BuyerMessage]) -> bool:
    return (message is not None and bool(message.text.strip()) and not message.text.startswith("/")
            and message.intent not in NOT_A_QUESTION_INTENTS)
