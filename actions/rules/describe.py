"""How an order, its refund and the money are described, stage by stage.

Sentences only: which rule applies to a stage, and its deadline, come from
the timeline (`tl.rule_ids`, `Deadline.rule_id`); a rule id written here
belongs to an extra sentence that goes beyond the stage (the next step, a
how-to).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from . import labels
from .banks import readable_bank
from .context import Context
from .facts import OrderFacts, RefundFacts
from .lateness import auto_step_overdue, partial_refund
from .stages import REFUND_STAGES, Stage
from .timeline import Deadline, OrderTimeline, after_sales_window, card_refund_working_days, is_boc, order_timeline
from .wording import (
    ESCALATE,
    ESCALATE_RULE,
    HELLO,
    arrival_text,
    earliest_gone,
    fmt_amount,
    fmt_time,
    order_ref,
    span,
    window_end_text,
)

# Said wherever a reply tells the buyer money comes back from the seller: the
# place where someone asks for card details or an off-platform payment (002 三.4).
NO_CARD_DETAILS = ("退款都在淘宝平台上处理，不需要您提供银行卡号、密码或验证码，请不要在聊天里发这些信息，"
                   "也不要在平台外给任何人转账或付款；遇到这类要求，可以向淘宝平台投诉或举报。")
NO_CARD_DETAILS_RULE = "complaint_report"

AFTER_SHIPPING_HOWTO = ("请先和卖家协商，再在订单里点“申请售后”：只退款不退货选“我要退款（无需退货）”，"
                        "需要寄回的选“我要退货退款”，填写原因、金额和说明后提交。")


def say_after_shipping_timelines(q: Context) -> None:
    """The refund-only and return timelines after shipping, with their four rules."""
    q.say("正常流程是和卖家协商、卖家同意后退款；卖家一直不处理的也有期限："
          f"仅退款的，卖家{q.days('refund_only_auto_5d')}天内不处理系统会自动退款；"
          f"退货退款的，卖家在{q.days('return_seller_agree_5d')}天内处理，"
          f"同意后请在{q.days('return_fill_tracking_7d')}天内填写退货单号，"
          f"之后卖家{q.days('return_auto_refund_10d')}天内未确认收货，系统会自动退款。",
          "shipped_seller_agreement", "refund_only_auto_5d", "return_seller_agree_5d", "return_fill_tracking_7d",
          "return_auto_refund_10d")


def with_only_refund(o: OrderFacts, r: RefundFacts) -> OrderFacts:
    return replace(o, refunds=(r,))


def without_refund(tl: OrderTimeline) -> OrderTimeline:
    return replace(tl, refund=None, refund_cancelled_by_shipping=False)


def refund_desc(q: Context, tl: OrderTimeline) -> None:
    """Sentences for an open or succeeded refund (tl.stage in REFUND_STAGES)."""
    r = tl.refund
    assert r is not None
    now = q.now
    when = fmt_time(r.requested_at, now)
    amt = fmt_amount(r.amount)
    d = tl.deadline
    st = tl.stage
    if st == Stage.REFUND_SUCCEEDED:
        money_desc(q, q.o, tl, r)
        return
    q.use(*tl.rule_ids)
    if st == Stage.REFUND_PAID_WAITING_SELLER:
        assert d is not None
        q.say(f"您在{when}申请的退款（{amt}）目前待卖家处理。")
        if d.passed:
            auto_step_passed(q, d, "退款")
        else:
            q.say(f"卖家需在{fmt_time(d.at, now)}前处理，逾期未处理系统将自动退款成功，卖家没有拒绝的入口。")
        if q.o.fast_refund and not d.passed:
            q.say("这家店铺开通了极速退款，通常会更快原路退回。")
    elif st == Stage.REFUND_ONLY_WAITING_SELLER:
        assert d is not None
        q.say(f"您在{when}申请的仅退款（{amt}）目前待卖家处理。")
        if d.passed:
            auto_step_passed(q, d, "退款")
        else:
            q.say(f"卖家需在{fmt_time(d.at, now)}前处理，逾期未处理系统将自动退款。")
    elif st == Stage.RETURN_WAITING_SELLER:
        assert d is not None
        q.say(f"您在{when}申请的退货退款（{amt}）目前待卖家处理。")
        if d.passed:
            q.say(f"非常抱歉，卖家已超过{fmt_time(d.at, now)}的处理期限还没有处理，您可以在退款详情里申请客服介入，"
                  "并上传聊天记录截图、实物对比图片等凭证。")
        else:
            q.say(f"卖家需在{fmt_time(d.at, now)}前处理，同意后请在"
                  f"{q.days('return_fill_tracking_7d')}天内寄回商品并填写退货单号。", "return_fill_tracking_7d")
    elif st == Stage.AFTER_SALES_WAITING_SELLER:
        q.say(f"您在{when}提交的售后申请（{amt}）正在等卖家确认，卖家同意后就进入下一步；"
              "卖家不同意的，您可以继续申诉或联系平台客服调解。")
    elif st == Stage.WAITING_BUYER_RETURN:
        _waiting_buyer_return(q, tl, r)
    elif st == Stage.WAITING_SELLER_RECEIPT:
        sent = fmt_time(r.return_shipped_at, now) if r.return_shipped_at else ""
        lead = f"您已于{sent}寄回商品并填写了退货单号" if sent else "您已寄回商品并填写了退货单号"
        if d and d.passed:
            q.say(f"{lead}，卖家一直没有确认收货。")
            auto_step_passed(q, d, "退款")
        elif d:
            q.say(f"{lead}，目前等卖家确认收货。卖家需在{fmt_time(d.at, now)}前确认，逾期未确认系统将自动退款。")
        else:
            q.say(f"{lead}，目前等卖家确认收货，卖家确认后就会给您退款。")
    elif st == Stage.SELLER_REFUSED:
        q.say(f"很抱歉，卖家拒绝了您在{when}申请的退款（{amt}）。")
        q.say("您可以在退款详情里点“要求客服介入”，并上传实物对比图片、聊天记录截图、质量检测凭证等，等客服核实处理。")
    elif st == Stage.INTERVENING:
        q.say(f"您在{when}申请的退款（{amt}）目前平台客服正在介入处理。")
        q.say("客服会根据双方提供的凭证和协商情况给出处理方案，请留意消息，需要时及时补充实物图片、聊天记录截图等凭证。")
        q.say("如果和卖家已经协商好，维权可以撤销，但售后维权机会只有一次，建议等卖家处理好售后后再撤销。", "weiquan_once")


def auto_step_passed(q: Context, d: Deadline, outcome: str) -> None:
    """A deadline after which the system acts by itself (004 §四) has passed: within a
    day, the record may still catch up; later, the step looks overdue: a person helps."""
    when = fmt_time(d.at, q.now)
    if auto_step_overdue(d, q.now):
        q.say(f"非常抱歉让您久等了，按规则过了{when}系统就会自动{outcome}，现在已经超过一天，"
              f"记录还没有更新，看起来自动{outcome}没有按时完成。{ESCALATE}。", ESCALATE_RULE)
    else:
        q.say(f"非常抱歉让您久等了，已过了{when}的期限，按规则系统会自动{outcome}，记录更新可能稍有延迟，"
              "请稍后刷新订单查看。")


def _waiting_buyer_return(q: Context, tl: OrderTimeline, r: RefundFacts) -> None:
    d, now = tl.deadline, q.now
    if d is None:
        q.say(f"卖家已同意退货，请在同意后{q.days('return_fill_tracking_7d')}天内把商品寄回卖家指定的地址，"
              "并填写退货快递单号。", "return_to_seller_address")
    else:
        agreed = fmt_time(r.seller_agreed_at, now) if r.seller_agreed_at else ""
        if d.passed:
            q.say(f"卖家已于{agreed}同意退货，填写退货单号的期限（{fmt_time(d.at, now)}）已经过了，"
                  "请尽快在退款详情里查看状态，有疑问可以联系卖家协商。")
            return
        q.say(f"卖家已于{agreed}同意退货，请在{fmt_time(d.at, now)}前把商品寄回卖家指定的地址，"
              "并填写退货快递单号。", "return_to_seller_address")
    q.say("寄回的商品要完好无损，包装、配件齐全，退货凭证（如退货物流底单）请保存好。",
          "return_condition", "keep_negotiation_records")


def card_refund_days_text(q: Context) -> str:
    """The general credit-card rule: how many working days, by bank."""
    boc = card_refund_working_days("中国银行", q.k)
    other = card_refund_working_days(None, q.k)
    return (f"用信用卡付款的，退款会先暂时冻结再退回信用卡：中国银行信用卡{span(boc)}个工作日到账，"
            f"其他银行{span(other)}个工作日到账。")


def money_desc(q: Context, o: OrderFacts, tl: OrderTimeline, r: RefundFacts) -> None:
    """Where a succeeded refund's money went and when it arrives (tl: its refund_succeeded timeline)."""
    now, k = q.now, q.k
    amt = fmt_amount(r.amount)
    done = fmt_time(r.succeeded_at, now) if r.succeeded_at else ""
    head = f"退款{amt}已于{done}退款成功" if done else f"退款{amt}已经退款成功"
    if o.status == "closed":
        head += "，订单也因此交易关闭了"
    q.use(*tl.rule_ids)
    if r.destination == "alipay_balance":
        q.say(f"{head}，钱退回的是您的支付宝余额，不是银行卡，请在支付宝余额明细里查看。")
    elif r.destination == "huabei":
        q.say(f"{head}，退款记录显示退回的是您的花呗，不是银行卡，请在花呗账单里查看。")
    elif r.destination == "credit_card":
        d = tl.deadline
        bank = readable_bank(o.card_bank)
        lo_hi = card_refund_working_days(o.card_bank, k)
        card = f"{bank}信用卡" if bank else "信用卡"
        if is_boc(o.card_bank, k):
            how_long = f"中国银行信用卡需要{span(lo_hi)}个工作日"
        elif bank:
            how_long = f"一般需要{span(lo_hi)}个工作日"
        else:
            boc = card_refund_working_days("中国银行", k)
            how_long = (f"一般需要{span(card_refund_working_days(None, k))}个工作日，中国银行信用卡为{span(boc)}个工作日"
                        "（我这边没有查到发卡银行，按最长的时间给您估算）")
        q.say(f"{head}。您是用{card}付款的，退款成功后会先暂时冻结，再退回信用卡，{how_long}。")
        if d and d.passed:
            q.say(f"非常抱歉让您久等了，已超过预计到账时间（{window_end_text(d, now)}），看起来到账晚了。"
                  f"建议先查看信用卡账单，仍未看到的话，{ESCALATE}。", ESCALATE_RULE)
        elif d and d.at is None and earliest_gone(d, now):  # no date to promise and the first day is gone
            q.say(arrival_text(d, now, earliest_too=bool(bank)) + f"。请先查看信用卡账单，如果还没看到，{ESCALATE}。",
                  ESCALATE_RULE)
        elif d:
            q.say(arrival_text(d, now, earliest_too=bool(bank)) + "，请留意信用卡账单，感谢您的耐心等待。")
    else:
        where = labels.REFUND_DESTINATION.get(r.destination, "付款账户")
        q.say(f"{head}，按退款记录退到您的{where}，到账时间以{where}的入账记录为准。")
    if "refund_original_route" in tl.rule_ids:
        q.say("这家店铺开通了极速退款，发货前申请的退款会按原路退回。")
    if partial_refund(o, r):
        order_goes_on(q, o, r)


