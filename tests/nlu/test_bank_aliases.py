"""The NLU's bank entity knows the short and English names too."""
import pytest


@pytest.mark.parametrize("text, surface, bank", [
    ("中银信用卡退款多久到", "中银", "中国银行"),
    ("我的是BOC的卡", "BOC", "中国银行"),
    ("boc信用卡退款还没到", "boc", "中国银行"),
    ("Bank of China的卡退款", "Bank of China", "中国银行"),
    ("ＢＯＣ信用卡", "ＢＯＣ", "中国银行"),
    ("退到BOCOM卡", "BOCOM", "交通银行"),
    ("ICBC的卡", "ICBC", "工商银行"),
    ("光大的卡没收到", "光大", "光大银行"),
    ("民生信用卡退款", "民生", "民生银行"),
])
def test_bank_aliases_are_bank_entities(engine, text, surface, bank):
    found = [(e["entity"], text[e["start"]:e["end"]], e["value"]) for e in engine.extract(text)]
    assert ("bank", surface, bank) in found


@pytest.mark.parametrize("text", ["退款在途中银行卡没收到", "发扬光大", "boccc"])
def test_no_bank_where_there_is_none(engine, text):
    assert not [e for e in engine.extract(text) if e["entity"] == "bank"]
