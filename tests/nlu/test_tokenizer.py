from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalise import normalise_text
from bot.nlu.tokenizer import RefundJiebaTokenizer, dictionary_fingerprint, split_digit_runs

DOMAIN_WORDS = [
    "申请售后", "退货退款", "仅退款", "极速退款", "七天无理由", "确认收货", "实名认证",
    "到账", "到帐", "小二介入", "客服介入", "支付宝余额", "花呗", "平邮", "交易关闭",
    "交易成功", "退款成功", "退货单号", "运费险", "包邮", "维权", "冻结", "提现",
    "中国银行", "招商银行",
]


def tokens(tokenizer, text):
    message = Message(data={"text": text})
    return [t.text for t in tokenizer.tokenize(message, "text")]


@pytest.mark.parametrize("word", DOMAIN_WORDS)
def test_domain_words_stay_whole(tokenizer, word):
    assert word in tokens(tokenizer, f"请问{word}怎么弄")


def test_in_context(tokenizer):
    assert tokens(tokenizer, "退到中国银行卡里要多久") [:3] == ["退", "到", "中国银行"]
    assert "退货退款" in tokens(tokenizer, "我要申请退货退款")
    assert "仅退款" in tokens(tokenizer, "已发货能选仅退款吗")


def test_no_whitespace_tokens(tokenizer):
    toks = tokens(tokenizer, "  亲  在吗 \t 订单号 3286451901234567890 \n 怎么  退款  ")
    assert toks and all(t.strip() for t in toks)
    assert "3286451901234567890" in toks


def test_offsets_match_text(tokenizer):
    text = "亲 订单号3286451901234567890 退了¥129 到账了吗"
    message = Message(data={"text": text})
    for token in tokenizer.tokenize(message, "text"):
        assert text[token.start:token.end] == token.text


def test_digits_split_from_letters_and_long_numbers_share_a_lemma(tokenizer):
    message = Message(data={"text": "No3286451901234567890怎么还没到"})
    toks = tokenizer.tokenize(message, "text")
    assert [t.text for t in toks][:2] == ["No", "3286451901234567890"]
    assert toks[1].lemma == "LONGNUM"
    short = tokenizer.tokenize(Message(data={"text": "退了129元"}), "text")
    assert "129" in [t.lemma for t in short]


def test_whitespace_only_message_keeps_one_token(tokenizer):
    toks = tokenizer.tokenize(Message(data={"text": "   "}), "text")
    assert len(toks) == 1


def test_traditional_after_normalisation(tokenizer):
    assert "退货退款" in tokens(tokenizer, normalise_text("我要申請退貨退款"))


def test_split_digit_runs_merges_and_splits():
    assert split_digit_runs([("ab12", 0), ("34", 4), ("元", 6)]) == [("ab", 0), ("1234", 2), ("元", 6)]
    assert split_digit_runs([("59.9", 0), ("元", 4)]) == [("59.9", 0), ("元", 4)]


def test_dictionary_fingerprint_changes_with_content(tmp_path):
    (tmp_path / "a.txt").write_text("退货退款 20000 n\n", encoding="utf-8")
    first = dictionary_fingerprint(str(tmp_path))
    assert first == dictionary_fingerprint(str(tmp_path))
    (tmp_path / "a.txt").write_text("退货退款 20000 n\n仅退款 20000 n\n", encoding="utf-8")
    second = dictionary_fingerprint(str(tmp_path))
    assert second != first
    # the Rasa fingerprint key of the tokenizer node follows the dictionary
    from rasa.engine.training.fingerprinting import calculate_fingerprint_key

    config = {"dictionary_path": str(tmp_path)}
    key2 = calculate_fingerprint_key(RefundJiebaTokenizer, config, {})
    (tmp_path / "b.txt").write_text("极速退款 20000 n\n", encoding="utf-8")
    assert calculate_fingerprint_key(RefundJiebaTokenizer, config, {}) != key2


def test_dictionary_path_must_be_a_directory(tmp_path):
    from rasa.shared.exceptions import InvalidConfigException

    from bot.nlu.tokenizer import load_user_dictionaries

    file_path = tmp_path / "dict.txt"
    file_path.write_text("退货退款 20000 n\n", encoding="utf-8")
    with pytest.raises(InvalidConfigException):
        load_user_dictionaries(str(file_path))


def test_dictionary_has_at_least_80_words():
    from pathlib import Path

    words = set()
    for path in (Path(__file__).resolve().parents[2] / "data" / "jieba").iterdir():
        words |= {line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert len(words) >= 80
    assert set(DOMAIN_WORDS) <= words


def test_unit_glued_to_next_word_is_split():
    assert split_digit_runs([("129", 0), ("元到", 3)]) == [("129", 0), ("元", 3), ("到", 4)]
    assert split_digit_runs([("到", 0), ("元到", 1)]) == [("到", 0), ("元到", 1)]


def test_the_models_copy_of_the_dictionary_does_not_change_how_words_are_cut(tmp_path):
    # The tokenizer and the entity ruler each load their own copy from the model;
    # loading the same words again used to add to jieba's total and re-cut 假人 / 不在.
    import shutil

    import jieba

    from bot.nlu.tokenizer import load_user_dictionaries

    source = Path(__file__).resolve().parents[2] / "data" / "jieba"
    load_user_dictionaries(str(source))
    before = (jieba.dt.total, list(jieba.cut("你是不是假人 人在不在")))
    for copy in ("tokenizer_copy", "entity_ruler_copy"):
        shutil.copytree(source, tmp_path / copy)
        load_user_dictionaries(str(tmp_path / copy))
    assert (jieba.dt.total, list(jieba.cut("你是不是假人 人在不在"))) == before
