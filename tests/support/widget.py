"""A web chat widget stand-in: a socket.io client speaking rasa-webchat's protocol.

``session_request`` → ``session_confirm`` (the id the server issued), then
``user_uttered {"message", "customData", "session_id"}``; replies arrive as
``bot_uttered`` (and custom JSON as ``bot_custom``).
"""
from __future__ import annotations

import threading
import time
from typing import Any, Dict, List, Optional

import socketio


class Widget:
    def __init__(self, url: str, origin: str) -> None:
        self.url, self.origin = url, origin
        self.client = socketio.Client(reconnection=False)
        self.received: List[Dict[str, Any]] = []
        self.customs: List[Dict[str, Any]] = []   # bot_custom: rule ids, the hand-off marker
        self.session_id: Optional[str] = None
        self._confirmed = threading.Event()
        self.client.on("bot_uttered", self._on_message)
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_custom", lambda data: self.customs.append(data if isinstance(data, dict) else {}))

    def _on_message(self, data: Any) -> None:
        self.received.append(data if isinstance(data, dict) else {"text": str(data)})

    def _on_confirm(self, data: Any) -> None:
        self.session_id = data.get("session_id") if isinstance(data, dict) else data
        self._confirmed.set()

    def open(self, session_id: Optional[str] = None, timeout: float = 10) -> str:
        """Connect and ask for ``session_id`` (as a reloaded widget does); the id the server gave."""
        self.client.connect(self.url, headers={"Origin": self.origin}, transports=["polling"],
                            wait_timeout=timeout)
        self._confirmed.clear()
        self.client.emit("session_request", {"session_id": session_id})
        if not self._confirmed.wait(timeout):
            raise TimeoutError("no session_confirm")
        assert self.session_id
        return self.session_id

    def send(self, message: Any, custom_data: Any = None, session_id: Any = "own") -> None:
        data = {"message": message, "customData": custom_data or {},
                "session_id": self.session_id if session_id == "own" else session_id}
        self.client.emit("user_uttered", data)

    def say(self, message: Any, custom_data: Any = None, timeout: float = 30, quiet: float = 1.0,
            **kwargs: Any) -> List[Dict[str, Any]]:
        """Send a message; every reply that arrives until ``quiet`` seconds pass without one."""
        before = len(self.received)
        self.send(message, custom_data, **kwargs)
        return self.wait_replies(before, timeout, quiet)

    def wait_replies(self, before: int, timeout: float = 30, quiet: float = 1.0) -> List[Dict[str, Any]]:
        deadline = time.time() + timeout
        while len(self.received) == before and time.time() < deadline:
            time.sleep(0.05)
        settled = time.time()
        count = len(self.received)
        while time.time() - settled < quiet and time.time() < deadline:
            time.sleep(0.05)
            if len(self.received) != count:
                count, settled = len(self.received), time.time()
        return self.received[before:]

    def close(self) -> None:
        if self.client.connected:
            # Client.disconnect() aborts without waiting, and over polling its close
            # packet is then often never sent (the server notices only at the ping
            # timeout, 45 s). Closing the Engine.IO connection and waiting for it
            # sends the close, as a browser's websocket close does.
            # That wait is for the read loop's long poll (up to the 25 s ping interval);
            # the close itself is the write loop's POST. So: close in the background
            # and wait only until the write loop has sent it.
            writer = self.client.eio.write_loop_task
            closing = threading.Thread(target=self._close_and_wait, daemon=True)
            closing.start()
            if writer is not None:
                writer.join(10)

    def _close_and_wait(self) -> None:
        self.client.eio.disconnect(abort=False)
        self.client.disconnect()


def widget_text(messages: List[Dict[str, Any]]) -> str:
    return "\n".join([m.get("text", "") for m in messages]
                     + [q.get("title", "") for m in messages for q in m.get("quick_replies", []) or []])
