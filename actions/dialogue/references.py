"""Which of the buyer's own orders (or frozen items) a reference points at.

Buyers answer "which order?" with 第二个 / 招商银行那个 / 尾号7910的 / 羽绒服那个 /
被拒绝的那个 / 599那个 / 最贵的那个 / 那另一单呢, in simplified or traditional
characters. `resolve_order` turns such a message plus the candidates the bot
showed (in the order shown) into one order, several, none, or "no reference
here". Pure: it only ever sees the candidates it is given, which the caller
takes from the asking buyer's own facts, so it cannot reach another buyer's
order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from actions.dialogue.when import by_time, just_bought
from actions.rules.banks import banks_named_in, canonical_bank
from actions.rules.facts import FrozenFundFacts, OrderFacts
from shared.chinese_text import fold_width, to_simplified
from shared.clock import bot_now

# What the resolver found.
NO_REFERENCE = "no_reference"  # the message names no order: not a reference at all
ONE = "one"
SEVERAL = "several"            # ambiguous: ask again among `orders`
NO_MATCH = "no_match"          # it is a reference, but none of the candidates fits


@dataclass(frozen=True)
class Resolution:
    kind: str
    orders: Tuple[OrderFacts, ...] = ()
    # True when the message is nothing but the reference ("第二个", "招商银行那个"):
    # it answers the pending question rather than asking a new one.
    pure: bool = False

    @property
    def order(self) -> Optional[OrderFacts]:
        return self.orders[0] if self.kind == ONE else None


def simplified(text: str) -> str:
    """Traditional → simplified, full-width → ASCII, spaces dropped."""
    return re.sub(r"\s+", "", fold_width(to_simplified(text)))


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MEASURE = "个单笔件条项"


def _ordinal(text: str, count: int) -> Optional[int]:
    """0-based index named by 第二个 / 第3个 / 最后一个 / 上面那个, else None."""
    m = re.search(rf"第\s*([一二两三四五六七八九十]|\d{{1,2}})\s*(?:[{_MEASURE}]|$|呢|吧|的)", text)
    if m:
        raw = m.group(1)
        n = int(raw) if raw.isdigit() else _CN_DIGITS[raw]
        return n - 1
    if re.search(rf"最后(?:一)?[{_MEASURE}]|最下面|最后那", text):
        return count - 1
    if re.search(rf"(?:上面|最上面|头一)(?:那|的)?(?:一)?[{_MEASURE}]?", text):
        return 0
    return None


_PAYMENTS = {
    "信用卡": ("credit_card",), "花呗": ("huabei",), "余额": ("alipay_balance",),
    "储蓄卡": ("bank_card",), "借记卡": ("bank_card",), "银行卡": ("bank_card", "credit_card"),
}


def _by_payment(text: str) -> Optional[Callable[[OrderFacts], bool]]:
    banks = banks_named_in(text)
    methods = {m for word, ms in _PAYMENTS.items() if word in text for m in ms}
    if not banks and not methods:
        return None

    def test(o: OrderFacts) -> bool:
        bank_ok = not banks or canonical_bank(o.card_bank) in banks
        return bank_ok and (not methods or o.payment_method in methods)
    return test


def _open(o: OrderFacts) -> bool:
    return o.has_open_refund


def _refund_status(*statuses: str) -> Callable[[OrderFacts], bool]:
    return lambda o: any(r.status in statuses for r in o.refunds[-1:])


# State words, each only when used as a reference ("被拒绝的那个", "还没发货的"),
# not inside a question ("退款成功了钱怎么还没到" is not a reference).
_STATES: Tuple[Tuple[str, Callable[[OrderFacts], bool]], ...] = (
    ("被拒绝|拒绝了?|被拒", _refund_status("seller_refused")),
    ("介入(?:中)?|小二介入", _refund_status("intervening")),
    ("退款成功|已经?退款?了?|退了|钱退了", lambda o: any(r.status == "succeeded" for r in o.refunds)),
    ("退款中|在退款|正在退", _open),
    ("还?没发货|未发货|待发货", lambda o: o.status == "paid"),
    ("已经?发货|在路上|运输中|发货了", lambda o: o.status == "shipped"),
    ("已?签收", lambda o: o.signed_at is not None),
    ("交易成功|确认收货|已完成", lambda o: o.status == "success"),
    ("交易关闭|关闭了?|被关闭|关掉", lambda o: o.status == "closed"),
    ("没付款|待付款|未付款", lambda o: o.status == "waiting_payment"),
    ("要寄回|待退货|要退货", _refund_status("waiting_buyer_return")),
)


# The state a question itself speaks of (卖家拒绝了我该怎么办, 平台介入要等多久, 卖家同意退货了 几号前要寄):
# looser than a reference, used only to single out one of the orders a question could be about.
_QUESTION_STATES: Tuple[Tuple[str, Callable[[OrderFacts], bool]], ...] = (
    ("拒绝|不同意|驳回", _refund_status("seller_refused")),
    ("介入", _refund_status("intervening")),
    ("同意(?:了)?退货|同意退|让我寄回|要我寄回", _refund_status("waiting_buyer_return")),
    ("(?:已经|早就)寄回|寄回去了|退回去了|寄出去了", _refund_status("waiting_seller_receipt")),
    ("还?没发货|未发货", lambda o: o.status == "paid"),
    ("退款成功", lambda o: any(r.status == "succeeded" for r in o.refunds)),
)
_HYPOTHETICAL = re.compile(r"如果|要是|万一|假如|会不会")


def fitting_state(message: str, orders: Sequence[OrderFacts]) -> Tuple[OrderFacts, ...]:
    """The orders whose state the question speaks of; () when it speaks of none (or only supposes one)."""
    text = simplified(message)
    tests = [test for words, test in _QUESTION_STATES if re.search(words, text)]
    if not tests or _HYPOTHETICAL.search(text):
        return ()
    return tuple(o for o in orders if all(t(o) for t in tests))


def _by_state(text: str, strict: bool) -> Optional[Callable[[OrderFacts], bool]]:
    tests = [test for words, test in _STATES
             if (not strict and re.search(rf"(?:{words})(?:的)?(?:那|这)?(?:一)?[{_MEASURE}]?(?:的)?(?:呢|吧)?$", text))
             or re.search(rf"(?:{words})的(?:那|这)?(?:一)?[{_MEASURE}]", text)
             or re.search(rf"(?:那|这)(?:一)?[{_MEASURE}](?:{words})的", text)]
    if not tests:
        return None
    return lambda o: all(t(o) for t in tests)


# What a number followed by these is not: an order or an amount (43码, 11月23号, 7天, 350毫升).
_UNIT = r"(?:码|号|日|月|年|cm|厘米|毫米|毫升|ml|天|个工作日|个小时|小时|分钟|点|岁|斤|公斤|kg|寸|米|次|件|条|%)"


def _numbers(text: str) -> List[str]:
    """Numbers that may name an order or an amount: not a tracking number's digits, a size or a date."""
    return re.findall(rf"(?<![\d.A-Za-z])(\d{{2,20}}(?:\.\d{{1,2}})?)(?![\d.A-Za-z])(?!{_UNIT})", text)


