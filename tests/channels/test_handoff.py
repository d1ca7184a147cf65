"""The hand-off state through the real servers (issue #12): silence, hand-back, timeout, callback.

One Rasa server + action server for this module, with credentials the test
writes: the store IM's ``callback_url`` points at a tiny local HTTP server and
its ``handoff_timeout_minutes`` is 0.5 (30 s) so the timeout can be seen.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests

from tests.support.servers import API_TOKEN, free_port, running_bot
from tests.support.store_im import im_body, post_im, signature
from tests.support.widget import Widget, widget_text

TIMEOUT_SECONDS = 30  # handoff_timeout_minutes: 0.5 below
NOTICE_WORDS = "人工客服正在为您处理"


class CallbackReceiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append({"signature": self.headers.get("X-Store-Signature"), "body": body})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def callbacks():
    server = HTTPServer(("127.0.0.1", free_port()), CallbackReceiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def handoff_bot(tmp_path_factory, demo_db_url, callbacks):
    workdir = tmp_path_factory.mktemp("handoff")
    credentials = workdir / "credentials.yml"
    credentials.write_text(f"""
bot.channels.rest.RestInput:
bot.channels.store_im.StoreIMInput:
  handoff_timeout_minutes: 0.5
  callback_url: "http://127.0.0.1:{callbacks.server_port}/store-im/replies"
  callback_timeout_seconds: 2
bot.channels.socketio.SocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
  metadata_key: customData
