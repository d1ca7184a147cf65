"""The bot's Chinese answers to refund questions, built from the timeline.

No Rasa here: `answer_for(intent, buyer, order, now)` is a pure function.
Rules and numbers come from knowledge.yml (via timeline.py), enum labels
from labels.py. Times are shown in China time as "11月25日 14:03" (with the
year in front when it is not the current year).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from . import labels
from .facts import BuyerFacts, OrderFacts, RefundFacts
from .knowledge import Knowledge, load_knowledge
from .timeline import (
    OPEN_REFUND_STATUSES,
    Deadline,
    OrderTimeline,
    auto_confirm_deadline,
    auto_confirm_rule,
    buyer_frozen,
    card_refund_working_days,
    is_boc,
    last_activity,
    order_timeline,
    succeeded_refund,
)
from .workdays import to_china


@dataclass(frozen=True)
class Answer:
    text: str                  # natural simplified Chinese, shop customer-service tone
    rule_ids: Tuple[str, ...]  # ids from knowledge.yml that the answer used


REFUND_INTENTS: Tuple[str, ...] = (
    "ask_refund_after_shipping",
    "ask_refund_before_shipping",
    "ask_refund_after_success",
    "ask_refund_not_received",
    "ask_refund_progress",
    "ask_cancel_refund",
    "ask_frozen_balance",
    "ask_withdraw",
    "ask_real_name_verification",
    "ask_seven_day_return",
    "ask_return_shipping_fee",
    "ask_quality_issue",
    "ask_platform_intervention",
    "ask_auto_confirm",
    "ask_trade_closed",
    "ask_logistics_problem",
)

# Questions about the buyer's account rather than one order.
BUYER_LEVEL_INTENTS = ("ask_frozen_balance", "ask_withdraw", "ask_real_name_verification")

REFUND_STAGES = (
    "refund_paid_waiting_seller",
    "refund_only_waiting_seller",
    "return_waiting_seller",
    "after_sales_waiting_seller",
    "waiting_buyer_return",
    "waiting_seller_receipt",
    "seller_refused",
    "intervening",
    "refund_succeeded",
)

HELLO = "亲，您好，"
SORRY = "亲，非常抱歉，"


# ------------------------------------------------------------ formatting

def fmt_amount(amount: Decimal) -> str:
    """¥129.00"""
    return "¥" + str(Decimal(amount).quantize(Decimal("0.01")))


def fmt_time(moment: datetime, now: datetime) -> str:
    """11月25日 14:03 (China time; year in front if not this year)."""
    c, n = to_china(moment), to_china(now)
    year = f"{c.year}年" if c.year != n.year else ""
    return f"{year}{c.month}月{c.day}日 {c:%H:%M}"


def fmt_day(moment: datetime, now: datetime) -> str:
    """11月25日 (China time; year in front if not this year)."""
    c, n = to_china(moment), to_china(now)
    year = f"{c.year}年" if c.year != n.year else ""
    return f"{year}{c.month}月{c.day}日"


def fmt_range(d: Deadline, now: datetime) -> str:
    assert d.earliest is not None
    if fmt_day(d.earliest, now) == fmt_day(d.at, now):
        return fmt_day(d.at, now)
    return f"{fmt_day(d.earliest, now)}至{fmt_day(d.at, now)}"


def _span(pair: Sequence[int]) -> str:
    lo, hi = int(pair[0]), int(pair[1])
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _order_ref(o: OrderFacts) -> str:
    return f"您在「{o.shop}」购买的「{o.item}」（{fmt_amount(o.amount)}）"


def _bank_name(bank: Optional[str]) -> str:
    return bank.strip() if bank and bank.strip() else ""


class _Builder:
    def __init__(self) -> None:
        self.parts: List[str] = []
        self.rules: List[str] = []

    def say(self, text: str, *rule_ids: str) -> "_Builder":
        self.parts.append(text)
        self.use(*rule_ids)
        return self

    def use(self, *rule_ids: str) -> "_Builder":
        for r in rule_ids:
            if r not in self.rules:
                self.rules.append(r)
        return self

    def answer(self) -> Answer:
        return Answer(tidy("".join(self.parts)), tuple(self.rules))


_CJK = "\u4e00-\u9fff"


def tidy(text: str) -> str:
    """Put a space between Chinese text and dates, times and amounts.

    "卖家需在11月25日 14:03前处理" -> "卖家需在 11月25日 14:03 前处理"
    """
    text = re.sub(rf"(?<=[{_CJK}])(?<!年)(?=(\d{{4}}年)?\d{{1,2}}月\d{{1,2}}日)", " ", text)
    text = re.sub(rf"(\d{{1,2}}:\d{{2}})(?=[{_CJK}])", r"\1 ", text)
    text = re.sub(rf"(?<=[{_CJK}])¥", " ¥", text)
    text = re.sub(rf"(¥\d+\.\d{{2}})(?=[{_CJK}])", r"\1 ", text)
    # a bare date followed by Chinese (ranges, arrival days)
    text = re.sub(rf"(\d{{1,2}}月\d{{1,2}}日)(?=[{_CJK}])", r"\1 ", text)
    return text


# -------------------------------------------------- state descriptions

def _days(k: Knowledge, rule_id: str) -> int:
    return int(k.param(rule_id, "days"))


def _after_shipping_howto(k: Knowledge) -> str:
    return ("请先和卖家协商，再在订单里点“申请售后”：只退款不退货选“我要退款（无需退货）”，"
            "需要寄回的选“我要退货退款”，填写原因、金额和说明后提交。")


def _after_shipping_timelines(k: Knowledge) -> str:
    return (f"仅退款的，卖家{_days(k, 'refund_only_auto_5d')}天内不处理系统会自动退款；"
            f"退货退款的，卖家在{_days(k, 'return_seller_agree_5d')}天内处理，"
            f"同意后请在{_days(k, 'return_fill_tracking_7d')}天内填写退货单号，"
            f"之后卖家{_days(k, 'return_auto_refund_10d')}天内未确认收货，系统会自动退款。")


def _refund_desc(b: _Builder, o: OrderFacts, tl: OrderTimeline, now: datetime, k: Knowledge) -> None:
    """Sentences for an open or succeeded refund (tl.stage in REFUND_STAGES)."""
    r = tl.refund
    assert r is not None
    when = fmt_time(r.requested_at, now)
    amt = fmt_amount(r.amount)
    d = tl.deadline
    st = tl.stage
    if st == "refund_paid_waiting_seller":
        b.say(f"您在{when}申请的退款（{amt}）目前待卖家处理。", "paid_auto_refund_2d")
        if d and d.passed:
            b.say(f"非常抱歉让您久等了，已过了{fmt_time(d.at, now)}的处理期限，按规则系统会自动退款成功，"
                  "请稍后刷新订单查看。")
        else:
            b.say(f"卖家需在{fmt_time(d.at, now)}前处理，逾期未处理系统将自动退款成功，卖家没有拒绝的入口。")
        if o.fast_refund:
            b.say("这家店铺开通了极速退款，通常会更快原路退回。", "fast_refund")
    elif st == "refund_only_waiting_seller":
        b.say(f"您在{when}申请的仅退款（{amt}）目前待卖家处理。", "refund_only_auto_5d")
        if d and d.passed:
            b.say(f"非常抱歉让您久等了，已过了{fmt_time(d.at, now)}的处理期限，按规则系统会自动退款，请稍后刷新查看。")
        else:
            b.say(f"卖家需在{fmt_time(d.at, now)}前处理，逾期未处理系统将自动退款。")
    elif st == "return_waiting_seller":
        b.say(f"您在{when}申请的退货退款（{amt}）目前待卖家处理。", "return_seller_agree_5d")
        if d and d.passed:
            b.say(f"非常抱歉，卖家已超过{fmt_time(d.at, now)}的处理期限还没有处理，您可以在退款详情里申请客服介入，"
                  "并上传聊天记录截图、实物对比图片等凭证。", "intervention_upload_evidence")
        else:
            b.say(f"卖家需在{fmt_time(d.at, now)}前处理，同意后请在"
                  f"{_days(k, 'return_fill_tracking_7d')}天内寄回商品并填写退货单号。", "return_fill_tracking_7d")
    elif st == "after_sales_waiting_seller":
        b.say(f"您在{when}提交的售后申请（{amt}）正在等卖家确认，卖家同意后就进入下一步；"
              "卖家不同意的，您可以继续申诉或联系平台客服调解。", "after_sales_seller_confirm")
    elif st == "waiting_buyer_return":
        if d:
            agreed = fmt_time(r.seller_agreed_at, now) if r.seller_agreed_at else ""
            if d.passed:
                b.say(f"卖家已于{agreed}同意退货，填写退货单号的期限（{fmt_time(d.at, now)}）已经过了，"
                      "请尽快在退款详情里查看状态，有疑问可以联系卖家协商。", "return_fill_tracking_7d")
            else:
                b.say(f"卖家已于{agreed}同意退货，请在{fmt_time(d.at, now)}前寄回商品并填写退货快递单号，"
                      "以免影响退款。", "return_fill_tracking_7d")
        else:
            b.say(f"卖家已同意退货，请在同意后{_days(k, 'return_fill_tracking_7d')}天内寄回商品并填写退货快递单号。",
                  "return_fill_tracking_7d")
    elif st == "waiting_seller_receipt":
        sent = fmt_time(r.return_shipped_at, now) if r.return_shipped_at else ""
        lead = f"您已于{sent}寄回商品并填写了退货单号" if sent else "您已寄回商品并填写了退货单号"
        if d and d.passed:
            b.say(f"{lead}，非常抱歉让您久等了，卖家已超过{fmt_time(d.at, now)}的确认期限，按规则系统会自动退款，"
                  "请稍后刷新查看。", "return_auto_refund_10d")
        elif d:
            b.say(f"{lead}，目前等卖家确认收货。卖家需在{fmt_time(d.at, now)}前确认，逾期未确认系统将自动退款。",
                  "return_auto_refund_10d")
        else:
            b.say(f"{lead}，目前等卖家确认收货，卖家确认后就会给您退款。", "return_auto_refund_10d")
    elif st == "seller_refused":
        b.say(f"很抱歉，卖家拒绝了您在{when}申请的退款（{amt}）。")
        b.say("您可以在退款详情里点“要求客服介入”，并上传实物对比图片、聊天记录截图、质量检测凭证等，等客服核实处理。",
              "quality_negotiate_first", "intervention_upload_evidence")
    elif st == "intervening":
        b.say(f"您在{when}申请的退款（{amt}）目前平台客服正在介入处理。")
        b.say("客服会根据双方提供的凭证和协商情况给出处理方案，请留意消息，需要时及时补充实物图片、聊天记录截图等凭证。",
              "platform_mediation", "intervention_upload_evidence")
    elif st == "refund_succeeded":
        _money_desc(b, o, tl, r, now, k)


def _money_desc(b: _Builder, o: OrderFacts, tl: OrderTimeline, r: RefundFacts, now: datetime, k: Knowledge) -> None:
    amt = fmt_amount(r.amount)
    done = fmt_time(r.succeeded_at, now) if r.succeeded_at else ""
    head = f"退款{amt}已于{done}退款成功" if done else f"退款{amt}已经退款成功"
    if o.status == "closed":
        head += "，订单也因此交易关闭了"
        b.use("closed_refunded")
    if r.destination == "alipay_balance":
        b.say(f"{head}，钱退回的是您的支付宝余额，不是银行卡，请在支付宝余额明细里查看。", "refund_back_to_alipay")
    elif r.destination == "credit_card":
        d = tl.deadline
        bank = _bank_name(o.card_bank)
        lo_hi = card_refund_working_days(o.card_bank, k)
        card = f"{bank}信用卡" if bank else "信用卡"
        if is_boc(o.card_bank, k):
            how_long = f"中国银行信用卡需要{_span(lo_hi)}个工作日"
        elif bank:
            how_long = f"这家银行需要{_span(lo_hi)}个工作日"
        else:
            boc = card_refund_working_days("中国银行", k)
            how_long = f"一般需要{_span(lo_hi)}个工作日（中国银行信用卡为{_span(boc)}个工作日）"
        b.say(f"{head}。您是用{card}付款的，退款成功后会先暂时冻结，再退回信用卡，{how_long}，节假日顺延。",
              "frozen_credit_card_refund")
        if d and d.passed:
            b.say(f"非常抱歉让您久等了，已超过预计到账时间（{fmt_day(d.at, now)}），建议先查看信用卡账单，"
                  "仍未看到的话可以联系平台客服帮您核实。")
        elif d:
            b.say(f"预计在{fmt_range(d, now)}到账，请留意信用卡账单，感谢您的耐心等待。")
    else:
        where = labels.REFUND_DESTINATION.get(r.destination, "付款账户")
        b.say(f"{head}，会按原路退回到您的{where}，请留意{where}的入账记录。", "refund_original_route")


def _order_desc(b: _Builder, o: OrderFacts, tl: OrderTimeline, now: datetime, k: Knowledge) -> None:
    """Sentences for an order with no open refund (order stages)."""
    st = tl.stage
    if st == "unpaid":
        b.say("这笔订单还没有付款，不涉及退款；不需要的话不付款即可，之后卖家或系统会关闭交易。", "closed_unpaid")
    elif st == "paid_not_shipped":
        b.say("如需退款，可以直接在订单下方点“退款”，选择原因后提交。", "paid_refund_steps")
        _paid_speed(b, o, k)
    elif st == "shipped":
        shipped = fmt_time(o.shipped_at, now) if o.shipped_at else ""
        b.say(f"卖家已于{shipped}发货，如需退款，" + _after_shipping_howto(k), "shipped_apply_after_sales")
        ac = tl.find("auto_confirm")
        if ac and not ac.passed:
            b.say(f"如果一直不确认收货，系统会在{fmt_time(ac.at, now)}自动确认收货。", ac.rule_id)
    elif st == "success_after_sales_open":
        win = tl.deadline
        b.say(f"订单已于{fmt_time(o.success_at, now)}交易成功，订单上没有退款入口，请先联系卖家协商；"
              f"协商不成，可在{fmt_time(win.at, now)}前点“申请售后”并上传凭证。",
              "success_no_refund_entry", "after_sales_15d")
    elif st == "success_after_sales_over":
        win = tl.deadline
        if win:
            b.say(f"订单已于{fmt_time(o.success_at, now)}交易成功，售后维权期（交易成功后"
                  f"{_days(k, 'after_sales_15d')}天）已在{fmt_time(win.at, now)}结束，平台不再受理；"
                  "建议直接联系卖家协商，卖家可以直接退款到您的支付宝或银行卡。",
                  "after_sales_15d", "success_no_refund_entry")
        else:
            b.say("订单已交易成功，订单上没有退款入口，建议直接联系卖家协商，卖家可以直接退款到您的支付宝或银行卡。",
                  "success_no_refund_entry")
    elif st == "closed_refunded":
        r = tl.refund
        b.say(f"这笔订单因退款成功已交易关闭，退款{fmt_amount(r.amount)}已经退回，可以在订单里查看退款明细。",
              "closed_refunded")
    elif st == "closed_unpaid":
        b.say("这笔订单拍下后没有付款，已由卖家或系统关闭交易，没有扣款，也就不涉及退款。", "closed_unpaid")
    elif st == "closed_other":
        b.say("交易关闭一般是拍下未付款被关闭，或退款成功后关闭；"
              "我这边没有查到它的退款成功记录，如果您付过款却没收到退款，请联系平台客服帮您核实。",
              "closed_unpaid", "closed_refunded")
    _closed_refund_note(b, tl, now)


def _paid_speed(b: _Builder, o: OrderFacts, k: Knowledge) -> None:
    if o.fast_refund:
        b.say("这家店铺开通了极速退款，提交后钱会很快原路退回。", "fast_refund")
    else:
        b.say(f"提交后卖家{_days(k, 'paid_auto_refund_2d')}天内没有同意的，系统会自动退款成功，卖家没有拒绝的入口。",
              "paid_auto_refund_2d")


def _closed_refund_note(b: _Builder, tl: OrderTimeline, now: datetime) -> None:
    """A sentence about a closed refund on the order, if there is one."""
    r = tl.refund
    if r is not None and r.status == "closed" and tl.stage != "closed_refunded":
        if tl.refund_cancelled_by_shipping:
            b.say(f"您在{fmt_time(r.requested_at, now)}申请的退款，因卖家已发货而自动取消了。",
                  "cancel_refund_no_entry")
        else:
            closed = f"已于{fmt_time(r.closed_at, now)}关闭" if r.closed_at else "已关闭"
            b.say(f"您在{fmt_time(r.requested_at, now)}申请的退款{closed}。", "refund_not_agreed_checks")


def _describe(b: _Builder, o: OrderFacts, tl: OrderTimeline, now: datetime, k: Knowledge) -> None:
    if tl.stage in REFUND_STAGES:
        _refund_desc(b, o, tl, now, k)
    else:
        _order_desc(b, o, tl, now, k)


def _in_refund_intro(o: OrderFacts, tl: OrderTimeline) -> str:
    if tl.stage == "refund_succeeded":
        return f"{HELLO}我帮您查了一下，{_order_ref(o)}已经退款成功了。"
    return f"{HELLO}{_order_ref(o)}已经在退款流程中了。"


def _status_intro(o: OrderFacts, tail: str = "") -> str:
    """“…目前是“卖家已发货”状态。” with an optional clause before the full stop."""
    return f"{HELLO}{_order_ref(o)}目前是“{labels.ORDER_STATUS[o.status]}”状态{'，' + tail if tail else ''}。"


def _shipped_via(o: OrderFacts, now: datetime) -> str:
    when = fmt_time(o.shipped_at, now) if o.shipped_at else ""
    if o.logistics == "none":
        return f"已于{when}发货（无需物流）"
    return f"已于{when}通过{labels.LOGISTICS.get(o.logistics, '快递')}发出"


# ---------------------------------------------------------- per intent

def _refund_after_shipping(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "已发货的订单也可以退款哦。" + _after_shipping_howto(k),
              "shipped_apply_after_sales", "shipped_refund_steps")
        b.say(_after_shipping_timelines(k), "refund_only_auto_5d", "return_seller_agree_5d",
              "return_fill_tracking_7d", "return_auto_refund_10d")
        return
    if tl.stage == "shipped":
        b.say(f"{HELLO}{_order_ref(o)}已于{fmt_time(o.shipped_at, now)}发货，也可以申请退款哦。"
              + _after_shipping_howto(k), "shipped_apply_after_sales", "shipped_refund_steps")
        b.say(_after_shipping_timelines(k), "refund_only_auto_5d", "return_seller_agree_5d",
              "return_fill_tracking_7d", "return_auto_refund_10d")
        _closed_refund_note(b, tl, now)
        return
    if tl.stage in REFUND_STAGES:
        b.say(_in_refund_intro(o, tl))
        _describe(b, o, tl, now, k)
        return
    if o.status == "paid":
        b.say(f"{HELLO}{_order_ref(o)}还没有发货哦。")
        _describe(b, o, tl, now, k)
        return
    b.say(_status_intro(o))
    _describe(b, o, tl, now, k)


def _refund_before_shipping(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "还没发货的订单可以直接在订单下方点“退款”，选择原因（缺货、协商一致退款、未按约定时间发货等）提交即可。",
              "paid_refund_steps")
        b.say(f"如果店铺开通了极速退款，钱会很快原路退回；没有开通的，卖家{_days(k, 'paid_auto_refund_2d')}"
              "天内未同意，系统会自动退款成功，卖家没有拒绝的入口。", "fast_refund", "paid_auto_refund_2d")
        return
    if tl.stage == "paid_not_shipped":
        b.say(f"{HELLO}{_order_ref(o)}还没有发货，可以直接在订单下方点“退款”，选择原因后提交。", "paid_refund_steps")
        _paid_speed(b, o, k)
        if tl.refund is not None:
            _closed_refund_note(b, tl, now)
        return
    if tl.stage in REFUND_STAGES:
        b.say(_in_refund_intro(o, tl))
        _describe(b, o, tl, now, k)
        return
    if o.status == "shipped":
        b.say(f"{HELLO}{_order_ref(o)}已于{fmt_time(o.shipped_at, now)}发货了，不能再按未发货直接退款啦。")
        b.say(_after_shipping_howto(k), "shipped_apply_after_sales")
        if tl.refund_cancelled_by_shipping:
            b.say(f"您发货前申请的退款，因卖家已发货而自动取消了。", "cancel_refund_no_entry")
        return
    b.say(_status_intro(o))
    _describe(b, o, tl, now, k)


def _refund_after_success(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "交易成功后订单上就没有“退款”按钮了，需要先联系卖家协商换货或退货。", "success_no_refund_entry")
        b.say(f"协商不成的，在交易成功后{_days(k, 'after_sales_15d')}天内进入“已买到的宝贝”找到这笔订单点“申请售后”，"
              "并上传聊天记录截图、实物对比图片等凭证，等客服介入处理。", "after_sales_15d", "intervention_upload_evidence")
        b.say("售后维权机会只有一次，建议等卖家处理好后再撤销维权。", "weiquan_once")
        return
    if tl.stage == "success_after_sales_open":
        win = tl.deadline
        b.say(f"{HELLO}{_order_ref(o)}已于{fmt_time(o.success_at, now)}交易成功，订单上没有退款按钮，请先联系卖家协商换货或退货。",
              "success_no_refund_entry")
        b.say(f"协商不成的，请在{fmt_time(win.at, now)}前点“申请售后”并上传凭证，逾期平台将不再受理。", "after_sales_15d")
        b.say("售后维权机会只有一次哦。", "weiquan_once")
        return
    if tl.stage == "success_after_sales_over":
        b.say(f"{HELLO}我帮您查了一下，{_order_ref(o)}的情况如下。")
        _describe(b, o, tl, now, k)
        return
    if tl.stage in REFUND_STAGES:
        b.say(_in_refund_intro(o, tl))
        _describe(b, o, tl, now, k)
        return
    if o.status == "shipped":
        b.say(f"{HELLO}{_order_ref(o)}还没有交易成功（卖家已于{fmt_time(o.shipped_at, now)}发货），现在就可以直接申请退款。")
        b.say(_after_shipping_howto(k), "shipped_apply_after_sales")
        return
    b.say(_status_intro(o))
    _describe(b, o, tl, now, k)


def _refund_not_received(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "退款成功后，用支付宝余额付款的钱会退回支付宝余额，不是银行卡，可以先在余额明细里查一下。",
              "refund_back_to_alipay")
        boc = card_refund_working_days("中国银行", k)
        other = card_refund_working_days(None, k)
        b.say(f"用信用卡付款的，退款会先暂时冻结再退回信用卡：中国银行信用卡{_span(boc)}个工作日到账，"
              f"其他银行{_span(other)}个工作日到账。", "frozen_credit_card_refund")
        b.say("用银行卡或花呗付款的，会按原路退回。", "refund_original_route")
        return
    if tl.stage == "refund_succeeded" or tl.stage == "closed_refunded":
        r = tl.refund
        b.say(f"{HELLO}我帮您查了一下，{_order_ref(o)}的退款情况如下。")
        rtl = tl
        if tl.stage == "closed_refunded":
            # show the arrival for the refund that closed the order
            rtl = order_timeline(_with_only_refund(o, r), now, k)
        _money_desc(b, o, rtl, r, now, k)
        return
    if tl.stage in REFUND_STAGES:
        b.say(f"{HELLO}{_order_ref(o)}的退款还没有成功哦，所以钱还没有退回。")
        _describe(b, o, tl, now, k)
        return
    if tl.stage == "unpaid" or tl.stage == "closed_unpaid":
        b.say(_status_intro(o))
        _describe(b, o, tl, now, k)
        return
    b.say(f"{HELLO}{_order_ref(o)}目前没有退款成功的记录，所以还没有退款到账。", "refund_not_agreed_checks")
    _describe(b, o, tl, now, k)


def _with_only_refund(o: OrderFacts, r: RefundFacts) -> OrderFacts:
    from dataclasses import replace
    return replace(o, refunds=(r,))


def _refund_progress(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "退款进度可以在订单的退款详情里查看；如果好久没同意，请先看看退款是否已关闭、是否还没填写退货单号、申请是否提交成功。",
              "refund_not_agreed_checks")
        b.say(f"未发货的订单，卖家{_days(k, 'paid_auto_refund_2d')}天内未同意系统会自动退款。", "paid_auto_refund_2d")
        b.say(_after_shipping_timelines(k), "refund_only_auto_5d", "return_seller_agree_5d",
              "return_fill_tracking_7d", "return_auto_refund_10d")
        return
    if tl.stage in REFUND_STAGES:
        b.say(f"{HELLO}我帮您查了一下，{_order_ref(o)}的退款进度如下。")
        _describe(b, o, tl, now, k)
        return
    if tl.refund is not None and tl.refund.status == "closed":
        b.say(f"{HELLO}{_order_ref(o)}的退款申请已经关闭了，所以一直没有进展。", "refund_not_agreed_checks")
        if tl.refund_cancelled_by_shipping:
            b.say("这是因为卖家发货后，发货前申请的退款会自动取消。", "cancel_refund_no_entry")
        if o.status == "shipped":
            b.say("如果仍需要退款，" + _after_shipping_howto(k), "shipped_apply_after_sales")
        elif o.status == "success":
            _order_desc(b, o, _without_refund(tl), now, k)
        return
    b.say(f"{HELLO}{_order_ref(o)}目前没有退款申请，可能是申请还没有提交成功。", "refund_not_agreed_checks")
    _describe(b, o, tl, now, k)


def _without_refund(tl: OrderTimeline) -> OrderTimeline:
    from dataclasses import replace
    return replace(tl, refund=None, refund_cancelled_by_shipping=False)


def _cancel_refund(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "退款申请提交后是没有取消或关闭入口的。", "cancel_refund_no_entry")
        b.say(f"如果是还没发货的订单点错了退款，卖家点发货后这笔退款会自动取消；请尽快联系卖家发货，"
              f"否则卖家{_days(k, 'paid_auto_refund_2d')}天内没有同意的话，系统会自动退款成功。", "paid_auto_refund_2d")
        return
    r = o.latest_refund
    if tl.stage == "refund_paid_waiting_seller":
        b.say(f"{HELLO}您在{fmt_time(r.requested_at, now)}对「{o.item}」申请的退款没有取消入口，卖家点发货后这笔退款会自动取消。",
              "cancel_refund_no_entry")
        d = tl.deadline
        if d.passed:
            b.say(f"不过已过了{fmt_time(d.at, now)}，按规则系统会自动退款成功，如果还想要这件宝贝，退款后可以重新拍下。",
                  "paid_auto_refund_2d")
        else:
            b.say(f"请尽快联系卖家发货，不然卖家在{fmt_time(d.at, now)}前没有同意的话，系统会自动退款成功。",
                  "paid_auto_refund_2d")
        return
    if r is not None and r.status in OPEN_REFUND_STATUSES:
        b.say(f"{HELLO}退款申请是没有取消入口的，{_order_ref(o)}的退款目前是“{labels.REFUND_STATUS[r.status]}”，"
              "请直接联系卖家说明不退了。", "cancel_refund_no_entry")
        if tl.stage == "refund_only_waiting_seller" and not tl.deadline.passed:
            b.say(f"注意：卖家在{fmt_time(tl.deadline.at, now)}前不处理的话，系统会自动退款。", "refund_only_auto_5d")
        return
    if r is not None and r.status == "succeeded":
        b.say(f"{HELLO}{_order_ref(o)}的退款已经成功了，钱已退回，没办法撤销哦。", "cancel_refund_no_entry")
        b.say("如果还想要这件宝贝，可以重新拍下，感谢您的支持。")
        return
    if r is not None and r.status == "closed":
        b.say(f"{HELLO}{_order_ref(o)}的退款申请已经关闭了，不需要再取消哦。", "cancel_refund_no_entry")
        if tl.refund_cancelled_by_shipping:
            b.say("卖家发货后，发货前申请的退款会自动取消，您放心等收货就好。")
        return
    b.say(f"{HELLO}{_order_ref(o)}目前没有退款申请，不需要取消哦。", "cancel_refund_no_entry")
    b.say("退款申请一旦提交是没有取消入口的，申请前请再确认一下订单。")


def _frozen_line(ft, now, k) -> str:
    f = ft.fund
    amt = fmt_amount(f.amount)
    head = f"{amt}（{fmt_time(f.frozen_at, now)}冻结）"
    rel = ft.release
    if rel == "real_name_verification":
        limit = k.param("frozen_unverified_receipt", "threshold_yuan")
        if ft.actor == "buyer":
            return f"{head}是账户未实名认证时收到的{limit}元以上款项，完成实名认证后会自动解冻"
        return f"{head}是未实名认证时收到的{limit}元以上款项，您已通过实名认证，会自动解冻，如仍未解冻请稍后刷新查看"
    if rel == "card_arrival":
        d = ft.deadline
        bank = _bank_name(f.card_bank)
        card = f"{bank}信用卡" if bank else "信用卡"
        if d.passed:
            return f"{head}是{card}付款的退款，预计到账时间（{fmt_day(d.at, now)}）已过，非常抱歉，请先查看信用卡账单，仍未到账可联系平台客服核实"
        return f"{head}是{card}付款的退款暂时冻结，预计{fmt_range(d, now)}退回信用卡"
    if rel == "see_release_terms":
        name = labels.FROZEN_REASON[f.reason]
        return f"{head}是{name}，可以在这笔冻结记录的说明里查看解冻方式"
    if rel == "expiry_unused":
        return f"{head}是您创建的红包，红包过了有效期对方还没使用的话会自动解冻"
    if rel == "withdrawal_arrival":
        d = ft.deadline
        if d.passed:
            return f"{head}是提现处理中，预计到账时间（{fmt_day(d.at, now)}）已过，非常抱歉，请先查看银行卡入账，仍未到账可联系平台客服核实"
        return f"{head}是提现处理中，预计{fmt_range(d, now)}到达银行卡后就不再冻结"
    return f"{head}暂时冻结，请联系平台客服帮您核实原因"


def _frozen_general(b, k):
    limit = k.param("frozen_unverified_receipt", "threshold_yuan")
    boc = card_refund_working_days("中国银行", k)
    other = card_refund_working_days(None, k)
    b.say(HELLO + "支付宝余额显示冻结、不可用，常见原因有：\n"
          f"1. 账户未实名认证时收到{limit}元以上的即时到账款，通过实名认证后自动解冻；\n"
          f"2. 信用卡付款的退款暂时冻结，中国银行信用卡{_span(boc)}个工作日、其他银行{_span(other)}个工作日退回信用卡；\n"
          "3. 拍卖保证金、消费者保障服务保证金冻结，可在冻结记录的说明里查看解冻方式；\n"
          "4. 创建的红包过了有效期对方没使用，会自动解冻；\n"
          "5. 提现处理期间暂时冻结，到达银行卡后就好了。",
          "frozen_unverified_receipt", "frozen_credit_card_refund", "frozen_auction_deposit",
          "frozen_consumer_protection_deposit", "frozen_red_packet", "frozen_withdrawal_processing")


def _frozen_balance(b, buyer, o, tl, now, k):
    if buyer is None:
        _frozen_general(b, k)
        return
    fts = buyer_frozen(buyer, now, k)
    if not fts:
        _frozen_general(b, k)
        b.parts[0] = b.parts[0].replace(HELLO, HELLO + "我这边没有查到您账户上有冻结的款项。", 1)
        return
    if len(fts) == 1:
        b.say(f"{HELLO}您账户上有一笔冻结款项：{_frozen_line(fts[0], now, k)}。", *fts[0].rule_ids)
    else:
        lines = "；\n".join(f"{i}. {_frozen_line(ft, now, k)}" for i, ft in enumerate(fts, 1))
        b.say(f"{HELLO}您账户上有{len(fts)}笔冻结款项：\n{lines}。")
        for ft in fts:
            b.use(*ft.rule_ids)
    b.say("\n感谢您的耐心等待。")


def _withdraw(b, buyer, o, tl, now, k):
    wd = _span(k.param("withdraw_own_id_bank", "working_days"))
    b.say(HELLO + f"提现直接在支付宝里点“提现”即可，只能提到您本人注册身份证名下的银行卡，提交后{wd}个工作日到账。",
          "withdraw_own_id_bank")
    pending = [ft for ft in (buyer_frozen(buyer, now, k) if buyer else ()) if ft.release == "withdrawal_arrival"]
    if not pending:
        b.say("处理期间这笔钱会暂时显示冻结，到达银行卡后就好了。", "frozen_withdrawal_processing")
    for ft in pending[:2]:
        d = ft.deadline
        f = ft.fund
        if d.passed:
            b.say(f"您在{fmt_time(f.frozen_at, now)}申请的{fmt_amount(f.amount)}提现，预计到账时间（{fmt_day(d.at, now)}）已过，"
                  "非常抱歉让您久等了，请先查看银行卡入账，仍未到账可以联系平台客服核实。",
                  "frozen_withdrawal_processing")
        else:
            b.say(f"您在{fmt_time(f.frozen_at, now)}申请的{fmt_amount(f.amount)}提现正在处理中，"
                  f"预计{fmt_range(d, now)}到账（按工作日计算，节假日顺延），期间这笔钱暂时冻结。",
                  "frozen_withdrawal_processing")
    if buyer is not None and not buyer.real_name_verified:
        b.say("您的账户还没有完成实名认证，建议先完成认证再提现。", "real_name_steps")


def _real_name_steps_text(k) -> str:
    steps = k.param("real_name_steps", "steps")
    return "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))


def _real_name(b, buyer, o, tl, now, k):
    limit = k.param("frozen_unverified_receipt", "threshold_yuan")
    held = [f for f in (buyer.frozen_funds if buyer else ()) if f.reason == "unverified_receipt"]
    total = sum((f.amount for f in held), Decimal("0"))
    if buyer is not None and buyer.real_name_verified:
        b.say(HELLO + "您的账户已经完成实名认证了，不需要再认证哦。", "real_name_steps")
        if held:
            b.say(f"账户上因未实名收款冻结的{fmt_amount(total)}会自动解冻，如仍未解冻请稍后刷新查看。",
                  "frozen_unverified_receipt")
        return
    b.say(HELLO + "实名认证的步骤如下：\n" + _real_name_steps_text(k) + "。", "real_name_steps")
    if held:
        b.say(f"\n认证通过后，您账户上因未实名收款冻结的{fmt_amount(total)}会自动解冻。", "frozen_unverified_receipt")
    else:
        b.say(f"\n认证通过后，未实名时收到的{limit}元以上冻结款会自动解冻。", "frozen_unverified_receipt")


def _postage_no_reason(b, o: OrderFacts) -> None:
    if o.free_shipping:
        b.say("这件是包邮商品，无理由退货的运费双方各承担一程：卖家承担寄出的运费，寄回的运费由您承担。",
              "postage_no_reason_free_shipping")
    else:
        b.say("这件不是包邮商品，无理由退货的来回运费都由您承担。", "postage_no_reason_not_free")


def _seven_day(b, buyer, o, tl, now, k):
    days = _days(k, "seven_day_no_reason")
    if o is None:
        b.say(HELLO + f"支持“{days}天无理由退换货”的商品，在签收后{days}天内、不影响二次销售的前提下，都可以申请无理由退换货。",
              "seven_day_no_reason")
        b.say("退回的运费：包邮商品双方各承担一程，您承担寄回的运费；不包邮的商品来回运费都由您承担。",
              "postage_no_reason_free_shipping", "postage_no_reason_not_free")
        return
    if o.status in ("waiting_payment", "paid", "closed") or tl.stage in REFUND_STAGES:
        b.say(_status_intro(o))
        _describe(b, o, tl, now, k)
        return
    if not o.seven_day_return:
        b.say(f"{HELLO}{_order_ref(o)}不支持{days}天无理由退换货哦。", "seven_day_no_reason")
        b.say("如果是质量问题或与描述不符，可以联系卖家协商换货或退货，协商不成可以申请退款，卖家拒绝后申请客服介入。",
              "quality_negotiate_first")
        return
    win = tl.find("seven_day_return")
    if win is None:  # not signed yet (or signing time unknown)
        b.say(f"{HELLO}{_order_ref(o)}支持{days}天无理由退换货，从签收起{days}天内、不影响二次销售都可以申请。",
              "seven_day_no_reason")
        if o.status == "shipped":
            b.say("包裹还没有签收，现在不想要的话，也可以先和卖家协商，再点“申请售后”。", "shipped_apply_after_sales")
        _postage_no_reason(b, o)
        return
    if not win.passed:
        b.say(f"{HELLO}{_order_ref(o)}支持{days}天无理由退换货，您于{fmt_time(o.signed_at, now)}签收，"
              f"在{fmt_time(win.at, now)}前、不影响二次销售都可以申请无理由退换货。", "seven_day_no_reason")
        _postage_no_reason(b, o)
        return
    b.say(f"{HELLO}{_order_ref(o)}的{days}天无理由退换期限已在{fmt_time(win.at, now)}结束，不能再申请无理由退货了，非常抱歉。",
          "seven_day_no_reason")
    if o.status == "success":
        _order_desc(b, o, tl, now, k)
    else:
        b.say("如果是质量问题，可以联系卖家协商换货或退货，协商不成申请退款，卖家拒绝后可申请客服介入。",
              "quality_negotiate_first")


_SELLER_FAULT = ("质量", "不符", "破损", "损坏", "瑕疵", "错发", "漏发", "少发", "假", "坏")
_BUYER_INITIATED = ("无理由", "不喜欢", "不想要", "拍错", "多拍", "不合适", "不要了")


def _fault_of(reason: Optional[str]) -> Optional[str]:
    if not reason:
        return None
    if any(w in reason for w in _SELLER_FAULT):
        return "seller"
    if any(w in reason for w in _BUYER_INITIATED):
        return "buyer"
    return None


def _return_postage(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "退货运费按“谁过错，谁承担”处理：质量问题、与描述不符等卖家责任的，运费由卖家承担；双方另有约定的按约定。",
              "postage_fault_pays")
        b.say("如果是您自己不喜欢、七天无理由等主动退货，包邮商品双方各承担一程（您承担寄回的运费），"
              "不包邮的商品来回运费都由您承担。", "postage_no_reason_free_shipping", "postage_no_reason_not_free")
        return
    if o.status in ("waiting_payment", "paid"):
        b.say(_status_intro(o, "还没有付款，不涉及退货运费哦" if o.status == "waiting_payment"
                            else "还没有发货，不涉及退货运费哦"))
        _describe(b, o, tl, now, k)
        return
    r = o.latest_refund
    if r is not None and r.kind == "refund_only" and r.status != "closed":
        b.say(f"{HELLO}{_order_ref(o)}申请的是仅退款（无需退货），不用寄回商品，也就不涉及退货运费。")
        _describe(b, o, tl, now, k)
        return
    fault = _fault_of(r.reason if r else None)
    if fault == "seller":
        b.say(f"{HELLO}{_order_ref(o)}的退货原因是“{r.reason}”，属于卖家责任，按“谁过错，谁承担”，退货运费由卖家承担。",
              "postage_fault_pays")
        b.say("如果和卖家有其他约定，按约定来，感谢您的理解。")
        return
    if fault == "buyer":
        b.say(f"{HELLO}{_order_ref(o)}的退货原因是“{r.reason}”，属于您主动发起的退货。", "postage_fault_pays")
        _postage_no_reason(b, o)
        return
    b.say(f"{HELLO}{_order_ref(o)}的退货运费要看原因：质量问题、与描述不符等卖家责任的，由卖家承担。", "postage_fault_pays")
    _postage_no_reason(b, o)


def _quality(b, buyer, o, tl, now, k):
    if o is None:
        b.say(SORRY + "给您添麻烦了。请先联系卖家协商换货或退货，并拍下商品问题的照片。", "quality_negotiate_first")
        b.say("协商不成可以申请退款，卖家拒绝后及时点“要求客服介入”，上传实物对比图片、质量检测凭证等，等客服核实；"
              "也可以联系平台客服投诉和申诉。", "intervention_upload_evidence", "quality_problem_goods")
        b.say("质量问题的退货运费由卖家承担。", "postage_fault_pays")
        return
    if tl.stage in REFUND_STAGES:
        b.say(f"{SORRY}{_order_ref(o)}出现问题给您添麻烦了。")
        _describe(b, o, tl, now, k)
        return
    if o.status == "shipped":
        b.say(f"{SORRY}{_order_ref(o)}出现问题给您添麻烦了，请先拍照联系卖家协商换货或退货。", "quality_negotiate_first")
        b.say("协商不成可以点“申请售后”申请退款，卖家拒绝后及时点“要求客服介入”，并上传实物对比图片、质量检测凭证等。",
              "shipped_apply_after_sales", "intervention_upload_evidence")
        b.say("质量问题的退货运费由卖家承担。", "postage_fault_pays")
        return
    if tl.stage == "success_after_sales_open":
        b.say(f"{SORRY}{_order_ref(o)}出现问题给您添麻烦了，请先拍照联系卖家协商换货或退货。", "quality_problem_goods")
        b.say(f"卖家不同意的，请在{fmt_time(tl.deadline.at, now)}前点“申请售后”，上传实物对比图片、聊天记录截图、"
              "质量检测凭证等，等客服介入核实。", "after_sales_15d", "intervention_upload_evidence")
        b.say("质量问题的退货运费由卖家承担。", "postage_fault_pays")
        return
    if tl.stage == "success_after_sales_over":
        b.say(f"{SORRY}{_order_ref(o)}出现问题给您添麻烦了。")
        _describe(b, o, tl, now, k)
        return
    b.say(_status_intro(o))
    _describe(b, o, tl, now, k)


def _intervention(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "买卖双方协商不成时，可以请平台客服介入调解。", "platform_mediation")
        b.say(f"交易进行中的，先申请退款，卖家拒绝后在退款详情里点“要求客服介入”；交易成功的，在{_days(k, 'after_sales_15d')}天内"
              "进入“已买到的宝贝”点“申请售后”。", "quality_negotiate_first", "after_sales_15d")
        b.say("请上传实物对比图片、聊天记录截图、退货物流底单、质量检测凭证等，客服会根据双方的凭证给出处理方案；售后维权机会只有一次哦。",
              "intervention_upload_evidence", "weiquan_once")
        return
    st = tl.stage
    if st in ("seller_refused", "intervening", "after_sales_waiting_seller"):
        b.say(f"{HELLO}我帮您查了一下，{_order_ref(o)}的退款情况如下。")
        _describe(b, o, tl, now, k)
        return
    if st in ("refund_only_waiting_seller", "return_waiting_seller", "waiting_seller_receipt", "waiting_buyer_return"):
        b.say(f"{HELLO}{_order_ref(o)}的退款还在正常流程中。")
        _describe(b, o, tl, now, k)
        if not (tl.deadline and tl.deadline.passed) and st != "waiting_buyer_return":
            b.say("卖家如果拒绝，您就可以申请客服介入。", "quality_negotiate_first")
        return
    if st == "refund_paid_waiting_seller" or st == "paid_not_shipped":
        b.say(f"{HELLO}{_order_ref(o)}还没有发货，待发货订单的退款不需要客服介入。")
        _describe(b, o, tl, now, k)
        return
    if st == "success_after_sales_open":
        b.say(f"{HELLO}{_order_ref(o)}已交易成功，如果和卖家协商不成，请在{fmt_time(tl.deadline.at, now)}前点“申请售后”，"
              "并上传聊天记录截图、实物对比图片等凭证，等客服介入处理。", "after_sales_15d", "intervention_upload_evidence")
        b.say("售后维权机会只有一次，建议等卖家处理好后再撤销维权。", "weiquan_once")
        return
    if st == "shipped":
        b.say(f"{HELLO}{_order_ref(o)}目前还没有退款申请，需要先申请退款，卖家拒绝后才能申请客服介入。", "quality_negotiate_first")
        b.say(_after_shipping_howto(k), "shipped_apply_after_sales")
        return
    b.say(_status_intro(o))
    _describe(b, o, tl, now, k)


def _auto_confirm(b, buyer, o, tl, now, k):
    d10, d30 = _days(k, "auto_confirm_10d"), _days(k, "auto_confirm_post_30d")
    if o is None:
        b.say(HELLO + f"快递、邮政特快专递或无需物流的订单，从卖家发货起{d10}天后系统会自动确认收货；平邮的是{d30}天。",
              "auto_confirm_10d", "auto_confirm_post_30d")
        b.say("确认收货后，支付宝里的货款就会打给卖家，所以还没收到货或商品有问题的话，请在自动确认前联系卖家处理。",
              "purchase_escrow_flow")
        return
    way = labels.LOGISTICS.get(o.logistics, "快递")
    if tl.stage == "shipped":
        ac = auto_confirm_deadline(o, now, k)
        if ac.passed:
            b.say(f"{HELLO}{_order_ref(o)}于{fmt_time(o.shipped_at, now)}发货（{way}），按规则已在{fmt_time(ac.at, now)}"
                  "到了自动确认收货的时间，订单状态稍后会更新为交易成功。", ac.rule_id)
            b.say("确认收货后货款会打给卖家，商品有问题的话请联系卖家协商。", "purchase_escrow_flow")
        else:
            b.say(f"{HELLO}{_order_ref(o)}于{fmt_time(o.shipped_at, now)}发货（{way}），系统会在{fmt_time(ac.at, now)}"
                  "自动确认收货，到时货款会打给卖家。", ac.rule_id, "purchase_escrow_flow")
            b.say("如果还没收到货或商品有问题，请在这之前联系卖家处理。")
        return
    if o.status == "paid" and tl.stage == "paid_not_shipped":
        rid = auto_confirm_rule(o.logistics, k)
        b.say(f"{HELLO}{_order_ref(o)}还没有发货，发货后{_days(k, rid)}天（{way}）系统才会自动确认收货。", rid)
        b.say("确认收货后货款才会打给卖家，您放心。", "purchase_escrow_flow")
        return
    if o.status == "success":
        b.say(f"{HELLO}{_order_ref(o)}已于{fmt_time(o.success_at, now)}交易成功，已经确认收货，货款已打给卖家。",
              "purchase_escrow_flow")
        if tl.stage in REFUND_STAGES:
            _refund_desc(b, o, tl, now, k)
        elif tl.stage == "success_after_sales_open":
            b.say(f"商品有问题的话，请先联系卖家协商，协商不成可在{fmt_time(tl.deadline.at, now)}前点“申请售后”。",
                  "after_sales_15d")
        elif tl.deadline is not None:
            b.say(f"售后维权期已在{fmt_time(tl.deadline.at, now)}结束，商品有问题的话建议直接联系卖家协商。",
                  "after_sales_15d", "success_no_refund_entry")
        else:
            b.say("商品有问题的话，建议直接联系卖家协商。", "success_no_refund_entry")
        return
    b.say(_status_intro(o))
    _describe(b, o, tl, now, k)


def _trade_closed(b, buyer, o, tl, now, k):
    if o is None:
        b.say(HELLO + "交易关闭一般有两种情况：一是拍下后没有付款，由卖家或系统关闭了交易，不会扣款；"
              "二是退款成功后交易关闭，钱已经退回，可以在订单里查看退款明细。", "closed_unpaid", "closed_refunded")
        b.say("用支付宝余额付款的，钱退回的是支付宝余额，不是银行卡。", "refund_back_to_alipay")
        return
    if o.status == "closed":
        if succeeded_refund(o) is not None:
            r = succeeded_refund(o)
            b.say(f"{HELLO}{_order_ref(o)}是因为退款成功而交易关闭的，可以在订单里查看退款明细。", "closed_refunded")
            rtl = order_timeline(_with_only_refund(o, r), now, k)
            _money_desc(b, o, rtl, r, now, k)
            return
        b.say(f"{HELLO}{_order_ref(o)}已交易关闭。")
        _order_desc(b, o, tl, now, k)
        return
    b.say(_status_intro(o, "并没有交易关闭哦"))
    _describe(b, o, tl, now, k)


def _logistics(b, buyer, o, tl, now, k):
    if o is None:
        b.say(SORRY + "让您着急了。物流一直不动的，可以先联系快递公司了解包裹情况。", "logistics_ask_first")
        b.say("如果包裹丢失、损坏或严重延误，可以联系快递公司索赔，也可以联系平台客服协助处理。", "logistics_claim")
        return
    if o.status == "shipped" and tl.stage not in REFUND_STAGES:
        carrier = "邮局" if o.logistics == "post" else "快递公司"
        if o.signed_at:
            b.say(f"{SORRY}给您添麻烦了，{_order_ref(o)}{_shipped_via(o, now)}，物流显示已于"
                  f"{fmt_time(o.signed_at, now)}签收；如果您实际没有收到，请先联系{carrier}核实。", "logistics_ask_first")
        else:
            b.say(f"{SORRY}让您久等了，{_order_ref(o)}{_shipped_via(o, now)}，可以先联系{carrier}了解包裹情况。",
                  "logistics_ask_first")
        b.say(f"如果包裹丢失、损坏或严重延误，可以联系{carrier}索赔，也可以联系平台客服协助处理。", "logistics_claim")
        ac = tl.find("auto_confirm")
        if ac and not ac.passed:
            b.say(f"系统会在{fmt_time(ac.at, now)}自动确认收货，有问题请在这之前联系卖家处理。", ac.rule_id)
        return
    if o.status == "paid" and tl.stage == "paid_not_shipped":
        b.say(f"{HELLO}{_order_ref(o)}还没有发货哦，可以联系卖家确认发货时间。")
        _describe(b, o, tl, now, k)
        return
    if o.status == "success" and tl.stage not in REFUND_STAGES:
        b.say(f"{HELLO}{_order_ref(o)}已经签收并交易成功了。")
        b.say("如果收到时包裹有破损，可以联系快递公司索赔，也可以联系平台客服协助处理。", "logistics_claim")
        _order_desc(b, o, tl, now, k)
        return
    b.say(_status_intro(o))
    _describe(b, o, tl, now, k)


_HANDLERS: Dict[str, Callable] = {
    "ask_refund_after_shipping": _refund_after_shipping,
    "ask_refund_before_shipping": _refund_before_shipping,
    "ask_refund_after_success": _refund_after_success,
    "ask_refund_not_received": _refund_not_received,
    "ask_refund_progress": _refund_progress,
    "ask_cancel_refund": _cancel_refund,
    "ask_frozen_balance": _frozen_balance,
    "ask_withdraw": _withdraw,
    "ask_real_name_verification": _real_name,
    "ask_seven_day_return": _seven_day,
    "ask_return_shipping_fee": _return_postage,
    "ask_quality_issue": _quality,
    "ask_platform_intervention": _intervention,
    "ask_auto_confirm": _auto_confirm,
    "ask_trade_closed": _trade_closed,
    "ask_logistics_problem": _logistics,
}
assert set(_HANDLERS) == set(REFUND_INTENTS)


# ------------------------------------------------------------ public API

def needs_order(intent: str) -> bool:
    """Would knowing the specific order sharpen the answer to this intent?"""
    _check_intent(intent)
    return intent not in BUYER_LEVEL_INTENTS


def _open(o: OrderFacts) -> bool:
    r = o.latest_refund
    return r is not None and r.status in OPEN_REFUND_STATUSES


def _refunded(o: OrderFacts) -> bool:
    r = o.latest_refund
    return (r is not None and r.status == "succeeded") or (o.status == "closed" and succeeded_refund(o) is not None)


_CANDIDATES: Dict[str, Callable[[OrderFacts], bool]] = {
    "ask_refund_after_shipping": lambda o: o.status == "shipped",
    "ask_refund_before_shipping": lambda o: o.status == "paid",
    "ask_refund_after_success": lambda o: o.status == "success",
    "ask_refund_not_received": _refunded,
    "ask_refund_progress": _open,
    "ask_cancel_refund": _open,
    "ask_seven_day_return": lambda o: o.status in ("shipped", "success") and not _open(o),
    "ask_return_shipping_fee": lambda o: (o.latest_refund is not None and o.latest_refund.kind == "return_and_refund"
                                          and o.latest_refund.status in OPEN_REFUND_STATUSES),
    "ask_quality_issue": lambda o: o.status in ("shipped", "success"),
    "ask_platform_intervention": lambda o: (o.latest_refund is not None
                                            and o.latest_refund.status in ("seller_refused", "intervening")),
    "ask_auto_confirm": lambda o: o.status == "shipped",
    "ask_trade_closed": lambda o: o.status == "closed",
    "ask_logistics_problem": lambda o: o.status == "shipped" and o.signed_at is None,
}

# When the first test finds nothing, try a broader one.
_FALLBACK: Dict[str, Callable[[OrderFacts], bool]] = {
    "ask_return_shipping_fee": lambda o: o.status in ("shipped", "success"),
    "ask_platform_intervention": _open,
    "ask_logistics_problem": lambda o: o.status == "shipped",
}


def candidate_orders(intent: str, buyer: BuyerFacts) -> List[OrderFacts]:
    """Orders this question is plausibly about, most recent activity first."""
    _check_intent(intent)
    if buyer is None or intent in BUYER_LEVEL_INTENTS:
        return []
    test = _CANDIDATES[intent]
    found = [o for o in buyer.orders if test(o)]
    if not found and intent in _FALLBACK:
        found = [o for o in buyer.orders if _FALLBACK[intent](o)]
    return sorted(found, key=last_activity, reverse=True)


def answer_for(intent: str, buyer: Optional[BuyerFacts], order: Optional[OrderFacts], now: datetime,
               knowledge: Optional[Knowledge] = None) -> Answer:
    """The answer to `intent`: general rule, or this buyer's / order's facts."""
    _check_intent(intent)
    k = knowledge or load_knowledge()
    if buyer is None:
        order = None  # anonymous visitors get the general rule only
    if intent in BUYER_LEVEL_INTENTS:
        order = None
    tl = order_timeline(order, now, k) if order is not None else None
    b = _Builder()
    _HANDLERS[intent](b, buyer, order, tl, now, k)
    return b.answer()


def _check_intent(intent: str) -> None:
    if intent not in _HANDLERS:
        raise ValueError(f"not a refund-domain intent: {intent!r}")
