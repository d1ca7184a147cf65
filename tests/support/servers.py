"""Start the real action server and Rasa server for tests, on free ports.

Tests talk to the bot exactly as a store would: over HTTP to a Rasa server
that calls a separate action server, with the order database behind it.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import requests

from shared.project_defaults import project_defaults

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Channel secrets the test servers run with (tests/channels sign with them).
STORE_IM_SECRET = "test-store-im-secret"
WIDGET_TOKEN_SECRET = "test-widget-token-secret"
# The HTTP API's token (bot/server.py reads it from the environment, never argv).
API_TOKEN = "test-api-token"


# What scripts/env.sh works out for one run of the bot (ports, action server
# URL, conversation store). `make test` exports them to pytest; a server a test
# starts must work them out for its own ports, not inherit the suite's.
PER_RUN_VARIABLES = ("ACTION_ENDPOINT_URL", "TRACKER_DB_URL", "ORDERS_DB_URL", "LOCAL_DIR", "PROFILE",
                     "RASA_PORT", "ACTIONS_PORT", "WEB_PORT", "RASA_HOST")


# The suites drive a few demo buyers far faster and longer than any person types; the
# limits per conversation and client and the session cap (bot/channels/limits.py) are
# tested with their defaults in tests/security (conftest.py sets them back there).
TEST_LIMITS = {"BOT_MESSAGES_PER_MINUTE_PER_CONVERSATION": "100000", "BOT_MESSAGES_PER_MINUTE_PER_CLIENT": "100000",
               "BOT_MAX_EVENTS_PER_SESSION": "1000000"}


def base_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PER_RUN_VARIABLES}
    env.update(project_defaults(exported_only=True))  # what make and scripts/env.sh export
    env.update(TEST_LIMITS)
    env["PYTHONPATH"] = str(REPO)
    env.update(extra or {})
    return env


def wait_for(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url}: not ready after {timeout}s:\n{log.read_text()[-3000:]}")


@contextmanager
def serving(command: List[str], env: Dict[str, str], log: Path, ready_url: str,
            timeout: float = 60) -> Iterator[subprocess.Popen]:
    """Run a helper server for the duration of a `with` block, once `ready_url` answers."""
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    try:
        wait_for(ready_url, process, timeout, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class ActionServer:
    def __init__(self, workdir: Path, env: Dict[str, str], port: Optional[int] = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"actions-{self.port}.log"
        self.env = env
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "ActionServer":
        self.process = subprocess.Popen(
            [str(BIN / "python"), "-m", "actions.server", "--port", str(self.port)],
            cwd=REPO, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )
        wait_for(f"{self.url}/health", self.process, 60, self.log)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class RasaServer:
    def __init__(self, workdir: Path, env: Dict[str, str], action_url: str,
                 endpoints_extra: str = "", credentials: Optional[Path] = None,
                 port: Optional[int] = None, extra_args: Optional[List[str]] = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"rasa-{self.port}.log"
        self.endpoints = workdir / f"endpoints-{self.port}.yml"
        self.endpoints.write_text(
            f'action_endpoint:\n  url: "{action_url}/webhook"\n{endpoints_extra}', encoding="utf-8"
        )
        self.credentials = credentials or REPO / "credentials.yml"
        self.env = env
        self.extra_args = extra_args or []
        self.process: Optional[subprocess.Popen] = None
        self.action_url = action_url
        # Set by the fixtures that start them beside this server.
        self.actions: Optional[ActionServer] = None
        self.web_port: Optional[int] = None
        self.origin: Optional[str] = None

    def start(self, timeout: float = 240) -> "RasaServer":
        # bot/server.py: Rasa with bot/rasa_patches.py, the API behind API_TOKEN.
        env = {"RASA_ENABLE_API": "1", "RASA_API_TOKEN": API_TOKEN, **self.env}
        self.process = subprocess.Popen(
            [str(BIN / "python"), "-m", "bot.server", "run", "-i", "127.0.0.1", "-p", str(self.port),
             "--model", str(REPO / "models"), "--endpoints", str(self.endpoints),
             "--credentials", str(self.credentials), *self.extra_args],
            cwd=REPO, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )
        wait_for(f"{self.url}/", self.process, timeout, self.log)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def say(self, sender: str, message: str, timeout: float = 30) -> List[dict]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message}, timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str, channel: Optional[str] = "rest") -> dict:
        """The stored conversation of ``sender`` on ``channel`` (``rest:<sender>``...), via the API."""
        conversation = f"{channel}:{sender}" if channel else sender
        return requests.get(f"{self.url}/conversations/{conversation}/tracker",
                            params={"token": API_TOKEN}, timeout=10).json()


@contextmanager
def running_bots(workdir: Path, count: int = 1, env: Optional[Dict[str, str]] = None, *,
                 credentials: Optional[Path] = None, endpoints_extra: str = "", widget_page: bool = False,
                 actions_port: Optional[int] = None, timeout: float = 240) -> Iterator[List[RasaServer]]:
    """``count`` real bots for a ``with`` block, each an action server and a Rasa server (bot/server.py).

    Every test that talks to the whole bot starts it here. The environment is
    the project's (``base_env``: defaults.env, high limits) with the channels'
    test secrets, then ``env`` (a test's own settings win). ``credentials`` and
    ``endpoints_extra`` (YAML appended after the action endpoint: tracker and
    lock stores) change the Rasa server's configuration; ``widget_page`` picks
    a port for the chat page and lets its exact origin use socket.io
    (``server.web_port``, ``server.origin``). Several bots (replicas) load their
    models at the same time. Each server's ``actions`` is its action server;
    whichever one it holds at the end is stopped.
    """
    web_port = free_port() if widget_page else None
    origin = f"http://127.0.0.1:{web_port}" if web_port else None
    full_env = base_env({"STORE_IM_SECRET": STORE_IM_SECRET, "WIDGET_TOKEN_SECRET": WIDGET_TOKEN_SECRET,
                         **({"SOCKETIO_CORS_ORIGINS": origin} if origin else {}), **(env or {})})
    servers: List[RasaServer] = []
    try:
        for _ in range(count):
            actions = ActionServer(workdir, full_env, port=actions_port if count == 1 else None)
            rasa = RasaServer(workdir, full_env, actions.url, endpoints_extra=endpoints_extra,
                              credentials=credentials)
            rasa.actions, rasa.web_port, rasa.origin = actions, web_port, origin
            servers.append(rasa)
            actions.start()
        with ThreadPoolExecutor(count) as pool:  # model loads in parallel: minutes each on 2 busy cores
            list(pool.map(lambda server: server.start(timeout=timeout), servers))
        yield servers
    finally:
        for server in servers:
            server.stop()
            if server.actions is not None:
                server.actions.stop()


@contextmanager
def running_bot(workdir: Path, env: Optional[Dict[str, str]] = None, **options: Any) -> Iterator[RasaServer]:
    """One real bot (``running_bots`` with ``count=1``; the same options)."""
    with running_bots(workdir, 1, env, **options) as servers:
        yield servers[0]


def texts(replies: List[dict]) -> str:
    return "\n".join(r["text"] for r in replies if r.get("text"))
