"""Short answers to one detail about an order (issue #19), pure: no Rasa, no database.

After the bot has described an order, buyers ask one thing more: 明天能到吗,
几号之前必须寄, 单号填在哪里, 我填的单号对不对, 要上传什么证据, 卖家最晚哪天要处理.
The answer is one or two sentences from the order's timeline and the rules of
knowledge.yml (their ids travel with it), not the whole description again.
`detail_answer` gives None when the order's facts do not answer that detail;
the caller then answers the question as usual.

Three details need no order: the days for another bank's card (中行的呢), where a
花呗 refund goes, and whether a withdrawal may go to somebody else's card.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from .banks import canonical_bank, readable_bank
from .facts import OrderFacts
from .knowledge import Knowledge, load_knowledge
from .stages import Stage
from .timeline import Deadline, card_refund_arrival, card_refund_working_days, order_timeline
from .wording import Answer, Builder, arrival_text, fmt_amount, fmt_time, span

ASK_A_PERSON = "如果还有疑问，也可以回复“转人工”，人工客服会帮您进一步处理。"

# What the buyer must do, or what happens, by a deadline of the timeline (Deadline.what).
_BY_DEADLINE = {
    "fill_tracking": "请在 {at} 前把商品寄回卖家指定的地址，并填写退货单号",
    "seller_handle": "卖家需要在 {at} 前处理您的退货申请",
    "auto_refund": "{at} 前卖家没有处理的话，系统会自动退款给您",
    "receipt": "卖家需要在 {at} 前确认收货，逾期没有确认的话，系统会自动退款给您",
    "auto_confirm": "系统会在 {at} 自动确认收货",
    "after_sales": "售后申请要在 {at} 前发起",
    "seven_day_return": "七天无理由退货要在 {at} 前申请",
}


def _head(order: OrderFacts) -> str:
    return f"亲，「{order.item}」这笔，"


def _deadline_sentence(d: Deadline, now: datetime) -> Optional[str]:
    if d.what in ("card_arrival", "withdrawal_arrival"):
        return arrival_text(d, now)
    if d.at is None or d.what not in _BY_DEADLINE:
        return None
    what = "receipt" if d.rule_id == "return_auto_refund_10d" else d.what
    text = _BY_DEADLINE[what].format(at=fmt_time(d.at, now))
    return text + ("（这个时间已经过了）" if d.passed else "")


def _deadline(order: OrderFacts, now: datetime, k: Knowledge, seller: bool) -> Optional[Answer]:
    tl = order_timeline(order, now, k)
    d = tl.deadline
    if d is None:
        return None
    if seller and tl.stage == Stage.WAITING_BUYER_RETURN:
        return None  # the seller has agreed already: the buyer's deadline is the answer, asked as such
    sentence = _deadline_sentence(d, now)
    if sentence is None:
        return None
    return Builder().say(_head(order) + sentence + "。", d.rule_id).answer()


def _arrival(order: OrderFacts, now: datetime, k: Knowledge) -> Optional[Answer]:
    """When the refund reaches the buyer: the card window, or the step before it."""
    tl = order_timeline(order, now, k)
    r = tl.refund
    if r is None:
        return _not_asked_yet(order, k)
    b = Builder()
    if tl.stage == Stage.REFUND_SUCCEEDED:
        if tl.deadline is None or r.destination != "credit_card":
            return None  # Alipay, 花呗 or a bank card: the usual answer says where, with no days
        card = f"{readable_bank(order.card_bank)}信用卡"
        b.say(f"{_head(order)}退款 {fmt_amount(r.amount)} 已于 {fmt_time(r.succeeded_at, now)} 退款成功，"
              f"退回{card}需要{span(tl.deadline.span or (0, 0))}个工作日，"
              f"{arrival_text(tl.deadline, now)}。", "frozen_credit_card_refund")
        if tl.deadline.passed:
            b.say("已经过了预计的到账时间，建议先查看一下信用卡账单；" + ASK_A_PERSON)
        return b.answer()
    if tl.deadline is None or tl.deadline.at is None:
        return None
    step = _deadline_sentence(tl.deadline, now)
    if step is None:
        return None
    b.say(f"{_head(order)}退款 {fmt_amount(r.amount)} 还没有成功，{step}。", tl.deadline.rule_id)
    b.say("退款成功后，" + _where_it_goes(order, r.destination, k, b) + "。")
    return b.answer()


def _where_it_goes(order: OrderFacts, destination: str, k: Knowledge, b: Builder) -> str:
    if destination == "credit_card":
        b.use("frozen_credit_card_refund")
        lo_hi = card_refund_working_days(order.card_bank, k)
        return f"退回{readable_bank(order.card_bank) or '您的'}信用卡还需要{span(lo_hi)}个工作日"
    if destination == "alipay_balance":
        b.use("refund_back_to_alipay")
        return "钱退回您的支付宝余额，不是银行卡"
    if destination == "huabei":
        b.use("refund_back_to_alipay")
        return "钱退回您的支付宝（花呗付款的退回花呗），不是银行卡"
    b.use("refund_to_alipay_or_bank")
    bank = readable_bank(order.card_bank)
    card = f"{bank}银行卡" if bank else "银行卡"
    return f"钱会退到您的支付宝账户或{card}，以退款详情里显示的去向为准"


def _destination(order: OrderFacts, now: datetime, k: Knowledge) -> Optional[Answer]:
    """钱退到哪: where the refund goes (the refund's destination, or the payment method before one)."""
    r = order.latest_refund
    if r is None:
        return _not_asked_yet(order, k)
    if r.status == "closed":
        return None  # nothing was refunded: the usual answer says why it closed
    b = Builder()
    if r.status == "succeeded" and r.succeeded_at is not None:
        done = f"退款 {fmt_amount(r.amount)} 已于 {fmt_time(r.succeeded_at, now)} 退款成功，"
    elif r.status == "seller_refused":
        done = f"卖家拒绝了这笔退款（{fmt_amount(r.amount)}），钱还没有退回；申请客服介入后如果退款成功，"
    elif r.status == "intervening":
        done = f"退款 {fmt_amount(r.amount)} 正在客服介入处理，钱还没有退回；退款成功后，"
    else:
        done = f"退款 {fmt_amount(r.amount)} 还没有成功，退款成功后，"
    b.say(_head(order) + done + _where_it_goes(order, r.destination, k, b) + "。")
    return b.answer()


# Refund destinations named like payment methods; an "other" payment gets the general wording.
_DESTINATIONS = ("alipay_balance", "huabei", "credit_card", "bank_card")


def _not_asked_yet(order: OrderFacts, k: Knowledge) -> Optional[Answer]:
    """钱多久能回来 / 钱退到哪 about a paid order with no refund yet: how fast once asked, and where
    the money goes (back the way it was paid). None for an unpaid or closed order: nothing to refund."""
    if order.status in ("waiting_payment", "closed"):
        return None
    b = Builder().say(f"{_head(order)}还没有申请退款。")
    if order.status == "paid" and order.fast_refund:
        b.say("这家店开通了极速退款，商品还没发货，在订单下方点“退款”，钱会在很短的时间内按原路退回；", "fast_refund")
    elif order.status == "paid":
        b.say("商品还没发货，申请退款后卖家 2 天内没有处理的，系统会自动退款；", "paid_auto_refund_2d")
    destination = order.payment_method if order.payment_method in _DESTINATIONS else "bank_card"
    b.say("退款成功后，" + _where_it_goes(order, destination, k, b) + "。")
    return b.answer()


def _tracking_where(order: OrderFacts, now: datetime, k: Knowledge) -> Optional[Answer]:
    tl = order_timeline(order, now, k)
    if tl.refund is None or tl.refund.kind != "return_and_refund":
        return None
    b = Builder().say(f"{_head(order)}寄出商品后，在这笔订单的退款详情里填写退货单号（快递单号）就可以，"
                      "卖家收到货确认后退款。", "shipped_refund_steps")
    d = tl.find("fill_tracking")
    if d is not None and d.at is not None and not d.passed:
        b.say(f"请在 {fmt_time(d.at, now)} 前填好。", d.rule_id)
    return b.answer()


def _tracking_check(order: OrderFacts, now: datetime, k: Knowledge) -> Optional[Answer]:
    r = order.latest_refund
    if r is None or r.kind != "return_and_refund":
        return None
    if not r.return_tracking_no:
        return Builder().say(f"{_head(order)}我这边还没有看到您填写的退货单号，寄出后请在退款详情里填写，"
                             "卖家才能跟进。", "shipped_refund_steps").answer()
    shipped = f"，寄出时间是 {fmt_time(r.return_shipped_at, now)}" if r.return_shipped_at else ""
    return Builder().say(f"{_head(order)}记录里您填写的退货单号是 {r.return_tracking_no}{shipped}。"
                         "请和您手里快递底单上的单号核对一下，一致就没有问题；如果填错了，"
                         "回复“转人工”，人工客服会帮您处理。", "shipped_refund_steps").answer()


def _evidence(order: Optional[OrderFacts], k: Knowledge) -> Answer:
    items = "、".join(k.param("intervention_upload_evidence", "evidence"))
    head = _head(order) if order is not None else "亲，"
    return Builder().say(f"{head}需要上传的凭证有：{items}等，订单号、支付记录等购物凭证也请保留好。"
                         + ASK_A_PERSON, "intervention_upload_evidence", "keep_purchase_proof").answer()


def detail_answer(kind: str, order: Optional[OrderFacts], now: datetime,
                  knowledge: Optional[Knowledge] = None) -> Optional[Answer]:
    """The short answer to one detail about `order`, or None when its facts do not answer it."""
    k = knowledge or load_knowledge()
    if kind == "evidence":
        return _evidence(order, k)
    if order is None:
        return None
    if kind == "arrival":
        return _arrival(order, now, k)
    if kind == "destination":
        return _destination(order, now, k)
    if kind in ("return_deadline", "seller_deadline"):
        return _deadline(order, now, k, seller=kind == "seller_deadline")
    if kind == "tracking_where":
        return _tracking_where(order, now, k)
    if kind == "tracking_check":
        return _tracking_check(order, now, k)
    return None


def other_bank_days(bank_text: str, now: datetime, knowledge: Optional[Knowledge] = None) -> Optional[Answer]:
    """中行的呢: how long a credit-card refund takes for the bank named (not the buyer's own)."""
    bank = canonical_bank(bank_text)
    if bank is None:
        return None
    k = knowledge or load_knowledge()
    lo_hi = card_refund_working_days(bank, k)
    # The window from today shows the days on the calendar (holidays skipped).
    window = card_refund_arrival(now, bank, now, k)
    when = f"比如今天退款成功，{arrival_text(window, now)}" if window.certain else "遇法定节假日顺延"
    return Builder().say(f"亲，如果是{bank}的信用卡，退款成功后会先暂时冻结，再退回信用卡，需要{span(lo_hi)}个工作日，"
                         f"{when}。", "frozen_credit_card_refund").answer()


def huabei_refund() -> Answer:
    """花呗付款的退款回哪里 (004 常见问题3: 退回支付宝，不是银行)."""
    return Builder().say("亲，用花呗付款的订单，退款成功后钱退回支付宝（花呗），不会退到银行卡，"
                         "退回的金额可以在花呗账单里查看哦。", "refund_back_to_alipay").answer()


def withdraw_to_others() -> Answer:
    """提现到别人的卡 (004 常见问题4: 提现只对应自己注册身份证的银行)."""
    k = load_knowledge()
    days = span(k.param("withdraw_own_id_bank", "working_days"))
    return Builder().say("亲，提现只能提到您本人注册身份证名下的银行卡，别人的卡是不可以的哦。"
                         f"提现后{days}个工作日到账。", "withdraw_own_id_bank").answer()
