from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.normalise import (
    ORIGINAL_TEXT_KEY,
    RestoreOriginalText,
    TraditionalToSimplified,
    normalise_text,
)


@pytest.mark.parametrize(
    "traditional, simplified",
    [
        ("已發貨的能退款麼", "已发货的能退款么"),
        ("退貨退款", "退货退款"),
        ("支付寶餘額被凍結了", "支付宝余额被冻结了"),
        ("確認收貨後還能申請售後嗎", "确认收货后还能申请售后吗"),
        ("轉人工客服", "转人工客服"),
    ],
)
def test_traditional_to_simplified(traditional, simplified):
    assert normalise_text(traditional) == simplified


def test_simplified_is_unchanged():
    text = "已经发货了还能退款吗"
    assert normalise_text(text) == text


def test_full_width_digits_letters_and_currency():
    assert normalise_text("订单号３２８６４５１９０１２３４５６７８９０") == "订单号3286451901234567890"
    assert normalise_text("ＡＢＣ　ｘｙｚ") == "ABC xyz"
    assert normalise_text("￥５９.９") == "¥59.9"


def test_control_characters_become_spaces():
    text = "退款\x00\x07吗\u200b？\x1f"
    out = normalise_text(text)
    assert len(out) == len(text)
    assert out == "退款  吗 ? "
    assert all(ch.isprintable() for ch in out)


def test_empty_and_none():
    assert normalise_text("") == ""
    assert normalise_text(None) is None


def test_emoji_only():
    text = "😀😭🙏👍🏻"
    assert normalise_text(text) == text


def test_ten_thousand_chars():
    text = ("已發貨的能退款麼？訂單號３２８６４５１９０１２３４５６７８９０😭\x01" * 400)[:10000]
    out = normalise_text(text)
    assert len(out) == 10000
    assert "已发货" in out and "3286451901234567890" in out


def test_length_preserved_on_tricky_phrases():
    # OpenCC phrase tables; the normaliser must never change the length
    for text in ["乾隆皇帝", "頭髮", "著作", "瞭解", "於是", "後天", "一隻", "裡面", "麵包", "憂鬱"]:
        assert len(normalise_text(text)) == len(text)


def test_component_keeps_original_and_restore_puts_it_back():
    message = Message(data={"text": "已發貨的能退款麼"})
    TraditionalToSimplified().process([message])
    assert message.get("text") == "已发货的能退款么"
    assert message.get(ORIGINAL_TEXT_KEY) == "已發貨的能退款麼"
    RestoreOriginalText().process([message])
    assert message.get("text") == "已發貨的能退款麼"


def test_training_data_is_normalised():
    data = TrainingData([Message(data={"text": "退貨運費誰出", "intent": "ask_return_shipping_fee"})])
    TraditionalToSimplified().process_training_data(data)
    example = data.training_examples[0]
    assert example.get("text") == "退货运费谁出"
    assert example.get("intent") == "ask_return_shipping_fee"
