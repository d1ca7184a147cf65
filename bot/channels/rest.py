"""Rasa's REST channel, made safe for buyers: ``POST /webhooks/rest/webhook``.

Same URL, same request (``{"sender": "<buyer id>", "message": "…"}``) and the
same reply format (a JSON list of ``{"recipient_id", "text", "buttons"?, "custom"?}``)
as Rasa's own ``rest`` channel, with five differences:

1. A buyer is never left without an answer. Rasa answers ``200 []`` when the
   action server is down, slow or failing (the processor logs the exception
   and carries on); here an empty reply becomes a polite apology.
2. A message longer than ``max_message_chars`` (default 1,000) is not parsed
   (NLU time explodes with length and blocks every other buyer); the buyer
   is asked politely to say it shorter.
3. Bad requests get a clear ``400`` naming the problem (malformed JSON,
   invalid UTF-8, a body that is not an object, a missing or non-string
   ``sender``/``message``) instead of a ``500`` or a reply to a ``None`` sender.
4. ``input_channel`` is always ``rest``: Rasa's channel takes it from the
   body, so a caller could claim to come from ``store_im`` and be trusted
   as that channel (actions/identity.py).
5. Calls to the action server are bounded (bot/rasa_patches.py, applied to
   every server of this project), so a hung action server ends in the apology
   of point 1 after ``RASA_ACTION_TIMEOUT_SECONDS`` rather than 300 s.

The channel trusts ``sender`` as the buyer id: local configuration only
(../shared/spec/identity.md). The production credentials do not enable it.
"""
from __future__ import annotations

import json
import logging

from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput

logger = logging.getLogger(__name__)

MAX_SENDER_LENGTH = 128
# Said when the bot produced nothing a buyer can read (action server down or
# slow, an exception): the same words as the store IM channel.
from bot.channels.replies import APOLOGY, DEFAULT_MAX_MESSAGE_CHARS, TOO_LONG


class BadRequest(Exception):
    def __init__(self, error: str, field: Optional[str] = None) -> None:
        super().__init__(error)
        self.body: Dict[str, Any] = {"error": error}
        if field:
            self.body["field"] = field


def parse_request(body: bytes) -> Dict[str, Any]:
    """``{"sender", "message", "metadata"}`` from a raw body, or BadRequest."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("body is not valid UTF-8")
    except ValueError:
        raise BadRequest("malformed JSON")
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    sender = data.get("sender")
    if (not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH
            or any(ord(c) < 32 or ord(c) == 127 for c in sender)):
        # (PostgreSQL cannot store a NUL in the tracker's sender_id column)
        raise BadRequest(f"'sender' must be a non-empty string of at most {MAX_SENDER_LENGTH} characters, "
                         "without control characters", "sender")
    message = data.get("message")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string", "message")
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be a JSON object", "metadata")
    return {"sender": sender, "message": message, "metadata": metadata}


def readable(message: Dict[Text, Any]) -> bool:
    return bool(message.get("text") or message.get("buttons") or message.get("image")
                or message.get("attachment"))


def with_apology(messages: List[Dict[Text, Any]], recipient_id: Text) -> List[Dict[Text, Any]]:
    """The replies, or the replies plus an apology if none of them can be read."""
    if any(readable(m) for m in messages):
        return messages
    return messages + [{"recipient_id": recipient_id, "text": APOLOGY}]


class RestInput(RasaRestInput):
    """``rest``: Rasa's REST channel that always answers (see module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "RestInput":
        credentials = credentials or {}
        return cls(max_message_chars=int(credentials.get("max_message_chars", DEFAULT_MAX_MESSAGE_CHARS)))

    def __init__(self, max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> None:
        self.max_message_chars = max_message_chars

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("custom_webhook_BuyerSafeRestInput", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                parsed = parse_request(request.body or b"")
            except BadRequest as error:
                return response.json(error.body, status=400)
            sender = parsed["sender"]
            if len(parsed["message"]) > self.max_message_chars:
                text = TOO_LONG.format(limit=self.max_message_chars)
                return response.json([{"recipient_id": sender, "text": text}])
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(
                    parsed["message"], collector, sender,
                    input_channel=self.name(), metadata=parsed["metadata"],
                ))
            except CancelledError:
                logger.error("rest: handling a message from %r was cancelled", sender)
            except Exception:
                logger.exception("rest: handling a message from %r failed", sender)
            return response.json(with_apology(collector.messages, sender))

        return webhook

