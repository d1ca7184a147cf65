"""Signed buyer tokens for the web widget: made by a store page, verified by the bot.

A token is ``<buyer_id>:<expires unix seconds>:<hex HMAC-SHA256>`` with the key
``WIDGET_TOKEN_SECRET``. The demo page server (web/server.py) makes them, the
socket.io channel verifies them to keep each buyer's widget conversation apart,
and the actions verify them again before reading any order (shared/identity.py).
"""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any, Optional

WIDGET_SECRET_ENV = "WIDGET_TOKEN_SECRET"
TOKEN_KEY = "buyer_token"  # the key in the widget's customData


def _signature(secret: str, buyer_id: str, expires: int) -> str:
    message = f"{buyer_id}:{expires}".encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def make_buyer_token(buyer_id: str, secret: str, ttl_seconds: int = 3600, now: Optional[float] = None) -> str:
    """What a store page puts in the widget's custom data for a logged-in buyer."""
    expires = int((now or time.time()) + ttl_seconds)
    return f"{buyer_id}:{expires}:{_signature(secret, buyer_id, expires)}"


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def verify_buyer_token(token: Any, secret: Optional[str], now: Optional[float] = None) -> Optional[str]:
    """The buyer id in a valid, unexpired token; None for anything else."""
    if not secret or not isinstance(token, str) or len(token) > 512 or token.count(":") != 2:
        return None
    buyer_id, expires_text, signature = token.split(":")
    # A lone surrogate ("\\ud800") cannot be signed; compare_digest refuses non-ASCII str.
    if not _utf8(buyer_id) or not signature.isascii():
        return None
    if not buyer_id or not (expires_text.isascii() and expires_text.isdigit()) or len(expires_text) > 12:
        return None
    expires = int(expires_text)
    if expires < (now or time.time()):
        return None
    expected = _signature(secret, buyer_id, expires)
    return buyer_id if hmac.compare_digest(expected, signature) else None
