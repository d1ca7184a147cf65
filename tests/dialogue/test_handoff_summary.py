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
