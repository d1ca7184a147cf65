"""Replies to what a message is beyond its intent (issue #19, actions/dialogue/asides.py):
a detail about the order in focus, a question outside the rules, anger, emoji, 我明明买了."""
from __future__ import annotations

import re

import pytest

from actions.dialogue.asides import ANGER, BEYOND, DETAIL, EMOJI, NO_ORDERS_FOUND, aside_for, gives_way_to_questions
from actions.dialogue.message_words import detail_kind, with_beside_line
from actions.rules.knowledge import load_knowledge
from shared.clock import bot_now
from tests.support.demo_shop import demo_buyers

DATE = re.compile(r"\d{1,2}月\d{1,2}日")


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    return demo_buyers(tmp_path_factory.mktemp("shop") / "orders.db")


def _order(buyer, item):
    return next(o for o in buyer.orders if item in o.item)


def _aside(shop, buyer_id, text, focus_item=None, intent="nlu_fallback", question=None, complaints=0):
    buyer = shop[buyer_id]
    focus = _order(buyer, focus_item).order_id if focus_item else None
    return aside_for(text, intent, buyer, focus, question, bot_now(), complaints=complaints)


def test_when_the_card_refund_arrives_is_the_window_in_one_sentence(shop):
    aside = _aside(shop, "tb_zhang_san", "明天能到吗", "羽绒服", question="ask_refund_not_received")
    assert aside.kind == DETAIL and aside.order.item == "加厚羽绒服 大码"
    assert "招商银行信用卡" in aside.text and "工作日" in aside.text and DATE.search(aside.text)
    assert "刚才说的一样" not in aside.text and len(aside.text) < 150


def test_the_return_deadline_is_the_buyers_date(shop):
    aside = _aside(shop, "tb_zhang_san", "幾號之前必須寄回去", "登山鞋")
    assert aside.kind == DETAIL and "登山鞋" in aside.text and DATE.search(aside.text)
    assert "退货单号" in aside.text and aside.rule_ids == ("return_fill_tracking_7d",)


def test_where_the_tracking_number_goes(shop):
    aside = _aside(shop, "tb_zhang_san", "寄完单号填在哪里", "登山鞋")
    assert "退款详情" in aside.text and "退货单号" in aside.text


def test_what_evidence_to_upload_lists_the_rules_evidence(shop):
    aside = _aside(shop, "tb_zhao_lei", "要上传什么证据", "毛毯")
    for item in load_knowledge().param("intervention_upload_evidence", "evidence"):
        assert item in aside.text
    assert "珊瑚绒毛毯" in aside.text and "记忆棉枕头" not in aside.text


def test_the_sellers_deadline(shop):
    aside = _aside(shop, "tb_lily88", "卖家最晚哪天要处理", "连体衣")
    assert "卖家" in aside.text and DATE.search(aside.text) and "婴儿连体衣" in aside.text


def test_a_detail_with_no_order_in_focus_is_about_the_only_order_it_fits(shop):
    aside = _aside(shop, "tb_zhang_san", "几号之前必须寄")  # one return under way: the 登山鞋
    assert aside.kind == DETAIL and "登山鞋" in aside.text and DATE.search(aside.text)


def test_a_detail_several_orders_fit_is_left_to_the_which_order_question(shop):
    from actions.dialogue.asides import detail_fits

    assert _aside(shop, "tb_zhang_san", "钱什么时候能到") is None  # 羽绒服 and 登山鞋
    assert len(detail_fits("arrival", shop["tb_zhang_san"], bot_now())) == 2


def test_while_the_bot_asks_which_order_a_detail_about_a_named_order_is_answered(shop):
    buyer = shop["tb_zhang_san"]
    aside = aside_for("登山鞋最晚几号之前要寄", "nlu_fallback", buyer, None, "ask_refund_not_received", bot_now(),
                      listing=True)
    assert aside.kind == DETAIL and "登山鞋" in aside.text and DATE.search(aside.text)
    assert aside_for("最晚几号之前要寄", "nlu_fallback", buyer, None, None, bot_now(), listing=True) is None
    assert aside_for("登山鞋", "inform_order_id", buyer, None, None, bot_now(), listing=True) is None


