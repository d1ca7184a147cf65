"""Several refund questions in one message, each with its order (pure, no Rasa).

The Rasa server parses each clause of a message on its own (bot/clauses.py):
"羽绒服的钱什么时候到 还有登山鞋怎么寄回去" arrives with two clauses, each with
its intent and entities. `questions_in` turns them into the questions to
answer, in the order asked, each about the order its clause names; a clause
that names none asks about the order of the clause before it ("这个键盘确认收货了
还能退吗？退的话运费谁出"), else the only order that fits its question, else the
order under discussion. `combined` joins the answers into one reply: the first
in full, the others without the greeting and without describing an order
again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable, List, Optional, Sequence, Tuple

from actions.dialogue.choice import candidate_orders, find_own_order
from actions.dialogue.message_words import DETAIL_QUESTIONS, complaint_question, detail_kind
from actions.dialogue.references import ONE, SEVERAL, resolve_order, simplified
from actions.rules.facts import BuyerFacts, OrderFacts
from actions.rules.intents import BUYER_LEVEL_INTENTS, REFUND_INTENTS
from actions.rules.wording import fmt_amount

CONFIDENT = 0.5  # config.yml's FallbackClassifier threshold (the vote of three models: bench/nlu/NOTES.md, round 7)
GUESS = 0.3      # an unsure clause that names its own order is taken at the model's best guess above this
# "几号之前要寄回去", "几天之内要寄": the deadline, which the progress answer gives (the model knows no such intent)
# and "登山鞋怎么寄回去" (read as small talk): how and where to send it back, which it gives too
_DEADLINE = re.compile(r"几号(?:之|以)?前|最晚(?:哪天|几号|什么时候)|截止|几天(?:之|以)?内|哪天(?:之|以)?前"
                       r"|怎么(?:寄|退)回|寄(?:回)?到哪|退货地址")


@dataclass(frozen=True)
class Clause:
    text: str
    intent: Optional[str] = None
    confidence: float = 0.0
    order_id: Optional[str] = None   # an order number the NLU found in this clause
    guess: Optional[str] = None      # the model's best intent other than nlu_fallback
    guess_confidence: float = 0.0


@dataclass(frozen=True)
class Question:
    intent: str
    order: Optional[OrderFacts]
    detail: Optional[str] = None   # a detail asked instead ("花呗的钱怎么退回来"): actions/rules/details.py


# Details a clause may ask beside another question (stands for them: message_words.DETAIL_QUESTIONS).
CLAUSE_DETAILS = ("destination", "arrival")


def clauses_of(parsed: Any) -> Tuple[Clause, ...]:
    """The clauses the Rasa server put in the parse data (bot/clauses.py), checked."""
    found = []
    for c in parsed if isinstance(parsed, list) else []:
        if not isinstance(c, dict) or not isinstance(c.get("text"), str):
            continue
        ids = [e.get("value") for e in c.get("entities") or []
               if isinstance(e, dict) and e.get("entity") == "order_id" and isinstance(e.get("value"), str)]
        found.append(Clause(c["text"], _text(c.get("intent")), _number(c.get("confidence")), ids[-1] if ids else None,
                            _text(c.get("guess")), _number(c.get("guess_confidence"))))
    return tuple(found)


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


# A clause the model is sure asks something else (转人工, 投诉) is not read for refund words.
SURE_OTHER = ("request_human", "complain", "goodbye", "thank")
# "行 那口水巾我自己申请 钱多久能回来": the first clause says what the buyer will do, it asks nothing.
_PLAN = re.compile(r"(?:我|自己|现在|马上|这就|去)申请(?:一下|了|吧|的话)?$")


# "白色T恤能退吗", "短裤还能退不": whether a named order can be refunded, asked in the plainest words
_CAN_RETURN = re.compile(r"(?:能|可以|可不可以|能不能|还能)退(?:吗|么|不|嘛|货|款|了吗|的吗)?")


def can_return_intent(order: OrderFacts) -> str:
    """The question "can this order be refunded" is in the order's state (a refund under way: how far)."""
    latest = order.latest_refund
    if latest is not None and latest.status not in ("closed", "succeeded"):
        return "ask_refund_progress"
    return {"paid": "ask_refund_before_shipping", "shipped": "ask_refund_after_shipping",
            "success": "ask_refund_after_success", "closed": "ask_trade_closed"}.get(order.status, "ask_refund_progress")


def _intent_of(clause: Clause, buyer: BuyerFacts) -> Optional[str]:
    """The refund question a clause asks: the model's when it is sure; else a deadline question; else,
    when the clause names one of the buyer's orders, the model's best guess."""
    if _PLAN.search(simplified(clause.text)):
        return None
    if clause.intent in REFUND_INTENTS and clause.confidence >= CONFIDENT:
        return clause.intent
    if _DEADLINE.search(simplified(clause.text)):
        return "ask_refund_progress"
    named = resolve_order(clause.text, buyer.orders, strict=True)
    names_one = named.kind == ONE
    if clause.guess in REFUND_INTENTS and clause.guess not in BUYER_LEVEL_INTENTS and clause.guess_confidence >= GUESS \
            and names_one:
        return clause.guess
    if names_one and named.order is not None and _CAN_RETURN.search(simplified(clause.text)):
        return can_return_intent(named.order)  # "白色T恤能退吗": whether it can, in the state it is in
    # "还有键盘那个咋还没到账": an order named and a question in plain words, the model unsure
    return complaint_question(clause.text) if names_one and clause.intent not in SURE_OTHER else None


