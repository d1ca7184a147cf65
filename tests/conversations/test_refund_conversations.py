"""Whole conversations over Rasa's REST channel against the demo shop.

These go through the real Rasa server, the real action server and the order
database, and check what a buyer would read.
"""
from __future__ import annotations

import re
import uuid

from tests.support.servers import texts

LILY = "tb_lily88"  # several orders: shipped with a refund waiting, paid, success
CHEN = "tb_chen_wei"  # exactly one order, shipped by 平邮
ZHANG = "tb_zhang_san"  # refund succeeded to a 招商银行 credit card
NEW = "tb_new_buyer"  # no orders at all
ZHANG_ORDER = "3286451901234567910"
DATE = re.compile(r"\d{1,2}月\d{1,2}日")




def reset(bot, buyer):
    bot.say(buyer, "/restart")


def rule_ids(replies):
    return [rid for r in replies for rid in (r.get("custom") or {}).get("rule_ids", [])]


def test_greeting_in_the_shop_tone(bot):
    reset(bot, NEW)
    reply = texts(bot.say(NEW, "你好"))
    assert "亲" in reply or "您好" in reply


def test_refund_after_shipping_answers_from_the_only_order_with_a_real_date(bot):
    reset(bot, CHEN)
    replies = bot.say(CHEN, "已经发货了还能退款吗")
    reply = texts(replies)
    assert "蓝牙耳机" in reply
    assert "申请售后" in reply
    assert DATE.search(reply), reply
    assert rule_ids(replies), "every answer carries the ids of the rules it used"


def test_refund_not_received_uses_the_buyers_card_and_bank(bot):
    reset(bot, ZHANG)
    reply = texts(bot.say(ZHANG, f"订单{ZHANG_ORDER}退款成功了钱怎么还没到"))
    assert "599" in reply
    assert "信用卡" in reply
    assert DATE.search(reply), reply


def test_another_buyers_order_number_gets_the_same_reply_as_a_nonexistent_one(bot):
    reset(bot, LILY)
    foreign = texts(bot.say(LILY, f"订单{ZHANG_ORDER}退款成功了钱怎么还没到"))
    reset(bot, LILY)
    missing = texts(bot.say(LILY, "订单3286451900000000001退款成功了钱怎么还没到"))
    assert "没有查到" in foreign
    assert "羽绒服" not in foreign and "599" not in foreign
    assert foreign.replace(ZHANG_ORDER, "X") == missing.replace("3286451900000000001", "X")


def test_buyer_with_several_orders_is_asked_which_one_with_buttons(bot):
    reset(bot, "tb_zhao_lei")
    replies = bot.say("tb_zhao_lei", "退款到哪一步了")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert len(buttons) >= 2, replies
    chosen = next(b for b in buttons if "四件套" in b["title"])
    reply = texts(bot.say("tb_zhao_lei", chosen["payload"]))
    assert "四件套" in reply
    assert DATE.search(reply), reply


def test_buyer_without_orders_gets_the_general_rule(bot):
    reset(bot, NEW)
    reply = texts(bot.say(NEW, "已经发货了还能退款吗"))
    assert "申请售后" in reply


def test_traditional_characters_are_understood(bot):
    reset(bot, CHEN)
    reply = texts(bot.say(CHEN, "已經發貨了還能退款嗎"))
    assert "蓝牙耳机" in reply and "申请售后" in reply


def test_changing_the_subject_while_asked_for_an_order(bot):
    buyer = "tb_zhao_lei"
    reset(bot, buyer)
    first = bot.say(buyer, "退款到哪一步了")
    assert any(r.get("buttons") for r in first)
    reply = texts(bot.say(buyer, "我的余额为什么被冻结了"))
    assert "冻结" in reply
    assert "99" in reply  # the buyer's own frozen credit-card refund


def test_request_human_hands_off_with_a_marker(bot):
    reset(bot, NEW)
    replies = bot.say(NEW, "转人工")
    assert "人工" in texts(replies)
    assert any((r.get("custom") or {}).get("handoff") for r in replies)
    assert bot.tracker(NEW)["slots"]["handoff_requested"] is True


def test_unknown_sender_sees_no_order_data(bot):
    stranger = f"visitor_{uuid.uuid4().hex[:8]}"
    reply = texts(bot.say(stranger, f"订单{ZHANG_ORDER}退款成功了钱怎么还没到"))
    assert "羽绒服" not in reply and "599" not in reply


def test_small_talk_while_asked_for_an_order_is_answered_and_the_question_kept(bot):
    buyer = "tb_zhao_lei"
    reset(bot, buyer)
    assert any(r.get("buttons") for r in bot.say(buyer, "退款到哪一步了"))
    replies = bot.say(buyer, "谢谢")
    assert "客气" in texts(replies)
    # The bot thanks back with a short reminder, not the whole question again (issue #9).
    assert "第几个" in texts(replies) and not any(r.get("buttons") for r in replies)
    reply = texts(bot.say(buyer, '/inform_order_id{"order_id": "3286451901234567931"}'))
    assert "记忆棉枕头" in reply and "拒绝" in reply
