"""The web chat widget's channel: Rasa's socketio channel with its gaps closed.

1. CORS: Rasa 3.6 builds its socket.io server with ``cors_allowed_origins=[]``,
   which turns origin checks off entirely. Here the origins come from
   credentials.yml (``cors_allowed_origins``: exact origins, never ``*``).
2. Sessions (widget_sessions.py): the server issues every session id, one
   connection holds it, and the conversation id is ``web:<session>`` (plus a
   digest of the verified buyer), so a visitor can neither name a store IM
   buyer's conversation nor join another visitor's.
3. ``sio.enter_room`` is awaited when it is a coroutine (python-socketio 5.10+,
   rasa #13027); the room is joined before the first reply is sent.
4. Custom JSON (``rule_ids``, ``handoff``) goes out as a separate ``bot_custom``
   event the widget ignores (rasa-webchat renders only ``text`` + ``quick_replies``;
   Rasa's default passes it to ``sio.emit`` as keyword arguments, a TypeError).
5. Every message gets a reply: bad input (validation.py: wrong types, custom
   data nested too deep, over ``max_message_chars``) a polite one, nothing
   said (action server down, ``/restart``) the apology or the control reply.
6. Limits (bot/channels/limits.py): messages per minute per conversation and
   per address, connections per address; over them a polite request to wait.
7. Hand-off (bot/handoff/): while a person has the conversation the message is
   only recorded and the widget gets one short notice at most once a minute
   (``handoff_timeout_minutes``, default 30, as on the store IM).

The input channel name stays ``socketio``: the channel verifies the signed
``buyer_token`` in the widget's custom data (``metadata_key: customData``),
drops it (a bearer token must not rest in the tracker store) and passes the
buyer it names as ``verified_buyer_id``, a key no client can set (removed
from what the widget sends).
"""
from __future__ import annotations

import inspect
import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.core.channels.channel
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels import pipeline
from bot.channels.limits import DEFAULT_MAX_MESSAGE_CHARS, MAX_REQUEST_BYTES, REQUEST_MAX_ENV, MessageLimits
from bot.channels.replies import BAD_MESSAGE, HANDOFF_NOTICE
from bot.channels.validation import NOT_UNICODE, BadRequest, encodable, metadata_object, parse_json_text
from bot.channels.widget_sessions import WidgetSessions
from bot.handoff import gate
from bot.handoff.state import HandoffSettings
from bot.rasa_patches import TrackerStoreError
from shared.buyer_token import TOKEN_KEY, WIDGET_SECRET_ENV, verify_buyer_token
from shared.contract import VERIFIED_BUYER_KEY

logger = logging.getLogger(__name__)

CUSTOM_EVENT = "bot_custom"
ORIGINS_ENV = "SOCKETIO_CORS_ORIGINS"


_LISTED = re.compile(r"^\s*\d+[.、]\s*(?P<title>.+?)\s*$")


def widget_text(text: Text, buttons: Optional[List[Dict[Text, Any]]] = None) -> Text:
    """A reply as the widget shows it (issue #19): the numbered lines that repeat the
    buttons (the order list, which other channels need as text) are left out, since
    the buttons show it; the other line breaks stay (the widget renders Markdown, where
    a single newline is no break, so each gets Markdown's hard break)."""
    titles = {str(b.get("title") or "") for b in buttons or []}
    lines = [line for line in (text or "").split("\n")
             if not ((m := _LISTED.match(line)) and m["title"] in titles)]
    return "\n".join(line.rstrip() + ("  " if line.strip() else "") for line in lines).rstrip()


class SocketIOOutput(RasaSocketIOOutput):
    """Rasa's output, noting whether the buyer got anything readable; text as the widget shows it."""

    said_something = False

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, widget_text(text), **kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await super().send_text_with_buttons(recipient_id, widget_text(text, buttons), buttons, **kwargs)

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.said_something = True
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self.sio.emit(CUSTOM_EVENT, json_message, room=recipient_id)


async def _maybe_await(value: Any) -> None:
    if inspect.isawaitable(value):
        await value


