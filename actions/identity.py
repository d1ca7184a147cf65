"""Who is asking: the buyer id an action may trust (../shared/spec/identity.md).

- store_im: the channel verified an HMAC over the body; sender_id is the buyer.
- socketio: the widget passes a signed token in its custom data; we verify it
  again here, so a forged or expired token means an anonymous visitor.
- rest / cmdline: trusted only in the local configuration (127.0.0.1).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import time
from typing import Any, Dict, Optional

WIDGET_SECRET_ENV = "WIDGET_TOKEN_SECRET"
TRUSTED_CHANNELS_ENV = "TRUSTED_SENDER_CHANNELS"
# Local default; the production environment sets TRUSTED_SENDER_CHANNELS=store_im.
LOCAL_TRUSTED_CHANNELS = "rest,cmdline,store_im"
TOKEN_KEY = "buyer_token"


def _signature(secret: str, buyer_id: str, expires: int) -> str:
    message = f"{buyer_id}:{expires}".encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def make_buyer_token(buyer_id: str, secret: str, ttl_seconds: int = 3600, now: Optional[float] = None) -> str:
    """What a store page puts in the widget's custom data for a logged-in buyer."""
    expires = int((now or time.time()) + ttl_seconds)
    return f"{buyer_id}:{expires}:{_signature(secret, buyer_id, expires)}"


def verify_buyer_token(token: Any, secret: Optional[str], now: Optional[float] = None) -> Optional[str]:
    """The buyer id in a valid, unexpired token; None for anything else."""
    if not secret or not isinstance(token, str) or token.count(":") != 2:
        return None
    buyer_id, expires_text, signature = token.split(":")
    if not buyer_id or not expires_text.isdigit():
        return None
    expires = int(expires_text)
    if expires < (now or time.time()):
        return None
    expected = _signature(secret, buyer_id, expires)
    return buyer_id if hmac.compare_digest(expected, signature) else None


def trusted_channels() -> set:
    configured = os.environ.get(TRUSTED_CHANNELS_ENV, LOCAL_TRUSTED_CHANNELS)
    return {name.strip() for name in configured.split(",") if name.strip()}


def buyer_id_for(sender_id: str, input_channel: Optional[str], metadata: Optional[Dict[str, Any]]) -> Optional[str]:
    """The buyer whose orders this conversation may read, or None (anonymous)."""
    if input_channel == "socketio":
        token = (metadata or {}).get(TOKEN_KEY)
        return verify_buyer_token(token, os.environ.get(WIDGET_SECRET_ENV))
    # Rasa's own test runner and the HTTP API carry no channel; they are local tools.
    channel = input_channel or "rest"
    return sender_id if channel in trusted_channels() else None
