"""What the conversation is about, and what the bot does next with a message.

Pure (no Rasa): the actions read the slots into a `Talk`, the latest message
into a `Message`, call one of the three functions below, and turn the `Step`
into slot events and replies.

- `start_question`: a refund question arrives (the order form starts).
- `continue_question`: the bot asked "which order?" and the buyer replied.
- `follow_up`: an order reference after an answer ("那另一单呢", "第二个").

The order under discussion (`Talk.focus_id`) and the candidates last shown
(`Talk.candidate_ids`, in the order shown) come from the buyer's own facts
only; a number that is not theirs gives the same step as one that does not
exist.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional, Tuple

from actions.dialogue.choice import candidate_orders, choose_order, find_own_order
from actions.dialogue.references import (
    NO_MATCH,
    NO_REFERENCE,
    ONE,
    SEVERAL,
    fitting_state,
    names_the_other,
    resolve_order,
    simplified,
)
from actions.dialogue.several import Clause, questions_in
from actions.rules.facts import BuyerFacts, OrderFacts
from actions.rules.intents import REFUND_INTENTS, needs_order

# Step outcomes
ANSWER = "answer"      # answer `question` about `order` (None: the general rule)
ASK = "ask"            # ask which of `candidates` (the full question, with buttons)
REMIND = "remind"      # keep waiting for the order; a short reminder at most
CLARIFY = "clarify"    # could not place the message twice: topic buttons, stop asking
DROP = "drop"          # stop asking, say only `reply`
PASS = "pass"          # not the form's to handle (转人工, a complaint that hands off): the rules take over;
#                        from follow_up: the message names no order, `order` is the one under discussion

# Notices said before the question is asked again
NOT_FOUND = "not_found"   # an order number that is not among the buyer's orders
NO_FIT = "no_fit"         # a reference that none of the shown orders fits
NARROWED = "narrowed"     # a reference that fits several: asking among those only

# Conversation intents answered by their own response while the bot waits.
CHIT_CHAT = {"greet": "utter_greet", "thank": "utter_thank", "affirm": "utter_still_waiting",
             "bot_challenge": "utter_bot_challenge", "out_of_scope": "utter_out_of_scope"}
# Intents a pick from the list may be read as ("第二个" as inform, "都不是那个" as deny).
PICK_INTENTS = {"inform_order_id", "nlu_fallback", "affirm", "deny", None}
MAX_FULL_ASKS = 2          # the full order question, at most twice in a row
HANDOFF_AFTER_COMPLAINTS = 2


@dataclass(frozen=True)
class Talk:
    question: Optional[str] = None
    focus_id: Optional[str] = None
    candidate_ids: Tuple[str, ...] = ()
    asks: int = 0          # full order questions in a row
    unclear: int = 0       # replies in a row that could not be placed
    complaints: int = 0


@dataclass(frozen=True)
class Message:
    intent: Optional[str]
    text: str = ""
    order_id: Optional[str] = None   # an order number the NLU found
    clauses: Tuple[Clause, ...] = ()  # each clause parsed on its own (several questions in one message)


@dataclass(frozen=True)
class Step:
    outcome: str
    talk: Talk
    order: Optional[OrderFacts] = None
    candidates: Tuple[OrderFacts, ...] = ()
    notice: Optional[str] = None
    reply: Optional[str] = None       # a response name to say first
    mentioned: Optional[str] = None   # the number behind NOT_FOUND


def _shown(buyer: Optional[BuyerFacts], ids: Tuple[str, ...]) -> Tuple[OrderFacts, ...]:
    found = (find_own_order(buyer, i) for i in ids)
    return tuple(o for o in found if o is not None)


def _answer(talk: Talk, order: Optional[OrderFacts], candidates: Tuple[OrderFacts, ...] = ()) -> Step:
    ids = tuple(o.order_id for o in candidates) or talk.candidate_ids
    new = replace(talk, focus_id=order.order_id if order else None, candidate_ids=ids, asks=0, unclear=0)
    return Step(ANSWER, new, order=order)


def _ask(talk: Talk, candidates: Tuple[OrderFacts, ...], notice: Optional[str] = None,
         mentioned: Optional[str] = None) -> Step:
    new = replace(talk, candidate_ids=tuple(o.order_id for o in candidates), asks=talk.asks + 1)
    return Step(ASK, new, candidates=candidates, notice=notice, mentioned=mentioned)


def start_question(intent: str, message: Message, buyer: Optional[BuyerFacts], talk: Talk,
                   asking: bool = False) -> Step:
    """A refund question: answer at once when the order is clear, else ask which.

    `asking`: the bot is waiting for "which order?", and a question whose state only one of the
    orders fits (卖家拒绝了我该怎么办) is answered about that one. As a first message the same
    words get the list: a refund under intervention was refused first.
    """
    talk = replace(talk, question=intent, asks=0, unclear=0)
    several = _several(message, buyer, talk)
    if several is not None:
        return several
    if buyer is None or not needs_order(intent):
        return Step(ANSWER, talk)
    if message.order_id:
        own = find_own_order(buyer, message.order_id)
        if own is None:  # the answer says "not found" and gives the general rule
            return Step(ANSWER, talk, mentioned=message.order_id)
        return _answer(talk, own)
    candidates = tuple(candidate_orders(intent, buyer))
    # An order the question names (保温杯, 尾号7912) wins over the intent's usual candidates.
    ref = resolve_order(message.text, buyer.orders, talk.focus_id, buyer.orders, strict=True)
    if ref.kind == SEVERAL:
        fitting = tuple(o for o in ref.orders if o in candidates) or ref.orders
        ref = replace(ref, kind=ONE if len(fitting) == 1 else SEVERAL, orders=fitting)
    if ref.kind == ONE:
        return _answer(talk, ref.order, candidates)
    if ref.kind == SEVERAL:
        return _ask(talk, ref.orders)
    focus = find_own_order(buyer, talk.focus_id)
    if focus is not None and (not candidates or focus in candidates or _sounds_like_follow_up(message.text)):
        # A follow-up about the order under discussion: "另一单" still means the list the
        # buyer saw with it, not the orders the new question would have listed.
        shown_with_focus = focus.order_id in talk.candidate_ids
        return _answer(talk, focus, () if shown_with_focus else candidates)
    fits = fitting_state(message.text, candidates) if asking and len(candidates) > 1 else ()
    if len(fits) == 1:  # 卖家拒绝了我该怎么办: only one of the orders is refused
        return _answer(talk, fits[0], candidates)
    choice = choose_order(intent, buyer, None)
    if choice.ask_between:
        return _ask(talk, choice.ask_between)
    return _answer(talk, choice.order, candidates)


# "那要几天到账", "卖家要是一直不处理呢", "还要多久": a follow-up leans on what was just said.
_FOLLOW_UP = re.compile(r"^(?:那|还要|还得|要|如果|卖家要是|万一|然后|再|多久|几天|大概)")


def _sounds_like_follow_up(text: str) -> bool:
    return bool(_FOLLOW_UP.search(simplified(text)))


# "要等多久啊": how long, whatever the model's guess (it guessed a complaint there).
_HOW_LONG = re.compile(r"多久|几天|多长时间|什么时候|啥时候|几号")


def leans_on_focus(message: Message, guess: Optional[str]) -> bool:
    """A message the NLU could not place, which opens like a follow-up (那大概还要几天) and whose
    best guess is a refund question or which asks how long: it asks on about the order under discussion."""
    if not _sounds_like_follow_up(message.text):
        return False
    return guess in REFUND_INTENTS or bool(_HOW_LONG.search(simplified(message.text)))


def _several(message: Message, buyer: Optional[BuyerFacts], talk: Talk) -> Optional[Step]:
    """Two or more questions, each with its order settled: answer them all now (actions/dialogue/several.py)."""
    questions = questions_in(message.clauses, buyer, talk.focus_id)
    first = next((q.order for q in questions if q.order is not None), None)
    if first is None:
        return None
    return _answer(replace(talk, question=questions[0].intent), first)


def continue_question(message: Message, buyer: Optional[BuyerFacts], talk: Talk) -> Step:
    """The buyer's reply while the bot waits for "which order?"."""
    several = _several(message, buyer, talk)
    if several is not None:
        return several
    shown = _shown(buyer, talk.candidate_ids)
    if message.order_id:
        own = find_own_order(buyer, message.order_id)
        if own is not None:
            return _answer(talk, own)
        return _reask(talk, shown, NOT_FOUND, message.order_id)
    ref = resolve_order(message.text, shown, talk.focus_id, buyer.orders if buyer else ())
    new_question = message.intent in REFUND_INTENTS and not (ref.kind != NO_REFERENCE and ref.pure)
    if ref.kind != NO_REFERENCE and not ref.pure and message.intent not in REFUND_INTENTS \
            and message.intent not in PICK_INTENTS:
        return _digression(message, shown, talk)  # a side question that names an item (还有别的键盘卖吗)
    if ref.kind == ONE:
        return _answer(replace(talk, question=message.intent) if new_question else talk, ref.order)
    if new_question and message.intent is not None:  # a question of its own, not a pick from the list
        return start_question(message.intent, message, buyer, talk, asking=True)
    if ref.kind == SEVERAL:
        return _reask(talk, ref.orders, NARROWED)
    if ref.kind == NO_MATCH:
        return _reask(talk, shown, NO_FIT)
    return _digression(message, shown, talk)