def order_goes_on(q: Context, o: OrderFacts, r: RefundFacts) -> None:
    """A refund smaller than the order: say what the order itself still allows."""
    q.say(f"这笔是部分退款（订单金额{fmt_amount(o.amount)}），订单本身仍是“{labels.ORDER_STATUS[o.status]}”。")
    if o.status == "shipped":
        q.say("商品还有问题的话，可以继续和卖家协商，协商不成再点“申请售后”。", "shipped_apply_after_sales")
        return
    win = after_sales_window(o, q.now, q.k)
    if win is not None and not win.passed:
        q.say(f"商品还有问题的话，请先联系卖家协商；协商不成，可在{fmt_time(win.at, q.now)}前点“申请售后”并上传凭证，"
              "售后维权机会只有一次哦。", "success_no_refund_entry", win.rule_id, "weiquan_once")
    elif win is not None:
        q.say(f"售后维权期（交易成功后{q.days(win.rule_id)}天）已在{fmt_time(win.at, q.now)}结束，"
              "商品还有问题的话建议直接联系卖家协商。", win.rule_id, "success_no_refund_entry")


def money_whereabouts(r: RefundFacts) -> str:
    """Where a succeeded refund's money is, without saying it arrived when it has not."""
    if r.destination == "credit_card":
        return "正在退回信用卡，要按工作日到账"
    if r.destination == "bank_card":
        return "按退款记录退到您的银行卡，到账以银行入账为准"
    if r.destination == "huabei":
        return "退回的是您的花呗（支付宝），不是银行卡"
    return "已经退回您的支付宝余额"


