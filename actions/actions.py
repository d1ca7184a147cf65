"""Rasa actions: thin glue between the tracker, the order database and the rules.

Each action reads who is asking and what the talk is about (asker.py), loads
only that buyer's facts, asks the pure modules (talk.py, rules.answers) and
says the result. The order form lives in form.py.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue import talk as t
from actions.dialogue import text as say
from actions.dialogue.asides import (
    BEYOND,
    NO_ORDERS,
    NO_ORDERS_FOUND,
    Aside,
    aside_for,
    complaint_question,
    detail_fits,
    gives_way_to_questions,
    no_orders_first,
    talk_after,
)
from actions.dialogue.asker import PROMPT, Asker, OrdersUnavailable, changed_only, message_of, question_intent, talk_events, talk_of
from actions.dialogue.choice import find_own_order, status_intent
from actions.dialogue.handoff_summary import handoff_summary
from actions.dialogue.message_words import ABOUT_A_REFUND, ABOUT_AN_ORDER, DETAIL_QUESTIONS, detail_kind, with_beside_line
from actions.dialogue.references import NO_REFERENCE, ONE, SEVERAL, resolve_frozen, resolve_order
from actions.dialogue.repeats import already_said, without_repeat
from actions.dialogue.replies import ask_which_order, clarify, hand_off, say_answer, say_aside
from actions.dialogue.several import Question, combined, questions_in
from actions.dialogue.suggest import likely_questions
from actions.form import DONE, _notice
from actions.rules.answers import answer_for
from actions.rules.calendar_check import coverage_warning
from actions.rules.details import detail_answer
from actions.rules.facts import BuyerFacts, OrderFacts
from actions.rules.intents import REFUND_INTENTS, needs_order
from actions.rules.wording import Answer
from shared.clock import bot_now

Events = List[Dict[str, Any]]
# How far back a repeated answer is noticed (bot messages, not turns).
RECENT_REPLIES = 10
logger = logging.getLogger(__name__)


def log_calendar_coverage() -> None:
    # Start-up: one line when the holiday calendar runs out within 60 days.
    # A malformed BOT_NOW stops the server here, not in a buyer's request.
    warning = coverage_warning(bot_now())
    if warning:
        logger.warning(warning)


log_calendar_coverage()


def _not_repeated(tracker: Tracker, answer: Answer, intent: str, buyer: Optional[BuyerFacts],
                  order: Optional[OrderFacts]) -> Answer:
    """The same paragraph about the same order is not said twice (actions/dialogue/repeats.py)."""
    said = [e.get("text") for e in tracker.applied_events() if e.get("event") == "bot" and e.get("text")]
    said = said[-RECENT_REPLIES:]  # since the last /restart
    if not already_said(answer.text, said):
        return answer  # the usual case: no second (general) answer to compute
    if order is None:
        return without_repeat(answer, answer, said, None)
    return without_repeat(answer, answer_for(intent, buyer, None, bot_now()), said, order.item)


def aside_of(tracker: Tracker, buyer: Optional[BuyerFacts], listing: bool = False) -> Optional[Aside]:
    """A detail, a question beyond the rules, anger, emoji, 我明明买了 (actions/dialogue/asides.py);
    only a question beyond the rules when the message asks several questions, which are answered
    together (several.py)."""
    message, talk = message_of(tracker), talk_of(tracker)
    buyer = buyer or _no_record(tracker)
    aside = aside_for(message.text, message.intent, buyer, talk.focus_id, talk.question, bot_now(),
                      listing=listing, complaints=talk.complaints)
    if aside is not None and gives_way_to_questions(aside) and questions_in(message.clauses, buyer, talk.focus_id):
        return None
    return aside


def _no_record(tracker: Tracker) -> Optional[BuyerFacts]:
    """A signed-in buyer the shop has no record of: a buyer with no orders (我明明买了 → none found).
    None when anonymous or when the order database cannot be read."""
    asker = Asker(tracker)
    if asker.buyer_id is None:
        return None
    try:
        return BuyerFacts(buyer_id=asker.buyer_id, real_name_verified=False) if asker.buyer() is None else None
    except OrdersUnavailable:
        return None


def say_aside_events(dispatcher: CollectingDispatcher, tracker: Tracker, aside: Aside) -> Events:
    intent = "out_of_scope" if aside.kind == BEYOND else aside.intent or message_of(tracker).intent
    say_aside(dispatcher, aside.text, aside.rule_ids, intent, aside.person_button)
    return talk_events(talk_after(talk_of(tracker), aside), tracker)


def _buyer_or_none(tracker: Tracker) -> Optional[BuyerFacts]:
    try:
        return Asker(tracker).buyer()
    except OrdersUnavailable:
        return None


class ActionAnswerQuestion(Action):
    """Answers the refund question from the rules and the buyer's own order."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        if tracker.get_slot(PROMPT) == DONE:  # the form already ended the question (hand-off, clarify)
            return [SlotSet(PROMPT, None)]
        aside = aside_of(tracker, _buyer_or_none(tracker))
        if aside is not None:
            return say_aside_events(dispatcher, tracker, aside)
        intent = question_intent(tracker)
        if intent is None:
            alone = _order_alone(dispatcher, tracker)
            if alone is None:
                dispatcher.utter_message(response="utter_default")
            return alone or []
        now = bot_now()
        asker = Asker(tracker)
        message, talk = message_of(tracker), talk_of(tracker)
        try:
            buyer = asker.buyer()
        except OrdersUnavailable:
            answer = answer_for(intent, None, None, now)
            say_answer(dispatcher, say.ORDERS_UNAVAILABLE + answer.text, answer.rule_ids, intent)
            return []
        if message.order_id and asker.anonymous:
            dispatcher.utter_message(text=say.ANONYMOUS_ORDER)
        several = questions_in(message.clauses, buyer, talk.focus_id)
        if several:
            return _answer_several(dispatcher, tracker, buyer, several, talk)
        if message.intent == "inform_order_id" and needs_order(intent):  # a number or a reference on its own
            step = t.follow_up(message, buyer, talk)
            if step.outcome == t.ASK:
                _notice(dispatcher, step)
                ask_which_order(dispatcher, step.candidates)
                return talk_events(step.talk, tracker)
            order, talk = step.order, step.talk
        else:  # the form chose the order; a number in this very message wins
            order = find_own_order(buyer, message.order_id or tracker.get_slot("order_id"))
        if message.order_id and not asker.anonymous and find_own_order(buyer, message.order_id) is None:
            dispatcher.utter_message(text=say.ORDER_NOT_FOUND.format(order_id=say.shorten(message.order_id)))
            order = None
        frozen = resolve_frozen(message.text, buyer.frozen_funds) if buyer and intent == "ask_frozen_balance" else ()
        answer = _not_repeated(tracker, answer_for(intent, buyer, order, now, frozen=frozen), intent, buyer, order)
        # 👍/👎 after an answer from the buyer's own order, once per topic.
        rated = [x for x in (tracker.get_slot("feedback_topics") or []) if isinstance(x, str)]
        ask_feedback = order is not None and intent not in rated
        text, beside = with_beside_line(no_orders_first(buyer, intent, answer.text), message.text)  # 拒收
        say_answer(dispatcher, text, answer.rule_ids, intent, ask_feedback=ask_feedback, person_button=beside)
        focus = order.order_id if order else None
        events = talk_events(t.Talk(question=intent, focus_id=focus, candidate_ids=talk.candidate_ids,
                                    complaints=talk.complaints)) + [SlotSet(PROMPT, None)]
        if ask_feedback:
            events += [SlotSet("feedback_topics", rated + [intent]), SlotSet("feedback", None)]
        return changed_only(tracker, events)