def _origins(value: Any) -> List[str]:
    if value is None:
        return []
    origins = [value] if isinstance(value, str) else list(value)
    origins = [str(o).strip().rstrip("/") for o in origins if str(o).strip()]
    if "*" in origins:
        raise ValueError("socketio cors_allowed_origins: list exact origins, not '*'")
    return origins


class _AppAwareSocketBlueprint(SocketBlueprint):
    """Remembers the Sanic app it is registered on: socket.io handlers have no request (agent)."""

    def register(self, app: Any, options: Dict[Text, Any]) -> None:
        self.ctx.app = app
        super().register(app, options)


class SocketIOInput(RasaSocketIOInput):
    """Rasa's ``socketio`` channel with exact CORS origins (see module doc)."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        # env SOCKETIO_CORS_ORIGINS (comma-separated exact origins) replaces the
        # list in credentials.yml: a page served on another port, the tests.
        configured = os.environ.get(ORIGINS_ENV)
        origins = configured.split(",") if configured else credentials.get("cors_allowed_origins")
        channel.cors_allowed_origins = _origins(origins)
        channel.max_message_bytes = int(credentials.get("max_message_bytes")
                                        or os.environ.get(REQUEST_MAX_ENV) or MAX_REQUEST_BYTES)
        channel.max_message_chars = int(credentials.get("max_message_chars", DEFAULT_MAX_MESSAGE_CHARS))
        channel.handoff = HandoffSettings.from_credentials(credentials, notice=HANDOFF_NOTICE)
        channel.limits = MessageLimits.from_credentials(credentials)
        return channel

    cors_allowed_origins: List[str] = []
    max_message_bytes: int = MAX_REQUEST_BYTES
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    handoff: HandoffSettings = HandoffSettings(notice=HANDOFF_NOTICE)
    limits: Optional[MessageLimits] = None

    def get_output_channel(self) -> Optional[rasa.core.channels.channel.OutputChannel]:
        if self.sio is None:
            return super().get_output_channel()
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # None would mean "same origin only" to python-engineio; the page is
        # served from another port, so list its origins in credentials.yml.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.cors_allowed_origins or None,
            max_http_buffer_size=self.max_message_bytes,
        )
        socketio_webhook = _AppAwareSocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        socketio_webhook.add_route(health, "/", methods=["GET"])
        widget = WidgetConnections(self, sio, socketio_webhook, on_new_message)
        for event, handler in (("connect", widget.connect), ("disconnect", widget.disconnect),
                               ("session_request", widget.session_request),
                               (self.user_message_evt, widget.handle_message)):
            sio.on(event, namespace=self.namespace)(handler)
        return socketio_webhook


async def health(_: Request) -> HTTPResponse:
    return response.json({"status": "ok"})


class WidgetConnections:
    """The socket.io events of one widget channel: connections per address, sessions, messages."""

    def __init__(self, channel: SocketIOInput, sio: AsyncServer, blueprint: _AppAwareSocketBlueprint,
                 on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        self.channel, self.sio, self.blueprint, self.on_new_message = channel, sio, blueprint, on_new_message
        self.namespace = channel.namespace
        if channel.limits is None:
            channel.limits = MessageLimits.from_credentials({})
        self.client_of: Dict[Text, Text] = {}  # sid -> remote address
        self.connections: Dict[Text, int] = {}  # remote address -> open connections
        self.secret = os.environ.get(WIDGET_SECRET_ENV) or None
        if self.secret is None:
            # the session-id key is then this process's own: ids die with it
            logger.warning("socketio: %s is not set: widget sessions last only until this Rasa process "
                           "restarts and are not shared between replicas", WIDGET_SECRET_ENV)
        self.sessions = WidgetSessions(self.secret)

    async def connect(self, sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
        request = environ.get("sanic.request")
        client = str((request.remote_addr or request.ip) if request is not None else "unknown")
        most = self.channel.limits.connections_per_client if self.channel.limits else 0
        if most and self.connections.get(client, 0) >= most:
            logger.warning("socketio: %s holds %s connections already; refused", client, most)
            return False
        if self.channel.jwt_key:
            payload = None
            if auth and auth.get("token"):
                payload = rasa.core.channels.channel.decode_bearer_token(
                    auth.get("token"), self.channel.jwt_key, self.channel.jwt_algorithm
                )
            if not payload:
                return False
        self.client_of[sid] = client  # (a refused connect gets no disconnect event)
        self.connections[client] = self.connections.get(client, 0) + 1
        return True

    async def disconnect(self, sid: Text) -> None:
        logger.debug("socketio: %s disconnected, its session is free", sid)
        self.sessions.release(sid)
        client = self.client_of.pop(sid, None)
        if client is not None:
            self.connections[client] = self.connections.get(client, 1) - 1
            if self.connections[client] <= 0:
                del self.connections[client]

    async def say_to(self, room: Text, text: Text) -> None:
        await self.sio.emit(self.channel.bot_message_evt, {"text": text}, room=room, namespace=self.namespace)

    async def confirm(self, sid: Text, requested: Any) -> Text:
        session = self.sessions.claim(sid, requested)
        logger.debug("socketio: %s asked for %r, holds %s", sid, requested, session)
        await self.sio.emit("session_confirm", session, room=sid, namespace=self.namespace)
        return session

    async def session_request(self, sid: Text, data: Any) -> None:
        await self.confirm(sid, data.get("session_id") if isinstance(data, dict) else None)

    def read_message(self, data: Any) -> Dict[Text, Any]:
        """``{"text", "metadata"}`` of a user_uttered event, or BadRequest."""
        if not isinstance(data, dict):
            raise BadRequest("message must be an object")
        text = data.get("message", "")
        if not isinstance(text, str):
            raise BadRequest("'message' must be a string", "message")
        if not encodable(text):
            raise BadRequest(NOT_UNICODE, "message")
        key = self.channel.metadata_key
        metadata = data.get(key)
        if isinstance(metadata, str):
            metadata = parse_json_text(metadata) if metadata.strip() else None
        metadata = dict(metadata_object(metadata, key))
        metadata.pop(VERIFIED_BUYER_KEY, None)  # only channels that verify set it
        return {"text": text, "metadata": metadata}

    async def handle_message(self, sid: Text, data: Any) -> None:
        session = self.sessions.session_of(sid)
        if session is None:
            # A reconnecting widget may send before its session_request is handled.
            session = await self.confirm(sid, data.get("session_id") if isinstance(data, dict) else None)
        # A session id in the message that is not this connection's own is ignored.
        try:
            message = self.read_message(data)
        except BadRequest as error:
            logger.info("socketio: bad message from %s: %s", sid, error.body)
            await self.say_to(sid, BAD_MESSAGE)
            return
        text = message["text"]
        refused = pipeline.too_long(self.channel, text)  # not parsed: it would block every buyer
        if refused:
            await self.say_to(sid, refused)
            return
        # The token is a bearer credential (valid an hour): verified here and never stored in
        # the tracker's events; the actions get the buyer it names (shared/identity.py).
        buyer = verify_buyer_token(message["metadata"].pop(TOKEN_KEY, None), self.secret)
        if buyer is not None:
            message["metadata"][VERIFIED_BUYER_KEY] = buyer
        conversation = self.sessions.conversation_id(session, buyer)
        refused = pipeline.over_limits(self.channel, conversation, self.client_of.get(sid))
        if refused:
            await self.say_to(sid, refused)
            return
        await _maybe_await(self.sio.enter_room(sid, conversation, namespace=self.namespace))
        output = SocketIOOutput(self.sio, self.channel.bot_message_evt)
        app = getattr(self.blueprint.ctx, "app", None)
        agent = getattr(app.ctx, "agent", None) if app else None
        try:
            outcome = await pipeline.deliver(self.channel, agent, self.on_new_message, text, output,
                                             conversation, message["metadata"])
        except TrackerStoreError:  # no 503 to send on a socket: the buyer gets the apology
            logger.exception("socketio: the tracker store failed for %s", conversation)
            outcome = gate.Outcome(silent=False)
        apology = pipeline.owed_reply(outcome, output.said_something, text)
        if apology:
            await self.say_to(conversation, apology)
