"""Answers to the refund-flow questions: before/after shipping, after success,
money not arrived, progress, cancelling a refund. One handler per intent."""
from __future__ import annotations

from . import labels
from .context import Context
from .describe import (
    AFTER_SHIPPING_HOWTO,
    auto_step_passed,
    card_refund_days_text,
    closed_refund_answer,
    closed_refund_note,
    in_refund_intro,
    intro_then_describe,
    money_desc,
    money_whereabouts,
    paid_speed,
    say_after_shipping_timelines,
    status_intro,
    succeeded_money_desc,
)
from .facts import OPEN_REFUND_STATUSES
from .stages import REFUND_STAGES, Stage
from .wording import HELLO, fmt_time, order_ref


def refund_after_shipping(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + SHIPPED_CONDITION + "已发货的订单也可以退款哦。" + AFTER_SHIPPING_HOWTO,
              "shipped_apply_after_sales", "shipped_refund_steps")
        say_after_shipping_timelines(q)
        return
    o, tl = q.o, q.tl
    if tl.stage == Stage.SHIPPED:
        q.say(f"{HELLO}{order_ref(o)}已于{fmt_time(o.shipped_at, q.now)}发货，{SHIPPED_CONDITION}也可以申请退款哦。"
              + AFTER_SHIPPING_HOWTO, "shipped_apply_after_sales", "shipped_refund_steps")
        if not o.signed_at:
            q.say(NOT_RECEIVED_CHOICE, "shipped_refund_steps")
        say_after_shipping_timelines(q)
        closed_refund_note(q, tl)
    elif tl.stage in REFUND_STAGES:
        intro_then_describe(q, in_refund_intro(q))
    elif o.status == "paid":
        intro_then_describe(q, f"{HELLO}{order_ref(o)}还没有发货哦。")
    else:
        intro_then_describe(q, status_intro(o))


# 000: a shipped order refunds "只要商品不影响二次销售，且没有出现人为损坏".
SHIPPED_CONDITION = "只要商品不影响二次销售、没有人为损坏，"
# 004 §四.2 A: the form asks 收/未收到货 first.
NOT_RECEIVED_CHOICE = "如果还没收到货，申请时在“收/未收到货”一步选择“未收到货”。"


def refund_before_shipping(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + "还没发货的订单可以取消订单、全额退款：直接在订单下方点“退款”，"
              "选择原因（缺货、协商一致退款、未按约定时间发货等）提交即可。", "unshipped_cancel_full_refund", "paid_refund_steps")
        q.say(f"如果店铺开通了极速退款，钱会很快原路退回；没有开通的，卖家{q.days('paid_auto_refund_2d')}"
              "天内未同意，系统会自动退款成功，卖家没有拒绝的入口。", "fast_refund", "paid_auto_refund_2d")
        return
    o, tl = q.o, q.tl
    if tl.stage == Stage.PAID_NOT_SHIPPED:
        q.say(f"{HELLO}{order_ref(o)}还没有发货，可以直接在订单下方点“退款”，选择原因后提交。", "paid_refund_steps")
        paid_speed(q)
        closed_refund_note(q, tl)
    elif tl.stage in REFUND_STAGES:
        intro_then_describe(q, in_refund_intro(q))
    elif o.status == "shipped":
        q.say(f"{HELLO}{order_ref(o)}已于{fmt_time(o.shipped_at, q.now)}发货了，不能再按未发货直接退款啦。")
        q.say(AFTER_SHIPPING_HOWTO, "shipped_apply_after_sales")
        if tl.refund_cancelled_by_shipping:
            q.say("您发货前申请的退款，因卖家已发货而自动取消了。", "cancel_refund_no_entry")
    else:
        intro_then_describe(q, status_intro(o))


