"""Widget session ids: issued by the server, held by one connection, bound to who is asking.

rasa-webchat asks for a session with ``session_request {"session_id": <stored id>}``
and keeps whatever ``session_confirm`` answers (a different id makes it start a
new conversation). Here:

- An id is ``<random>.<MAC>``: 128 random bits plus an HMAC (key derived from
  WIDGET_TOKEN_SECRET, or a per-process random key), so only ids this server
  issued are accepted; anything else (``tb_lily88``, a guessed id) gets a new one.
- One connection holds a session at a time: a second connection asking for an
  id another live connection holds gets a new id (it never joins the first's
  room). When the holder disconnects, a reload of the same widget takes it back.
- The conversation id is ``web:<session>`` for an anonymous visitor and
  ``web:<session>:<digest of the buyer>`` for a verified buyer token, so a
  different buyer (or no token) on the same session id is another conversation.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Dict, Optional

from bot.channels.validation import MAX_ID_LENGTH, conversation_id, encodable


class WidgetSessions:
    def __init__(self, secret: Optional[str] = None) -> None:
        base = (secret or secrets.token_hex(32)).encode("utf-8")
        self._key = hmac.new(base, b"refund-bot widget session ids", hashlib.sha256).digest()
        self._holder: Dict[str, str] = {}   # session id -> socket.io sid holding it
        self._session: Dict[str, str] = {}  # sid -> its session id

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        token = secrets.token_urlsafe(16)
        return f"{token}.{self._mac(token)}"

    def genuine(self, session_id: object) -> bool:
        if (not isinstance(session_id, str) or len(session_id) > MAX_ID_LENGTH or session_id.count(".") != 1
                or not encodable(session_id)):  # a lone surrogate cannot be MACed (UTF-8)
            return False
        token, mac = session_id.split(".")
        return bool(token) and hmac.compare_digest(self._mac(token), mac)

    def claim(self, sid: str, requested: object) -> str:
        """The session this connection uses: the requested one if genuine and free, else a new one."""
        current = self._session.get(sid)
        if current is not None and current == requested:
            return current
        free = isinstance(requested, str) and self.genuine(requested) and self._holder.get(requested) in (None, sid)
        session = requested if free and isinstance(requested, str) else self.issue()
        self.release(sid)
        self._holder[session] = sid
        self._session[sid] = session
        return session

    def session_of(self, sid: str) -> Optional[str]:
        return self._session.get(sid)

    def release(self, sid: str) -> None:
        session = self._session.pop(sid, None)
        if session is not None and self._holder.get(session) == sid:
            del self._holder[session]

    def conversation_id(self, session: str, buyer_id: Optional[str]) -> str:
        if buyer_id is None:
            return conversation_id("web", session)
        return conversation_id("web", f"{session}:{self._mac('buyer:' + buyer_id)[:16]}")
