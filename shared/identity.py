"""Who is asking: the buyer id an action may trust (docs/identity.md).

Never the conversation id's text (``store_im:<id>``, ``rest:<id>``, ``web:<random>``):
- store_im / rest: the channel puts the buyer it verified (signature; local REST
  sender) in the message metadata under ``verified_buyer_id``, overwriting
  anything a client sent under that key; trusted per TRUSTED_SENDER_CHANNELS.
- socketio: the widget passes a signed token in its custom data; the channel
  verifies it, drops it (no bearer token in the stored events, issue #23) and
  sets ``verified_buyer_id`` (a client's value is removed); a forged or expired
  token means an anonymous visitor.
- cmdline (``make shell``): the buyer scripts/shell.sh gives this action server
  in SHELL_BUYER_ID; local only.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Optional

from shared.buyer_token import TOKEN_KEY, WIDGET_SECRET_ENV, make_buyer_token, verify_buyer_token
from shared.contract import VERIFIED_BUYER_KEY

TRUSTED_CHANNELS_ENV = "TRUSTED_SENDER_CHANNELS"
# Local default; the production environment sets TRUSTED_SENDER_CHANNELS=store_im.
LOCAL_TRUSTED_CHANNELS = "rest,cmdline,store_im"
SHELL_BUYER_ENV = "SHELL_BUYER_ID"

__all__ = ["TOKEN_KEY", "WIDGET_SECRET_ENV", "VERIFIED_BUYER_KEY", "make_buyer_token",
           "verify_buyer_token", "trusted_channels", "buyer_id_for"]


def trusted_channels() -> set:
    configured = os.environ.get(TRUSTED_CHANNELS_ENV, LOCAL_TRUSTED_CHANNELS)
    return {name.strip() for name in configured.split(",") if name.strip()}


def buyer_id_for(sender_id: str, input_channel: Optional[str], metadata: Optional[Dict[str, Any]]) -> Optional[str]:
    """The buyer whose orders this conversation may read, or None (anonymous).

    ``sender_id`` (the conversation id) is deliberately not used.
    """
    metadata = metadata if isinstance(metadata, dict) else {}
    if input_channel == "socketio":
        if TOKEN_KEY in metadata:  # a conversation recorded before the channel verified tokens itself
            return verify_buyer_token(metadata.get(TOKEN_KEY), os.environ.get(WIDGET_SECRET_ENV))
        # bot/channels/socketio.py verified the token, dropped it (not stored) and set this;
        # the channel removes the key from anything the widget sends
        buyer = metadata.get(VERIFIED_BUYER_KEY)
        return buyer if isinstance(buyer, str) and buyer.strip() else None
    # No channel (Rasa's HTTP API, its test runner): nobody verified anyone.
    if not input_channel or input_channel not in trusted_channels():
        return None
    if input_channel == "cmdline":
        buyer = os.environ.get(SHELL_BUYER_ENV)
    else:
        buyer = metadata.get(VERIFIED_BUYER_KEY)
    return buyer if isinstance(buyer, str) and buyer.strip() else None
