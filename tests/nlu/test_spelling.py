"""Spelling clean-up in the normaliser: typos, homophones, repeated characters."""
from __future__ import annotations

import pytest

from bot.nlu.normalise import normalise_text
from bot.nlu.spelling import TYPOS, clean_spelling, fold_repeats


@pytest.mark.parametrize(
    "typed, understood",
    [
        ("退款审合要多久", "退款审核要多久"),
        ("退款審合要多久", "退款审核要多久"),  # traditional, then the typo
        ("快第到哪了", "快递到哪了"),
        ("转人公", "转人工"),
        ("已经发火了还能退欵吗", "已经发货了还能退款吗"),
        ("余额怎么体现", "余额怎么提现"),
    ],
)
def test_common_typos_are_read_as_the_intended_word(typed, understood):
    assert normalise_text(typed) == understood


def test_angry_fahuo_is_not_turned_into_shipping():
    # 发火 = "lose one's temper"; only 已/没/未 + 发火 is a typo for 发货
    assert normalise_text("再不处理我要发火了") == "再不处理我要发火了"


def test_every_typo_fix_keeps_the_length():
    assert all(len(wrong) == len(right) for wrong, right in TYPOS.items())


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("快点啊啊啊啊啊", "快点啊啊   "),
        ("退款退款退款退款", "退款退款    "),
        ("在吗？？？？", "在吗??  "),
        ("好的好的", "好的好的"),  # said twice: kept
    ],
)
def test_repeats_fold_to_two_copies_with_spaces(typed, folded):
    assert normalise_text(typed) == folded


def test_order_numbers_amounts_and_letters_are_never_folded():
    for text in ("订单号1111111111111111111", "退了三三三元", "AAAA型号", "尾号0000的"):
        assert fold_repeats(text) == text


def test_spelling_can_be_switched_off():
    assert normalise_text("快第啊啊啊", spelling=False) == "快第啊啊啊"
    assert clean_spelling("快第啊啊啊") == "快递啊啊 "


@pytest.mark.parametrize(
    "typed, understood",
    [
        # JD chat emoji codes and the corpora's masks carry no question
        ("好的，回头见#E-s12", "好的,回头见      "),
        ("咨询订单号：<num> 商品ID：<num> 还没发货", "咨询订单号:      商品ID:      还没发货"),
        # a pasted item link: its digits must not look like an order number
        ("https://item.taobao.com/item.htm?id=651234567890 没收到",
         " " * 48 + " 没收到"),
        # other shops' words read as Taobao's
        ("京东白条的退款退到哪", "淘宝花呗的退款退到哪"),
        ("天猫的订单能用京豆吗", "淘宝的订单能用积分吗"),
        ("蟹蟹亲", "谢谢亲"),
    ],
)
def test_real_chat_noise_and_other_shops_words(typed, understood):
    assert normalise_text(typed) == understood
    assert len(normalise_text(typed)) == len(typed)
