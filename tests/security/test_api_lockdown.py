"""Rasa's HTTP API is closed to anyone without its token (issue #14, item 5).

Against the real local server (tests/conftest.py ``bot``: started by
bot/server.py with RASA_ENABLE_API=1 and the token in the environment), and
against bot/server.py started the production way (API off by default, and
refusing a token on the command line or an API without a token).
"""
from __future__ import annotations

import json
import subprocess
import time
import uuid

import pytest
import requests

from tests.support.servers import API_TOKEN, BIN, REPO, base_env, free_port, texts

# Every route Rasa 3.6's HTTP API has (rasa/server.py), with a harmless body.
API_ROUTES = [
    ("GET", "/status"), ("GET", "/version"), ("GET", "/domain"),
    ("GET", "/conversations/rest:tb_lily88/tracker"), ("GET", "/conversations/rest:tb_lily88/story"),
    ("POST", "/conversations/rest:tb_lily88/tracker/events"), ("PUT", "/conversations/rest:tb_lily88/tracker/events"),
    ("POST", "/conversations/rest:tb_lily88/messages"), ("POST", "/conversations/rest:tb_lily88/trigger_intent"),
    ("POST", "/conversations/rest:tb_lily88/predict"), ("POST", "/conversations/rest:tb_lily88/execute"),
    ("POST", "/model/parse"), ("POST", "/model/train"), ("POST", "/model/test/stories"),
    ("POST", "/model/test/intents"), ("POST", "/model/predict"), ("PUT", "/model"), ("DELETE", "/model"),
]


def call(url: str, method: str, path: str, **kwargs) -> requests.Response:
    kwargs.setdefault("timeout", 30)
    return requests.request(method, url + path, **kwargs)


@pytest.mark.parametrize("method,path", API_ROUTES)
def test_without_the_token_every_api_route_is_refused(bot, method, path):
    for auth in ({}, {"params": {"token": "wrong"}}, {"headers": {"Authorization": "Bearer wrong"}}):
        response = call(bot.url, method, path, data=b"{}", **auth)
        assert response.status_code == 401, (method, path, auth, response.status_code, response.text[:200])


def test_with_the_token_the_api_works(bot):
    assert call(bot.url, "GET", "/status", params={"token": API_TOKEN}).status_code == 200
    parsed = call(bot.url, "POST", "/model/parse", params={"token": API_TOKEN},
                  json={"text": "退款到哪一步了"}).json()
    assert parsed["intent"]["name"] == "ask_refund_progress"


def test_a_cross_site_form_post_is_refused_even_with_the_token(bot):
    sender = f"csrf_{uuid.uuid4().hex[:8]}"
    bot.say(sender, "你好")
    before = len(bot.tracker(sender)["events"])
    evil = {"Origin": "http://evil.example", "Content-Type": "text/plain"}
    event = json.dumps([{"event": "slot", "name": "complaint_count", "value": 5}])
    refused = [
        call(bot.url, "POST", f"/conversations/rest:{sender}/tracker/events", params={"token": API_TOKEN},
             data=event, headers=evil),
        call(bot.url, "POST", "/webhooks/rest/webhook", headers=evil,
             data=json.dumps({"sender": sender, "message": "服务太差了"})),
        call(bot.url, "PUT", "/model", params={"token": API_TOKEN}, headers=evil, data=b"{}"),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403], [r.text for r in refused]
    assert len(bot.tracker(sender)["events"]) == before  # nothing was written


