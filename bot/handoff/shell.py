"""``make shell``: the terminal says when a person has the conversation.

``rasa shell`` talks through Rasa's own ``cmdline`` channel, which calls
``Agent.handle_message`` directly; bot/server.py installs this wrapper for the
shell only, so the gate (gate.py) applies there too and every message sent
while handed off is answered by a line saying so (interval 0: each time).
"""
from __future__ import annotations

from typing import Any

from bot.handoff import gate
from bot.handoff.state import HandoffSettings

SHELL_NOTICE = "（这个对话已转人工客服处理，机器人暂不回复；您的消息已记录，人工客服会尽快回复您。）"
SHELL_SETTINGS = HandoffSettings(notice=SHELL_NOTICE, notice_interval_seconds=0)


def install() -> None:
    from rasa.core.agent import Agent

    original = Agent.handle_message

    async def handle_message(self: Agent, message: Any) -> Any:
        async def unguarded(m: Any) -> Any:
            return await original(self, m)

        await gate.deliver(self, message, SHELL_SETTINGS, unguarded)
        return None

    Agent.handle_message = handle_message
