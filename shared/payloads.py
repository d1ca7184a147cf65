"""A button's payload in words, for people reading a conversation (the hand-off summary).

Buttons send Rasa payloads (``/inform_order_id{"order_id": "3286451901234567910"}``,
``/thank{"feedback": "up"}``); an agent should read 「点选了订单（尾号7910）」, not the
payload. Both the action server's summary and the Rasa server's fallback summary
(bot/handoff/fallback.py) use this, so it lives in the bottom layer.
"""
from __future__ import annotations

import json
import re
from typing import Callable, Mapping, Optional

_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z_]+)(?P<entities>\{.*\})?\s*$", re.S)
_FEEDBACK = {"up": "点了“👍 解决了”", "down": "点了“👎 没解决”"}
_PLAIN = {"request_human": "点了“转人工”"}


def is_payload(text: object) -> bool:
    return isinstance(text, str) and bool(_PAYLOAD.match(text.strip()))


def in_words(text: object, topics: Optional[Mapping[str, str]] = None,
             order_name: Optional[Callable[[str], Optional[str]]] = None) -> str:
    """The buyer's message as a person reads it: a payload becomes what was clicked.

    `topics`: intent -> the button's title (查看退款进度); `order_name`: order id ->
    the item (the buyer's own orders only), else the order is named by its tail digits.
    """
    raw = str(text or "")
    match = _PAYLOAD.match(raw.strip())
    if not match:
        return raw
    intent = match["intent"]
    try:
        entities = json.loads(match["entities"]) if match["entities"] else {}
    except ValueError:
        entities = {}
    entities = entities if isinstance(entities, dict) else {}
    feedback = entities.get("feedback")
    if isinstance(feedback, str) and feedback in _FEEDBACK:
        return _FEEDBACK[feedback]
    order_id = entities.get("order_id")
    if isinstance(order_id, str) and order_id:
        item = order_name(order_id) if order_name else None
        return f"点选了订单「{item}」" if item else f"点选了订单（尾号{order_id[-4:]}）"
    if intent in _PLAIN:
        return _PLAIN[intent]
    title = (topics or {}).get(intent)
    return f"点了“{title}”" if title else "点了一个按钮"
