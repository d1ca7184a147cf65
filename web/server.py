"""The demo shop page with the web chat widget (``make run``: http://127.0.0.1:8080/).

Not a Rasa channel: a small page server beside the bot, as a store's own site would be.

    python -m web.server [--host 127.0.0.1] [--port 8080] [--rasa http://127.0.0.1:5005]

- ``/``               the page, anonymous visitor (the bot answers with general rules only)
- ``/?buyer=<id>``    the page as a store page that knows its logged-in buyer: it embeds a
                      freshly signed token (shared/buyer_token.py, secret from env
                      WIDGET_TOKEN_SECRET, valid one hour) in the widget's custom data as
                      ``{"buyer_token": "..."}``. Demo only: a real store page signs the token
                      for the buyer its own login says, never for a query parameter.
                      Set WEB_DEMO_BUYER_LOGIN=0 to turn it off.
- ``/webchat.js``     rasa-webchat 1.0.1's UMD bundle from web/node_modules (npm ci in web/)

Nothing else is served (no directory listing, no other files).
"""
from __future__ import annotations

import argparse
import html
import json
import os
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs, urlsplit

from shared.buyer_token import TOKEN_KEY, WIDGET_SECRET_ENV, make_buyer_token
from shared.contract import BUYER_ID_PATTERN
from shared.project_defaults import default_port

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
PAGE = REPO / "web" / "index.html"
# One thread per connection: bounded, and an idle or trickling connection is
# closed after CONNECTION_TIMEOUT_SECONDS (issue #23: 300 held connections
# kept 300 threads for ever).
MAX_CONNECTIONS = 64
CONNECTION_TIMEOUT_SECONDS = 10
TOKEN_TTL_SECONDS = 3600


def widget_config(rasa_url: str, buyer_token: Optional[str]) -> dict:
    custom_data = {"language": "zh"}
    if buyer_token:
        custom_data[TOKEN_KEY] = buyer_token
    return {
        "socketUrl": rasa_url,
        "socketPath": "/socket.io/",
        "initPayload": "/greet",
        "customData": custom_data,
        "title": "小铺售后客服",
        "subtitle": "退款 · 售后 · 余额问题，随时为您解答",
        "inputTextFieldHint": "请输入您的问题，例如：退款到哪一步了",
        "params": {"storage": "local"},
        "connectingText": "正在连接客服…",
        "mainColor": "#ff5000",
        "userBackgroundColor": "#ff5000",
        "userTextColor": "#ffffff",
        "displayUnreadCount": True,
    }


def content_security_policy(rasa_url: str, nonce: str) -> str:
    """Scripts only from this server (and the one inline config script);
    the widget talks only to the Rasa server; nothing is fetched from
    elsewhere (the bundle's Google Fonts import is blocked, not attempted)."""
    ws_url = "ws" + rasa_url[len("http"):] if rasa_url.startswith("http") else rasa_url
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        f"connect-src 'self' {rasa_url} {ws_url}",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def render_page(rasa_url: str, buyer: Optional[str], secret: Optional[str], nonce: str = "") -> str:
    token = make_buyer_token(buyer, secret, ttl_seconds=TOKEN_TTL_SECONDS) if buyer and secret else None
    config = json.dumps(widget_config(rasa_url, token), ensure_ascii=False)
    config = config.replace("<", "\\u003c")  # nothing in the JSON can close the <script>
    who = f"已登录买家：{html.escape(buyer or '')}" if token else "未登录访客（只回答通用退款规则）"
    return (PAGE.read_text(encoding="utf-8")
            .replace("{{WIDGET_CONFIG}}", config)
            .replace("{{NONCE}}", nonce)
            .replace("{{VISITOR}}", who))


class Handler(BaseHTTPRequestHandler):
    server_version = "RefundBotPage/1"
    timeout = CONNECTION_TIMEOUT_SECONDS  # socket timeout: a silent connection is closed
    rasa_url = f"http://127.0.0.1:{default_port('RASA')}"
    demo_login = True

    def _send(self, status: int, body: bytes, content_type: str, cache: str = "no-store",
              csp: Optional[str] = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path == "/":
            query = parse_qs(url.query)
            values = query.get("buyer")
            buyer: Optional[str] = values[0] if values else None
            if buyer is not None and (not self.demo_login or not BUYER_ID_PATTERN.match(buyer)):
                buyer = None
            secret = os.environ.get(WIDGET_SECRET_ENV)
            nonce = secrets.token_urlsafe(16)
            page = render_page(self.rasa_url, buyer, secret, nonce)
            self._send(200, page.encode("utf-8"), "text/html; charset=utf-8",
                       csp=content_security_policy(self.rasa_url, nonce))
        elif url.path == "/webchat.js":
            if not BUNDLE.exists():
                self._send(500, b"rasa-webchat is not installed: run `npm ci` in web/", "text/plain; charset=utf-8")
                return
            self._send(200, BUNDLE.read_bytes(), "application/javascript; charset=utf-8", "max-age=3600")
        elif url.path == "/favicon.ico":
            self._send(204, b"", "image/x-icon")
        else:
            self._send(404, "找不到这个页面".encode("utf-8"), "text/plain; charset=utf-8")

    def log_message(self, format: str, *args) -> None:  # quieter than the default
        sys.stderr.write("web: " + (format % args) + "\n")


class BoundedServer(ThreadingHTTPServer):
    """At most MAX_CONNECTIONS handled at once; a connection beyond that is closed at once."""

    daemon_threads = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT") or default_port("WEB")))
    parser.add_argument("--rasa", default=os.environ.get("RASA_PUBLIC_URL", Handler.rasa_url),
                        help="the Rasa server as the browser reaches it (socket.io)")
    args = parser.parse_args(argv)
    Handler.rasa_url = args.rasa.rstrip("/")
    Handler.demo_login = os.environ.get("WEB_DEMO_BUYER_LOGIN", "1") != "0"
    if not os.environ.get(WIDGET_SECRET_ENV):
        print(f"web: {WIDGET_SECRET_ENV} is not set: every visitor is anonymous", file=sys.stderr)
    server = BoundedServer((args.host, args.port), Handler)
    print(f"web: chat page on http://{args.host}:{args.port}/ (socket.io at {Handler.rasa_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
