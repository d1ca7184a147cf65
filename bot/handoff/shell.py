"""``make shell``: the terminal says when a person has the conversation, and prints replies as a buyer reads them.

``rasa shell`` talks through Rasa's own ``cmdline`` channel, which calls
``Agent.handle_message`` directly; bot/server.py routes it through here for the
shell only (bot/rasa_patches.py patch 8), so the gate (gate.py) applies there too and every message sent
while handed off is answered by a line saying so (interval 0: each time).

Rasa's console prints a message's buttons before its text and dumps its custom
JSON (rule ids, the whole hand-off summary); ``print_reply`` prints the reply
first, then the buttons, and of the custom JSON only a line saying a person takes over.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

from bot import rasa_patches
from bot.handoff import gate
from bot.handoff.state import HandoffSettings

SHELL_NOTICE = "（这个对话已转人工客服处理，机器人暂不回复；您的消息已记录，人工客服会尽快回复您。）"
SHELL_SETTINGS = HandoffSettings(notice=SHELL_NOTICE, notice_interval_seconds=0)


HANDED_OFF = "（已转接人工客服，附给客服的摘要已发送）"


def reply_lines(message: Dict[str, Any]) -> list:
    """What the terminal shows of one bot message, in order: the text, the buttons, a hand-off note."""
    lines = [message["text"]] if message.get("text") else []
    buttons = message.get("buttons") or []
    if buttons:
        lines.append("按钮：")
        lines += [f"{i}: {b.get('title')}" for i, b in enumerate(buttons, 1)]
    if isinstance(message.get("custom"), dict) and message["custom"].get("handoff"):
        lines.append(HANDED_OFF)
    return lines


def print_reply(message: Dict[str, Any], is_latest_message: bool = False, color: Optional[str] = None) -> Any:
    """Rasa's console printer, in the buyer's order; the latest message's buttons stay a menu
    (questionary shows the text above the choices)."""
    import rasa.shared.utils.cli
    from rasa.core.channels import console
    from rasa.shared.utils.io import bcolors

    if is_latest_message and message.get("buttons"):
        question = console.print_buttons(message, True)
        if question is not None:
            return question
    for line in reply_lines(message):
        rasa.shared.utils.cli.print_color(line, color=color or bcolors.OKBLUE)
    return None


async def through_the_gate(agent: Any, message: Any, handle: Callable[[Any], Awaitable[Any]]) -> None:
    """What ``Agent.handle_message`` does in the shell: the gate, then Rasa's own handling."""
    await gate.deliver(agent, message, SHELL_SETTINGS, handle)


def install() -> None:
    rasa_patches.route_agent_messages(through_the_gate)
    rasa_patches.print_console_replies(print_reply)