def succeeded_money_desc(q: Context, o: OrderFacts, r: RefundFacts) -> None:
    """money_desc for a succeeded refund that is not the order's current stage (e.g. a closed order)."""
    money_desc(q, o, order_timeline(with_only_refund(o, r), q.now, q.k), r)


def order_desc(q: Context, tl: OrderTimeline) -> None:
    """Sentences for an order with no open refund (order stages)."""
    o, now, st = q.o, q.now, tl.stage
    if st == Stage.UNPAID:
        q.say("这笔订单还没有付款，不涉及退款；不需要的话不付款即可，之后卖家或系统会关闭交易。", *tl.stage_rule_ids)
        q.say(f"如果银行已经扣款，订单却仍显示等待付款，{ESCALATE}。", "paid_but_unpaid", ESCALATE_RULE)
    elif st == Stage.PAID_NOT_SHIPPED:
        q.say("如需退款，可以直接在订单下方点“退款”，选择原因后提交。", *tl.stage_rule_ids)
        paid_speed(q)
    elif st == Stage.SHIPPED:
        shipped = fmt_time(o.shipped_at, now) if o.shipped_at else ""
        q.say(f"卖家已于{shipped}发货，如需退款，" + AFTER_SHIPPING_HOWTO, "shipped_apply_after_sales")
        ac = tl.find("auto_confirm")
        if ac and not ac.passed:
            q.say(f"如果一直不确认收货，系统会在{fmt_time(ac.at, now)}自动确认收货。", ac.rule_id)
    elif st == Stage.SUCCESS_AFTER_SALES_OPEN:
        win = tl.deadline
        assert win is not None and o.success_at is not None
        q.say(f"订单已于{fmt_time(o.success_at, now)}交易成功，订单上没有退款入口，请先联系卖家协商；"
              f"协商不成，可在{fmt_time(win.at, now)}前点“申请售后”并上传凭证。", *tl.stage_rule_ids)
    elif st == Stage.SUCCESS_AFTER_SALES_OVER:
        win = tl.deadline
        if win and o.success_at:
            q.say(f"订单已于{fmt_time(o.success_at, now)}交易成功，售后维权期（交易成功后"
                  f"{q.days(win.rule_id)}天）已在{fmt_time(win.at, now)}结束，平台不再受理维权"
                  "（交易成功15天后的售后处理另有规定，需要时可以联系平台客服查询）；"
                  "建议直接联系卖家协商，卖家可以直接退款到您的支付宝或银行卡。", win.rule_id, "after_sales_past_15d",
                  *tl.stage_rule_ids)
            q.say(NO_CARD_DETAILS, NO_CARD_DETAILS_RULE)
        else:
            q.say("订单已交易成功，订单上没有退款入口，建议直接联系卖家协商，卖家可以直接退款到您的支付宝或银行卡。",
                  "success_no_refund_entry")
            q.say(NO_CARD_DETAILS, NO_CARD_DETAILS_RULE)
    elif st == Stage.CLOSED_REFUNDED:
        r = tl.refund
        assert r is not None
        q.say(f"这笔订单因退款成功已交易关闭，退款{fmt_amount(r.amount)}{money_whereabouts(r)}，"
              "可以在订单里查看退款明细。", *tl.stage_rule_ids)
    elif st == Stage.CLOSED_UNPAID:
        q.say("这笔订单拍下后没有付款，已由卖家或系统关闭交易，没有扣款，也就不涉及退款。", *tl.stage_rule_ids)
    elif st == Stage.CLOSED_OTHER:
        q.say("交易关闭一般是拍下未付款被关闭，或退款成功后关闭；"
              "我这边没有查到它的退款成功记录，如果您付过款却没收到退款，请联系平台客服帮您核实。",
              *tl.stage_rule_ids)
    closed_refund_note(q, tl)


