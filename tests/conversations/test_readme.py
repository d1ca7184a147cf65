"""The README's two-question exchange, replayed against the demo shop through the real servers.

The test reads the quoted conversation that follows the README's mention of
this file and says each buyer line over REST: the bot's reply must be the
README's, word for word, except for the dates and times (the demo's orders are
dated relative to when it was loaded), and offer 👍/👎 where the README shows
the buttons.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import List, Tuple

REPO = Path(__file__).resolve().parents[2]
BUYER, BOT, BUTTONS = "> 买家：", "> 客服：", "> 〔按钮〕"
DEMO_BUYER = "tb_zhang_san"
WHEN = re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}")


def readme_exchange() -> List[Tuple[str, str, bool]]:
    """(buyer's message, bot's reply, 👍/👎 shown) for each turn of the block after this file's mention."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "tests/conversations/test_readme.py" in line)
    block: List[str] = []
    for line in lines[start + 1:]:
        if block and not line.startswith(">"):
            break
        if line.startswith(">"):
            block.append(line)
    turns: List[Tuple[str, str, bool]] = []
    said, buttons = "", False
    reply: List[str] = []
    for line in block:
        if line.startswith(BUYER):
            if said:
                turns.append((said, "\n\n".join(reply), buttons))
            said, reply, buttons = line[len(BUYER):], [], False
        elif line.startswith(BOT):
            reply.append(line[len(BOT):])
        elif line.startswith(BUTTONS):
            buttons = True
        elif line.strip() != ">" and reply:
            reply.append(line[2:])
    turns.append((said, "\n\n".join(reply), buttons))
    return turns


def test_the_readme_shows_a_two_question_exchange():
    turns = readme_exchange()
    assert turns and all(said and reply for said, reply, _ in turns)
    assert "还有" in turns[0][0] and "另外" in turns[0][1]


def test_the_readme_two_question_exchange_is_what_the_bot_says(bot):
    bot.say(DEMO_BUYER, "/restart")
    for said, expected, buttons in readme_exchange():
        replies = bot.say(DEMO_BUYER, said)
        text = "\n".join(r["text"] for r in replies if r.get("text"))
        assert WHEN.sub("…", text) == WHEN.sub("…", expected), f"{said!r} got:\n{text}"
        shown = [b.get("title") for r in replies for b in r.get("buttons") or []]
        assert (shown == ["👍 解决了", "👎 没解决"]) == buttons, shown
