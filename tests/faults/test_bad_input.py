"""Bad input on the REST channel: a polite answer or a clear 400, never a crash.

Runs against the shared local bot (tests/conftest.py `bot`), whose REST channel
is bot/channels/rest.py (registered in credentials.yml under the same URL).
After each bad request the server still answers, and what the buyer said
before is still in the tracker.
"""
from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from actions.orders.demo import demo_document
from tests.support.servers import API_TOKEN, texts

DEMO = demo_document()
ITEMS = {o["order_id"]: o["item"] for o in DEMO["orders"]}
OWNER = {o["order_id"]: o["buyer_id"] for o in DEMO["orders"]}
LILY_ORDER = "3286451901234567890"  # tb_lily88's 婴儿连体衣


def post(bot, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(f"{bot.url}/webhooks/rest/webhook", data=body, timeout=60,
                         headers={"Content-Type": content_type})


def polite(reply: str) -> bool:
    return bool(reply.strip()) and any(w in reply for w in ("亲", "您", "抱歉"))


@pytest.fixture
def buyer(bot):
    """A buyer (tb_chen_wei) who already said something; checked again afterwards."""
    sender = "tb_chen_wei"
    bot.say(sender, "/restart")
    marker = f"你好 {uuid.uuid4().hex[:6]}"
    bot.say(sender, marker)
    yield sender
    assert requests.get(f"{bot.url}/status", params={"token": API_TOKEN}, timeout=5).ok, "the server went down"
    users = [e.get("text") for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    assert marker in users, "an earlier message was lost from the tracker"
    assert polite(texts(bot.say(sender, "你好"))), "the buyer is no longer answered"


@pytest.mark.parametrize("message", ["", "   ", "\n\t ", "😀😀😀", "🙏", "\u0000\u0007退款\u001b[31m\u007f",
                                     "\u200b\u200b", "\ufeff你好"])
def test_odd_text_gets_a_polite_reply(bot, buyer, message):
    replies = bot.say(buyer, message)
    assert polite(texts(replies)), replies


def test_ten_thousand_characters_get_a_quick_polite_reply(bot, buyer):
    started = time.monotonic()
    replies = bot.say(buyer, "退款" * 5000)
    assert time.monotonic() - started < 5, "a long message must not stall the server"
    reply = texts(replies)
    assert polite(reply) and "太长" in reply, replies


@pytest.mark.parametrize("body,content_type,error", [
    (b'{"sender": "tb_chen_wei", "message": ', "application/json", "malformed JSON"),
    (b'{"sender": "tb_chen_wei", "message": "\xff\xfe\xfa"}', "application/json", "UTF-8"),
    (b"[1, 2, 3]", "application/json", "JSON object"),
    (b"sender=tb_chen_wei&message=hi", "application/x-www-form-urlencoded", "malformed JSON"),
    (b"", "application/json", "malformed JSON"),
    (b'{"sender": 5, "message": "hi"}', "application/json", "sender"),
    (b'{"sender": "", "message": "hi"}', "application/json", "sender"),
    (b'{"sender": "tb_chen_wei\\u0000", "message": "hi"}', "application/json", "sender"),
    (b'{"sender": "' + b"t" * 129 + b'", "message": "hi"}', "application/json", "sender"),
    (b'{"message": "hi"}', "application/json", "sender"),
    (b'{"sender": "tb_chen_wei"}', "application/json", "message"),
    (b'{"sender": "tb_chen_wei", "message": ["hi"]}', "application/json", "message"),
])
def test_malformed_requests_get_a_clear_400(bot, buyer, body, content_type, error):
    response = post(bot, body, content_type)
    assert response.status_code == 400, response.text
    assert error in response.json()["error"]


def test_json_sent_as_text_plain_is_still_answered(bot, buyer):
    body = json.dumps({"sender": buyer, "message": "你好"}).encode()
    response = post(bot, body, "text/plain")
    assert response.status_code == 200 and polite(texts(response.json()))


def test_a_caller_cannot_claim_another_channel(bot):
    """Rasa's REST channel takes `input_channel` from the body; ours is always `rest`."""
    sender = f"probe_{uuid.uuid4().hex[:8]}"
    body = json.dumps({"sender": sender, "message": "你好", "input_channel": "store_im"}).encode()
    assert post(bot, body).status_code == 200
    channels = [e.get("input_channel") for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    assert channels == ["rest"]


SENDERS = ["' OR 1=1 --", "tb_lily88' --", "tb_lily88\" OR \"1\"=\"1", "{{7*7}}", "${7*7}",
           "../../etc/passwd", "%", "tb_%", "*", "tb_lily88\u0000", " tb_lily88", "TB_LILY88"]
QUESTIONS = ["退款到哪一步了", f"订单{LILY_ORDER}退款成功了钱怎么还没到", "我的余额为什么被冻结了"]


@pytest.mark.parametrize("sender", SENDERS)
def test_injection_in_the_buyer_id_reveals_nobodys_orders(bot, sender):
    for question in QUESTIONS:
        response = requests.post(f"{bot.url}/webhooks/rest/webhook", timeout=60,
                                 json={"sender": sender, "message": question})
        if response.status_code == 400:  # e.g. a NUL in the id: refused, fine
            continue
        assert response.status_code == 200
        reply = texts(response.json())
        assert reply.strip(), question
        for item in ITEMS.values():
            assert item not in reply, (sender, question, reply)
        assert "620" not in reply  # tb_lily88's frozen amount


@pytest.mark.parametrize("order_text", [f"{LILY_ORDER}' OR 1=1 --", f"' OR '1'='1 {LILY_ORDER}", "' OR 1=1 --",
                                        "{{7*7}}", f"{LILY_ORDER}%", "../../etc/passwd", "3286451901234567%"])
def test_injection_in_the_order_number_reveals_no_other_buyers_order(bot, order_text):
    sender = "tb_chen_wei"
    bot.say(sender, "/restart")
    reply = texts(bot.say(sender, f"订单号{order_text} 退款到哪一步了"))
    assert reply.strip()
    for order_id, item in ITEMS.items():
        if OWNER[order_id] != sender:
            assert item not in reply, (order_text, reply)
