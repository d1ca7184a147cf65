"""``make shell``: the terminal says when a person has the conversation.

``rasa shell`` talks through Rasa's own ``cmdline`` channel, which calls
``Agent.handle_message`` directly; bot/server.py routes it through here for the
shell only (bot/rasa_patches.py patch 8), so the gate (gate.py) applies there too and every message sent
while handed off is answered by a line saying so (interval 0: each time).
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from bot import rasa_patches
from bot.handoff import gate
from bot.handoff.state import HandoffSettings

SHELL_NOTICE = "（这个对话已转人工客服处理，机器人暂不回复；您的消息已记录，人工客服会尽快回复您。）"
SHELL_SETTINGS = HandoffSettings(notice=SHELL_NOTICE, notice_interval_seconds=0)


async def through_the_gate(agent: Any, message: Any, handle: Callable[[Any], Awaitable[Any]]) -> None:
    """What ``Agent.handle_message`` does in the shell: the gate, then Rasa's own handling."""
    await gate.deliver(agent, message, SHELL_SETTINGS, handle)


def install() -> None:
    rasa_patches.route_agent_messages(through_the_gate)
