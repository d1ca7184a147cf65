"""Turning what the bot said into replies a buyer reads.

Rasa hands an output channel one bot message at a time. Our actions send the
answer text and its custom JSON (``rule_ids``, ``handoff``) together; Rasa's
own collector splits them into a text reply and an empty-looking custom one.
``ReplyCollector`` keeps one reply per bot message and merges custom-only
messages into the text reply they belong to.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.core.channels.channel import CollectingOutputChannel

# Said when the bot produced nothing (action server down, an exception, ...):
# a buyer is never left without an answer.
APOLOGY = "抱歉亲，系统开小差了，暂时没能回答您的问题😥 请稍后再发一次，或者回复“人工”联系人工客服哦～"

# A message over max_message_chars (bot/channels/limits.py) is not parsed.
TOO_LONG = ("亲，您的消息太长啦（超过{limit}个字），我一下子看不过来😥 "
            "麻烦您用一两句话简单说一下遇到的问题，比如“退款到哪一步了”，我马上帮您查～")

# Rasa's control commands typed by a buyer (or sent by a widget) run an action
# that says nothing; the buyer gets this instead of the apology.
CONTROL_COMMANDS = ("/restart", "/session_start", "/back")
CONTROL_REPLY = "好的亲～我们重新开始吧，请问有什么可以帮您的呢？您可以直接说遇到的问题，比如“退款到哪一步了”。"

# Said (at most once a minute) on the widget and REST while a person has the
# conversation (bot/handoff/gate.py); the store IM stays silent instead.
HANDOFF_NOTICE = "亲，人工客服正在为您处理，请稍等～您的消息客服都能看到，会尽快回复您的。"

# A widget message the channel could not read (odd custom data, wrong types).
BAD_MESSAGE = "抱歉亲，这条消息的格式我没能识别😥 麻烦您重新输入一下问题，谢谢您～"


def is_control_command(text: object) -> bool:
    if not isinstance(text, str):
        return False
    command = text.strip().lower()
    return any(command == c or command.startswith(c + "{") for c in CONTROL_COMMANDS)


def nothing_said_reply(user_text: object) -> str:
    """What the buyer reads when the bot produced nothing readable."""
    return CONTROL_REPLY if is_control_command(user_text) else APOLOGY


def _buttons(message: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    raw = message.get("buttons") or message.get("quick_replies") or []
    buttons = []
    for button in raw:
        if isinstance(button, dict) and button.get("title"):
            buttons.append({"title": str(button["title"]), "payload": str(button.get("payload", ""))})
    return buttons


def merge_custom(reply: Dict[Text, Any], custom: Dict[Text, Any]) -> None:
    merged = dict(reply.get("custom") or {})
    for key, value in custom.items():
        if isinstance(merged.get(key), list) and isinstance(value, list):
            merged[key] = merged[key] + [v for v in value if v not in merged[key]]
        else:
            merged[key] = value
    reply["custom"] = merged


class ReplyCollector(CollectingOutputChannel):
    """Collects one reply per bot message: ``{"text", "buttons"?, "custom"?, "image"?}``."""

    def __init__(self, user_text: str = "") -> None:
        super().__init__()
        self.user_text = user_text
        # custom JSON that came before any text reply: {"custom": {...}} until one arrives
        self._pending: Dict[Text, Any] = {}

    @classmethod
    def name(cls) -> Text:
        return "store_im_collector"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        text = message.get("text")
        custom = message.get("custom") if isinstance(message.get("custom"), dict) else None
        reply: Dict[Text, Any] = {}
        if text:
            reply["text"] = str(text)
        buttons = _buttons(message)
        if buttons:
            reply["buttons"] = buttons
            reply.setdefault("text", "")
        for key in ("image", "attachment"):
            if message.get(key):
                reply[key] = message[key]
        if not reply:
            if custom:
                self._attach_custom(custom)
            return
        if self._pending.get("custom"):
            merge_custom(reply, self._pending.pop("custom"))
        if custom:
            merge_custom(reply, custom)
        self.messages.append(reply)

    def _attach_custom(self, custom: Dict[Text, Any]) -> None:
        """A custom-only message belongs to the text reply before it (or the next one)."""
        for reply in reversed(self.messages):
            if reply.get("text"):
                merge_custom(reply, custom)
                return
        merge_custom(self._pending, custom)

    def replies(self) -> List[Dict[Text, Any]]:
        """What the buyer gets: never empty (an apology, or the control reply, if the bot said nothing)."""
        replies = [dict(r) for r in self.messages if r.get("text") or r.get("buttons") or r.get("image")]
        if not replies:
            apology: Dict[Text, Any] = {"text": nothing_said_reply(self.user_text)}
            if self._pending.get("custom"):
                apology["custom"] = dict(self._pending["custom"])
            return [apology]
        return replies
