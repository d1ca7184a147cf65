"""A follow-up about the same order never gets the same paragraph twice (actions/dialogue/repeats.py)."""
from __future__ import annotations

import pytest

from actions.dialogue.repeats import key_facts, without_repeat
from actions.rules.answers import answer_for
from shared.clock import bot_now
from tests.support.demo_shop import demo_buyers


@pytest.fixture(scope="module")
def zhao_lei(tmp_path_factory):
    buyer = demo_buyers(tmp_path_factory.mktemp("shop") / "orders.db")["tb_zhao_lei"]
    blanket = next(o for o in buyer.orders if o.item == "珊瑚绒毛毯")
    now = bot_now()
    specific = answer_for("ask_platform_intervention", buyer, blanket, now)
    general = answer_for("ask_platform_intervention", buyer, None, now)
    return blanket, specific, general


def test_a_first_answer_is_said_as_it_is(zhao_lei):
    blanket, specific, general = zhao_lei
    assert without_repeat(specific, general, ["亲，您好～"], blanket.item) == specific


def test_asked_again_the_bot_says_nothing_changed_keeps_the_dates_and_adds_the_general_rule(zhao_lei):
    blanket, specific, general = zhao_lei
    second = without_repeat(specific, general, [specific.text], blanket.item)
    assert second.text != specific.text
    assert "「珊瑚绒毛毯」这笔的情况和我刚才说的一样" in second.text
    assert key_facts(specific.text) and key_facts(specific.text) in second.text  # 11月19日 … 申请的退款
    assert "聊天记录截图" in second.text and "实物对比图片" in second.text  # what to upload
    assert set(general.rule_ids) <= set(second.rule_ids)
    assert "亲，您好，" not in second.text[2:]  # one greeting, not two


def test_asked_a_third_time_the_bot_also_offers_a_person(zhao_lei):
    blanket, specific, general = zhao_lei
    second = without_repeat(specific, general, [specific.text], blanket.item)
    third = without_repeat(specific, general, [specific.text, second.text], blanket.item)
    assert third.text not in (specific.text, second.text)
    assert "转人工" in third.text and "聊天记录截图" in third.text
    assert "转人工" not in second.text


def test_a_general_answer_asked_again_points_up_instead_of_repeating(zhao_lei):
    _, _, general = zhao_lei
    again = without_repeat(general, general, [general.text], None)
    assert again.text != general.text and "刚才说的一样" in again.text and "转人工" in again.text
    assert len(again.text) < len(general.text) / 2


def test_a_quoted_first_sentence_does_not_greet_twice():
    from actions.rules.wording import Answer

    first = Answer("亲，您好，您的蓝牙耳机已于 11月26日 20:59 发货，也可以申请退款哦。请先和卖家协商。", ("x",))
    general = Answer("亲，您好，已发货的订单也可以退款哦。", ("y",))
    again = without_repeat(first, general, [first.text], "蓝牙耳机")
    assert again.text.count("亲，") == 1 and "11月26日 20:59 发货" in again.text


def test_the_same_facts_under_another_opening_count_as_a_repeat(zhao_lei):
    blanket, specific, general = zhao_lei
    reworded = specific.text.replace("退款情况如下", "退款进度如下")
    assert reworded != specific.text
    from actions.rules.wording import Answer

    again = without_repeat(Answer(reworded, specific.rule_ids), general, [specific.text], blanket.item)
    assert "和我刚才说的一样" in again.text


def test_a_general_rule_beside_the_point_is_not_added():
    from actions.rules.wording import Answer

    paid = Answer("亲，您好，我帮您查了一下。退款已于 11月27日 20:59 退款成功。这家银行需要2–3个工作日，节假日顺延。"
                  "预计在 12月1日 至 12月2日 到账。", ("refund_credit_card",))
    progress_rules = Answer("亲，您好，退款进度可以在订单的退款详情里查看。", ("refund_not_agreed_checks",))
    again = without_repeat(paid, progress_rules, [paid.text], "羽绒服")
    assert "退款详情" not in again.text
    assert "2–3个工作日" in again.text and "12月1日 至 12月2日" in again.text
    third = without_repeat(paid, progress_rules, [paid.text, again.text], "羽绒服")
    assert third.text.startswith(again.text) and "转人工" in third.text