def _answer_several(dispatcher: CollectingDispatcher, tracker: Tracker, buyer: Optional[BuyerFacts],
                    questions: Tuple[Question, ...], talk: t.Talk) -> Events:
    """Several questions in one message: one reply, each answer in the order asked, 👍/👎 once."""
    now = bot_now()
    answers = [(q, (detail_answer(q.detail, q.order, now) if q.detail else None)
                or answer_for(q.intent, buyer, q.order, now)) for q in questions]
    text, beside = with_beside_line(combined([(a.text, q.order) for q, a in answers]), message_of(tracker).text)
    rule_ids = [r for _, a in answers for r in a.rule_ids]
    intents = [q.intent for q in questions]
    rated = [x for x in (tracker.get_slot("feedback_topics") or []) if isinstance(x, str)]
    ask_feedback = any(i not in rated for i in intents)
    say_answer(dispatcher, text, dict.fromkeys(rule_ids), intents[-1], ask_feedback=ask_feedback,
               person_button=beside)
    last = next(q.order for q in reversed(questions) if q.order is not None)
    events = talk_events(t.Talk(question=intents[-1], focus_id=last.order_id, candidate_ids=talk.candidate_ids,
                                complaints=talk.complaints)) + [SlotSet(PROMPT, None)]
    if ask_feedback:
        events += [SlotSet("feedback_topics", rated + [i for i in dict.fromkeys(intents) if i not in rated]),
                   SlotSet("feedback", None)]
    return changed_only(tracker, events)


