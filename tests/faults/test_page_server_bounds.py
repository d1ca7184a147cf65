"""Issue #23 (Low): the chat page server (web/server.py) bounds its connections.

Held, silent connections used to keep one thread each for ever; now each is
closed after CONNECTION_TIMEOUT_SECONDS, at most MAX_CONNECTIONS are handled
at once, and the page is served again once the idle ones are gone.
"""
from __future__ import annotations

import socket
import time

import requests

from tests.support.servers import BIN, base_env, free_port, serving
from web.server import CONNECTION_TIMEOUT_SECONDS, MAX_CONNECTIONS


def test_idle_connections_are_closed_and_the_page_is_served_again(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(BIN / "python"), "-m", "web.server", "--host", "127.0.0.1", "--port", str(port)]
    with serving(command, base_env(), tmp_path / "web.log", f"{url}/"):
        held = []
        for _ in range(MAX_CONNECTIONS + 36):
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        held[0].sendall(b"GET / HTTP/1.1\r\n")  # trickling: a request line, never finished
        started = time.monotonic()
        for connection in held:  # the server hangs up on every one of them
            connection.settimeout(max(0.1, CONNECTION_TIMEOUT_SECONDS + 10 - (time.monotonic() - started)))
            try:
                connection.recv(1024)  # b"" (closed) or the 408-style reply, then closed
            except socket.timeout:
                raise AssertionError("a silent connection was kept open") from None
            except ConnectionResetError:
                pass
        assert time.monotonic() - started < CONNECTION_TIMEOUT_SECONDS + 10
        for connection in held:
            connection.close()
        assert requests.get(f"{url}/", timeout=10).status_code == 200
