"""The store IM webhook through the real Rasa server, action server and demo orders.

What the IM platform (and so the buyer) notices: a signed message gets the
bot's answer from that buyer's own orders; anything unsigned, stale or
malformed is refused with a status and an error naming the problem; a retried
message gets the same answer again and is not processed twice.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any, List

import pytest

from bot.channels.replies import APOLOGY
from tests.support.servers import BIN, REPO, base_env, free_port, serving
from tests.support.store_im import im_body, post_im, signature

CHEN = "tb_chen_wei"  # one shipped order: 蓝牙耳机
ZHANG = "tb_zhang_san"
ZHAO = "tb_zhao_lei"  # several returns: the bot asks which order, with buttons


def reply_text(result: dict) -> str:
    return "\n".join(r.get("text", "") for r in result["replies"])


def user_events(bot, buyer: str, message_id: str):
    events = bot.tracker(buyer, channel="store_im")["events"]
    return [e for e in events if e["event"] == "user" and (e.get("metadata") or {}).get("message_id") == message_id]


def test_signed_message_is_answered_from_the_buyers_own_order(bot):
    post_im(bot.url, im_body(CHEN, "/restart"))
    body = im_body(CHEN, "已经发货了还能退款吗")
    response = post_im(bot.url, body)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["message_id"] == body["message_id"]
    assert "蓝牙耳机" in reply_text(result)  # the buyer's item, from the order database
    # The answer's custom JSON is merged into the text reply, not an empty reply of its own.
    assert all(r.get("text") for r in result["replies"]), result
    assert any((r.get("custom") or {}).get("rule_ids") for r in result["replies"]), result
    # It is the buyer's conversation, marked as the IM channel, with the message id.
    [event] = user_events(bot, CHEN, body["message_id"])
    assert event["input_channel"] == "store_im"
    assert event["text"] == "已经发货了还能退款吗"


def test_buttons_come_back_as_title_and_payload(bot):
    post_im(bot.url, im_body(ZHAO, "/restart"))
    result = post_im(bot.url, im_body(ZHAO, "退款到哪一步了")).json()
    buttons = [b for r in result["replies"] for b in r.get("buttons", [])]
    assert len(buttons) >= 2, result
    assert all(set(b) == {"title", "payload"} for b in buttons)
    assert any("订单尾号" in b["title"] for b in buttons)
    # Sending a button's payload back answers about that order.
    chosen = buttons[0]
    answer = post_im(bot.url, im_body(ZHAO, chosen["payload"])).json()
    item = chosen["title"].split("（")[0]
    assert item in reply_text(answer), answer


def test_empty_text_still_gets_a_polite_reply(bot):
    result = post_im(bot.url, im_body(CHEN, "")).json()
    assert result["replies"] and reply_text(result).strip()
    assert "亲" in reply_text(result)


@pytest.mark.parametrize("sig", [None, "sha256=" + "0" * 64, "sha1=abc", "", "deadbeef"])
def test_missing_or_wrong_signature_is_refused(bot, sig):
    body = im_body(CHEN, "已经发货了还能退款吗")
    response = post_im(bot.url, body, sig=sig)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid signature"
    assert not user_events(bot, CHEN, body["message_id"])  # never reached the bot


def test_signature_made_with_another_secret_is_refused(bot):
    response = post_im(bot.url, im_body(CHEN, "你好"), secret="not-the-shop-secret")
    assert response.status_code == 401


def test_body_changed_after_signing_is_refused(bot):
    body = im_body(CHEN, "你好")
    raw = json.dumps(body).encode()
    tampered = json.dumps(dict(body, buyer_id=ZHANG)).encode()
    assert post_im(bot.url, raw=tampered, sig=signature(raw)).status_code == 401


@pytest.mark.parametrize("age", [301, 3600, -400])
def test_stale_or_future_timestamp_is_refused_as_a_replay(bot, age):
    body = im_body(CHEN, "已经发货了还能退款吗", timestamp=int(time.time()) - age)
    response = post_im(bot.url, body)
    assert response.status_code == 401
    assert response.json()["error"] == "stale timestamp"
    assert not user_events(bot, CHEN, body["message_id"])


@pytest.mark.parametrize("field", ["buyer_id", "message_id", "text", "timestamp"])
def test_each_missing_field_is_named(bot, field):
    body = im_body(CHEN, "你好")
    del body[field]
    response = post_im(bot.url, body)
    assert response.status_code == 400
    assert response.json() == {"error": "missing field", "field": field}


@pytest.mark.parametrize("field,value", [
    ("buyer_id", 123), ("message_id", ["m"]), ("text", {"t": 1}), ("timestamp", "1795000000"),
    ("timestamp", True), ("buyer_id", ""),
])
def test_wrong_types_are_named(bot, field, value):
    body = im_body(CHEN, "你好")
    body[field] = value
    response = post_im(bot.url, body)
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize("raw", [b"{not json", b"", "{\"text\": \"\xe4\"".encode("latin-1"), b"[1, 2]", b"null"])
def test_malformed_json_is_refused(bot, raw):
    response = post_im(bot.url, raw=raw)
    assert response.status_code == 400
    assert "error" in response.json()


def test_oversized_body_is_refused(bot):
    body = im_body(CHEN, "退" * 30000)  # ~90 KB of UTF-8
    response = post_im(bot.url, body)
    assert response.status_code == 413


def test_repeated_message_id_returns_the_first_result_and_is_processed_once(bot):
    post_im(bot.url, im_body(ZHANG, "/restart"))
    body = im_body(ZHANG, "退款成功了钱怎么还没到")
    first = post_im(bot.url, body)
    second = post_im(bot.url, body)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content  # byte for byte the same answer
    assert second.headers["X-Store-Duplicate"] == "true"
    assert len(user_events(bot, ZHANG, body["message_id"])) == 1
    # The same message id from another buyer is another message.
    other = post_im(bot.url, dict(body, buyer_id=CHEN))
    assert other.headers["X-Store-Duplicate"] == "false"
    assert len(user_events(bot, CHEN, body["message_id"])) == 1


def test_concurrent_duplicates_wait_for_the_first_result(bot):
    body = im_body(CHEN, "已经发货了还能退款吗", message_id=f"concurrent-{uuid.uuid4().hex}")
    results: List[Any] = [None] * 3

    def send(i):
        results[i] = post_im(bot.url, body)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(r is not None and r.status_code == 200 for r in results), results
    assert len({r.content for r in results}) == 1
    assert sorted(r.headers["X-Store-Duplicate"] for r in results) == ["false", "true", "true"]
    assert "蓝牙耳机" in reply_text(results[0].json())
    assert len(user_events(bot, CHEN, body["message_id"])) == 1


def test_buyer_gets_an_apology_when_the_action_server_is_down(bot):
    """The bot's action server stops: the buyer still reads an answer, not nothing."""
    post_im(bot.url, im_body(CHEN, "/restart"))
    bot.actions.stop()
    try:
        result = post_im(bot.url, im_body(CHEN, "已经发货了还能退款吗")).json()
    finally:
        bot.actions.start()
    assert result["replies"], result
    assert all(r.get("text") for r in result["replies"]), result
    assert APOLOGY in reply_text(result), result
    # and once it is back, the same question is answered from the order again
    answer = post_im(bot.url, im_body(CHEN, "已经发货了还能退款吗")).json()
    assert "蓝牙耳机" in reply_text(answer), answer


