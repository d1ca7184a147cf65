"""Signed requests to the store IM webhook, as the store's IM platform sends them."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any, Dict, Optional

import requests

from tests.support.servers import STORE_IM_SECRET


def signature(body: bytes, secret: str = STORE_IM_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def im_body(buyer_id: str, text: str, message_id: Optional[str] = None,
            timestamp: Optional[float] = None, **extra: Any) -> Dict[str, Any]:
    body = {
        "buyer_id": buyer_id,
        "message_id": message_id or f"m-{uuid.uuid4().hex}",
        "text": text,
        "timestamp": int(time.time()) if timestamp is None else timestamp,
    }
    body.update(extra)
    return body


def post_im(url: str, body: Any = None, raw: Optional[bytes] = None, sig: Optional[str] = "sign",
            secret: str = STORE_IM_SECRET, timeout: float = 60) -> requests.Response:
    """POST to the store_im webhook; sig="sign" signs the body correctly, None sends no header."""
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if sig == "sign":
        headers["X-Store-Signature"] = signature(data, secret)
    elif sig is not None:
        headers["X-Store-Signature"] = sig
    return requests.post(f"{url}/webhooks/store_im/webhook", data=data, headers=headers, timeout=timeout)


def im_text(result: Dict[str, Any]) -> str:
    return "\n".join(r.get("text", "") for r in result.get("replies", []))
