"""The store's IM platform: a signed webhook, ``POST /webhooks/store_im/webhook``.

Protocol (docs/channels.md, "Store IM webhook"):

    POST /webhooks/store_im/webhook
    Content-Type: application/json
    X-Store-Signature: sha256=<hex HMAC-SHA256 of the raw body, key = STORE_IM_SECRET>

    {"buyer_id": "tb_lily88", "message_id": "m-1", "text": "已经发货了还能退款吗",
     "timestamp": 1795000000}

    200 {"message_id": "m-1",
         "replies": [{"text": "...", "buttons": [{"title": "...", "payload": "..."}],
                      "custom": {"rule_ids": [...]}}]}

Checks, in this order: body size (413), channel configured (503: no secret
means every request is refused), signature (401), JSON and fields (400,
naming the field), timestamp within ``max_clock_skew_seconds`` of the
server clock (401, replay). A repeated ``message_id`` of the same buyer gets
the first result again without being processed twice (``dedup.py``).

Hand-off (docs/channels.md "Hand-off and hand-back", bot/handoff/): while a person has
the conversation the webhook answers ``{"message_id", "replies": [],
"handoff_active": true}`` and the message is only recorded. The store gives it
back with ``POST /webhooks/store_im/handback`` ``{"type": "handback",
"handback_id", "buyer_id", "timestamp"}`` and nothing else, signed and checked
like a message (413/503/401/400/401 stale) → ``200 {"buyer_id", "bot_active":
true}``. The signed ``type`` binds a body to its route: a message (no
``type``, or ``"message"``) is refused on the hand-back route and a hand-back
on the message route (issue #23). Each ``handback_id`` is accepted once
(``409`` again, also after a restart: it is recorded in the conversation), and
a hand-back sent before the current hand-off began does not end it; after ``handoff_timeout_minutes`` (default
30) the bot takes it back by itself on the next message. ``callback_url``, when
configured, receives each answered result signed the same way, with the
``buyer_id`` and, on a hand-off, ``handoff`` = ``{"reason", "summary"}``.

The buyer id is trusted because the signature verified: the conversation is
``store_im:<buyer_id>`` (no other channel can name it), input_channel =
"store_im", and metadata ``verified_buyer_id`` carries the buyer to the
actions (shared/identity.py). Request checks are shared with the other
channels (validation.py).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import inspect
import json
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import pipeline
from bot.channels.dedup import DuplicateStillRunning, dedup_key, make_dedup
from bot.channels.limits import (
    DEFAULT_DEDUP_TTL,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_CLOCK_SKEW,
    DEFAULT_MAX_MESSAGE_CHARS,
    MessageLimits,
)
from bot.channels.replies import APOLOGY, ReplyCollector
from bot.channels.validation import (
    ID_EXPECTED,
    MAX_ID_LENGTH,
    BadRequest,
    conversation_id,
    id_problem,
    parse_json_object,
    timestamp_ok,
)
from bot.handoff import gate
from bot.handoff.state import HandoffSettings
from shared.contract import VERIFIED_BUYER_KEY

logger = logging.getLogger(__name__)

SECRET_ENV = "STORE_IM_SECRET"
REDIS_ENV = "STORE_IM_DEDUP_REDIS_URL"
SIGNATURE_HEADER = "X-Store-Signature"
SIGNATURE_PREFIX = "sha256="

MESSAGE_TYPE, HANDBACK_TYPE = "message", "handback"
HANDBACK_FIELDS = ("type", "handback_id", "buyer_id", "timestamp")


def sign(body: bytes, secret: str) -> str:
    """The X-Store-Signature header value for a raw body."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, header: Optional[str], secret: str) -> bool:
    if not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    return hmac.compare_digest(sign(body, secret).encode("ascii"), header.strip().lower().encode("ascii", "replace"))


def parse_message(body: bytes, fields: Tuple[str, ...] = ("buyer_id", "message_id", "text", "timestamp"),
                  ) -> Dict[str, Any]:
    """The validated message (or hand-back: buyer_id and timestamp), or BadRequest naming what is wrong."""
    data = parse_json_object(body)
    for field in fields:
        if field not in data or data[field] is None:
            raise BadRequest("missing field", field)
    for field in ("buyer_id", "message_id"):
        if field not in fields:
            continue
        problem = id_problem(data[field])
        if problem == "wrong type":
            raise BadRequest("wrong type", field, expected="string")
        if problem:
            raise BadRequest("invalid value", field, expected=ID_EXPECTED)
    if "text" in fields and not isinstance(data["text"], str):
        raise BadRequest("wrong type", "text", expected="string")
    if "text" in fields and data.get("type", MESSAGE_TYPE) != MESSAGE_TYPE:
        raise BadRequest("invalid value", "type", expected=MESSAGE_TYPE)
    if not timestamp_ok(data["timestamp"]):
        raise BadRequest("wrong type", "timestamp", expected="Unix time in seconds (number)")
    return data


