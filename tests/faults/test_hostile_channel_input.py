"""Issue #14 items 6 and 7 through the real servers: odd input on every channel
gets a 400 or a polite reply (never a 500 or silence), slot values are checked
before they are echoed, and control commands typed by a buyer get a polite answer.
"""
from __future__ import annotations

import json

import pytest
import requests

from bot.channels.replies import APOLOGY
from tests.support.servers import API_TOKEN, texts
from tests.support.store_im import im_body, post_im
from tests.support.widget import Widget, widget_text

CHEN = "tb_chen_wei"
DEEP = 20_000


def polite(reply: str) -> bool:
    return bool(reply.strip()) and any(w in reply for w in ("亲", "您")) and APOLOGY not in reply


def alive(bot) -> bool:
    return requests.get(f"{bot.url}/status", params={"token": API_TOKEN}, timeout=5).ok


@pytest.fixture
def widget(bot):
    w = Widget(bot.url, f"http://127.0.0.1:{bot.web_port}")
    w.open()
    yield w
    w.close()


# ---- store IM -----------------------------------------------------------------------

def test_store_im_json_nested_20000_deep_is_a_400(bot):
    raw = b'{"buyer_id": "tb_chen_wei", "message_id": "m-deep", "text": "hi", "timestamp": 1, "x": ' \
        + b"[" * DEEP + b"]" * DEEP + b"}"
    response = post_im(bot.url, raw=raw)
    assert response.status_code == 400 and "deep" in response.json()["error"], response.text
    assert alive(bot)


@pytest.mark.parametrize("timestamp", [int("9" * 400), -int("9" * 400), 10 ** 12, 1e300])
def test_store_im_absurd_timestamps_are_a_400(bot, timestamp):
    raw = json.dumps(im_body(CHEN, "你好", timestamp=0)).replace('"timestamp": 0', f'"timestamp": {timestamp}')
    response = post_im(bot.url, raw=raw.encode())
    assert response.status_code == 400 and response.json()["field"] == "timestamp", response.text


# ---- REST -------------------------------------------------------------------------

def test_rest_metadata_nested_deep_is_a_400(bot):
    for levels in (50, DEEP):
        body = ('{"sender": "tb_chen_wei", "message": "你好", "metadata": ' + '{"a": ' * levels + "1"
                + "}" * levels + "}").encode()
        response = requests.post(f"{bot.url}/webhooks/rest/webhook", data=body, timeout=30,
                                 headers={"Content-Type": "application/json"})
        assert response.status_code == 400 and "deep" in response.json()["error"], response.text
    assert alive(bot)


def test_rest_metadata_cannot_claim_a_verified_buyer(bot):
    """The channel overwrites `verified_buyer_id` with the sender it vouches for."""
    response = requests.post(f"{bot.url}/webhooks/rest/webhook", timeout=30, json={
        "sender": "tb_new_buyer", "message": "已经发货了还能退款吗",
        "metadata": {"verified_buyer_id": CHEN}})
    assert response.status_code == 200 and "蓝牙耳机" not in texts(response.json())


# ---- the widget -------------------------------------------------------------------

def test_widget_custom_data_nested_deep_gets_a_polite_reply(bot, widget):
    for custom in ("[" * DEEP + "]" * DEEP, '{"a": ' + "[" * 12 + "1" + "]" * 12 + "}"):
        said = widget_text(widget.say("你好", custom))
        assert "格式" in said and polite(said), said


@pytest.mark.parametrize("session_id", [12345, None, {"$ne": None}, "x" * 10_000, "tb_chen_wei\u0000", ["a"]])
def test_widget_odd_session_ids_are_ignored_and_answered(bot, widget, session_id):
    said = widget_text(widget.say("你好", {}, session_id=session_id))
    assert polite(said), said


@pytest.mark.parametrize("message", [12345, None, {"text": "hi"}, ["你好"]])
def test_widget_non_text_messages_get_a_polite_reply(bot, widget, message):
    said = widget_text(widget.say(message, {}))
    assert polite(said), said


def test_widget_honours_max_message_chars(bot, widget):
    said = widget_text(widget.say("退" * 1001, {}))
    assert "太长" in said


def test_a_huge_widget_message_gets_the_polite_reply_not_silence(bot, widget):
    # 100,000 characters (600 KB as the client's escaped JSON; engine.io's own limit dropped
    # anything over 64 KB in silence): under the request limit every channel shares, so the
    # channel reads it and says it is too long
    said = widget_text(widget.say("退" * 100_000, {}))
    assert "太长" in said and polite(said), said


# ---- slot values and control commands, every channel ------------------------------

HOSTILE_ORDER_IDS = [{"$ne": None}, ["3286451901234567900"], 3286451901234567900, "9" * 900, "<script>x</script>"]


@pytest.mark.parametrize("value", HOSTILE_ORDER_IDS)
def test_odd_order_id_slot_values_are_not_echoed(bot, value):
    bot.say(CHEN, "/restart")
    bot.say(CHEN, "退款到哪一步了")
    reply = texts(bot.say(CHEN, "/inform_order_id" + json.dumps({"order_id": value})))
    # an answer, not the apology a crashed action would give
    assert polite(reply), reply
    for leak in ("$ne", "{'", "None", "[", "<script>", "9" * 40):
        assert leak not in reply, reply
    assert len(reply) < 600, reply


@pytest.mark.parametrize("command", ["/restart", "/session_start", "/back", " /restart "])
def test_control_commands_typed_by_a_buyer_get_a_polite_answer_everywhere(bot, widget, command):
    assert polite(texts(bot.say(CHEN, command))), "rest"
    result = post_im(bot.url, im_body(CHEN, command)).json()
    assert polite("\n".join(r.get("text", "") for r in result["replies"])), result
    assert polite(widget_text(widget.say(command, {}))), "widget"