def _order_alone(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Events]:
    """An order named before any question ("订单号是3286…"): where it stands. None if none is named."""
    try:
        buyer = Asker(tracker).buyer()
    except OrdersUnavailable:
        return None
    message = message_of(tracker)
    order = find_own_order(buyer, message.order_id)
    if order is None and message.order_id and not Asker(tracker).anonymous:
        # a number not among this buyer's orders: not found here, whoever's it may be
        dispatcher.utter_message(text=say.ORDER_NOT_FOUND.format(order_id=say.shorten(message.order_id)))
        return []
    if order is None and buyer is not None and not message.order_id:
        ref = resolve_order(message.text, buyer.orders, None, buyer.orders, strict=True)
        order = ref.order
    if order is None:
        return None
    intent = status_intent(order)
    answer = answer_for(intent, buyer, order, bot_now())
    say_answer(dispatcher, answer.text, answer.rule_ids, intent)
    return talk_events(t.Talk(question=intent, focus_id=order.order_id), tracker)


class ActionClarify(Action):
    """Low NLU confidence: an order reference if one is pending, else ask which topic."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        talk = talk_of(tracker)
        buyer = _buyer_or_none(tracker)
        aside = aside_of(tracker, buyer)
        if aside is not None:
            return say_aside_events(dispatcher, tracker, aside)
        several = questions_in(message_of(tracker).clauses, buyer, talk.focus_id)
        if several:  # 你好 羽绒服的钱什么时候到 还有登山鞋怎么寄回去: unsure as a whole, two sure questions inside
            return _answer_several(dispatcher, tracker, buyer, several, talk)
        if talk.question and (talk.candidate_ids or talk.focus_id):
            step = t.follow_up(message_of(tracker), buyer, talk)
            if not talk.candidate_ids and step.outcome == t.ASK:  # no list shown: only an order it surely names
                step = t.Step(t.PASS, talk, order=find_own_order(buyer, talk.focus_id))
            lean = step.outcome == t.PASS and t.leans_on_focus(message_of(tracker), _best_guess(tracker))
            if step.order is not None and (step.outcome == t.ANSWER or lean):
                answer = _not_repeated(tracker, answer_for(talk.question, buyer, step.order, bot_now()),
                                       talk.question, buyer, step.order)
                say_answer(dispatcher, answer.text, answer.rule_ids, talk.question)
                return talk_events(step.talk, tracker)
            if step.outcome == t.ASK:  # 另一单呢 among several, or a pick that fits none
                _notice(dispatcher, step)
                ask_which_order(dispatcher, step.candidates)
                return talk_events(step.talk, tracker)
        elif not talk.question:  # an order named before any question (订单尾号7911的那个…)
            alone = _order_alone(dispatcher, tracker)
            if alone is not None:
                return alone
        named = _named_question(dispatcher, tracker, buyer)
        if named is not None:
            return named
        signed_in = buyer or _no_record(tracker)
        if signed_in is not None and not signed_in.orders and ABOUT_AN_ORDER.search(message_of(tracker).text or ""):
            # 在嗎 我買的東西退款怎麼還沒到帳, from a buyer with no orders here: say so, not topic buttons
            return say_aside_events(dispatcher, tracker, Aside(NO_ORDERS_FOUND, NO_ORDERS, person_button=True))
        if _failed_before(tracker):  # the second failure in a row goes to a person
            return _hand_off(dispatcher, tracker, "fallback", talk.complaints)
        clarify(dispatcher, tracker)
        return []


def _named_question(dispatcher: CollectingDispatcher, tracker: Tracker,
                    buyer: Optional[BuyerFacts]) -> Optional[Events]:
    """A message the NLU could not place that names exactly one of the buyer's orders and asks
    about it by its words or the NLU's best guess (羽绒服的钱！！！): answered about that order."""
    message = message_of(tracker)
    if buyer is None or not buyer.orders:
        return None
    talk = talk_of(tracker)
    ref = resolve_order(message.text, buyer.orders, talk.focus_id, buyer.orders, strict=True)
    kind = detail_kind(message.text)
    if kind is not None and kind in DETAIL_QUESTIONS and ref.kind == NO_REFERENCE:  # 单号填在哪里, with two returns under way
        ref = replace(ref, kind=SEVERAL, orders=detail_fits(kind, buyer, bot_now()))
    question = complaint_question(message.text) or DETAIL_QUESTIONS.get(kind or "") or _best_guess(tracker)
    if question not in REFUND_INTENTS:
        return None
    if ref.kind == SEVERAL and len(ref.orders) > 1:  # T恤还没收到能退吗, with two T恤: which of those two
        ask_which_order(dispatcher, ref.orders)
        return talk_events(t.Talk(question=question, focus_id=talk.focus_id, asks=1, complaints=talk.complaints,
                                  candidate_ids=tuple(o.order_id for o in ref.orders)), tracker)
    if ref.kind != ONE or ref.order is None:
        return None
    answer = _not_repeated(tracker, answer_for(question, buyer, ref.order, bot_now()), question, buyer, ref.order)
    say_answer(dispatcher, answer.text, answer.rule_ids, question)
    return talk_events(t.Talk(question=question, focus_id=ref.order.order_id, candidate_ids=talk.candidate_ids,
                              complaints=talk.complaints), tracker)