@pytest.fixture
def server_without_secret(tmp_path):
    """Rasa's server with the repo's credentials.yml, started without STORE_IM_SECRET
    (no model: the channel refuses before anything reaches the bot)."""
    port = free_port()
    env = base_env()
    env.pop("STORE_IM_SECRET", None)
    log = tmp_path / "no-secret.log"
    url = f"http://127.0.0.1:{port}"
    command = [str(BIN / "python"), str(REPO / "tests" / "channels" / "channels_only_server.py"), str(port)]
    with serving(command, env, log, f"{url}/"):
        yield url


def test_without_a_secret_every_request_is_refused(server_without_secret):
    """Fail closed: without STORE_IM_SECRET the channel answers 503 to everything."""
    for sig in ("sign", None):
        response = post_im(server_without_secret, im_body(CHEN, "已经发货了还能退款吗"), sig=sig)
        assert response.status_code == 503
        assert response.json() == {"error": "channel not configured"}
    # An empty secret is no secret: a body "signed" with it is refused too.
    assert post_im(server_without_secret, im_body(CHEN, "你好"), secret="").status_code == 503


def test_a_very_long_message_is_answered_at_once_without_blocking_the_bot(bot):
    started = time.monotonic()
    result = post_im(bot.url, im_body(CHEN, "退款" * 10_000)).json()
    assert "太长" in reply_text(result)
    # Parsing 20,000 characters would take half a minute; refusing it is immediate.
    assert time.monotonic() - started < 5
    assert "蓝牙耳机" in reply_text(post_im(bot.url, im_body(CHEN, "已经发货了还能退款吗")).json())


@pytest.mark.parametrize("buyer_id", ["tb_\x00chen", "tb_chen\n", "\x7f", "t" * 129])
def test_control_characters_or_an_overlong_buyer_id_are_a_bad_request(bot, buyer_id):
    response = post_im(bot.url, im_body(buyer_id, "你好"))
    assert response.status_code == 400
    assert response.json()["field"] == "buyer_id"