def paid_speed(q: Context) -> None:
    if q.o.fast_refund:
        q.say("这家店铺开通了极速退款，提交后钱会很快原路退回。", "fast_refund")
    else:
        q.say(f"提交后卖家{q.days('paid_auto_refund_2d')}天内没有同意的，系统会自动退款成功，卖家没有拒绝的入口。",
              "paid_auto_refund_2d")


def closed_refund_note(q: Context, tl: OrderTimeline) -> None:
    """A sentence about a closed refund on the order, if there is one."""
    r = tl.refund
    if r is None or r.status != "closed" or tl.stage == Stage.CLOSED_REFUNDED:
        return
    if tl.refund_cancelled_by_shipping:
        q.say(f"您在{fmt_time(r.requested_at, q.now)}申请的退款，因卖家已发货而自动取消了。", "cancel_refund_no_entry")
    else:
        closed = f"已于{fmt_time(r.closed_at, q.now)}关闭" if r.closed_at else "已关闭"
        q.say(f"您在{fmt_time(r.requested_at, q.now)}申请的退款{closed}。", "refund_not_agreed_checks")
        why_refund_closed(q, r)


def closed_refund_answer(q: Context, opening: str) -> None:
    """An order whose refund request closed: that, why if the records show it, and what now."""
    o, tl = q.o, q.tl
    q.say(opening, "refund_not_agreed_checks")
    if tl.refund is not None:
        why_refund_closed(q, tl.refund)
    if tl.refund_cancelled_by_shipping:
        q.say("这是因为卖家发货后，发货前申请的退款会自动取消。", "cancel_refund_no_entry")
    if o.status == "shipped":
        q.say("如果仍需要退款，" + AFTER_SHIPPING_HOWTO, "shipped_apply_after_sales")
    elif o.status == "success":
        order_desc(q, without_refund(tl))


