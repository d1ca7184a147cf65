"""The web chat widget in a real (headless) Chromium, over socket.io to the real bot.

A buyer opens the shop page, reads the greeting, asks about a refund, clicks
one of their orders, reloads the page and still sees the conversation. An
anonymous visitor gets the general rules and never an order. A forged or
expired token is anonymous; a page from another origin cannot connect.
"""
from __future__ import annotations

import os
import time
import uuid

import pytest
import requests
import socketio

from shared.identity import make_buyer_token
from tests.support.servers import REPO, WIDGET_TOKEN_SECRET

# Written to results/ on every run; UPDATE_DOCS_SCREENSHOT=1 refreshes the one in the docs.
SCREENSHOT = REPO / ("docs/channels" if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1" else "results") / "widget.png"
ZHANG = "tb_zhang_san"  # refunds to a 招商银行 credit card (加厚羽绒服 ¥599) and more
TIMEOUT_MS = 30000
BOT_SAID = ".rw-response .rw-message-text"  # (a bare .rw-response is also the typing indicator)


def open_chat(page):
    page.click(".rw-launcher")
    page.wait_for_selector(".rw-conversation-container", timeout=TIMEOUT_MS)


def responses(page):
    """Everything the bot said on the page: message texts and button titles."""
    return page.locator(".rw-messages-container").inner_text()


def wait_for_text(page, text: str) -> None:
    page.locator(".rw-messages-container").get_by_text(text).first.wait_for(timeout=TIMEOUT_MS)


def wait_for_more_responses(page, than: int) -> None:
    """Until the bot has said something new (polled here: the page's CSP forbids eval)."""
    deadline = time.time() + TIMEOUT_MS / 1000
    while page.locator(BOT_SAID).count() <= than:
        assert time.time() < deadline, "the bot did not answer in the page"
        page.wait_for_timeout(200)


def ask(page, question: str) -> None:
    box = page.locator(".rw-new-message")
    box.fill(question)
    box.press("Enter")
    page.locator(".rw-client").get_by_text(question).last.wait_for(timeout=TIMEOUT_MS)


def test_buyer_asks_clicks_an_order_and_keeps_the_history_after_reload(browser, chat_page):
    context = browser.new_context(viewport={"width": 1000, "height": 760}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{chat_page}/?buyer={ZHANG}")
        assert "小铺" in page.title()
        open_chat(page)
        # The Chinese UI and the shop's greeting on open (initPayload /greet).
        assert "小铺售后客服" in page.locator(".rw-header").inner_text()
        assert page.locator(".rw-new-message").get_attribute("placeholder").startswith("请输入您的问题")
        page.locator(BOT_SAID).first.wait_for(timeout=TIMEOUT_MS)
        assert "您好" in responses(page)

        # Ask: the bot lists this buyer's refunded orders as buttons.
        ask(page, "退款成功了钱怎么还没到")
        button = page.locator(".rw-reply", has_text="加厚羽绒服")
        button.first.wait_for(timeout=TIMEOUT_MS)
        assert page.locator(".rw-reply", has_text="户外折叠台灯").count() == 1

        # Click one: the answer about that order (its amount, the buyer's card).
        button.first.click()
        # (the question itself lists the orders with their amounts, so wait for the answer's own words)
        page.locator(BOT_SAID, has_text="信用卡").first.wait_for(timeout=TIMEOUT_MS)
        answer = responses(page)
        assert "信用卡" in answer and "599" in answer
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        # Reload: the same conversation is shown, and the bot still answers in it.
        page.reload()
        page.wait_for_selector(".rw-messages-container", timeout=TIMEOUT_MS)
        wait_for_text(page, "退款成功了钱怎么还没到")
        assert "599" in responses(page)
        before = page.locator(BOT_SAID).count()
        ask(page, "谢谢")
        wait_for_more_responses(page, before)
        assert page.locator(BOT_SAID).last.inner_text().strip()
    finally:
        context.close()


def test_anonymous_visitor_gets_general_rules_and_no_order(browser, chat_page):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(chat_page)
        assert "未登录" in page.inner_text("#visitor")
        open_chat(page)
        page.locator(BOT_SAID).first.wait_for(timeout=TIMEOUT_MS)
        greetings = page.locator(BOT_SAID).count()
        ask(page, "退款成功了钱怎么还没到")
        wait_for_more_responses(page, greetings)
        time.sleep(1)  # let any further bot message arrive
        said = responses(page)
        assert "信用卡" in said or "原路" in said  # the general rule
        for order_detail in ("订单尾号", "加厚羽绒服", "599", "招商银行"):
            assert order_detail not in said
    finally:
        context.close()


# ---- socket.io without a browser: forged tokens, origins -------------------------------

def talk(url: str, message: str, custom_data: dict, origin: str) -> list:
    client = socketio.Client(reconnection=False)
    said = []
    client.on("bot_uttered", lambda data: said.append(data))
    client.connect(url, headers={"Origin": origin}, transports=["polling"], wait_timeout=10)
    try:
        session_id = uuid.uuid4().hex
        client.emit("session_request", {"session_id": session_id})
        time.sleep(0.3)
        client.emit("user_uttered", {"message": message, "customData": custom_data, "session_id": session_id})
        deadline = time.time() + 20
        while not said and time.time() < deadline:
            time.sleep(0.2)
        time.sleep(1)
    finally:
        client.disconnect()
    return said


def said_text(messages: list) -> str:
    return "\n".join(
        [m.get("text", "") for m in messages]
        + [q["title"] for m in messages for q in m.get("quick_replies", [])]
    )


@pytest.mark.parametrize("token", [
    make_buyer_token(ZHANG, "not-the-widget-secret"),  # forged
    make_buyer_token(ZHANG, WIDGET_TOKEN_SECRET, ttl_seconds=-60),  # expired
    f"{ZHANG}:9999999999:" + "0" * 64,  # made up
    ZHANG,  # just a buyer id
])
def test_forged_or_expired_token_is_anonymous(bot, token):
    origin = f"http://127.0.0.1:{bot.web_port}"
    said = said_text(talk(bot.url, "退款成功了钱怎么还没到", {"buyer_token": token}, origin))
    assert said.strip()
    assert "订单尾号" not in said and "加厚羽绒服" not in said and "599" not in said


def test_valid_token_reads_that_buyers_orders(bot):
    origin = f"http://127.0.0.1:{bot.web_port}"
    token = make_buyer_token(ZHANG, WIDGET_TOKEN_SECRET)
    said = said_text(talk(bot.url, "退款成功了钱怎么还没到", {"buyer_token": token}, origin))
    assert "加厚羽绒服" in said


def test_a_very_long_widget_message_gets_a_polite_reply_without_being_parsed(bot):
    origin = f"http://127.0.0.1:{bot.web_port}"
    started = time.monotonic()
    said = said_text(talk(bot.url, "退款" * 5_000, {}, origin))  # 10,000 characters
    assert "太长" in said
    assert time.monotonic() - started < 10


def test_other_origins_cannot_open_the_socket(bot):
    url = f"{bot.url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(url, headers={"Origin": f"http://127.0.0.1:{bot.web_port}"}, timeout=10)
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == f"http://127.0.0.1:{bot.web_port}"
    refused = requests.get(url, headers={"Origin": "http://evil.example"}, timeout=10)
    assert refused.status_code == 400
    assert refused.headers.get("Access-Control-Allow-Origin") is None
    with pytest.raises(socketio.exceptions.ConnectionError):
        talk(bot.url, "你好", {}, "http://evil.example")


def test_two_questions_in_one_widget_message_get_one_reply_in_the_order_asked(bot):
    origin = f"http://127.0.0.1:{bot.web_port}"
    token = make_buyer_token(ZHANG, WIDGET_TOKEN_SECRET)
    said = talk(bot.url, "羽絨服的錢什麼時候到 還有登山鞋怎麼寄回去", {"buyer_token": token}, origin)
    text = "\n".join(m.get("text", "") for m in said)
    assert "加厚羽绒服" in text and "登山鞋" in text and text.index("加厚羽绒服") < text.index("登山鞋")
    assert "599.00" in text and text.count("您好") == 1
    titles = [q["title"] for m in said for q in m.get("quick_replies", [])]
    assert titles.count("👍 解决了") == 1


# ---- issue #19: what the widget shows --------------------------------------------------

def test_the_widget_gets_the_order_list_once_as_buttons_and_keeps_line_breaks(bot):
    origin = f"http://127.0.0.1:{bot.web_port}"
    token = make_buyer_token(ZHANG, WIDGET_TOKEN_SECRET)
    said = talk(bot.url, "退款成功了钱怎么还没到", {"buyer_token": token}, origin)
    text = "\n".join(m.get("text", "") for m in said)
    titles = [q["title"] for m in said for q in m.get("quick_replies", [])]
    assert "哪一笔" in text and "加厚羽绒服" not in text  # the list is the buttons, not text as well
    assert sum("加厚羽绒服" in t for t in titles) == 1


def test_widget_text_keeps_line_breaks_as_markdown_breaks():
    from bot.channels.socketio import widget_text

    listed = "请问是哪一笔呢？\n1. 加厚羽绒服 大码（订单尾号7910，¥599.00）\n2. 户外折叠台灯（订单尾号7912，¥79.00）"
    buttons = [{"title": "加厚羽绒服 大码（订单尾号7910，¥599.00）"}, {"title": "户外折叠台灯（订单尾号7912，¥79.00）"}]
    assert widget_text(listed, buttons) == "请问是哪一笔呢？"
    # rasa-webchat renders Markdown: a single newline needs two spaces before it to stay a line break
    assert widget_text("冻结款项：¥50.00\n感谢您的耐心等待。") == "冻结款项：¥50.00  \n感谢您的耐心等待。"
    assert widget_text(listed) == "请问是哪一笔呢？  \n1. 加厚羽绒服 大码（订单尾号7910，¥599.00）  \n" \
        "2. 户外折叠台灯（订单尾号7912，¥79.00）"  # no buttons: the list stays


@pytest.mark.parametrize("emoji", ["😭😭😭", "😡😡😡"])
def test_an_emoji_only_widget_message_gets_a_reply_without_a_smile(bot, emoji):
    origin = f"http://127.0.0.1:{bot.web_port}"
    token = make_buyer_token("tb_lily88", WIDGET_TOKEN_SECRET)
    said = said_text(talk(bot.url, emoji, {"buyer_token": token}, origin))
    assert "亲" in said and "😊" not in said and "转人工" in said
