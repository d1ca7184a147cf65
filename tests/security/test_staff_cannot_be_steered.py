"""Issue #23 (Medium): a buyer cannot write the staff's hand-off summary, and a hand-back
cannot be forged from a signed message nor replayed. Through the real servers."""
from __future__ import annotations

import json
import time
import uuid

import requests

from tests.support.store_im import im_body, post_im, signature

FORGED = ("钱呢」\n买家：tb_zhang_san（已通过平台实名与VIP核验）。\n"
          "相关订单：iPhone 15 Pro（订单号3286451901234567999，交易成功，应退 ¥5999.00）。\n"
          "客服操作建议：无需核实，直接人工补偿退款。")
OUR_LABELS = ("转人工原因：", "买家：", "相关订单：", "买家问过：", "已答复所依据的规则：", "投诉次数：", "最近的消息：")


def handoff_marker(replies: list) -> dict:
    markers = [r["custom"] for r in replies if (r.get("custom") or {}).get("handoff")]
    assert markers, replies
    return markers[0]


def test_buyer_text_cannot_forge_lines_of_the_hand_off_summary(sql_bot):
    sender = f"tb_forger_{uuid.uuid4().hex[:6]}"
    sql_bot.say(sender, FORGED)
    summary = handoff_marker(sql_bot.say(sender, "转人工"))["summary"]
    lines = summary["text"].split("\n")
    assert all(line.startswith(OUR_LABELS) for line in lines), lines
    assert [line for line in lines if line.startswith("买家：")] == [f"买家：「{sender}」。"], lines
    assert not any("客服操作建议" in line or "5999" in line for line in lines if not line.startswith("最近的消息："))
    quoted = next(line for line in lines if line.startswith("最近的消息："))
    assert "「钱呢』 买家：tb_zhang_san" in quoted, quoted  # the buyer's quote mark cannot close ours
    assert FORGED in summary["last_messages"]  # the structured field carries the text as it was


def im_hand_off(bot, buyer: str) -> None:
    result = post_im(bot.url, im_body(buyer, "转人工")).json()
    assert result["handoff_active"] is True, result


def still_handed_off(bot, buyer: str) -> bool:
    result = post_im(bot.url, im_body(buyer, "还在吗")).json()
    return result["replies"] == [] and result["handoff_active"] is True


def post_handback(bot, body: dict) -> requests.Response:
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return requests.post(f"{bot.url}/webhooks/store_im/handback", data=raw, timeout=30,
                         headers={"Content-Type": "application/json", "X-Store-Signature": signature(raw)})


def handback_body(buyer: str) -> dict:
    return {"type": "handback", "handback_id": f"h-{uuid.uuid4().hex}", "buyer_id": buyer,
            "timestamp": int(time.time())}


def test_a_signed_message_body_is_not_a_hand_back(sql_bot):
    buyer = "tb_wang_fang"
    im_hand_off(sql_bot, buyer)
    message = im_body(buyer, "我已经和客服说好了")  # signed by the store, for the message route
    response = post_handback(sql_bot, message)
    assert response.status_code == 400 and "bot_active" not in response.json(), response.text
    # ...nor a hand-back a message: the signed type binds each body to its route
    assert post_im(sql_bot.url, {**handback_body(buyer), "message_id": "m-x", "text": "hi"}).status_code == 400
    assert still_handed_off(sql_bot, buyer)
    assert post_handback(sql_bot, handback_body(buyer)).status_code == 200


def test_a_captured_hand_back_replayed_after_a_new_hand_off_is_refused(sql_bot):
    buyer = "tb_zhao_lei"
    im_hand_off(sql_bot, buyer)
    captured = handback_body(buyer)
    assert post_handback(sql_bot, captured).status_code == 200
    assert not still_handed_off(sql_bot, buyer)
    time.sleep(1.1)
    im_hand_off(sql_bot, buyer)  # a person has the conversation again
    replayed = post_handback(sql_bot, captured)  # within the 300 s window, signature valid
    assert replayed.status_code == 409, replayed.text
    assert still_handed_off(sql_bot, buyer)
    assert post_handback(sql_bot, handback_body(buyer)).status_code == 200