def parse_handback(body: bytes) -> Dict[str, Any]:
    """A hand-back: exactly HANDBACK_FIELDS, ``type`` "handback"; anything else is a BadRequest."""
    data = parse_json_object(body)
    extra = sorted(set(data) - set(HANDBACK_FIELDS))
    if extra:
        raise BadRequest("unexpected field", extra[0], expected=list(HANDBACK_FIELDS))
    if data.get("type") != HANDBACK_TYPE:
        raise BadRequest("invalid value", "type", expected=HANDBACK_TYPE)
    for field in ("handback_id", "buyer_id"):
        problem = id_problem(data.get(field))
        if problem:
            raise BadRequest(problem, field, expected=ID_EXPECTED)
    if not timestamp_ok(data.get("timestamp")):
        raise BadRequest("wrong type", "timestamp", expected="Unix time in seconds (number)")
    return data


class StoreIMInput(InputChannel):
    """``store_im``: the store's IM platform, HMAC-signed webhook."""

    @classmethod
    def name(cls) -> Text:
        return "store_im"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            secret=os.environ.get(SECRET_ENV) or None,
            callback_url=credentials.get("callback_url") or None,
            callback_timeout=float(credentials.get("callback_timeout_seconds", 5)),
            max_body_bytes=int(credentials.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
            max_message_chars=int(credentials.get("max_message_chars", DEFAULT_MAX_MESSAGE_CHARS)),
            max_clock_skew=int(credentials.get("max_clock_skew_seconds", DEFAULT_MAX_CLOCK_SKEW)),
            dedup_ttl=int(credentials.get("dedup_ttl_seconds", DEFAULT_DEDUP_TTL)),
            redis_url=os.environ.get(REDIS_ENV) or None,
            handoff=HandoffSettings.from_credentials(credentials, notice=None),
            limits=MessageLimits.from_credentials(credentials),
        )

    def __init__(self, secret: Optional[str] = None, callback_url: Optional[str] = None,
                 callback_timeout: float = 5, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
                 max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
                 max_clock_skew: int = DEFAULT_MAX_CLOCK_SKEW, dedup_ttl: int = DEFAULT_DEDUP_TTL,
                 redis_url: Optional[str] = None, handoff: Optional[HandoffSettings] = None,
                 limits: Optional[MessageLimits] = None) -> None:
        self.secret = secret
        self.callback_url = callback_url
        self.callback_timeout = callback_timeout
        self.max_body_bytes = max_body_bytes
        self.max_message_chars = max_message_chars
        self.max_clock_skew = max_clock_skew
        self.dedup = make_dedup(redis_url, dedup_ttl)
        self.handoff = handoff or HandoffSettings()
        self.limits = limits or MessageLimits.from_credentials({})
        self._callbacks: set = set()
        # hand-back ids seen by this process (dedup key -> expiry, monotonic): a replay within
        # the timestamp window is refused even where no hand-off recorded the id
        self._handbacks_seen: Dict[str, float] = {}
        if not secret:
            logger.warning("store_im: %s is not set; every request is refused (503).", SECRET_ENV)

    async def _read_body(self, request: Request) -> Optional[bytes]:
        """The raw body, or None once it grows past the limit (read no further)."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_body_bytes:
            return None
        if request.stream is None:  # body already read by Sanic
            body = request.body or b""
            return None if len(body) > self.max_body_bytes else body
        chunks, size = [], 0
        while True:
            chunk = await request.stream.read()
            if chunk is None:
                break
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    async def _process(self, agent: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                       message: Dict[str, Any]) -> Dict[str, Any]:
        refused = pipeline.too_long(self, message["text"])
        if refused:
            return {"message_id": message["message_id"], "replies": [{"text": refused}]}
        collector = ReplyCollector(message["text"])
        # A TrackerStoreError goes up: not processed, 503, and the platform's retry is processed.
        outcome = await pipeline.deliver(
            self, agent, on_new_message, message["text"], collector,
            conversation_id(self.name(), message["buyer_id"]),
            {"message_id": message["message_id"], "timestamp": message["timestamp"],
             VERIFIED_BUYER_KEY: message["buyer_id"]})
        if outcome.silent:  # a person has the conversation: the IM routes the message to them
            return {"message_id": message["message_id"], "replies": [], "handoff_active": True}
        replies = collector.replies()  # the apology when the bot said nothing (pipeline.owed_reply's rule)
        return {"message_id": message["message_id"], "replies": replies,
                "handoff_active": _handoff_of(replies) is not None}

    def _remember_handback(self, key: str) -> None:
        now = time.monotonic()
        for old in [k for k, expires in self._handbacks_seen.items() if expires <= now]:
            del self._handbacks_seen[old]
        self._handbacks_seen[key] = now + 2 * self.max_clock_skew + 60

    def _send_callback(self, buyer_id: str, result: Dict[str, Any]) -> None:
        if not self.callback_url or not self.secret or not result.get("replies"):
            return
        payload = {"buyer_id": buyer_id, **result}
        handoff = _handoff_of(result["replies"])
        if handoff is not None:
            payload["handoff"] = {"reason": handoff.get("reason"), "summary": handoff.get("summary")}
        task = asyncio.ensure_future(self._post_callback(payload))
        self._callbacks.add(task)
        task.add_done_callback(self._callbacks.discard)

    async def _post_callback(self, result: Dict[str, Any]) -> None:
        import aiohttp

        if not self.callback_url:
            return
        body = json.dumps(result, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, self.secret or "")}
        try:
            timeout = aiohttp.ClientTimeout(total=self.callback_timeout)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.post(self.callback_url, data=body, headers=headers) as reply:
                    if reply.status >= 300:
                        logger.warning("store_im: callback answered %s", reply.status)
        except Exception as error:  # fire and forget: the webhook response already has the replies
            logger.warning("store_im: callback to %s failed: %r", self.callback_url, error)

    async def _signed_request(self, request: Request, parse: Callable[[bytes], Dict[str, Any]] = parse_message
                              ) -> Tuple[Optional[Dict[str, Any]], Optional[HTTPResponse]]:
        """The parsed body of a signed, fresh request, or the response that refuses it."""
        body = await self._read_body(request)
        if body is None:
            return None, response.json({"error": "body too large", "max_bytes": self.max_body_bytes}, status=413)
        if not self.secret:
            return None, response.json({"error": "channel not configured"}, status=503)
        if not signature_ok(body, request.headers.get(SIGNATURE_HEADER), self.secret):
            return None, response.json({"error": "invalid signature"}, status=401)
        try:
            data = parse(body)
        except BadRequest as error:
            return None, response.json(error.body, status=400)
        if abs(time.time() - data["timestamp"]) > self.max_clock_skew:
            return None, response.json({"error": "stale timestamp", "max_skew_seconds": self.max_clock_skew},
                                       status=401)
        return data, None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint("store_im_webhook", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.secret else "not configured"})

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            message, refusal = await self._signed_request(request)
            if refusal is not None:
                return refusal
            assert message is not None

            agent = getattr(request.app.ctx, "agent", None)
            refused = pipeline.over_limits(self, conversation_id(self.name(), message["buyer_id"]),
                                           request.remote_addr or request.ip)  # limits.py: not parsed
            if refused:
                return response.json({"message_id": message["message_id"], "replies": [{"text": refused}],
                                      "handoff_active": False, "rate_limited": True},
                                     headers={"Retry-After": "60"}, dumps=_dumps)

            async def work() -> Dict[str, Any]:
                return await self._process(agent, on_new_message, message)

            key = dedup_key(message["buyer_id"], message["message_id"])
            try:
                result, duplicate = await self.dedup.run_once(key, work)
            except DuplicateStillRunning:
                return response.json({"error": "message is still being processed, retry later"},
                                     status=503, headers={"Retry-After": "5"})
            except Exception:
                logger.exception("store_im: message %s not processed", message["message_id"])
                return response.json({"error": "message not processed, retry later"},
                                     status=503, headers={"Retry-After": "5"})
            if not duplicate:
                self._send_callback(message["buyer_id"], result)
            return response.json(result, headers={"X-Store-Duplicate": "true" if duplicate else "false"},
                                 dumps=_dumps)

        @webhook.route("/handback", methods=["POST"], stream=True)
        async def handback(request: Request) -> HTTPResponse:
            data, refusal = await self._signed_request(request, parse_handback)
            if refusal is not None:
                return refusal
            assert data is not None
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "bot not ready, retry later"}, status=503,
                                     headers={"Retry-After": "5"})
            key = dedup_key(data["buyer_id"], "handback\x1f" + data["handback_id"])
            if self._handbacks_seen.get(key, 0) > time.monotonic():
                return response.json({"error": "hand-back already used"}, status=409)
            try:
                outcome = await gate.hand_back(agent, conversation_id(self.name(), data["buyer_id"]),
                                               data["handback_id"], float(data["timestamp"]))
            except Exception:
                logger.exception("store_im: hand-back of %s failed", data["buyer_id"])
                return response.json({"error": "hand-back not recorded, retry later"}, status=503,
                                     headers={"Retry-After": "5"})
            if outcome == gate.ALREADY_USED:
                return response.json({"error": "hand-back already used"}, status=409)
            if outcome == gate.OLDER_THAN_HANDOFF:
                return response.json({"error": "hand-back sent before the current hand-off began"}, status=409)
            self._remember_handback(key)
            return response.json({"buyer_id": data["buyer_id"], "bot_active": True}, dumps=_dumps)

        return webhook


def _handoff_of(replies: Any) -> Optional[Dict[str, Any]]:
    """The ``custom.handoff`` marker's custom JSON when a reply hands the conversation off."""
    for reply in replies or []:
        custom = reply.get("custom") if isinstance(reply, dict) else None
        if isinstance(custom, dict) and custom.get("handoff"):
            return custom
    return None


def _dumps(data: Any, **kwargs: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


__all__ = ["StoreIMInput", "sign", "signature_ok", "parse_message", "parse_handback", "APOLOGY", "MAX_ID_LENGTH"]
