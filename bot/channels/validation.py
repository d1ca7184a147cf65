"""Request checks every channel shares: JSON bodies, ids, timestamps, metadata, conversation ids.

The REST webhook, the store IM webhook and the socket.io widget each answer
bad input with a 400 (or, on socket.io, a polite reply) instead of a 500 or
silence. The limits live here so the three channels cannot drift apart:

- JSON: valid UTF-8, an object, nested at most ``MAX_JSON_DEPTH`` deep
  (``json.loads`` raises RecursionError near depth 1,000: a 500 before this),
  and no string in it that is not valid Unicode: ``json.loads`` turns the
  escape ``"\\ud800"`` into a lone surrogate, which no store can encode (the
  SQL tracker store's UnicodeEncodeError used to make Rasa exit, issue #23).
- Ids (buyer id, sender, message id, widget session id): a non-empty string of
  at most ``MAX_ID_LENGTH`` characters without control characters (PostgreSQL
  cannot store a NUL in the tracker's ``sender_id`` column).
- Timestamps: a finite number of Unix seconds within ``MAX_TIMESTAMP`` (a
  400-digit integer overflowed ``float`` before this).

Conversation ids are made here too, one namespace per channel
(``store_im:<buyer_id>``, ``rest:<sender>``, ``web:<session>``): a client of one
channel can never name another channel's conversation.
"""
from __future__ import annotations

import json
import math
from typing import Any, Dict, Iterable, Optional

MAX_ID_LENGTH = 128
MAX_JSON_DEPTH = 32
MAX_METADATA_DEPTH = 8
MAX_TIMESTAMP = 10 ** 11  # Unix seconds: about the year 5138; anything larger is nonsense


class BadRequest(Exception):
    """A request to refuse with 400; ``body`` is the JSON the caller gets."""

    def __init__(self, error: str, field: Optional[str] = None, **extra: Any) -> None:
        super().__init__(error)
        self.body: Dict[str, Any] = {"error": error}
        if field:
            self.body["field"] = field
        self.body.update(extra)


def depth(value: Any) -> int:
    """How deeply lists/objects nest in ``value`` (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def encodable(text: str) -> bool:
    """Valid Unicode: no lone surrogate (``"\\ud800"`` in JSON), so UTF-8 can encode it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def strings_encodable(value: Any) -> bool:
    """Every string in ``value`` (keys included, any depth) is valid Unicode."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not encodable(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


NOT_UNICODE = "text is not valid Unicode (a lone surrogate such as \\ud800)"


def parse_json_text(text: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    try:
        value = json.loads(text)
    except RecursionError:
        raise BadRequest("JSON nested too deeply", max_depth=max_depth) from None
    except ValueError:
        raise BadRequest("malformed JSON") from None
    if depth(value) > max_depth:
        raise BadRequest("JSON nested too deeply", max_depth=max_depth)
    if not strings_encodable(value):
        raise BadRequest(NOT_UNICODE)
    return value


def parse_json_object(body: bytes) -> Dict[str, Any]:
    """A request body as a JSON object, or BadRequest naming the problem."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("body is not valid UTF-8") from None
    data = parse_json_text(text)
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    return data


def id_problem(value: Any) -> Optional[str]:
    """None for a usable id; otherwise "missing", "wrong type" or "invalid value"."""
    if value is None:
        return "missing"
    if not isinstance(value, str):
        return "wrong type"
    if (not value.strip() or len(value) > MAX_ID_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in value)
            or not encodable(value)):
        return "invalid value"
    return None


ID_EXPECTED = (f"non-empty string of at most {MAX_ID_LENGTH} characters, without control characters, "
               "valid Unicode")


def timestamp_ok(value: Any) -> bool:
    """A number of Unix seconds that fits in a float and is not absurd."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return -MAX_TIMESTAMP <= value <= MAX_TIMESTAMP
    return math.isfinite(value) and -MAX_TIMESTAMP <= value <= MAX_TIMESTAMP


def metadata_object(value: Any, field: str = "metadata") -> Dict[str, Any]:
    """Client metadata: absent, or a JSON object nested at most MAX_METADATA_DEPTH deep."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest(f"'{field}' must be a JSON object", field)
    if depth(value) > MAX_METADATA_DEPTH:
        raise BadRequest(f"'{field}' is nested too deeply", field, max_depth=MAX_METADATA_DEPTH)
    if not strings_encodable(value):
        raise BadRequest(NOT_UNICODE, field)
    return value


def conversation_id(channel: str, raw_id: str) -> str:
    """The tracker's conversation id: the channel's own namespace, made by the server."""
    return f"{channel}:{raw_id}"