@pytest.mark.parametrize("buyer_id, item, text, words", [
    ("tb_lily88", "口水巾", "钱多久能回来", ["还没有申请退款", "极速退款", "支付宝余额"]),
    ("tb_lily88", "口水巾", "多久能退回餘額", ["还没有申请退款", "支付宝余额"]),
    ("tb_chen_wei", "耳机", "那我现在申请的话 钱退到哪", ["还没有申请退款", "招商银行"]),
    ("tb_lily88", "保温杯", "花呗的钱退到哪里", ["花呗"]),
])
def test_when_and_where_money_goes_before_a_refund_is_asked(shop, buyer_id, item, text, words):
    aside = _aside(shop, buyer_id, text, item)
    assert aside.kind == DETAIL and item in aside.text, aside
    for word in words:
        assert word in aside.text, aside.text


@pytest.mark.parametrize("text, word", [
    ("羽绒服能开发票吗 公司报销要用", "发票"), ("保溫杯的發票怎麼開啊", "发票"), ("能退差价吗", "差价"),
    ("有没有价保啊", "价保"), ("耳机能换一个颜色吗", "换"), ("床垫保修多久啊 坏了找谁", "保修"),
    ("退貨的運費險怎麼理賠", "运费险"),
])
def test_questions_outside_the_rules_get_an_honest_line_and_a_person(shop, text, word):
    aside = _aside(shop, "tb_zhang_san", text)
    assert aside.kind == BEYOND and word in aside.text and aside.person_button and "😊" not in aside.text
    assert not gives_way_to_questions(aside)  # said on its own, not beside refund answers


def test_anger_with_a_question_gets_apology_facts_and_a_person(shop):
    aside = _aside(shop, "tb_zhang_san", "你们这什么破店 羽绒服退了三天了钱还没到…别跟我说什么2-3个工作日",
                   intent="complain")
    assert aside.kind == ANGER and aside.person_button
    for part in ("抱歉", "加厚羽绒服", "599.00", "招商银行"):
        assert part in aside.text
    assert DATE.search(aside.text) and "😊" not in aside.text


def test_a_second_complaint_without_a_question_is_left_to_the_hand_off(shop):
    assert _aside(shop, "tb_zhang_san", "你们就是骗子", "羽绒服", intent="complain", complaints=1) is None
    assert _aside(shop, "tb_zhang_san", "我要投诉", "羽绒服", intent="complain") is None


@pytest.mark.parametrize("text, person", [("😡😡😡", True), ("😭😭😭", True), ("👍👍", False), ("🙄🙄", False)])
def test_emoji_only_messages_get_a_reply_without_a_smile(shop, text, person):
    aside = _aside(shop, "tb_lily88", text)
    assert aside.kind == EMOJI and "😊" not in aside.text and aside.person_button == person


def test_a_buyer_with_no_orders_who_bought_something_is_told_what_to_check(shop):
    aside = _aside(shop, "tb_new_buyer", "我明明有買東西 退款呢？？怎麼查不到")
    assert aside.kind == NO_ORDERS_FOUND and "账号" in aside.text and "没有找到" in aside.text


def test_new_questions_within_the_topic(shop):
    other_bank = _aside(shop, "tb_zhang_san", "那要是中行的信用卡呢 要几天", "羽绒服",
                        question="ask_refund_not_received")
    assert "中国银行" in other_bank.text and "5–10个工作日" in other_bank.text
    huabei = _aside(shop, "tb_lily88", "我付的花呗 如果退了花呗怎么算", "保温杯")
    assert "花呗" in huabei.text
    withdraw = _aside(shop, "tb_wang_fang", "我要提现到别人的卡行不行")
    assert "本人" in withdraw.text


def test_every_fixed_sentence_is_simplified_chinese_without_placeholders():
    from actions.dialogue import asides
    from tests.test_reply_language import problems

    sentences = [value for name, value in vars(asides).items() if name.isupper() and isinstance(value, str)
                 and re.search("[\u4e00-\u9fff]", value)]
    sentences += [entry["reply"] for entry in asides.words_table()["beyond"].values()]
    sentences += [entry["reply"] for entry in asides.words_table()["beside_answer"].values()]
    assert len(sentences) >= 10
    for sentence in sentences:
        assert problems(sentence) == [], sentence
        assert "😊" not in sentence


