"""A follow-up never gets the same paragraph twice (pure, no Rasa).

Buyers ask on about the same order ("小二介入要多久", "那我需要上传什么凭证");
the order's facts have not changed, so the rules give the same answer. A good
客服 says so in one line, repeats only the dated facts, and adds what is new:
the general rule for the question. Asked yet again, it also offers a person.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from actions import dialogue_text as say
from actions.rules.wording import HELLO, SORRY, Answer

_DATE = re.compile(r"\d{1,2}月\d{1,2}日")
_MAX_DATED_SENTENCES = 2


def _sentences(text: str) -> list:
    return [s + "。" for s in text.split("。") if s.strip()]


def dated_facts(text: str) -> str:
    """The sentences of an answer that name a date: the order's concrete facts."""
    dated = [s for s in _sentences(text) if _DATE.search(s)][:_MAX_DATED_SENTENCES]
    return "".join(_without_greeting(s) for s in dated)


def _without_greeting(sentence: str) -> str:
    # The reminder already greets; a quoted first sentence must not greet again.
    for greeting in (HELLO, SORRY):
        if sentence.startswith(greeting):
            return sentence[len(greeting):]
    return sentence


def without_repeat(answer: Answer, general: Answer, said: Sequence[str], item: Optional[str]) -> Answer:
    """`answer` unless it was already said; then a short reminder plus what is new.

    `item`: the order the answer is about; None for a general answer (no order),
    which has nothing new to add, so a pointer up and the offer of a person.
    """
    if answer.text not in said:
        return answer
    if item is None:
        return Answer(say.SAME_RULE_AS_BEFORE + say.ASK_A_PERSON, answer.rule_ids)
    opening = say.SAME_AS_BEFORE.format(item=item) + dated_facts(answer.text)
    rule_text = general.text[len(HELLO):] if general.text.startswith(HELLO) else general.text
    with_rule = Answer(opening + say.GENERAL_RULE + rule_text,
                       answer.rule_ids + tuple(r for r in general.rule_ids if r not in answer.rule_ids))
    if with_rule.text not in said:
        return with_rule
    return Answer(with_rule.text + say.ASK_A_PERSON, with_rule.rule_ids)