def refund_after_success(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + "交易成功后订单上就没有“退款”按钮了，需要先联系卖家协商换货或退货。", "success_no_refund_entry")
        q.say(f"协商不成的，在交易成功后{q.days('after_sales_15d')}天内进入“已买到的宝贝”找到这笔订单点“申请售后”，"
              "并上传聊天记录截图、实物对比图片等凭证，等客服介入处理。", "after_sales_15d", "intervention_upload_evidence")
        q.say("售后维权机会只有一次，建议等卖家处理好后再撤销维权。", "weiquan_once")
        return
    o, tl = q.o, q.tl
    if tl.stage == Stage.SUCCESS_AFTER_SALES_OPEN:
        win = tl.deadline
        assert win is not None
        q.say(f"{HELLO}{order_ref(o)}已于{fmt_time(o.success_at, q.now)}交易成功，订单上没有退款按钮，"
              "请先联系卖家协商换货或退货。", "success_no_refund_entry")
        q.say(f"协商不成的，请在{fmt_time(win.at, q.now)}前点“申请售后”并上传凭证，逾期平台将不再受理。", win.rule_id)
        q.say("售后维权机会只有一次哦。", "weiquan_once")
    elif tl.stage == Stage.SUCCESS_AFTER_SALES_OVER:
        intro_then_describe(q, f"{HELLO}我帮您查了一下，{order_ref(o)}的情况如下。")
    elif tl.stage in REFUND_STAGES:
        intro_then_describe(q, in_refund_intro(q))
    elif o.status == "shipped":
        q.say(f"{HELLO}{order_ref(o)}还没有交易成功（卖家已于{fmt_time(o.shipped_at, q.now)}发货），现在就可以直接申请退款。")
        q.say(AFTER_SHIPPING_HOWTO, "shipped_apply_after_sales")
    else:
        intro_then_describe(q, status_intro(o))


def refund_not_received(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + "退款成功后，用支付宝余额付款的钱会退回支付宝余额，不是银行卡，可以先在余额明细里查一下。",
              "refund_back_to_alipay")
        q.say(card_refund_days_text(q), "frozen_credit_card_refund")
        q.say("其他情况，卖家同意退款后钱退到您的支付宝账户或银行卡，以退款详情里显示的去向为准；"
              "开通了极速退款的店铺，发货前申请的退款会按原路退回。", "refund_to_alipay_or_bank", "refund_original_route")
        return
    o, tl = q.o, q.tl
    if tl.stage in (Stage.REFUND_SUCCEEDED, Stage.CLOSED_REFUNDED):
        r = tl.refund
        assert r is not None
        q.say(f"{HELLO}我帮您查了一下，{order_ref(o)}的退款情况如下。")
        if tl.stage == Stage.CLOSED_REFUNDED:
            # show the arrival for the refund that closed the order
            succeeded_money_desc(q, o, r)
        else:
            money_desc(q, o, tl, r)
    elif tl.stage in REFUND_STAGES:
        intro_then_describe(q, f"{HELLO}{order_ref(o)}的退款还没有成功哦，所以钱还没有退回。")
    elif tl.stage in (Stage.UNPAID, Stage.CLOSED_UNPAID):
        intro_then_describe(q, status_intro(o))
    else:
        intro_then_describe(q, f"{HELLO}{order_ref(o)}目前没有退款成功的记录，所以还没有退款到账。",
                            "refund_not_agreed_checks")


def refund_progress(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + "退款进度可以在订单的退款详情里查看；如果好久没同意，请先看看退款是否已关闭、"
              "是否还没填写退货单号、申请是否提交成功。", "refund_not_agreed_checks")
        q.say(f"未发货的订单，卖家{q.days('paid_auto_refund_2d')}天内未同意系统会自动退款。", "paid_auto_refund_2d")
        say_after_shipping_timelines(q)
        return
    o, tl = q.o, q.tl
    if tl.stage in REFUND_STAGES:
        intro_then_describe(q, f"{HELLO}我帮您查了一下，{order_ref(o)}的退款进度如下。")
    elif tl.refund is not None and tl.refund.status == "closed":
        closed_refund_answer(q, f"{HELLO}{order_ref(o)}的退款申请已经关闭了，所以一直没有进展。")
    elif tl.stage in (Stage.UNPAID, Stage.CLOSED_UNPAID):
        intro_then_describe(q, status_intro(o))
    else:
        intro_then_describe(q, f"{HELLO}{order_ref(o)}目前没有退款申请，可能是申请还没有提交成功。",
                            "refund_not_agreed_checks")