def _reask(talk: Talk, shown: Tuple[OrderFacts, ...], notice: str, mentioned: Optional[str] = None) -> Step:
    if talk.asks >= MAX_FULL_ASKS:
        return Step(CLARIFY, replace(talk, asks=0, unclear=0), notice=notice, mentioned=mentioned)
    return _ask(talk, shown, notice, mentioned)


def _digression(message: Message, shown: Tuple[OrderFacts, ...], talk: Talk) -> Step:
    intent = message.intent
    if intent == "request_human":
        return Step(PASS, talk)  # data/rules.yml: the form stops and a person takes over
    if intent == "complain":
        if talk.complaints + 1 >= HANDOFF_AFTER_COMPLAINTS:
            return Step(PASS, talk)  # data/rules.yml: the form stops, action_handle_complaint hands off
        return Step(REMIND, replace(talk, complaints=talk.complaints + 1), reply="utter_complain_apology")
    if intent == "goodbye":
        return Step(DROP, replace(talk, asks=0, unclear=0), reply="utter_goodbye")
    if intent == "deny":  # none of those: the general rule
        return Step(ANSWER, replace(talk, asks=0, unclear=0))
    if intent in CHIT_CHAT:
        return Step(REMIND, talk, reply=CHIT_CHAT[intent])
    # Could not place it (fallback, a bare "inform" with no order, anything else).
    if talk.unclear >= 1:
        return Step(CLARIFY, replace(talk, asks=0, unclear=0))
    talk = replace(talk, unclear=talk.unclear + 1)
    if talk.asks >= MAX_FULL_ASKS:
        return Step(REMIND, talk)
    return _ask(talk, shown)


