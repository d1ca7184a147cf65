"""The web chat widget's channel: Rasa's socketio channel, three things changed.

1. CORS: Rasa 3.6 builds its socket.io server with ``cors_allowed_origins=[]``,
   which turns origin checks off entirely (any site's page may open the
   websocket). Here the origins come from credentials.yml
   (``cors_allowed_origins``: exact origins, never ``*``); python-engineio then
   refuses other origins, also on the websocket, and answers allowed ones
   with their exact origin.
2. ``sio.enter_room`` is awaited when it is a coroutine (python-socketio 5.10+,
   rasa #13027); with our pin (5.9.0) it is a plain call. Either way the
   widget's session room is joined before the first reply is sent.
3. Custom JSON (``rule_ids``, ``handoff``) is not emitted as a bot message:
   Rasa's default passes it as keyword arguments to ``sio.emit`` (a TypeError
   that aborts the turn), and rasa-webchat only renders messages whose keys
   are exactly ``text`` (+ ``quick_replies``). It goes out as a separate
   ``bot_custom`` event the widget ignores and a store page may listen to.

The input channel name stays ``socketio``: actions/identity.py trusts this
channel's buyer only through the signed ``buyer_token`` in the widget's
custom data (``metadata_key: customData``).
"""
from __future__ import annotations

import inspect
import json
import logging
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.core.channels.channel
import rasa.shared.utils.io
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.replies import DEFAULT_MAX_MESSAGE_CHARS, TOO_LONG

logger = logging.getLogger(__name__)

CUSTOM_EVENT = "bot_custom"
ORIGINS_ENV = "SOCKETIO_CORS_ORIGINS"
MAX_MESSAGE_BYTES = 64 * 1024


class SocketIOOutput(RasaSocketIOOutput):
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
        channel.cors_allowed_origins = _origins(origins)  # type: ignore[attr-defined]
        channel.max_message_bytes = int(credentials.get("max_message_bytes", MAX_MESSAGE_BYTES))  # type: ignore[attr-defined]
        return channel

    cors_allowed_origins: List[str] = []
    max_message_bytes: int = MAX_MESSAGE_BYTES

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
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if self.jwt_key:
                payload = None
                if auth and auth.get("token"):
                    payload = rasa.core.channels.channel.decode_bearer_token(
                        auth.get("token"), self.jwt_key, self.jwt_algorithm
                    )
                return bool(payload)
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            if not isinstance(data, dict):
                data = {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id or len(session_id) > 128:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await _maybe_await(sio.enter_room(sid, session_id, namespace=self.namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                return
            output_channel = SocketIOOutput(sio, self.bot_message_evt)
            if self.session_persistence:
                if not data.get("session_id"):
                    rasa.shared.utils.io.raise_warning(
                        "A socket.io message without a session_id was ignored; "
                        "the widget must send `session_request` first."
                    )
                    return
                sender_id = str(data["session_id"])
                # A reconnecting widget (page reload) may send before its
                # session_request is handled: make sure it is in its room.
                await _maybe_await(sio.enter_room(sid, sender_id, namespace=self.namespace))
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            text = data.get("message", "")
            if isinstance(text, str) and len(text) > DEFAULT_MAX_MESSAGE_CHARS:
                # Not parsed: a huge message would block every buyer for many seconds.
                await output_channel.send_text_message(
                    sender_id, TOO_LONG.format(limit=DEFAULT_MAX_MESSAGE_CHARS))
                return
            message = UserMessage(
                text if isinstance(text, str) else "",
                output_channel,
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return socketio_webhook