def closed_without_tracking(r: RefundFacts, days: int) -> bool:
    """A return the seller agreed to, closed once the days to fill in the return tracking number
    ran out with none filled in (the one closing the records can show a cause for)."""
    return (r.status == "closed" and r.kind == "return_and_refund" and r.seller_agreed_at is not None
            and r.return_shipped_at is None and not r.return_tracking_no and r.closed_at is not None
            and r.closed_at >= r.seller_agreed_at + timedelta(days=days))


def why_refund_closed(q: Context, r: RefundFacts) -> None:
    """Why a closed refund closed, when the records show it: no return tracking number in time."""
    days = q.days("return_fill_tracking_7d")
    if r.seller_agreed_at is not None and r.closed_at is not None and closed_without_tracking(r, days):
        q.say(f"卖家在{fmt_time(r.seller_agreed_at, q.now)}同意了退货，退货需要在同意后{days}天内寄回并填写退货单号；"
              f"到{fmt_time(r.closed_at, q.now)}还没有填写退货单号，所以这笔退款关闭了。", "return_fill_tracking_7d")


def describe(q: Context) -> None:
    """The order's current stage, whichever it is."""
    if q.tl.stage in REFUND_STAGES:
        refund_desc(q, q.tl)
    else:
        order_desc(q, q.tl)


def intro_then_describe(q: Context, intro: str, *rule_ids: str) -> None:
    """The common ending of a handler: one opening sentence, then the stage."""
    q.say(intro, *rule_ids)
    describe(q)


def in_refund_intro(q: Context) -> str:
    if q.tl.stage == Stage.REFUND_SUCCEEDED:
        r = q.tl.refund
        if r is not None and partial_refund(q.o, r):
            return f"{HELLO}我帮您查了一下，{order_ref(q.o)}有一笔{fmt_amount(r.amount)}的部分退款已经退款成功了。"
        return f"{HELLO}我帮您查了一下，{order_ref(q.o)}已经退款成功了。"
    return f"{HELLO}{order_ref(q.o)}已经在退款流程中了。"


def status_intro(o: OrderFacts, tail: str = "") -> str:
    """“…目前是“卖家已发货”状态。” with an optional clause before the full stop."""
    return f"{HELLO}{order_ref(o)}目前是“{labels.ORDER_STATUS[o.status]}”状态{'，' + tail if tail else ''}。"


def shipped_via(o: OrderFacts, now) -> str:
    when = fmt_time(o.shipped_at, now) if o.shipped_at else ""
    if o.logistics == "none":
        return f"已于{when}发货（无需物流）"
    return f"已于{when}通过{labels.LOGISTICS.get(o.logistics, '快递')}发出"
