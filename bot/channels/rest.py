"""Rasa's REST channel, made safe for buyers: ``POST /webhooks/rest/webhook``.

Same URL, same request (``{"sender": "<buyer id>", "message": "…"}``) and the
same reply format (a JSON list of ``{"recipient_id", "text", "buttons"?, "custom"?}``)
as Rasa's own ``rest`` channel, with these differences:

1. The conversation is ``rest:<sender>`` (bot/channels/validation.py): a REST
   caller cannot write into a store IM or widget conversation. The buyer the
   channel vouches for (the sender, local configuration only) goes to the
   actions as metadata ``verified_buyer_id``, overwriting any client value.
2. A buyer is never left without an answer: an empty reply (action server
   down, slow or failing) becomes a polite apology, a control command
   (``/restart``…) a polite acknowledgement.
3. A message longer than ``max_message_chars`` (default 1,000) is not parsed
   (NLU time explodes with length and blocks every other buyer).
4. Bad requests get a clear ``400`` naming the problem (validation.py: JSON,
   nesting, ids, metadata) instead of a ``500`` or a reply to a ``None`` sender.
5. ``input_channel`` is always ``rest``: Rasa's channel takes it from the
   body, so a caller could claim to be ``store_im`` and be trusted as that.
6. Limits per conversation and per client (bot/channels/limits.py): over
   them the reply is a polite request to wait a minute, without parsing.
7. Hand-off (bot/handoff/): while a person has the conversation the message is
   only recorded and the reply is ``[]`` or, at most once a minute, one short
   notice; ``handoff_timeout_minutes`` (default 30) as on the store IM.

The channel trusts ``sender`` as the buyer id: local configuration only
(../shared/spec/identity.md). The production credentials do not enable it.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import pipeline
from bot.channels.limits import DEFAULT_MAX_MESSAGE_CHARS, RATE_LIMITED, MessageLimits
from bot.channels.replies import HANDOFF_NOTICE
from bot.channels.validation import (
    ID_EXPECTED,
    BadRequest,
    conversation_id,
    id_problem,
    metadata_object,
    parse_json_object,
)
from bot.handoff.state import HandoffSettings
from bot.rasa_patches import TrackerStoreError
from shared.contract import VERIFIED_BUYER_KEY

logger = logging.getLogger(__name__)


def parse_request(body: bytes) -> Dict[str, Any]:
    """``{"sender", "message", "metadata"}`` from a raw body, or BadRequest."""
    data = parse_json_object(body)
    sender = data.get("sender")
    if id_problem(sender):
        raise BadRequest(f"'sender' must be a {ID_EXPECTED}", "sender")
    message = data.get("message")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string", "message")
    metadata = dict(metadata_object(data.get("metadata")))
    metadata[VERIFIED_BUYER_KEY] = sender
    return {"sender": sender, "message": message, "metadata": metadata}


def readable(message: Dict[Text, Any]) -> bool:
    return bool(message.get("text") or message.get("buttons") or message.get("image")
                or message.get("attachment"))


class RestInput(RasaRestInput):
    """``rest``: Rasa's REST channel that always answers (see module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "RestInput":
        credentials = credentials or {}
        return cls(max_message_chars=int(credentials.get("max_message_chars", DEFAULT_MAX_MESSAGE_CHARS)),
                   handoff=HandoffSettings.from_credentials(credentials, notice=HANDOFF_NOTICE),
                   limits=MessageLimits.from_credentials(credentials))

    def __init__(self, max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
                 handoff: Optional[HandoffSettings] = None, limits: Optional[MessageLimits] = None) -> None:
        self.max_message_chars = max_message_chars
        self.handoff = handoff or HandoffSettings(notice=HANDOFF_NOTICE)
        self.limits = limits or MessageLimits.from_credentials({})

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
            # Replies are addressed to the caller's own sender, as in Rasa's channel.
            sender, text = parsed["sender"], parsed["message"]
            conversation = conversation_id(self.name(), sender)
            refused = pipeline.refusal(self, text, conversation, request.remote_addr or request.ip)
            if refused:
                headers = {"Retry-After": "60"} if refused == RATE_LIMITED else None
                return response.json([{"recipient_id": sender, "text": refused}], headers=headers)
            collector = CollectingOutputChannel()
            try:
                outcome = await pipeline.deliver(self, getattr(request.app.ctx, "agent", None), on_new_message,
                                                 text, collector, conversation, parsed["metadata"])
            except TrackerStoreError:  # this request only: the server goes on (rasa_patches 6)
                logger.exception("rest: the tracker store failed for %r", sender)
                return response.json({"error": "conversation store unavailable, retry later"}, status=503,
                                     headers={"Retry-After": "5"})
            messages = [{**m, "recipient_id": sender} for m in collector.messages]
            apology = pipeline.owed_reply(outcome, any(readable(m) for m in messages), text)
            if apology:
                messages.append({"recipient_id": sender, "text": apology})
            return response.json(messages)

        return webhook
