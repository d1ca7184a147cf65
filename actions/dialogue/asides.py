"""What a message is about beyond its intent, and the reply it gets (issue #19). Pure, no Rasa.

The NLU gives one intent; buyers also ask a detail about the order in focus
(几号之前必须寄), ask what the rules do not cover (发票, 换货), are angry (破店,
😡😡😡), send emoji only, or insist they bought something (我明明买了). The
words are data (asides.yml); the answers come from actions/rules (details.py,
answer_for), so every rule in a reply is one of knowledge.yml's.

`aside_for` decides, for one message, whether one of these applies and what
to say; the actions say it (text, rule ids, the 转人工 button) and move the
order in focus to the order the reply was about.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Optional, Tuple

from actions.dialogue.choice import find_own_order
from actions.dialogue.message_words import beside_answer, complaint_question, detail_kind, matches, words_table
from actions.dialogue.references import NO_REFERENCE, ONE, names_an_item, resolve_order, simplified
from actions.dialogue.talk import Talk
from actions.rules.answers import answer_for
from actions.rules.banks import banks_named_in, canonical_bank
from actions.rules.details import detail_answer, huabei_refund, other_bank_days, withdraw_to_others
from actions.rules.facts import BuyerFacts, OrderFacts
from actions.rules.intents import BUYER_LEVEL_INTENTS, REFUND_INTENTS, needs_order
from actions.rules.wording import HELLO, SORRY

ANGRY_OPENING = "亲，真的非常抱歉让您着急了，您的心情我们完全理解。"
ANGRY_CLOSING = "如果您希望真人客服跟进，点下面的“转人工”就可以，我们会尽快为您处理。"
ANGRY_EMOJI = ("亲，真的非常抱歉让您不开心了。您遇到了什么问题可以直接告诉我，我马上帮您查；"
               "也可以点下面的“转人工”，由真人客服为您处理。")
SAD_EMOJI = ("亲，抱抱您，是遇到什么着急的事了吗？您告诉我是哪笔订单、遇到了什么问题，我马上帮您查；"
             "也可以点下面的“转人工”找真人客服。")
HAPPY_EMOJI = "亲，感谢您的认可，能帮到您真开心！还有其他问题随时找我哦～"
OTHER_EMOJI = "亲，您好，请问有什么可以帮您的吗？退款进度、退款到账、余额冻结这些问题都可以直接问我哦。"
NO_ORDERS = ("亲，非常抱歉，在您当前登录的账号下没有找到订单呢。麻烦您确认一下：1. 现在登录的是不是下单时用的"
             "淘宝账号；2. 订单是不是在本店购买的（其他店铺的订单这里查不到）。也可以把订单号发给我，"
             "或者点下面的“转人工”，人工客服帮您核实。")

# A signed-in buyer with no orders in the shop asking about an order: say so first, then the general rules.
NO_ORDERS_YET = ("亲，您好，在您当前登录的账号下没有找到本店的订单呢。如果订单在别的淘宝账号下，请用那个账号登录，"
                 "或者把订单号发给我；下面先按一般规则为您说明：")

# Aside kinds
DETAIL, BEYOND, ANGER, EMOJI, NO_ORDERS_FOUND = "detail", "beyond", "anger", "emoji", "no_orders"
BESIDE_ANSWER = "beside_answer"  # the topic of a part beyond the rules asked alone (我想拒收)


@dataclass(frozen=True)
class Aside:
    kind: str
    text: str
    rule_ids: Tuple[str, ...] = ()
    order: Optional[OrderFacts] = None   # the order the reply is about: it becomes the focus
    intent: Optional[str] = None         # the refund question the reply answered
    person_button: bool = False
    topic: Optional[str] = None          # the detail kind, the topic beyond the rules, the mood


def gives_way_to_questions(aside: Aside) -> bool:
    """Whether refund questions in the same message are answered instead: a question beyond the rules
    (发票) is said on its own; a part beyond them (拒收) rides with the answers (message_words.with_beside_line)."""
    return aside.kind != BEYOND or aside.topic == BESIDE_ANSWER


def beyond_topic(text: str) -> Optional[str]:
    plain = simplified(text)
    return next((topic for topic, entry in words_table()["beyond"].items() if matches(entry["words"], plain)), None)


def is_angry(text: str) -> bool:
    anger = words_table()["anger"]
    return matches(anger["words"], simplified(text)) or any(e in text for e in anger["emoji"])


def emoji_only(text: str) -> bool:
    """No letter, digit or CJK character (the content guard's test), and an emoji among the
    rest: 😭😭😭 or 👍 is an answer of its own, ？？？ is a message the bot did not understand."""
    stripped = "".join(text.split())
    return (bool(stripped) and not re.search(r"[0-9A-Za-z\u3400-\u9fff]", stripped)
            and any(unicodedata.category(c) == "So" for c in stripped))


def mood(text: str) -> str:
    if any(e in text for e in words_table()["anger"]["emoji"]):
        return "angry"
    for name, emoji in words_table()["moods"].items():
        if any(e in text for e in emoji):
            return name
    return "other"


def claims_purchase(text: str) -> bool:
    return matches(words_table()["claims_purchase"], simplified(text))


def _beyond(topic: str) -> Aside:
    entry = words_table()["beyond"][topic]
    return Aside(BEYOND, entry["reply"], tuple(entry.get("rule_ids") or ()), person_button=True, topic=topic)


def _emoji(text: str, focus: Optional[OrderFacts] = None) -> Aside:
    feeling = mood(text)
    reply = {"angry": ANGRY_EMOJI, "sad": SAD_EMOJI, "happy": HAPPY_EMOJI}.get(feeling, OTHER_EMOJI)
    if focus is not None and feeling in ("angry", "sad"):  # 😭 right after the 登山鞋 answer: about the 登山鞋
        reply = (f"亲，真的非常抱歉让您着急了。「{focus.item}」这笔还有哪里不清楚，您直接告诉我，我马上帮您查；"
                 "也可以点下面的“转人工”，由真人客服为您处理。")
    return Aside(EMOJI, reply, person_button=feeling in ("angry", "sad"), topic=feeling, order=focus)


def _named_order(text: str, buyer: Optional[BuyerFacts], focus_id: Optional[str]) -> Optional[OrderFacts]:
    if buyer is None or not buyer.orders:
        return None
    ref = resolve_order(text, buyer.orders, focus_id, buyer.orders, strict=True)
    return ref.order if ref.kind == ONE else None


def _is_a_pick(text: str, buyer: Optional[BuyerFacts], focus_id: Optional[str]) -> bool:
    if buyer is None or not buyer.orders:
        return False
    ref = resolve_order(text, buyer.orders, focus_id, buyer.orders)
    return ref.kind != NO_REFERENCE and ref.pure


def _without_greeting(text: str) -> str:
    for greeting in (HELLO, SORRY, "亲，"):
        if text.startswith(greeting):
            return text[len(greeting):]
    return text


def _angry(text: str, intent: Optional[str], buyer: Optional[BuyerFacts], focus: Optional[OrderFacts],
           complaints: int, now: datetime) -> Optional[Aside]:
    """Anger with a question or an order in it: apologise, answer about the order it names
    (or the one in focus), offer a person. None when it asks nothing and names no order
    (the usual apology asks what happened; a second such complaint hands off)."""
    named = _named_order(text, buyer, focus.order_id if focus else None)
    question = complaint_question(text) or (intent if intent in REFUND_INTENTS else None)
    if question is None and (named is None or complaints >= 1):
        return None
    order = named or focus
    if order is None and (buyer is None or buyer.orders):
        return None  # several orders and none named: the usual apology asks what happened
    question = question or "ask_refund_progress"
    if question in BUYER_LEVEL_INTENTS:
        return None
    answer = answer_for(question, buyer, order, now)
    body = ANGRY_OPENING + _without_greeting(answer.text) + ANGRY_CLOSING
    return Aside(ANGER, body, answer.rule_ids, order=order, intent=question, person_button=True)


# Details only an order answers (when and where money arrives has a general rule too).
ORDER_ONLY_DETAILS = ("tracking_check", "tracking_where", "return_deadline", "seller_deadline")


def detail_fits(kind: str, buyer: Optional[BuyerFacts], now: datetime) -> Tuple[OrderFacts, ...]:
    """The buyer's orders a detail asked with no order named is about: those with a refund under way
    whose facts answer it (单号填在哪里: the returns under way); for when and where the money
    arrives, refunds that succeeded too."""
    if buyer is None:
        return ()
    money = kind in ("arrival", "destination")
    return tuple(o for o in buyer.orders
                 if (o.has_open_refund or money and o.latest_refund is not None and o.latest_refund.status == "succeeded")
                 and detail_answer(kind, o, now) is not None)


def _detail(kind: str, text: str, buyer: Optional[BuyerFacts], focus: Optional[OrderFacts],
            now: datetime) -> Optional[Aside]:
    order = _named_order(text, buyer, focus.order_id if focus else None) or focus
    if order is None and kind != "evidence":  # the evidence list needs no order
        fits = detail_fits(kind, buyer, now)
        if len(fits) != 1:
            return None  # none or several fit: the actions ask which (DETAIL_QUESTIONS)
        order = fits[0]
    answer = detail_answer(kind, order, now)
    return Aside(DETAIL, answer.text, answer.rule_ids, order=order, topic=kind) if answer else None


def _same_topic(text: str, buyer: Optional[BuyerFacts], focus: Optional[OrderFacts],
                question: Optional[str], now: datetime) -> Optional[Aside]:
    """A new question within the topic just answered: another bank, 花呗, another's card."""
    plain = simplified(text)
    if "提现" in plain and re.search(r"别人|他人|朋友|家人|老公|老婆|爸|妈|其他人|不是我", plain):
        answer = withdraw_to_others()
        return Aside(DETAIL, answer.text, answer.rule_ids, topic="withdraw_to_others")
    if "花呗" in plain and focus is not None and not names_an_item(plain, buyer.orders if buyer else ()):
        answer = huabei_refund()
        return Aside(DETAIL, answer.text, answer.rule_ids, order=focus, topic="huabei")
    banks = banks_named_in(plain)
    own = {canonical_bank(o.card_bank) for o in (buyer.orders if buyer else ())}
    if focus is not None and question in ("ask_refund_not_received", "ask_refund_progress") \
            and len(banks) == 1 and not banks & own:
        days = other_bank_days(next(iter(banks)), now)
        if days is not None:
            return Aside(DETAIL, days.text, days.rule_ids, order=focus, topic="other_bank")
    return None


def aside_for(text: str, intent: Optional[str], buyer: Optional[BuyerFacts], focus_id: Optional[str],
              question: Optional[str], now: datetime, listing: bool = False, complaints: int = 0) -> Optional[Aside]:
    """The reply to a message that is more than its intent, or None for the usual path.

    `focus_id`: the order under discussion; `question`: the refund question last
    answered; `listing`: the bot is waiting for "which order?" (a pick like 第二个
    is never an aside, and a detail needs an order in focus).
    """
    if not text or text.startswith("/"):
        return None  # buttons
    if emoji_only(text):
        return _emoji(text, find_own_order(buyer, focus_id))
    focus = find_own_order(buyer, focus_id)
    if buyer is not None and not buyer.orders and (claims_purchase(text) or detail_kind(text) in ORDER_ONLY_DETAILS):
        return Aside(NO_ORDERS_FOUND, NO_ORDERS, person_button=True)
    topic = beyond_topic(text)
    if topic is not None:  # the order it names (羽绒服能开发票吗) is the one discussed, for the hand-off
        return replace(_beyond(topic), order=_named_order(text, buyer, focus_id))
    beside = beside_answer(text)
    if beside is not None and intent not in REFUND_INTENTS:  # 我想拒收 asking nothing the rules answer
        return Aside(BEYOND, beside["reply"], person_button=True, topic=BESIDE_ANSWER,
                     order=_named_order(text, buyer, focus_id))
    if is_angry(text):
        return _angry(text, intent, buyer, focus, complaints, now)
    kind = detail_kind(text)
    if listing:  # while the bot asks which order, only a detail about an order it names (登山鞋几号前要寄)
        named = _named_order(text, buyer, None) if kind is not None else None
        return _detail(kind, text, buyer, named, now) if kind is not None and named is not None else None
    if kind is None and _is_a_pick(text, buyer, focus_id):
        return None  # 花呗那单, 第二个: an order picked, not a question about the one in focus
    if kind is not None:
        found = _detail(kind, text, buyer, focus, now)
        if found is not None:
            return found
    return _same_topic(text, buyer, focus, question, now)


def talk_after(talk: Talk, aside: Aside) -> Talk:
    """The conversation after an aside: its order becomes the focus; anger counts as a complaint."""
    return replace(talk, question=aside.intent or talk.question,
                   focus_id=aside.order.order_id if aside.order else talk.focus_id,
                   asks=0, unclear=0, complaints=talk.complaints + (1 if aside.kind == ANGER else 0))


def no_orders_first(buyer: Optional[BuyerFacts], intent: str, text: str) -> str:
    """A signed-in buyer with no orders here asking about an order: that first, then the general rules."""
    if buyer is None or buyer.orders or not needs_order(intent):
        return text
    return NO_ORDERS_YET + "\n\n" + re.sub(r"^亲[，,]\s*(?:您好[，,]\s*)?", "", text)