""", encoding="utf-8")
    with running_bot(workdir, {"ORDERS_DB_URL": demo_db_url}, credentials=credentials, widget_page=True) as rasa:
        yield rasa


def im(bot, buyer: str, text: str) -> dict:
    response = post_im(bot.url, im_body(buyer, text))
    assert response.status_code == 200, response.text
    return response.json()


def handback_body(buyer: str, timestamp: float) -> dict:
    return {"type": "handback", "handback_id": f"h-{uuid.uuid4().hex}", "buyer_id": buyer, "timestamp": timestamp}


def handback(bot, body=None, raw=None, sig="sign") -> requests.Response:
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if sig == "sign":
        headers["X-Store-Signature"] = signature(data)
    elif sig:
        headers["X-Store-Signature"] = sig
    return requests.post(f"{bot.url}/webhooks/store_im/handback", data=data, headers=headers, timeout=30)


def events(bot, conversation: str) -> list:
    return requests.get(f"{bot.url}/conversations/{conversation}/tracker",
                        params={"token": API_TOKEN}, timeout=10).json()["events"]


def user_texts(evts: list) -> list:
    return [e.get("text") for e in evts if e["event"] == "user"]


def handoff_ends(evts: list) -> list:
    return [(e.get("metadata") or {}).get("handoff_ended_by") for e in evts
            if e["event"] == "slot" and e["name"] == "handoff_requested" and e["value"] is False]


def hand_off_over_im(bot, buyer: str) -> dict:
    result = im(bot, buyer, "转人工")
    handoffs = [r["custom"] for r in result["replies"] if (r.get("custom") or {}).get("handoff")]
    assert handoffs, result
    assert result["handoff_active"] is True
    return handoffs[0]


def test_im_hand_off_is_silent_recorded_and_handed_back(handoff_bot, callbacks):
    buyer, conversation = "tb_lily88", "store_im:tb_lily88"
    marker = hand_off_over_im(handoff_bot, buyer)
    started = time.time()
    assert buyer in marker["summary"]["text"] and "转人工" in marker["summary"]["last_messages"]

    # While a person has it: no replies, the IM knows, and every message is in the tracker.
    for text in ("还在吗", "我的退款到哪一步了", "我要投诉"):
        result = im(handoff_bot, buyer, text)
        assert result["replies"] == [] and result["handoff_active"] is True, result
    recorded = events(handoff_bot, conversation)
    assert {"还在吗", "我的退款到哪一步了", "我要投诉"} <= set(user_texts(recorded))
    silent_from = max(i for i, e in enumerate(recorded) if e.get("text") == "还在吗")
    assert [e for e in recorded[silent_from:] if e["event"] in ("bot", "action")] == []
    parsed = [e for e in recorded[silent_from:] if e["event"] == "user"]
    assert all(e["parse_data"]["intent"].get("name") for e in parsed), "recorded with NLU"
    assert time.time() - started < TIMEOUT_SECONDS, "too slow to tell silence from the timeout"

    # The store gives it back: recorded, and the bot answers again.
    response = handback(handoff_bot, handback_body(buyer, int(time.time())))
    assert response.status_code == 200 and response.json() == {"buyer_id": buyer, "bot_active": True}
    assert handoff_ends(events(handoff_bot, conversation)) == ["handback"]
    result = im(handoff_bot, buyer, "退款到哪一步了")
    assert result["replies"] and result["replies"][0]["text"] and result["handoff_active"] is False, result


def test_silent_replies_have_the_documented_shape(handoff_bot):
    buyer = "tb_chen_wei"
    hand_off_over_im(handoff_bot, buyer)
    body = im_body(buyer, "人呢")
    response = post_im(handoff_bot.url, body)
    assert response.json() == {"message_id": body["message_id"], "replies": [], "handoff_active": True}
    assert handback(handoff_bot, handback_body(buyer, time.time())).status_code == 200


def test_im_conversation_comes_back_after_the_timeout(handoff_bot):
    buyer, conversation = "tb_zhao_lei", "store_im:tb_zhao_lei"
    hand_off_over_im(handoff_bot, buyer)
    handed_off_at = time.time()
    assert im(handoff_bot, buyer, "有人吗")["replies"] == []
    time.sleep(max(0.0, handed_off_at + TIMEOUT_SECONDS + 1 - time.time()))
    result = im(handoff_bot, buyer, "你好")
    assert result["replies"] and result["handoff_active"] is False, result
    assert handoff_ends(events(handoff_bot, conversation)) == ["timeout"]
    assert "有人吗" in user_texts(events(handoff_bot, conversation))


@pytest.mark.parametrize("case, kwargs, status", [
    ("unsigned", {"sig": None}, 401),
    ("wrong signature", {"sig": "sha256=" + "0" * 64}, 401),
    ("not JSON", {"raw": b"{buyer_id"}, 400),
    ("no timestamp", {"body": {"buyer_id": "tb_lily88"}}, 400),
    ("no buyer", {"body": {"timestamp": "now"}}, 400),
    ("buyer not a string", {"body": {"buyer_id": 7, "timestamp": 1}}, 400),
    ("stale timestamp", {"body": {"type": "handback", "handback_id": "h-stale", "buyer_id": "tb_lily88",
                                  "timestamp": 1000000000}}, 401),
])
def test_hand_back_refuses_what_the_message_webhook_refuses(handoff_bot, case, kwargs, status):
    response = handback(handoff_bot, **kwargs)
    assert response.status_code == status, (case, response.text)
    assert "error" in response.json()


def test_callback_url_receives_the_signed_summary(handoff_bot, callbacks):
    CallbackReceiver.received.clear()
    buyer = "tb_wang_fang"
    marker = hand_off_over_im(handoff_bot, buyer)
    deadline = time.time() + 10
    while time.time() < deadline and not any(b"handoff" in r["body"] for r in CallbackReceiver.received):
        time.sleep(0.1)
    posted = [r for r in CallbackReceiver.received if json.loads(r["body"]).get("handoff")]
    assert posted, CallbackReceiver.received
    assert posted[0]["signature"] == signature(posted[0]["body"])
    payload = json.loads(posted[0]["body"])
    assert payload["buyer_id"] == buyer and payload["handoff"]["summary"] == marker["summary"]
    handback(handoff_bot, handback_body(buyer, time.time()))


def test_rest_notice_at_most_once_a_minute(handoff_bot):
    sender = "tb_rest_handoff"
    replies = handoff_bot.say(sender, "转人工")
    assert any((r.get("custom") or {}).get("handoff") for r in replies), replies
    first = handoff_bot.say(sender, "在吗")
    assert [r["text"] for r in first] == [r["text"] for r in first if NOTICE_WORDS in r["text"]] and len(first) == 1
    assert handoff_bot.say(sender, "快点处理") == []
    assert handoff_bot.say(sender, "好慢啊") == []
    assert {"在吗", "快点处理", "好慢啊"} <= set(user_texts(events(handoff_bot, f"rest:{sender}")))


def test_widget_notice_at_most_once_a_minute(handoff_bot):
    widget = Widget(handoff_bot.url, handoff_bot.origin)
    try:
        widget.open()
        assert "人工" in widget_text(widget.say("转人工"))
        notice = widget.say("还在吗")
        assert len(notice) == 1 and NOTICE_WORDS in notice[0]["text"], notice
        assert widget.say("快点", timeout=4) == []
    finally:
        widget.close()