def _order_of(clause: Clause, buyer: BuyerFacts, previous: Optional[OrderFacts],
              focus: Optional[OrderFacts], detail: bool = False) -> Optional[OrderFacts]:
    if clause.order_id:
        return find_own_order(buyer, clause.order_id)
    candidates = candidate_orders(clause.intent or "", buyer)
    ref = resolve_order(clause.text, buyer.orders, focus.order_id if focus else None, buyer.orders, strict=True)
    if ref.kind == ONE:
        return ref.order
    if ref.kind == SEVERAL:
        fitting = [o for o in ref.orders if o in candidates]
        return fitting[0] if len(fitting) == 1 else None
    if previous is not None:
        return previous
    if detail and focus is not None:  # 钱退到哪 after an answer: the order under discussion
        return focus
    if len(candidates) == 1:
        return candidates[0]
    return focus if focus is not None and (focus in candidates or not candidates) else None


def _named_in(clause: Clause, buyer: BuyerFacts) -> Optional[OrderFacts]:
    if clause.order_id:
        return find_own_order(buyer, clause.order_id)
    ref = resolve_order(clause.text, buyer.orders, strict=True)
    return ref.order if ref.kind == ONE else None


def questions_in(clauses: Sequence[Clause], buyer: Optional[BuyerFacts],
                 focus_id: Optional[str] = None) -> Tuple[Question, ...]:
    """The refund questions of a message, in order, each with its order; () unless two or more.

    () too when one of them needs an order the message does not settle (the
    usual "which order?" follows), and when all are about the account (frozen
    money, withdrawals: one answer covers those).
    """
    if buyer is None:
        return ()
    focus = find_own_order(buyer, focus_id)
    found: List[Question] = []
    previous: Optional[OrderFacts] = None
    for clause in clauses:
        intent, detail = _intent_of(clause, buyer), detail_kind(clause.text)
        # where the money goes is always that detail; when it arrives, only if the model has no question
        detail = detail if detail == "destination" or (detail in CLAUSE_DETAILS and intent is None) else None
        intent = DETAIL_QUESTIONS[detail] if detail else intent
        if intent is None:  # "3286…7933这单 退款为啥关了": the order named asks nothing, the next clause does
            previous = _named_in(clause, buyer) or previous
            continue
        clause = replace(clause, intent=intent)
        if intent in BUYER_LEVEL_INTENTS:
            question = Question(intent, None)
        else:
            order = _order_of(clause, buyer, previous, focus, detail is not None)
            if order is None:
                return ()
            question, previous = Question(intent, order, detail), order
        same = [q for q in found if (q.intent, q.order) == (question.intent, question.order)]
        if same and question.detail:  # "花呗付的 退了钱回哪": the detail asked, not the topic's paragraph too
            found[found.index(same[0])] = question
        elif not same:
            found.append(question)
    if len(found) < 2 or all(q.order is None for q in found):
        return ()
    return tuple(found)


_OPENING = re.compile(r"^亲[，,]\s*(?:您好|非常抱歉|很抱歉)?[，,]?\s*(?:我帮您查了一下[，,]\s*)?")


def _without_opening(text: str, order: Optional[OrderFacts], said_about: Iterable[str]) -> str:
    """An answer after the first: no greeting, and its order named by item only."""
    text = _OPENING.sub("", text)
    if order is None:
        return text
    amount = fmt_amount(order.amount)
    name = "这件商品" if order.order_id in said_about else f"「{order.item}」"
    described = re.compile(rf"您在「[^」]*」购买的「{re.escape(order.item)}」[（(]\s*{re.escape(amount)}\s*[)）]")
    return described.sub(name, text, count=1)


_SENTENCE = re.compile(r"[^。！？]*[。！？]?")


def _sentences(text: str) -> List[str]:
    return [m.strip() for m in _SENTENCE.findall(text) if m.strip()]


# how an order is named in a sentence: compared without it, "这件商品目前…" repeats "您在…购买的「床垫」目前…"
_ORDER_NAMED = re.compile(r"^(?:亲[，,]\s*)?(?:您好[，,]\s*)?(?:另外[，,])?|您在「[^」]*」购买的"
                          r"|[（(]\s*¥[\d.]+\s*[)）]|这件商品|「[^」]*」")


def _sentence_key(sentence: str) -> str:
    return _ORDER_NAMED.sub("", sentence)


def _not_said_yet(text: str, said: List[str]) -> str:
    """The sentences of an answer the reply has not said already (two questions about one order
    share its description: "床垫那单退货怎么被关闭了 我都还没寄")."""
    keys = {_sentence_key(s) for s in said}
    return "".join(s for s in _sentences(text) if _sentence_key(s) not in keys)


def combined(answers: Sequence[Tuple[str, Optional[OrderFacts]]]) -> str:
    """One reply for several answers, in the order asked; a sentence said once is not said again."""
    parts: List[str] = []
    said_about: List[str] = []
    said: List[str] = []
    for number, (text, order) in enumerate(answers):
        if number == 0:
            part = text
        else:
            rest = _not_said_yet(_without_opening(text, order, said_about), said)
            part = "另外，" + rest if rest else ""
        if part:
            parts.append(part)
            said += _sentences(text) + _sentences(part)
        if order is not None:
            said_about.append(order.order_id)
    return "\n\n".join(parts)
