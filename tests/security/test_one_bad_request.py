"""Issue #23 (High): one request with an id that is not valid Unicode must not stop the bot.

A lone surrogate sent as a JSON escape (``"\\ud800"``) used to reach the SQL
tracker store, whose UnicodeEncodeError Rasa turned into ``sys.exit(1)``: the
server was gone for every buyer until the supervisor restarted it. Now every
channel and route refuses it with a 400 (or a polite reply on the widget)
before anything touches a store, and a tracker-store error that still happens
fails only its own request. Each test sends the bad request, then a normal
buyer's message, which must be answered by the same, still running server.
"""
from __future__ import annotations

import json

import pytest
import requests

from shared.buyer_token import make_buyer_token
from tests.support.servers import API_TOKEN, WIDGET_TOKEN_SECRET, texts
from tests.support.store_im import im_body, signature
from tests.support.widget import Widget, widget_text

CHEN = "tb_chen_wei"  # one shipped order: 蓝牙耳机
LONE = "\ud800"


def normal_buyer_is_answered(bot) -> None:
    assert bot.process.poll() is None, "the Rasa server exited:\n" + bot.log.read_text()[-3000:]
    reply = requests.post(f"{bot.url}/webhooks/rest/webhook", timeout=30,
                          json={"sender": CHEN, "message": "已经发货了还能退款吗"})
    assert reply.status_code == 200 and "蓝牙耳机" in texts(reply.json()), reply.text


def post_json(bot, path: str, body: dict, **headers: str) -> requests.Response:
    # json.dumps writes the lone surrogate as the escape "\ud800", as an attacker would
    return requests.post(f"{bot.url}{path}", data=json.dumps(body).encode("ascii"), timeout=30,
                         headers={"Content-Type": "application/json", **headers})


@pytest.mark.parametrize("body", [
    {"sender": LONE, "message": "hi"},
    {"sender": "tb_" + LONE, "message": "已经发货了还能退款吗"},
    {"sender": "tb_ok_sender", "message": "hi", "metadata": {"note": LONE}},
])
def test_rest_webhook_refuses_a_lone_surrogate_and_the_next_buyer_is_answered(sql_bot, body):
    response = post_json(sql_bot, "/webhooks/rest/webhook", body)
    assert response.status_code == 400, response.text
    normal_buyer_is_answered(sql_bot)


@pytest.mark.parametrize("route,body", [
    ("webhook", im_body("tb_" + LONE, "你好")),
    ("webhook", im_body(CHEN, "你好", message_id="m-" + LONE)),
    ("handback", {"buyer_id": "tb_" + LONE, "timestamp": im_body(CHEN, "")["timestamp"]}),
])
def test_store_im_refuses_a_lone_surrogate_and_the_next_buyer_is_answered(sql_bot, route, body):
    raw = json.dumps(body).encode("ascii")
    response = requests.post(f"{sql_bot.url}/webhooks/store_im/{route}", data=raw, timeout=30,
                             headers={"Content-Type": "application/json", "X-Store-Signature": signature(raw)})
    assert response.status_code == 400, response.text
    normal_buyer_is_answered(sql_bot)


def test_widget_lone_surrogates_get_a_polite_reply_and_the_next_buyer_is_answered(sql_bot):
    widget = Widget(sql_bot.url, f"http://127.0.0.1:{sql_bot.web_port}")
    try:
        issued = widget.open(session_id="x." + LONE)  # a session id no server issued
        assert issued != "x." + LONE
        fake_token = f"tb_{LONE}:9999999999:{'0' * 64}"
        said = widget_text(widget.say("已经发货了还能退款吗", {"buyer_token": fake_token}, timeout=30))
        assert "亲" in said, said
        said = widget_text(widget.say("你好" + LONE, {}, timeout=30))
        assert "格式" in said, said
        token = make_buyer_token(CHEN, WIDGET_TOKEN_SECRET)
        assert "蓝牙耳机" in widget_text(widget.say("已经发货了还能退款吗", {"buyer_token": token}, timeout=30))
    finally:
        widget.close()
    normal_buyer_is_answered(sql_bot)


def test_an_api_token_that_is_not_utf8_is_a_400_not_a_500(sql_bot):
    response = requests.get(f"{sql_bot.url}/status", headers={"Authorization": b"Bearer \xe9"}, timeout=10)
    assert response.status_code == 400, response.text
    normal_buyer_is_answered(sql_bot)


def test_the_readme_bearer_example_works(sql_bot):
    response = requests.get(f"{sql_bot.url}/status", headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=10)
    assert response.status_code == 200 and "model_file" in response.json(), response.text
