"""The agent's summary on a hand-off (actions/dialogue/handoff_summary.py)."""
from __future__ import annotations

import pytest

from actions.dialogue.handoff_summary import handoff_summary
from tests.support.demo_shop import demo_buyers


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    return demo_buyers(tmp_path_factory.mktemp("shop") / "orders.db")


def user(text, intent):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def bot(text, *rule_ids):
    return {"event": "bot", "text": text, "data": {"custom": {"rule_ids": list(rule_ids)}}}


def test_summary_names_orders_questions_rules_and_last_messages(shop):
    zl = shop["tb_zhao_lei"]
    pillow = next(o for o in zl.orders if o.item == "记忆棉枕头")
    events = [bot("欢迎"), user("卖家拒绝退款了怎么办", "ask_platform_intervention"),
              bot("哪一笔"), user("枕头那个", "inform_order_id"), bot("卖家拒绝了", "quality_negotiate_first"),
              user("你们太慢了", "complain"), bot("抱歉"), user("转人工", "request_human")]
    s = handoff_summary("tb_zhao_lei", zl, events, "request_human", 1, [pillow.order_id])
    assert s["orders"] == [{"order_id": pillow.order_id, "item": "记忆棉枕头", "status": "卖家已发货",
                            "refund_status": "卖家已拒绝", "amount": "¥129.00"}]
    assert [q["intent"] for q in s["questions"]] == ["ask_platform_intervention"]
    assert s["last_messages"] == ["卖家拒绝退款了怎么办", "枕头那个", "你们太慢了", "转人工"]
    assert s["answered_rule_ids"] == ["quality_negotiate_first"]
    for part in ("买家要求转人工", "tb_zhao_lei", "记忆棉枕头", pillow.order_id, "卖家拒绝退款了怎么办", "投诉次数：1",
                 "quality_negotiate_first", "「枕头那个」 「你们太慢了」 「转人工」"):
        assert part in s["text"], part
    assert "ask_platform_intervention" not in s["text"]  # the agent reads the topic in Chinese


def test_summary_never_lists_another_buyers_order(shop):
    lily_order = shop["tb_lily88"].orders[0].order_id
    s = handoff_summary("tb_zhao_lei", shop["tb_zhao_lei"], [], "complain", 2, [lily_order])
    assert s["orders"] == [] and lily_order not in s["text"]


def test_anonymous_visitor_summary(shop):
    s = handoff_summary(None, None, [user("？？", "nlu_fallback")], "fallback", 0, [])
    assert "未登录访客" in s["text"] and "没能理解" in s["text"] and s["last_messages"] == ["？？"]


def test_only_the_last_five_messages_are_kept(shop):
    events = [user(f"消息{i}", "out_of_scope") for i in range(8)]
    assert handoff_summary("tb_zhao_lei", None, events, "complain", 2, [])["last_messages"] == \
        [f"消息{i}" for i in range(3, 8)]


def test_after_an_angry_exchange_the_summary_lists_the_order_and_the_question_in_words(shop):
    zs = shop["tb_zhang_san"]
    coat = next(o for o in zs.orders if o.item == "加厚羽绒服 大码")
    answered = {"event": "bot", "text": "抱歉……", "data": {"custom": {
        "rule_ids": ["frozen_credit_card_refund"], "intent": "ask_refund_not_received"}}}
    events = [user("你们这什么破店 羽绒服的钱还没到", "complain"), answered,
              {"event": "slot", "name": "order_id", "value": coat.order_id},
              {"event": "slot", "name": "order_id", "value": None},
              user("😡😡😡", "nlu_fallback"), bot("抱歉"),
              user('/inform_order_id{"order_id": "%s"}' % coat.order_id, "inform_order_id"),
              user('/thank{"feedback": "down"}', "thank"), user("骗子", "complain")]
    s = handoff_summary("tb_zhang_san", zs, events, "complain", 2, [])
    assert [o["item"] for o in s["orders"]] == ["加厚羽绒服 大码"]
    assert [q["intent"] for q in s["questions"]] == ["ask_refund_not_received"]
    assert "退款成功了钱没到账" in s["text"] and "加厚羽绒服 大码" in s["text"]
    assert "点选了订单「加厚羽绒服 大码」" in s["last_messages"] and "点了“👎 没解决”" in s["last_messages"]
    assert "/inform_order_id" not in s["text"] and "/thank" not in s["text"] and "{" not in s["text"]


def test_a_question_beyond_the_rules_is_listed_as_such(shop):
    events = [user("羽绒服能开发票吗", "out_of_scope"),
              {"event": "bot", "text": "发票……", "data": {"custom": {"rule_ids": [], "intent": "out_of_scope"}}},
              user("转人工", "request_human")]
    s = handoff_summary("tb_zhang_san", shop["tb_zhang_san"], events, "request_human", 0, [])
    assert s["questions"][0]["text"] == "羽绒服能开发票吗" and "退款规则以外的问题" in s["text"]