def follow_up(message: Message, buyer: Optional[BuyerFacts], talk: Talk) -> Step:
    """An order reference after an answer: a number, 第二个, 那另一单呢, 羽绒服那个."""
    if message.order_id or buyer is None:
        own = find_own_order(buyer, message.order_id)
        if own is None:
            return Step(ANSWER, talk, mentioned=message.order_id)
        return _answer(talk, own)
    shown = _shown(buyer, talk.candidate_ids) or buyer.orders
    ref = resolve_order(message.text, shown, talk.focus_id, buyer.orders)
    if ref.kind in (NO_MATCH, NO_REFERENCE) and shown != buyer.orders:
        anywhere = resolve_order(message.text, buyer.orders, talk.focus_id, buyer.orders)
        ref = anywhere if anywhere.kind in (ONE, SEVERAL) else ref
    if ref.kind == ONE:
        return _answer(talk, ref.order)
    focus = find_own_order(buyer, talk.focus_id)
    if ref.kind == SEVERAL and focus in ref.orders and not names_the_other(message.text):
        return _answer(talk, focus)  # 信用卡 said of the order under discussion, among others
    if ref.kind == SEVERAL:  # 另一单 among several is a plain question, not a narrowed one
        return _ask(replace(talk, asks=0), ref.orders, None if names_the_other(message.text) else NARROWED)
    if ref.kind == NO_MATCH:
        return _ask(replace(talk, asks=0), shown, NO_FIT)
    return Step(PASS, talk, order=find_own_order(buyer, talk.focus_id))  # no reference: the order under discussion