def _by_number(text: str, pool: Sequence[OrderFacts]) -> Optional[Tuple[OrderFacts, ...]]:
    """Full number, 尾号 digits, or an amount (599 / 39.9 / ¥129)."""
    found: List[OrderFacts] = []
    tail_only = "尾号" in text or "尾数" in text or "后四位" in text
    for num in _numbers(text):
        if "." not in num:
            by_tail = [o for o in pool if o.order_id.endswith(num)] if len(num) >= 3 else []
            if by_tail:
                found += [o for o in by_tail if o not in found]
                continue
            if tail_only or len(num) > 7:
                return tuple(found)  # a number, but not of these orders
        amount = Decimal(num)  # the order's amount, or what one of its refunds returned (退的20块)
        found += [o for o in pool if o not in found
                  and (o.amount == amount or any(r.amount == amount for r in o.refunds))]
    return tuple(found) if _numbers(text) else None


_ITEM_STOP = frozenset({"那个", "这个", "那笔", "那单", "订单", "东西", "宝贝", "商品", "退款", "一个"})


_COLOURS = "白黑红蓝绿灰粉紫黄棕橙米咖"
_WITH_ZI = "杯鞋毯垫箱裤袜帽镜盒锅壶枕被包裙柜桌椅瓶"


def _item_coverage(text: str, name: str) -> int:
    """How many characters of `text` lie in runs of 2+ characters it shares with the item name."""
    covered: Set[int] = set()
    for size in range(min(len(name), 8), 1, -1):
        for i in range(len(name) - size + 1):
            gram = name[i:i + size]
            if gram in _ITEM_STOP or gram.isdigit():
                continue
            start = text.find(gram)
            while start != -1:
                covered.update(range(start, start + size))
                start = text.find(gram, start + 1)
    # 杯子 / 鞋子 / 毯子 for 保温杯 / 登山鞋 / 毛毯: the item's last word said with 子
    for thing in re.findall(rf"([{_WITH_ZI}])子", text):
        if thing in name:
            covered.update((text.find(thing + "子"), text.find(thing + "子") + 1))
    # 白的 / 黑的 for 白色 / 黑色: a colour said with 的
    for colour in re.findall(rf"([{_COLOURS}])(?:的|色)", text):
        if colour in name:
            covered.add(text.find(colour))
    return len(covered)