def cancel_refund(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + "退款申请提交后是没有取消或关闭入口的。", "cancel_refund_no_entry")
        q.say("如果是还没发货的订单点错了退款，卖家点发货后这笔退款会自动取消；请尽快联系卖家发货，"
              f"如果卖家在申请后{q.days('paid_auto_refund_2d')}天内没有发货，系统会自动退款成功。", "paid_auto_refund_2d")
        # 001 speaks of a 维权 being withdrawn (conflicts: weiquan_withdrawal)
        q.say("如果是已经申请客服介入、或交易成功后申请的售后（维权），是可以撤销的，"
              "不过维权机会只有一次，建议等卖家处理好售后后再撤销。", "weiquan_once")
        return
    o, tl, now = q.o, q.tl, q.now
    r = o.latest_refund
    d = tl.deadline
    if tl.stage == Stage.REFUND_PAID_WAITING_SELLER and r is not None and d is not None:
        q.say(f"{HELLO}您在{fmt_time(r.requested_at, now)}对「{o.item}」申请的退款没有取消入口，卖家点发货后这笔退款会自动取消。",
              "cancel_refund_no_entry")
        if d.passed:
            q.use(d.rule_id)
            auto_step_passed(q, d, "退款")
            q.say("如果还想要这件宝贝，退款后可以重新拍下。")
        else:
            q.say(f"请尽快联系卖家发货；如果卖家在{fmt_time(d.at, now)}前没有发货，系统会自动退款成功。", d.rule_id)
    elif r is not None and tl.stage in (Stage.INTERVENING, Stage.AFTER_SALES_WAITING_SELLER):
        # 001: a 维权 can be withdrawn, once (conflicts: weiquan_withdrawal)
        what = "客服介入中的维权" if tl.stage == Stage.INTERVENING else "交易成功后申请的售后（维权）"
        q.say(f"{HELLO}{order_ref(o)}目前是{what}，维权是可以撤销的。", "weiquan_once")
        q.say("不过售后维权机会只有一次，建议等卖家处理好售后后再撤销维权，感谢您的理解。")
    elif r is not None and r.status in OPEN_REFUND_STATUSES:
        q.say(f"{HELLO}退款申请是没有取消入口的，{order_ref(o)}的退款目前是“{labels.REFUND_STATUS[r.status]}”，"
              "请直接联系卖家说明不退了。", "cancel_refund_no_entry")
        if r.return_tracking_no:
            sent = f"已于{fmt_time(r.return_shipped_at, now)}" if r.return_shipped_at else "已经"
            q.say(f"请注意：您{sent}寄回商品并填写了退货单号，包裹已经在寄往卖家的路上了，"
                  "和卖家说明时请一并商量好商品怎么再寄给您。", "return_to_seller_address")
        if tl.stage == Stage.REFUND_ONLY_WAITING_SELLER and d is not None and not d.passed:
            q.say(f"注意：卖家在{fmt_time(d.at, now)}前不处理的话，系统会自动退款。", d.rule_id)
    elif r is not None and r.status == "succeeded":
        q.say(f"{HELLO}{order_ref(o)}的退款已经成功了，没办法撤销哦；钱{money_whereabouts(r)}。", "cancel_refund_no_entry")
        q.say("如果还想要这件宝贝，可以重新拍下，感谢您的支持。")
    elif r is not None and r.status == "closed":
        q.say(f"{HELLO}{order_ref(o)}的退款申请已经关闭了，不需要再取消哦。", "cancel_refund_no_entry")
        if tl.refund_cancelled_by_shipping:
            q.say("卖家发货后，发货前申请的退款会自动取消，您放心等收货就好。")
    else:
        q.say(f"{HELLO}{order_ref(o)}目前没有退款申请，不需要取消哦。", "cancel_refund_no_entry")
        q.say("退款申请一旦提交是没有取消入口的，申请前请再确认一下订单。")

