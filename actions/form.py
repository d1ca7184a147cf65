"""The order form: which of the buyer's orders a refund question is about.

`validate_order_id_form` is the form's validation action and makes one
decision per buyer message (actions/dialogue/talk.py): answer now, ask "which order?"
(with only the orders that fit), remind briefly after small talk, or end the
question (hand-off, clarifying buttons, goodbye). It never rejects, so every
message while the form is active is read here first: "第二个" or "招商银行那个"
is resolved before it could be mistaken for a new question.
`action_ask_order_id` is the form's prompt: full question, short reminder, or
nothing, as the validation decided.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue import talk as t
from actions.dialogue import text as say
from actions.dialogue.asides import BEYOND, EMOJI, aside_for, gives_way_to_questions, talk_after
from actions.dialogue.asker import PROMPT, Asker, OrdersUnavailable, message_of, talk_events, talk_of
from actions.dialogue.choice import find_own_order
from actions.dialogue.message_words import detail_kind
from actions.dialogue.replies import ask_which_order, clarify, say_aside
from actions.dialogue.several import questions_in
from actions.rules.intents import REFUND_INTENTS
from shared.clock import bot_now

REQUESTED = "requested_slot"
# order_prompt values
ASK, REMIND, DONE = "ask", "remind", "done"


def _notice(dispatcher: CollectingDispatcher, step: t.Step) -> None:
    if step.notice == t.NOT_FOUND:
        dispatcher.utter_message(text=say.ORDER_NOT_FOUND.format(order_id=say.shorten(step.mentioned)))
    elif step.notice == t.NO_FIT:
        dispatcher.utter_message(text=say.NO_FIT)
    elif step.notice == t.NARROWED:
        dispatcher.utter_message(text=say.NARROWED)


def step_events(dispatcher: CollectingDispatcher, tracker: Tracker, step: t.Step) -> List[Dict[str, Any]]:
    """Say what the step says and return the slot events that carry it out in the form."""
    if step.outcome == t.PASS:
        return []  # rejected: the rules for 转人工 / a second complaint take over
    # Only the talk's slots that change; the form's own events below stay (Rasa's form reads them).
    events = talk_events(step.talk, tracker)
    if step.outcome == t.ANSWER:
        events.append(SlotSet("order_id", step.order.order_id if step.order else None))
        return events + [SlotSet(PROMPT, None), SlotSet(REQUESTED, None)]
    if step.outcome == t.ASK:
        _notice(dispatcher, step)
        return events + [SlotSet(PROMPT, ASK), SlotSet(REQUESTED, "order_id")]
    if step.reply and step.reply.startswith("utter_"):
        dispatcher.utter_message(response=step.reply)
    if step.outcome == t.REMIND:
        return events + [SlotSet(PROMPT, REMIND), SlotSet(REQUESTED, "order_id")]
    # The question ends here (clarify, goodbye): the answer rule that follows the form says nothing.
    if step.outcome == t.CLARIFY:
        _notice(dispatcher, step)
        clarify(dispatcher, tracker)
    return events + [SlotSet(PROMPT, DONE), SlotSet(REQUESTED, None)]


class ValidateOrderIdForm(Action):
    """The order form's validation action: one decision per buyer message."""

    def name(self) -> Text:
        return "validate_order_id_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        asking = tracker.active_loop_name == "order_id_form" and tracker.get_slot(REQUESTED) == "order_id"
        try:
            buyer = Asker(tracker).buyer()
        except OrdersUnavailable:
            # The answer action apologises and gives the general rule.
            return [SlotSet("order_id", None), SlotSet(PROMPT, None), SlotSet(REQUESTED, None)]
        message, talk = message_of(tracker), talk_of(tracker)
        # A detail, a question beyond the rules, anger, 我明明买了: said here, and the question ends.
        aside = aside_for(message.text, message.intent, buyer, talk.focus_id, talk.question, bot_now(),
                          listing=asking, complaints=talk.complaints)
        # A detail yields to several questions in one message: those are answered together (several.py).
        if aside is not None and gives_way_to_questions(aside) and questions_in(message.clauses, buyer, talk.focus_id):
            aside = None
        if aside is not None and not (asking and aside.kind == EMOJI):
            intent = "out_of_scope" if aside.kind == BEYOND else aside.intent or message.intent
            say_aside(dispatcher, aside.text, aside.rule_ids, intent, aside.person_button)
            return talk_events(talk_after(talk, aside), tracker) + [SlotSet(PROMPT, DONE), SlotSet(REQUESTED, None)]
        if asking:
            if detail_kind(message.text) and message.intent not in REFUND_INTENTS:
                message = replace(message, intent=None)  # 明天能到吗 with the list shown: which order first
            step = t.continue_question(message, buyer, talk)
        else:
            intent = message.intent if message.intent in REFUND_INTENTS else talk.question
            step = t.start_question(intent, message, buyer, talk) if intent else t.Step(t.ANSWER, talk)
        return step_events(dispatcher, tracker, step)


class ActionAskOrderId(Action):
    """The form's prompt: which order, with a button for each candidate."""

    def name(self) -> Text:
        return "action_ask_order_id"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        prompt = tracker.get_slot(PROMPT)
        if prompt == REMIND:
            dispatcher.utter_message(text=say.WHICH_ORDER_REMINDER)
            return []
        try:
            buyer = Asker(tracker).buyer()
        except OrdersUnavailable:
            buyer = None
        shown = [find_own_order(buyer, i) for i in (tracker.get_slot("order_candidates") or [])]
        ask_which_order(dispatcher, [o for o in shown if o is not None])
        return []
