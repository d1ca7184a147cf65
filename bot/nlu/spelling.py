"""Length-preserving spelling clean-up for buyers' messages (after t2s).

Three steps, all one code point in, one code point out, so token and entity
offsets computed on the cleaned text stay valid offsets into the original text
(see bot/nlu/normalise.py):

* ``fix_typos``: common typos / homophones seen in shop chat, each replaced by
  a correct spelling *of the same length* (审合 -> 审核, 快第 -> 快递, 退欵 -> 退款).
  Only pairs that are unambiguous in a refund chat are listed; 发火 is fixed
  only after 已/没/未 (我要发火了 is a complaint, not a shipped parcel).
* ``blank_noise``: JD emoji codes (#E-s3), links and the masks <num> / <url>
  become spaces; ``PLATFORM_SYNONYMS`` read 京东/天猫 as 淘宝, 白条 as 花呗.
* ``fold_repeats``: a character repeated three or more times (啊啊啊啊, ？？？？,
  快快快快) keeps two copies, the rest become spaces, which the tokenizer drops;
  so does a 2-4 character word said three or more times in a row
  (退款退款退款 -> 退款退款 + spaces). Digits and ASCII letters are never
  folded: order numbers such as 1111 must stay intact.
"""
from __future__ import annotations

import hashlib
import re
from typing import Dict

# wrong -> right, equal length; simplified spelling (runs after OpenCC t2s)
TYPOS: Dict[str, str] = {
    "审合": "审核",
    "审和": "审核",
    "退欵": "退款",
    "退宽": "退款",
    "退歀": "退款",
    "快第": "快递",
    "快地到": "快递到",
    "物留": "物流",
    "淘保": "淘宝",
    "转人公": "转人工",
    "找人公": "找人工",
    "到帐": "到账",
    "运废": "运费",
    "邮废": "邮费",
    "冻洁": "冻结",
    "余额体现": "余额提现",
    "怎么体现": "怎么提现",
    "体现到": "提现到",
    "实明": "实名",
    "认正": "认证",
    "投述": "投诉",
    "问提": "问题",
    "确认收获": "确认收货",
    "已经发火": "已经发货",
    "还没发火": "还没发货",
    "已发火": "已发货",
    "没发火": "没发货",
    "未发火": "未发货",
    "退活": "退货",
    "发活": "发货",
    "鸡器人": "机器人",
    "申情": "申请",
    "申清": "申请",
    "进渡": "进度",
    "拦结": "拦截",
    "蟹蟹": "谢谢",
    "谢鞋": "谢谢",
    "大账": "到账",
    "伸请": "申请",
    "够买": "购买",
}

# Other shops' words for the same thing (JD.com chats are most of the public
# real-buyer corpora): read as the Taobao word, equal length like TYPOS.
PLATFORM_SYNONYMS: Dict[str, str] = {
    "京东": "淘宝",
    "天猫": "淘宝",
    "白条": "花呗",
    "京豆": "积分",
    "京券": "红包",
}

_REPLACEMENTS = {**TYPOS, **PLATFORM_SYNONYMS}
_TYPO_RE = re.compile("|".join(sorted(map(re.escape, _REPLACEMENTS), key=len, reverse=True)))

# Noise that carries no question: JD chat emoji codes (#E-s3, #E-b12), links
# and the corpora's anonymisation masks (<num>, <url>). Blanked with spaces
# (the tokenizer drops them), so offsets stay valid.
_NOISE_RE = re.compile(r"#E-[a-z]\d{1,3}|https?://[!-~]+|www\.[!-~]+|<(?:num|url)>", re.I)

# not folded: digits / ASCII letters (order numbers, model names), Chinese
# numerals (amounts) and spaces
_FOLDABLE = r"[^\sA-Za-z0-9零一二两三四五六七八九十百千万]"
_REPEATED_CHAR = re.compile(rf"({_FOLDABLE})\1{{2,}}")
_REPEATED_WORD = re.compile(r"([\u3400-\u9fff]{2,4})\1{2,}")


def fix_typos(text: str) -> str:
    return _TYPO_RE.sub(lambda m: _REPLACEMENTS[m.group(0)], text)


def blank_noise(text: str) -> str:
    return _NOISE_RE.sub(lambda m: " " * len(m.group(0)), text)


def _keep_two(match: "re.Match[str]") -> str:
    unit = match.group(1)
    run = match.group(0)
    return unit * 2 + " " * (len(run) - 2 * len(unit))


def fold_repeats(text: str) -> str:
    text = _REPEATED_WORD.sub(_keep_two, text)
    return _REPEATED_CHAR.sub(_keep_two, text)


def clean_spelling(text: str) -> str:
    """Noise blanked, typos fixed (a fixed word may then be folded), then repeats."""
    return fold_repeats(fix_typos(blank_noise(text)))


def spelling_fingerprint() -> str:
    """Hash of the tables above (Rasa's training fingerprint, bot/nlu/normalise.py)."""
    parts = sorted(_REPLACEMENTS.items()) + [
        _NOISE_RE.pattern, _REPEATED_CHAR.pattern, _REPEATED_WORD.pattern]
    return hashlib.md5(repr(parts).encode("utf-8")).hexdigest()