def _best_guess(tracker: Tracker) -> Optional[str]:
    """The NLU's first guess behind nlu_fallback."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return next((r.get("name") for r in ranking if r.get("name") != "nlu_fallback"), None)


def _not_understood(parse_data: Dict[str, Any]) -> bool:
    """A message the NLU could not place. Content-free ones (empty, emoji only) come
    from the content guard with confidence 1.0: those are not the bot failing."""
    intent = (parse_data or {}).get("intent") or {}
    return intent.get("name") == "nlu_fallback" and float(intent.get("confidence") or 0) < 1.0


def _failed_before(tracker: Tracker) -> bool:
    """Was this, and the buyer's previous message, one the bot could not understand?"""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return (len(users) >= 2 and _not_understood(tracker.latest_message)
            and _not_understood(users[-2].get("parse_data") or {}))


def _hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, complaints: int) -> Events:
    """Hand off with the agent's summary (the orders under discussion, what was asked)."""
    asker = Asker(tracker)
    try:
        buyer = asker.buyer()
    except OrdersUnavailable:
        buyer = None
    talk = talk_of(tracker)
    order_ids = ([talk.focus_id] if talk.focus_id else []) + list(talk.candidate_ids)
    summary = handoff_summary(asker.buyer_id, buyer, tracker.events, reason, complaints, order_ids)
    return hand_off(dispatcher, reason, summary)


class ActionHandoff(Action):
    """Hands the conversation to a person, with a marker and a summary the store can act on."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        return _hand_off(dispatcher, tracker, "request_human", talk_of(tracker).complaints)


class ActionHandleComplaint(Action):
    """Apologises; the second complaint in a conversation goes to a person."""

    def name(self) -> Text:
        return "action_handle_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        aside = aside_of(tracker, _buyer_or_none(tracker))
        if aside is not None:  # anger with a question or an order in it: the facts, and a person offered
            return say_aside_events(dispatcher, tracker, aside)
        count = talk_of(tracker).complaints + 1
        events: Events = [SlotSet("complaint_count", float(count))]
        if count >= t.HANDOFF_AFTER_COMPLAINTS:
            events += _hand_off(dispatcher, tracker, "complain", count)
        else:
            dispatcher.utter_message(response="utter_complain_apology")
        return events


class ActionGreet(Action):
    """Greets; a known buyer also gets the two or three questions their orders make likely."""

    def name(self) -> Text:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        try:
            buyer = Asker(tracker).buyer()
        except OrdersUnavailable:
            buyer = None
        topics = likely_questions(buyer, bot_now()) if buyer else []
        if not topics:
            dispatcher.utter_message(response="utter_greet")
            return []
        buttons = [{"title": say.INTENT_TOPICS[name], "payload": f"/{name}"} for name in topics]
        dispatcher.utter_message(text=say.GREET_WITH_TOPICS, buttons=buttons)
        return []




class ActionOutOfScope(Action):
    """Off topic: a question beyond the refund rules (发票, 换货, 保修 …) gets its own line and a
    转人工 button (actions/dialogue/asides.yml); anything else the polite redirect."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        aside = aside_of(tracker, _buyer_or_none(tracker))
        if aside is not None:
            return say_aside_events(dispatcher, tracker, aside)
        if ABOUT_A_REFUND.search(message_of(tracker).text or ""):
            # "T恤還沒收到能退嗎" read as off topic: a refund question the model misread, not a dead end
            return await ActionClarify().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