def test_where_a_refund_went_names_its_amount_and_day(shop):
    aside = _aside(shop, "tb_zhang_san", "台灯那笔退的钱退到哪去了", "羽绒服")
    assert aside.kind == DETAIL and "户外折叠台灯" in aside.text and "退款成功" in aside.text
    assert "支付宝余额" in aside.text and DATE.search(aside.text)


@pytest.mark.parametrize("text, kind", [
    ("钱退到哪里", "destination"), ("退到哪去了", "destination"), ("花唄的錢怎麼退回來", "destination"),
    ("钱退到哪一步了", None), ("退款到哪一步了", None),  # how far the refund has got: the progress question
])
def test_where_the_money_goes_is_not_how_far_the_refund_has_got(text, kind):
    from actions.dialogue.message_words import detail_kind

    assert detail_kind(text) == kind


def test_a_detail_from_a_buyer_with_no_orders_says_none_was_found(shop):
    from actions.rules.facts import BuyerFacts

    nobody = BuyerFacts(buyer_id="tb_nobody", real_name_verified=True, orders=(), frozen_funds=())
    aside = aside_for("亲 单号填哪", "nlu_fallback", nobody, None, None, bot_now())
    assert aside.kind == NO_ORDERS_FOUND and "没有找到订单" in aside.text and aside.person_button


def test_where_the_money_of_a_refused_refund_goes_says_it_was_refused(shop):
    aside = _aside(shop, "tb_zhao_lei", "那钱退到哪", "枕头")
    assert "卖家拒绝" in aside.text and "129.00" in aside.text and "花呗" in aside.text


def test_an_unpaid_order_has_no_refund_to_come_back(shop):
    from actions.rules.details import detail_answer

    unpaid = next(o for b in shop.values() for o in b.orders if o.status == "waiting_payment")
    assert detail_answer("arrival", unpaid, bot_now()) is None
    assert detail_answer("destination", unpaid, bot_now()) is None


@pytest.mark.parametrize("text", ["我想直接拒收", "能拒簽嗎"])
def test_refusing_a_parcel_asked_alone_gets_the_honest_line_and_a_person(shop, text):
    aside = _aside(shop, "tb_chen_wei", text, intent="complain")
    assert aside.kind == BEYOND and "拒收" in aside.text and aside.person_button
    assert gives_way_to_questions(aside)  # refund questions beside it are still answered


def test_refusing_a_parcel_inside_a_refund_question_leaves_the_question_to_be_answered(shop):
    assert _aside(shop, "tb_chen_wei", "快递还在路上 我想拒收", intent="ask_refund_after_shipping") is None
    text, added = with_beside_line("亲，您好，卖家已发货。", "快递还在路上 我想拒收")
    assert added and text.startswith("亲，您好，卖家已发货。") and "另外，直接拒收" in text and "转人工" in text
    assert with_beside_line("亲，您好。", "钱什么时候到") == ("亲，您好。", False)


@pytest.mark.parametrize("text", ["那退的錢會到哪裡", "四件套那单退的钱到哪张卡 工行的吗", "钱会到哪儿"])
def test_where_the_money_will_go_in_other_words_is_the_destination(text):
    assert detail_kind(text) == "destination"


def test_a_sad_emoji_right_after_an_answer_is_about_that_order(shop):
    from tests.test_reply_language import problems

    aside = _aside(shop, "tb_zhang_san", "😭😭😭", focus_item="登山鞋")
    assert aside.kind == EMOJI and "登山鞋" in aside.text and "抱歉" in aside.text and aside.person_button
    assert "哪笔订单" not in aside.text and "😊" not in aside.text and problems(aside.text) == []


def test_why_is_the_card_so_slow_right_after_an_answer_is_answered_about_that_order(shop):
    aside = _aside(shop, "tb_zhang_san", "为啥信用卡这么慢", focus_item="羽绒服", intent="complain")
    assert aside.kind == ANGER and "加厚羽绒服" in aside.text and "工作日" in aside.text and aside.person_button
