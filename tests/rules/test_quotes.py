"""Every knowledge quote stands in its seed as written; cuts are marked "……".

The seeds are partly traditional, with conversion garbage (發(fā)貨), ASCII
punctuation and "---" arrows. A quote is compared with its seed after the
same normalisation on both sides: pinyin garbage dropped, OpenCC t2s, one
form for each punctuation mark, whitespace ignored. Nothing else is
forgiven: a typo in the seed (己经, a doubled bracket) stays in the quote.
"""
import re

import pytest
from opencc import OpenCC

from actions.rules.knowledge import load_knowledge
from tests.support.seeds import require_seeds

CUT = "……"
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]+\)")
_PUNCT = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）",
                        "-": "—", "–": "—", "－": "—"})
# t2s leaves 著 as is (it is also a simplified character); in these seeds 著急 is 着急.
_VARIANTS = str.maketrans({"著": "着"})
_t2s = OpenCC("t2s")


def comparable(text: str) -> str:
    text = _t2s.convert(_PINYIN.sub("", text)).translate(_PUNCT).translate(_VARIANTS)
    return re.sub(r"—+", "—", re.sub(r"\s+", "", text))


def quote_problems(quote: str, seed_text: str) -> list:
    """Pieces of the quote (split at the cut mark) not found, in order, in the seed."""
    seed = comparable(seed_text)
    problems, at = [], 0
    pieces = quote.split(CUT)
    for i, piece in enumerate(pieces):
        if not piece.strip():
            if 0 < i < len(pieces) - 1:
                problems.append("two cut marks in a row")
            continue
        found = seed.find(comparable(piece), at)
        if found < 0:
            problems.append(piece)
        else:
            at = found + len(comparable(piece))
    return problems


def test_the_comparison_sees_the_seed_through_its_garbage():
    assert comparable("打款給賣家))---五星好評") == "打款给卖家））—五星好评"
    assert comparable("發(fā)貨, 已發(fā)貨") == "发货，已发货"


def test_an_unmarked_cut_and_an_edited_character_are_caught():
    seed = "如果在交易成功後的15天內未得到解決(如退款還未收到),請您及時進入"
    assert quote_problems("如果在交易成功后的15天内未得到解决（如退款还未收到），请您及时进入", seed) == []
    assert quote_problems("如果在交易成功后的15天内未得到解决……请您及时进入", seed) == []
    assert quote_problems("如果在交易成功后的15天内未得到解决，请您及时进入", seed) != []
    assert quote_problems("交易已经成功", "交易己經成功") != []
    # pieces must come in the seed's order
    assert quote_problems("请您及时进入……如果在交易成功后", seed) != []


@pytest.mark.parametrize("rule", load_knowledge().rules.values(), ids=lambda r: r.id)
def test_every_quote_stands_in_its_seed(rule):
    seed_text = (require_seeds() / rule.seed).read_text(encoding="utf-8")
    assert quote_problems(rule.quote, seed_text) == [], f"{rule.id}: not in {rule.seed} as written"