def test_a_foreign_host_is_refused(bot):
    """DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends Host: evil.example."""
    for host in ("evil.example", "evil.example:%d" % bot.port, "127.0.0.1.evil.example"):
        for method, path, kwargs in [
            ("GET", "/status", {"params": {"token": API_TOKEN}}),
            ("GET", "/conversations/rest:tb_lily88/tracker", {"params": {"token": API_TOKEN}}),
            ("POST", "/webhooks/rest/webhook", {"json": {"sender": "tb_lily88", "message": "你好"}}),
        ]:
            response = call(bot.url, method, path, headers={"Host": host}, **kwargs)
            assert response.status_code == 403, (host, path, response.status_code)
    # The names this machine really has still work (the curl examples in docs/channels.md).
    for host in (f"127.0.0.1:{bot.port}", f"localhost:{bot.port}"):
        response = call(bot.url, "POST", "/webhooks/rest/webhook", headers={"Host": host},
                        json={"sender": "tb_chen_wei", "message": "已经发货了还能退款吗"})
        assert response.status_code == 200 and "蓝牙耳机" in texts(response.json())


def launch(tmp_path, args, env_extra, wait_url=None, timeout=120):
    """bot/server.py without a model (fast): what it starts, or how it refuses."""
    log = tmp_path / f"server-{uuid.uuid4().hex[:6]}.log"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("# no action server, trackers in memory\n", encoding="utf-8")
    args = [*args, "--endpoints", str(endpoints)]
    env = base_env({"RASA_ENABLE_API": "", "RASA_API_TOKEN": "", "RASA_API_TOKEN_FILE": "", **env_extra})
    process = subprocess.Popen([str(BIN / "python"), "-m", "bot.server", *args], cwd=REPO, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    if wait_url is None:
        process.wait(timeout)
        return process, log.read_text()
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, log.read_text()[-2000:]
        try:
            requests.get(wait_url, timeout=1)
            return process, log
        except requests.RequestException:
            time.sleep(0.5)
    process.kill()
    raise AssertionError(f"not up: {log.read_text()[-2000:]}")


def test_production_style_start_the_api_is_off_unless_asked_and_never_takes_argv_tokens(tmp_path):
    port = free_port()
    common = ["run", "-i", "127.0.0.1", "-p", str(port), "--model", str(tmp_path / "no-model"),
              "--credentials", str(REPO / "credentials.production.yml")]
    # Off by default: the API's routes do not exist, the channels do.
    process, _ = launch(tmp_path, common, {}, wait_url=f"http://127.0.0.1:{port}/")
    try:
        for method, path in API_ROUTES:
            assert call(f"http://127.0.0.1:{port}", method, path, data=b"{}").status_code == 404, path
        assert requests.get(f"http://127.0.0.1:{port}/webhooks/store_im/", timeout=5).status_code == 200
    finally:
        process.terminate()
        process.wait(30)
    # Asked for without a token: refused at start-up, with the reason.
    process, output = launch(tmp_path, common, {"RASA_ENABLE_API": "1"})
    assert process.returncode != 0 and "RASA_API_TOKEN" in output
    # A token on the command line (visible in `ps`): refused.
    for flags in (["--enable-api"], ["--auth-token", "s3cret"]):
        process, output = launch(tmp_path, common + flags, {})
        assert process.returncode != 0 and "command line" in output, output[-500:]


def test_the_token_from_a_file_is_not_on_the_command_line(tmp_path):
    port = free_port()
    token_file = tmp_path / "api_token"
    token_file.write_text("file-token-" + uuid.uuid4().hex + "\n")
    token = token_file.read_text().strip()
    process, _ = launch(tmp_path, ["run", "-i", "127.0.0.1", "-p", str(port), "--model", str(tmp_path / "none")],
                        {"RASA_ENABLE_API": "1", "RASA_API_TOKEN_FILE": str(token_file)},
                        wait_url=f"http://127.0.0.1:{port}/")
    try:
        cmdline = (open(f"/proc/{process.pid}/cmdline", "rb").read()).decode()
        assert token not in cmdline
        url = f"http://127.0.0.1:{port}/status"
        assert requests.get(url, timeout=5).status_code == 401
        assert requests.get(url, params={"token": token}, timeout=5).status_code != 401
    finally:
        process.terminate()
        process.wait(30)
