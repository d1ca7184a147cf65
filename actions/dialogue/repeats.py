"""A follow-up never gets the same paragraph twice (pure, no Rasa).

Buyers ask on about the same order ("小二介入要多久", "那我需要上传什么凭证");
the order's facts have not changed, so the rules give the same answer. A good
客服 says so in one line, repeats only the dates and days, and adds what is new:
the general rule for the question. Asked yet again, it also offers a person.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from actions.dialogue import text as say
from actions.rules.wording import HELLO, SORRY, Answer

# A sentence with a date or a number of (working) days carries the order's facts.
_FACT = re.compile(r"\d{1,2}月\d{1,2}日|\d+(–\d+)?个?工作日|\d+天")
_MAX_FACT_SENTENCES = 3
_MIN_BODY = 20  # characters: a shorter remainder is too little to call the answer a repeat


def _sentences(text: str) -> list:
    return [s + "。" for s in text.split("。") if s.strip()]


def key_facts(text: str) -> str:
    """The sentences of an answer that name a date or a number of days."""
    facts = [s for s in _sentences(text) if _FACT.search(s)][:_MAX_FACT_SENTENCES]
    return "".join(_without_greeting(s) for s in facts)


def _without_greeting(sentence: str) -> str:
    # The reminder already greets; a quoted first sentence must not greet again.
    for greeting in (HELLO, SORRY):
        if sentence.startswith(greeting):
            return sentence[len(greeting):]
    return sentence


def already_said(text: str, said: Sequence[str]) -> bool:
    """Said word for word, or all but the opening sentence (退款进度如下 / 退款情况如下)."""
    body = "".join(_sentences(text)[1:])
    return text in said or (len(body) >= _MIN_BODY and any(body in earlier for earlier in said))


def without_repeat(answer: Answer, general: Answer, said: Sequence[str], item: Optional[str]) -> Answer:
    """`answer` unless it was already said; then a short reminder plus what is new.

    `item`: the order the answer is about; None for a general answer (no order),
    which has nothing new to add, so a pointer up and the offer of a person.
    The general rule is added only when it rests on a rule the answer used too
    (the NLU may have read 那要几天到账 as a progress question about a refund
    that already succeeded: the general progress rules would be beside the point).
    """
    if not already_said(answer.text, said):
        return answer
    if item is None:
        return Answer(say.SAME_RULE_AS_BEFORE + say.ASK_A_PERSON, answer.rule_ids)
    reminder = say.SAME_AS_BEFORE.format(item=item) + key_facts(answer.text)
    rule_ids = answer.rule_ids
    if set(general.rule_ids) & set(answer.rule_ids):
        rule_text = general.text[len(HELLO):] if general.text.startswith(HELLO) else general.text
        reminder += say.GENERAL_RULE + rule_text
        rule_ids += tuple(r for r in general.rule_ids if r not in answer.rule_ids)
    if reminder not in said:
        return Answer(reminder, rule_ids)
    return Answer(reminder + say.ASK_A_PERSON, rule_ids)
