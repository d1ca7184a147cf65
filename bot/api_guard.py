"""Who may talk to the Rasa server at all: API token, Host and Origin checks (a Sanic middleware).

Rasa's ``--auth-token`` guards most HTTP API routes but not ``/version`` and
not the channels; and nothing checks ``Host`` (DNS rebinding lets any web page
reach 127.0.0.1) or ``Origin`` (a cross-site form may POST ``text/plain`` JSON).
``install(app, ...)`` adds one request middleware:

- ``Host`` must be one of ``allowed_hosts`` (port ignored) when that list is
  not empty: the local profile allows only 127.0.0.1, localhost and ::1.
- A request that carries an ``Origin`` not in ``allowed_origins`` is refused,
  except on socket.io (the widget's channel checks its own exact origins).
- Any path outside the channels (``/webhooks/…``, ``/socket.io/…``) and ``/``
  needs the API token (``?token=`` or ``Authorization: Bearer``); without
  a token configured those paths do not exist (the API is off). Rasa itself
  reads only ``?token=`` (a Bearer header is a JWT to it): a Bearer token that
  matches is handed on as ``?token=`` so the README's header example works.
- A token that is not valid UTF-8 (Sanic keeps odd header bytes as lone
  surrogates, ``Bearer \\xe9``) is a 400, not a 500 (issue #23).
"""
from __future__ import annotations

import hmac
import logging
from typing import Iterable, Optional

from sanic import Sanic, response
from sanic.request import Request

logger = logging.getLogger(__name__)

CHANNEL_PREFIXES = ("/webhooks/", "/socket.io")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _host_name(host_header: str) -> str:
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:5005
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _token_of(request: Request) -> Optional[str]:
    token = request.args.get("token")
    if token:
        return token
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def refusal(request: Request, allowed_hosts: Iterable[str], allowed_origins: Iterable[str],
            api_token: Optional[str]) -> Optional[response.HTTPResponse]:
    """The response that refuses this request, or None to let it through."""
    path = request.path
    hosts = {h.lower() for h in allowed_hosts}
    if hosts and _host_name(request.headers.get("host", "")) not in hosts:
        return response.json({"error": "host not allowed"}, status=403)
    origin = request.headers.get("origin")
    if origin is not None and not path.startswith("/socket.io") and origin.rstrip("/") not in set(allowed_origins):
        return response.json({"error": "origin not allowed"}, status=403)
    if path == "/" or path.startswith(CHANNEL_PREFIXES):
        return None
    if not api_token:
        return response.json({"error": "not found"}, status=404)
    given = _token_of(request)
    try:
        given_bytes = given.encode("utf-8") if given else b""
    except UnicodeEncodeError:
        return response.json({"error": "the token is not valid UTF-8"}, status=400)
    if not given or not hmac.compare_digest(given_bytes, api_token.encode("utf-8")):
        return response.json({"error": "the HTTP API needs its token"}, status=401)
    if request.args.get("token") != given:  # a Bearer header: Rasa's handlers read ?token=
        request.args["token"] = [given]
    return None


def install(app: Sanic, allowed_hosts: Iterable[str], allowed_origins: Iterable[str],
            api_token: Optional[str]) -> None:
    hosts, origins = list(allowed_hosts), [o.rstrip("/") for o in allowed_origins]

    async def guard(request: Request) -> Optional[response.HTTPResponse]:
        refused = refusal(request, hosts, origins, api_token)
        if refused is not None:
            logger.info("refused %s %s (%s)", request.method, request.path, refused.status)
        return refused

    app.register_middleware(guard, "request")
    logger.info("HTTP API %s; Host check: %s", "on (token required)" if api_token else "off",
                ", ".join(hosts) or "off")
