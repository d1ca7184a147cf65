"""Property tests: the normaliser and the entity extractor never raise."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.nlu.normalise import normalise_text

# random unicode (incl. controls, format chars, emoji) mixed with digit runs and
# the domain's words, so the interesting paths are actually reached
pieces = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=20),
    st.text(alphabet="0123456789０１２３", min_size=1, max_size=25),
    st.sampled_from(["订单号", "訂單號", "¥", "￥", "元", "块", "天", "个", "工作日", "招商銀行",
                     "花唄", "支付宝余额", "😀", "👍🏻", "\x00", "\u200b", "\u3000", " ", "\n",
                     "五十", "两个", "星期", "．", "."]),
)
texts = st.lists(pieces, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normaliser_never_raises_and_keeps_length(text):
    out = normalise_text(text)
    assert len(out) == len(text)
    assert normalise_text(out) == out  # idempotent: normalising twice changes nothing more


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts)
def test_entity_offsets_always_slice_the_text(engine, text):
    for entity in engine.extract(text):
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        span = text[entity["start"]:entity["end"]]
        assert span and span == span.strip() or entity["entity"] == "amount"
        if entity["entity"] == "order_id":
            assert re.fullmatch(r"[0-9]{15,20}", entity["value"])
            assert normalise_text(span) == entity["value"]
