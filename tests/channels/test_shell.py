"""`make shell` in a pseudo-terminal: scripts/shell.sh as a demo buyer, typed at like a person.

The script starts its own action server (on a free port here, against the demo
order database) and ``rasa shell`` (its own Rasa server, also on a free port).
The buyer asks, picks an order from the menu the bot shows, and reads the
answer about that order; asks for a person and is told, for the next message,
that a person has the conversation; /stop ends the shell and the action server with it.
"""
from __future__ import annotations

import re

import pexpect
import pytest

from bot.handoff.shell import HANDED_OFF, reply_lines
from tests.support.servers import REPO, base_env, free_port

ZHAO = "tb_zhao_lei"  # several returns: the bot asks which one
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    return ANSI.sub("", text or "")


@pytest.fixture
def shell(tmp_path, demo_db_url):
    actions_port, rasa_port = free_port(), free_port()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n', encoding="utf-8")
    env = base_env({
        "ORDERS_DB_URL": demo_db_url,
        "ACTIONS_PORT": str(actions_port),
        "ENDPOINTS": str(endpoints),
        "SHELL_RASA_PORT": str(rasa_port),
        "TERM": "xterm",
    })
    child = pexpect.spawn(str(REPO / "scripts" / "shell.sh"), [ZHAO], cwd=str(REPO), env=env,
                          encoding="utf-8", timeout=150, dimensions=(50, 200))
    child.logfile_read = (tmp_path / "shell.log").open("w", encoding="utf-8")
    yield child
    if child.isalive():
        child.sendline("/stop")
        try:
            child.expect(pexpect.EOF, timeout=20)
        except pexpect.TIMEOUT:
            child.terminate(force=True)


def test_shell_conversation_as_a_demo_buyer(shell):
    shell.expect(f"Talking as demo buyer {ZHAO}")
    shell.expect("Your input ->")
    shell.sendline("退款到哪一步了")
    # The bot answers with this buyer's orders as a menu (buttons in a terminal).
    shell.expect(r"Use arrow keys")
    shell.expect("Type out your own message")
    menu = plain(shell.before)
    assert "纯棉四件套" in menu and "订单尾号7930" in menu, menu
    # Enter picks the first order: the answer is about that order, with its dates.
    shell.send("\r")
    shell.expect("Your input ->", timeout=60)
    answer = plain(shell.before)
    assert "「纯棉四件套 1.8米」" in answer, answer
    assert re.search(r"\d{1,2}月\d{1,2}日", answer), answer
    assert "退款进度" in answer
    # The reply comes first, its 👍/👎 buttons after it (Rasa's console printed buttons first).
    if "解决了" in answer:
        assert answer.index("「纯棉四件套 1.8米」") < answer.index("解决了"), answer
    # Handed to a person: the shell says so for each message instead of answering.
    # (questionary redraws "Your input -> <text>" on Enter, so wait for the output itself.)
    shell.sendline("转人工")
    shell.expect(re.escape(HANDED_OFF), timeout=60)
    handed = plain(shell.before)
    assert "转接人工客服" in handed and '"handoff"' not in handed and "summary" not in handed, handed
    shell.expect("Your input ->", timeout=30)
    shell.sendline("我的退款到底怎么样了")
    shell.expect("已转人工客服处理，机器人暂不回复", timeout=60)
    shell.expect("Your input ->", timeout=30)
    assert "退款进度" not in plain(shell.before) and "订单" not in plain(shell.before), plain(shell.before)
    # /stop quits; the script's action server goes with it.
    shell.sendline("/stop")
    shell.expect(pexpect.EOF, timeout=30)


def test_the_shell_prints_the_reply_first_then_its_buttons_and_no_json():
    lines = reply_lines({"text": "亲，退款情况如下……", "buttons": [{"title": "👍 解决了", "payload": "/thank"},
                                                             {"title": "👎 没解决", "payload": "/deny"}],
                         "custom": {"rule_ids": ["frozen_credit_card_refund"], "intent": "ask_refund_progress"}})
    assert lines == ["亲，退款情况如下……", "按钮：", "1: 👍 解决了", "2: 👎 没解决"]
    handoff = reply_lines({"text": "已经为您转接人工客服", "custom": {"handoff": True, "summary": {"text": "转人工原因"}}})
    assert handoff == ["已经为您转接人工客服", HANDED_OFF]