def _by_item(text: str, pool: Sequence[OrderFacts]) -> Optional[Tuple[OrderFacts, ...]]:
    """Orders whose item name covers most of the text's words (羽绒服, 黑色T恤, 白的); None if none does."""
    scores = [(_item_coverage(text, simplified(o.item)), o) for o in pool]
    best = max((score for score, _ in scores), default=0)
    return tuple(o for score, o in scores if score == best) if best else None


# "X那个 / X那件 / X的那个": a reference by name even when no order has that name.
_NAMED = re.compile(rf"([\u4e00-\u9fffA-Za-z]{{2,}}?)(?:的)?(?:那|这)(?:一)?[{_MEASURE}]")
_NOT_A_NAME = re.compile(r"不是|就是|我说|刚才|上面|最后|我要|还有|另外|其他|别的|哪|不要|都")


def names_an_item(text: str, orders: Sequence[OrderFacts]) -> bool:
    """The message names one of these orders by its item (显示器支架, 键盘), not by payment or state."""
    return bool(_by_item(simplified(text), orders))


def _named_but_unknown(text: str) -> bool:
    m = _NAMED.search(text)
    return m is not None and not _NOT_A_NAME.search(m.group(1))


def _superlative(text: str, pool: Sequence[OrderFacts]) -> Optional[Tuple[OrderFacts, ...]]:
    if re.search("最贵|金额最大|最多的|价格最高|(?<!不)贵(?:的|那|一点|点的)", text):
        return (max(pool, key=lambda o: o.amount),) if pool else ()
    if re.search("最便宜|金额最小|最少的|价格最低|便宜(?:的|那|一点|点的)", text):
        return (min(pool, key=lambda o: o.amount),) if pool else ()
    return None


_OTHER = re.compile(r"另(?:外)?(?:一|1)?[个单笔件]|另一|还有一[个单笔]|其他(?:那|的)?[个单笔]?|别的[个单笔]?")
# Left-over words that make a message a question of its own, not just a pick.
_QUESTION = re.compile(r"怎么|怎样|如何|为什么|为啥|什么时候|多久|几天|多少|能不能|可以|可不|吗|么|要不要|是否|咋|啥|\?|？")


def names_the_other(message: str) -> bool:
    """"那另一单呢 / 还有一个呢": the buyer moves away from the order under discussion."""
    return bool(_OTHER.search(simplified(message)))


