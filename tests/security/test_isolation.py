"""Each conversation belongs to its buyer and channel (issue #14, items 1 and 2).

Through the real servers (tests/conftest.py ``bot``): a web widget visitor who
claims a store IM buyer's id, with no token or with another buyer's valid
token, sees nothing of that buyer and changes nothing in that buyer's IM
conversation; a second client that asks for a known widget session id is
given another one and receives nothing of the first client's conversation.
"""
from __future__ import annotations

import json
import time

import pytest

from actions.orders.demo import demo_document
from bot.channels.widget_sessions import WidgetSessions
from shared.buyer_token import make_buyer_token
from tests.support.servers import WIDGET_TOKEN_SECRET
from tests.support.store_im import im_body, post_im
from tests.support.widget import Widget, widget_text

VICTIM = "tb_zhao_lei"  # several open returns: "退款到哪一步了" opens a question (which order?)
ATTACKER = "tb_chen_wei"
ZHANG = "tb_zhang_san"
DEMO = demo_document()
VICTIM_DETAILS = [o["item"] for o in DEMO["orders"] if o["buyer_id"] == VICTIM] + \
                 [o["order_id"][-4:] for o in DEMO["orders"] if o["buyer_id"] == VICTIM] + ["99.00"]
ZHANG_DETAILS = [o["item"] for o in DEMO["orders"] if o["buyer_id"] == ZHANG] + ["599"]
VICTIM_ORDER = next(o["order_id"] for o in DEMO["orders"] if o["buyer_id"] == VICTIM)


def im_state(bot) -> dict:
    tracker = bot.tracker(VICTIM, channel="store_im")
    return {"events": len(tracker["events"]),
            "complaint_count": tracker["slots"].get("complaint_count"),
            "requested_slot": tracker["slots"].get("requested_slot"),
            "active_loop": (tracker.get("active_loop") or {}).get("name")}


@pytest.fixture
def victim_mid_conversation(bot):
    """The IM buyer has complained once and has an open question (which order?)."""
    post_im(bot.url, im_body(VICTIM, "/restart"))
    post_im(bot.url, im_body(VICTIM, "服务太差了"))
    result = post_im(bot.url, im_body(VICTIM, "退款到哪一步了")).json()
    assert any(r.get("buttons") for r in result["replies"]), result  # asked which order
    state = im_state(bot)
    assert state["complaint_count"] == 1 and state["requested_slot"] == "order_id", state
    return state


@pytest.mark.parametrize("token_buyer", [None, ATTACKER])
@pytest.mark.parametrize("claimed", [VICTIM, f"store_im:{VICTIM}", f"rest:{VICTIM}", f"web:{VICTIM}"])
def test_a_widget_visitor_claiming_an_im_buyers_id_sees_and_changes_nothing(bot, victim_mid_conversation,
                                                                            claimed, token_buyer):
    custom = {"buyer_token": make_buyer_token(token_buyer, WIDGET_TOKEN_SECRET)} if token_buyer else {}
    widget = Widget(bot.url, f"http://127.0.0.1:{bot.web_port}")
    try:
        assert widget.open(claimed) != claimed  # the server issues its own id
        for message in ["/restart", "退款到哪一步了", "/inform_order_id" + json.dumps({"order_id": VICTIM_ORDER}),
                        "你好", "服务太差了", "我要投诉"]:
            # Also naming the victim's id in the message itself; the complaints (which hand the
            # visitor's own conversation to a person) come last. Every reply is read at the end.
            widget.say(message, custom, session_id=claimed, timeout=3)
        widget.wait_replies(len(widget.received), timeout=2)
    finally:
        widget.close()
    text = widget_text(widget.received)
    assert text.strip(), "the visitor got no answer at all"
    for detail in VICTIM_DETAILS:
        if detail != VICTIM_ORDER[-4:] or VICTIM_ORDER not in text:  # the number the visitor typed may echo
            assert detail not in text, (detail, text)
    assert im_state(bot) == victim_mid_conversation
    # The IM buyer's open question is still open: her order choice is answered about her order.
    result = post_im(bot.url, im_body(VICTIM, "/inform_order_id" + json.dumps({"order_id": VICTIM_ORDER}))).json()
    assert "纯棉四件套" in "\n".join(r.get("text", "") for r in result["replies"]), result


def test_a_second_client_on_a_known_session_id_gets_nothing_of_the_first(bot):
    origin = f"http://127.0.0.1:{bot.web_port}"
    token = make_buyer_token(ZHANG, WIDGET_TOKEN_SECRET)
    first, second = Widget(bot.url, origin), Widget(bot.url, origin)
    try:
        session = first.open()
        assert "羽绒服" in widget_text(first.say("退款成功了钱怎么还没到", {"buyer_token": token})) or \
            "订单尾号" in widget_text(first.received)
        assert second.open(session) != session  # held by a live connection: another id
        second.send("退款到哪一步了", {}, session_id=session)  # and naming it in a message
        before = len(second.received)
        first.say("退款到哪一步了", {"buyer_token": token})
        first.say("/inform_order_id" + json.dumps({"order_id": "3286451901234567910"}), {"buyer_token": token})
        seen_by_second = widget_text(second.wait_replies(before, timeout=5) + second.received)
    finally:
        first.close()
        second.close()
    for detail in ZHANG_DETAILS:
        assert detail not in seen_by_second, (detail, seen_by_second)


def test_a_session_id_the_server_did_not_issue_is_replaced_and_a_reload_keeps_its_own(bot):
    origin = f"http://127.0.0.1:{bot.web_port}"
    widget = Widget(bot.url, origin)
    try:
        issued = widget.open("my-own-choice")
        assert issued != "my-own-choice"
    finally:
        widget.close()
    # The same widget reloaded (its first connection gone) gets its session back.
    # (tests/channels/test_widget_browser.py reloads a real page and keeps the history.)
    deadline, given = time.time() + 10, None
    while given != issued and time.time() < deadline:
        time.sleep(0.3)
        reloaded = Widget(bot.url, origin)
        try:
            given = reloaded.open(issued)
        finally:
            reloaded.close()
    assert given == issued


def test_another_buyer_on_the_same_session_id_is_another_conversation(bot):
    """A session is bound to the buyer (or anonymity) its token says: a new token is a new tracker."""
    origin = f"http://127.0.0.1:{bot.web_port}"
    sessions = WidgetSessions(WIDGET_TOKEN_SECRET)
    widget = Widget(bot.url, origin)
    try:
        session = widget.open()
        widget.say("服务太差了", {"buyer_token": make_buyer_token(ZHANG, WIDGET_TOKEN_SECRET)})
        widget.say("服务太差了", {"buyer_token": make_buyer_token(ATTACKER, WIDGET_TOKEN_SECRET)})
        widget.say("服务太差了", {})
    finally:
        widget.close()
    for buyer in (ZHANG, ATTACKER, None):
        tracker = bot.tracker(sessions.conversation_id(session, buyer), channel=None)
        users = [e for e in tracker["events"] if e["event"] == "user"]
        assert len(users) == 1, (buyer, [e.get("text") for e in users])
        assert tracker["slots"].get("complaint_count") == 1
