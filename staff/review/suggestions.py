"""The unanswered groups as a draft in Rasa's NLU training format (reports/nlu_suggestions.yml).

A draft for the owner: each group becomes one `- intent:` block named after the
model's guess (or `review_group_N` when there is no model), with a comment saying
how big the group is. Nothing here is trained until the owner moves it into
data/nlu.yml.
"""
from __future__ import annotations

import re
from typing import Dict, List

from staff.review.clusters import normalise

# Rasa reads [text](entity) / {"entity": …} as annotations: a buyer's brackets are not.
_ANNOTATION_CHARACTERS = re.compile(r"[\[\]{}()]")
_LINE_BREAKS = re.compile(r"\s+")

HEADER = """\
# 草稿：机器人没答上来的问题，按意思分组（make review 生成）。
# 请逐组检查：意图对就把例句移到 data/nlu.yml 对应意图下；不对就改意图名；
# 无关的删掉。以 review_group_ 开头的组没有模型猜测，需要您选一个意图。
version: "3.1"
nlu:"""


def training_text(text: str) -> str:
    return _LINE_BREAKS.sub(" ", _ANNOTATION_CHARACTERS.sub(" ", text)).strip()


def draft(groups: List[Dict]) -> str:
    blocks = []
    for number, group in enumerate(groups, start=1):
        examples = []
        for text in group.get("all_texts") or group["examples"]:
            cleaned = training_text(text)
            # Button payloads and emoji-only messages teach the model nothing.
            if cleaned and not cleaned.startswith("/") and normalise(cleaned) and cleaned not in examples:
                examples.append(cleaned)
        if not examples:
            continue
        intent = group.get("suggested_intent") or f"review_group_{number}"
        guess = (f"模型猜测 {intent}（置信度 {group['suggested_confidence']}）"
                 if group.get("suggested_intent") else "没有模型猜测")
        lines = [f"# 第 {number} 组：{group['size']} 条消息，{guess}",
                 f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {example}" for example in examples]
        blocks.append("\n".join(lines))
    return HEADER + ("\n" + "\n".join(blocks) + "\n" if blocks else " []\n")