def resolve_order(message: str, candidates: Sequence[OrderFacts], focus_id: Optional[str] = None,
                  others: Sequence[OrderFacts] = (), strict: bool = False,
                  now: Optional[datetime] = None) -> Resolution:
    """The order(s) among `candidates` (in the order shown) that `message` names.

    `focus_id`: the order under discussion, for 另一单 / 前一个. `others`: the
    buyer's remaining orders, used only by 另一单 when the candidates hold no
    other order. `strict`: for a fresh question with no list on screen, only
    unmistakable references count (no ordinals, state words only as 的那个).
    A time (上周买的, 11月23号, 昨天退款成功的) narrows the others down but, as buyers
    misremember days, never empties them; alone it names what it fits.
    """
    text = simplified(message)
    pool = tuple(candidates)
    if not text:
        return Resolution(NO_REFERENCE)
    found: List[FrozenSet[str]] = []
    by_id: Dict[str, OrderFacts] = {o.order_id: o for o in pool}

    if _OTHER.search(text):
        rest = tuple(o for o in pool if o.order_id != focus_id)
        if not rest:
            rest = tuple(o for o in others if o.order_id != focus_id)
            by_id.update({o.order_id: o for o in rest})
        found.append(frozenset(o.order_id for o in rest))
    elif "前一个" in text or "刚才那个" in text or "刚才说的" in text:
        found.append(frozenset({focus_id}) if focus_id in by_id else frozenset())
    index = None if strict else _ordinal(text, len(pool))
    if index is not None:
        found.append(frozenset({pool[index].order_id}) if 0 <= index < len(pool) else frozenset())
    for pick in (_by_number(text, pool), _by_item(text, pool), _superlative(text, pool), just_bought(text, pool)):
        if pick is not None:
            found.append(frozenset(o.order_id for o in pick))
    for test in (_by_payment(text), _by_state(text, strict)):
        if test is not None:
            found.append(frozenset(o.order_id for o in pool if test(o)))
    when = by_time(text, now or bot_now())
    if when is not None:
        at_that_time = frozenset(o.order_id for o in pool if when(o))
        if not found or at_that_time & frozenset.intersection(*found):
            found.append(at_that_time)
    if not found:
        if not strict and _named_but_unknown(text):
            return Resolution(NO_MATCH, (), not _QUESTION.search(text))
        return Resolution(NO_REFERENCE)
    ids = frozenset.intersection(*found)
    pure = not _QUESTION.search(text)
    shown_order = [o.order_id for o in pool] + [i for i in by_id if i not in {o.order_id for o in pool}]
    chosen = tuple(by_id[i] for i in shown_order if i in ids)
    if not chosen:
        return Resolution(NO_MATCH, (), pure)
    return Resolution(ONE if len(chosen) == 1 else SEVERAL, chosen, pure)


# ------------------------------------------------------------ frozen items

_GENERIC_FROZEN = frozenset({"credit_card_refund"})  # 退款 is also said of the others
_FROZEN_WORDS: Tuple[Tuple[str, FrozenSet[str]], ...] = (
    ("红包", frozenset({"red_packet"})),
    ("提现", frozenset({"withdrawal_processing"})),
    ("拍卖", frozenset({"auction_deposit"})),
    ("消保|消费者保障", frozenset({"consumer_protection_deposit"})),
    ("保证金", frozenset({"auction_deposit", "consumer_protection_deposit"})),
    ("信用卡|退款", _GENERIC_FROZEN),
    ("实名|认证|收款", frozenset({"unverified_receipt"})),
)


def resolve_frozen(message: str, funds: Sequence[FrozenFundFacts]) -> Tuple[FrozenFundFacts, ...]:
    """The frozen items a message singles out (红包那笔, 提现那个, 保证金); () if none is named."""
    text = simplified(message)
    named = [rs for words, rs in _FROZEN_WORDS if re.search(words, text)]
    specific = [rs for rs in named if rs != _GENERIC_FROZEN]
    reasons: FrozenSet[str] = frozenset().union(*(specific or named))
    picked = tuple(f for f in funds if f.reason in reasons)
    amounts = [Decimal(n) for n in _numbers(text)]
    if amounts:
        by_amount = tuple(f for f in (picked or funds) if f.amount in amounts)
        picked = by_amount or picked
    return picked if len(picked) < len(funds) else ()
