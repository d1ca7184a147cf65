from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.entities import SpacyEntityRuler, amount_value, chinese_to_number


def ents(engine, text):
    found = engine.extract(text)
    for e in found:
        assert e["extractor"] == "SpacyEntityRuler"
        assert 0 <= e["start"] < e["end"] <= len(text)
    return [(e["entity"], text[e["start"]:e["end"]], e["value"]) for e in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        # order_id
        ("订单号3286451901234567890怎么还没发货", ("order_id", "3286451901234567890", "3286451901234567890")),
        ("訂單號3286451901234567890怎麼還沒發貨", ("order_id", "3286451901234567890", "3286451901234567890")),
        ("单号:328645190123456", ("order_id", "328645190123456", "328645190123456")),
        ("No32864519012345678901234"[:22], ("order_id", "32864519012345678901", "32864519012345678901")),
        ("订单号３２８６４５１９０１２３４５６７８９０",
         ("order_id", "３２８６４５１９０１２３４５６７８９０", "3286451901234567890")),
        # amount
        ("¥129退了吗", ("amount", "¥129", "129.00")),
        ("129元什么时候到账", ("amount", "129元", "129.00")),
        ("129.00元什么时候到账", ("amount", "129.00元", "129.00")),
        ("退了200块", ("amount", "200块", "200.00")),
        ("￥59.9", ("amount", "￥59.9", "59.90")),
        ("退了五十元", ("amount", "五十元", "50.00")),
        ("退款一百二十九元", ("amount", "一百二十九元", "129.00")),
        ("退了兩千塊", ("amount", "兩千塊", "2000.00")),
        # bank
        ("退到招商银行卡", ("bank", "招商银行", "招商银行")),
        ("退到中国银行卡里要多久", ("bank", "中国银行", "中国银行")),
        ("退到中國銀行卡裡", ("bank", "中國銀行", "中国银行")),
        ("工行卡能收到吗", ("bank", "工行", "工商银行")),
        ("我是建行的卡", ("bank", "建行", "建设银行")),
        ("邮政储蓄银行", ("bank", "邮政储蓄银行", "邮政储蓄银行")),
        # payment_method
        ("我用花呗付的", ("payment_method", "花呗", "花呗")),
        ("用花唄付的", ("payment_method", "花唄", "花呗")),
        ("退到支付宝余额了吗", ("payment_method", "支付宝余额", "支付宝余额")),
        ("用支付寶餘額付的", ("payment_method", "支付寶餘額", "支付宝余额")),
        ("信用卡付款的", ("payment_method", "信用卡", "信用卡")),
        ("借记卡", ("payment_method", "借记卡", "借记卡")),
        # duration
        ("等了三天了", ("duration", "三天", "三天")),
        ("3天了还没退", ("duration", "3天", "3天")),
        ("一周了", ("duration", "一周", "一周")),
        ("一週了", ("duration", "一週", "一周")),
        ("两个星期了", ("duration", "两个星期", "两个星期")),
        ("5个工作日到账吗", ("duration", "5个工作日", "5个工作日")),
        ("半个月了", ("duration", "半个月", "半个月")),
        ("24小时内", ("duration", "24小时", "24小时")),
        ("十天了", ("duration", "十天", "十天")),
        ("已經十五天了", ("duration", "十五天", "十五天")),
    ],
)
def test_each_entity_type(engine, text, expected):
    assert expected in ents(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "12345678901234",  # 14 digits
        "订单号12345678901234怎么",
        "123456789012345678901",  # 21 digits
        "订单号123456789012345678901怎么",
        "电话13800138000",
    ],
)
def test_no_order_id_outside_15_to_20_digits(engine, text):
    assert not [e for e in ents(engine, text) if e[0] == "order_id"]


def test_vague_or_date_expressions_are_not_entities(engine):
    assert ents(engine, "好几天了") == []
    assert ents(engine, "11月5日发货") == []
    assert ents(engine, "我们一块去") == []


def test_several_entities_and_offsets(engine):
    text = "訂單號3286451901234567890退了129元到招商銀行信用卡，等了三天了"
    found = ents(engine, text)
    assert [e[0] for e in found] == ["order_id", "amount", "bank", "payment_method", "duration"]
    assert found[2] == ("bank", "招商銀行", "招商银行")


def test_empty_and_emoji(engine):
    assert ents(engine, "") == []
    assert ents(engine, "😀😭🙏") == []


def test_chinese_numbers():
    assert chinese_to_number("五十") == 50
    assert chinese_to_number("一百二十九") == 129
    assert chinese_to_number("两千") == 2000
    assert chinese_to_number("十") == 10
    assert chinese_to_number("三万五千") == 35000
    assert amount_value("¥1,2") == "1.00"


def test_rasa_component_process_appends_entities(engine):
    component = SpacyEntityRuler({}, None, None, engine)
    message = Message(data={"text": "订单号3286451901234567890", "entities": []})
    component.process([message])
    entity = message.get("entities")[0]
    assert entity["entity"] == "order_id" and entity["extractor"] == "SpacyEntityRuler"
    assert "entities" in message.as_dict(only_output_properties=True)
