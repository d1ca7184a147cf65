"""Answers about after-sales: seven-day returns, return postage, quality,
platform intervention, auto-confirm, closed trades, logistics.
One handler per intent."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from . import labels
from .context import Context
from .describe import (
    AFTER_SHIPPING_HOWTO,
    card_refund_days_text,
    closed_refund_answer,
    intro_then_describe,
    order_desc,
    refund_desc,
    shipped_via,
    status_intro,
    succeeded_money_desc,
)
from .facts import OrderFacts
from .lateness import auto_step_overdue
from .stages import NORMAL_FLOW_STAGES, REFUND_STAGES, Stage
from .timeline import auto_confirm_deadline, auto_confirm_rule, seven_day_window, succeeded_refund
from .wording import ESCALATE, ESCALATE_RULE, HELLO, SORRY, fmt_time, order_ref
from .workdays import to_china


def _postage_no_reason(q: Context, o: OrderFacts, filed_at: Optional[datetime] = None) -> None:
    """No-reason return postage (004 §六), only while such a return is still possible
    (or was filed in time, `filed_at`); otherwise say the window is over."""
    win = seven_day_window(o, q.now, q.k)
    too_late = win is not None and to_china(filed_at or q.now) >= to_china(win.at or q.now)
    if not o.seven_day_return or too_late:
        ended = f"已在{fmt_time(win.at, q.now)}结束" if win is not None and o.seven_day_return else ""
        what = f"这件商品的{q.days('seven_day_no_reason')}天无理由退货期{ended}" if ended \
            else "这件商品不支持七天无理由退货"
        q.say(f"{what}，不能再申请无理由退货了；如果是质量问题或与描述不符，按“谁过错，谁承担”，运费由卖家承担。",
              "seven_day_no_reason", "postage_fault_pays")
        return
    if o.free_shipping:
        q.say("这件是包邮商品，无理由退货的运费双方各承担一程：卖家承担寄出的运费，寄回的运费由您承担。",
              "postage_no_reason_free_shipping")
    else:
        q.say("这件不是包邮商品，无理由退货的来回运费都由您承担。", "postage_no_reason_not_free")


def seven_day(q: Context) -> None:
    days = q.days("seven_day_no_reason")
    if q.order is None:
        q.say(HELLO + f"支持“{days}天无理由退换货”的商品，在签收后{days}天内、不影响二次销售的前提下，都可以申请无理由退换货。",
              "seven_day_no_reason")
        q.say("退回的运费：包邮商品双方各承担一程，您承担寄回的运费；不包邮的商品来回运费都由您承担。",
              "postage_no_reason_free_shipping", "postage_no_reason_not_free")
        return
    o, tl, now = q.o, q.tl, q.now
    if o.status in ("waiting_payment", "paid", "closed") or tl.stage in REFUND_STAGES:
        intro_then_describe(q, status_intro(o))
        return
    if not o.seven_day_return:
        q.say(f"{HELLO}{order_ref(o)}不支持{days}天无理由退换货哦。", "seven_day_no_reason")
        if o.status == "success":
            _success_problem_path(q)
            return
        q.say("如果是质量问题或与描述不符，可以联系卖家协商换货或退货，协商不成可以申请退款，卖家拒绝后申请客服介入。",
              "quality_negotiate_first")
        return
    win = tl.find("seven_day_return")
    if win is None:  # not signed yet (or signing time unknown)
        q.say(f"{HELLO}{order_ref(o)}支持{days}天无理由退换货，从签收起{days}天内、不影响二次销售都可以申请。",
              "seven_day_no_reason")
        if o.status == "shipped":
            q.say("包裹还没有签收，现在不想要的话，也可以先和卖家协商，再点“申请售后”。", "shipped_apply_after_sales")
        _postage_no_reason(q, o)
    elif not win.passed:
        q.say(f"{HELLO}{order_ref(o)}支持{days}天无理由退换货，您于{fmt_time(o.signed_at, now)}签收，"
              f"在{fmt_time(win.at, now)}前、不影响二次销售都可以申请无理由退换货。", win.rule_id)
        _postage_no_reason(q, o)
    else:
        q.say(f"{HELLO}{order_ref(o)}的{days}天无理由退换期限已在{fmt_time(win.at, now)}结束，"
              "不能再申请无理由退货了，非常抱歉。", win.rule_id)
        if o.status == "success":
            order_desc(q, tl)
        else:
            q.say("如果是质量问题，可以联系卖家协商换货或退货，协商不成申请退款，卖家拒绝后可申请客服介入。",
                  "quality_negotiate_first")


def _success_problem_path(q: Context) -> None:
    """A succeeded trade has no refund entry (004 §四.3): a problem goes to the seller, then
    申请售后 within the 15-day window (001 Ⅰ②), with the date; past it, the seller only."""
    tl, now = q.tl, q.now
    win = tl.deadline if tl.stage in (Stage.SUCCESS_AFTER_SALES_OPEN, Stage.SUCCESS_AFTER_SALES_OVER) else None
    if win is not None and not win.passed:
        q.say("订单已交易成功，订单上没有退款入口；如果是质量问题或与描述不符，请先联系卖家协商换货或退货，"
              f"协商不成，请在{fmt_time(win.at, now)}前点“申请售后”并上传凭证，售后维权机会只有一次哦。",
              "success_no_refund_entry", win.rule_id, "intervention_upload_evidence", "weiquan_once")
    else:
        order_desc(q, tl)


# Checked in this order. 001: quality problems are the seller's fault; a size
# complaint (尺寸偏大) is its example of a case hard to call, settled by
# evidence; "觉得自己不喜欢" is the buyer's; and colour, quantity, invoice,
# shelf life ... that differ from the listing are 描述不符, the seller's.
_SELLER_FAULT = ("质量", "破损", "损坏", "瑕疵", "错发", "发错", "漏发", "少发", "假", "坏")
_DISPUTED_SIZE = ("尺码", "尺寸", "大小", "偏大", "偏小", "不合身")
_BUYER_INITIATED = ("无理由", "不喜欢", "不想要", "拍错", "多拍", "不要了")
_NOT_AS_DESCRIBED = ("不符", "颜色", "数量", "发票", "保质期", "过期", "配件", "附件", "赠品")


def fault_of(reason: Optional[str]) -> Optional[str]:
    """Whose fault a refund reason names: "seller", "disputed", "buyer" or None (unclear)."""
    if not reason:
        return None
    for fault, words in (("seller", _SELLER_FAULT), ("disputed", _DISPUTED_SIZE),
                         ("buyer", _BUYER_INITIATED), ("seller", _NOT_AS_DESCRIBED)):
        if any(w in reason for w in words):
            return fault
    return None


def return_postage(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + "退货运费按“谁过错，谁承担”处理：质量问题、与描述不符等卖家责任的，运费由卖家承担；双方另有约定的按约定。",
              "postage_fault_pays")
        q.say("如果是您自己不喜欢、七天无理由等主动退货，包邮商品双方各承担一程（您承担寄回的运费），"
              "不包邮的商品来回运费都由您承担。", "postage_no_reason_free_shipping", "postage_no_reason_not_free")
        q.say("尺码偏大这类责任不好界定的，要看双方的凭证（实物测量图片、宝贝页面的说明对比等），协商不成可以发起维权。",
              "postage_disputed_evidence")
        return
    o = q.o
    if o.status in ("waiting_payment", "paid"):
        tail = "还没有付款，不涉及退货运费哦" if o.status == "waiting_payment" else "还没有发货，不涉及退货运费哦"
        intro_then_describe(q, status_intro(o, tail))
        return
    r = o.latest_refund
    if r is not None and r.kind == "refund_only" and r.status != "closed":
        intro_then_describe(q, f"{HELLO}{order_ref(o)}申请的是仅退款（无需退货），不用寄回商品，也就不涉及退货运费。")
        return
    fault = fault_of(r.reason if r else None)
    if fault == "seller" and r is not None:
        q.say(f"{HELLO}{order_ref(o)}的退货原因是“{r.reason}”，属于质量问题或与描述不符，是卖家的责任，"
              "按“谁过错，谁承担”，退货运费由卖家承担。", "postage_fault_pays", "not_as_described_definition")
        q.say("如果卖家不认可，需要您提供实物对比图片等凭证；和卖家另有约定的，按约定来，感谢您的理解。",
              "intervention_upload_evidence")
        if r.status not in ("succeeded", "closed"):
            q.say("另外寄回的运费需要退给您的，可以和卖家协商，申请时退款原因里也有“退运费”一项。", "shipped_refund_steps")
    elif fault == "disputed" and r is not None:
        q.say(f"{HELLO}{order_ref(o)}的退货原因是“{r.reason}”，尺码这类情况责任不好界定，运费由谁承担要看双方的凭证，"
              "比如实物测量图片、宝贝页面的说明对比等。", "postage_disputed_evidence")
        q.say("建议先和卖家友好协商；协商不成的，可以发起维权，由客服根据凭证处理。", "postage_fault_pays")
    elif fault == "buyer" and r is not None:
        q.say(f"{HELLO}{order_ref(o)}的退货原因是“{r.reason}”，属于您主动发起的退货。", "postage_fault_pays")
        _postage_no_reason(q, o, r.requested_at if r.status != "closed" else None)
    else:
        q.say(f"{HELLO}{order_ref(o)}的退货运费要看原因：质量问题、与描述不符（颜色、数量、发票、保质期等和描述不一致）"
              "等卖家责任的，由卖家承担；责任不好界定的，要看双方的凭证。", "postage_fault_pays", "not_as_described_definition")
        _postage_no_reason(q, o, r.requested_at if r is not None and r.status != "closed" else None)
    if r is not None and r.status == "waiting_buyer_return":
        q.say("卖家已同意退货，请把商品寄回卖家指定的地址。", "return_to_seller_address")


# 003: what can be agreed with the seller (a forum answer: options, never a promise).
OPTIONS = "也可以商量全额退款或部分退款，"


def quality(q: Context) -> None:
    if q.order is None:
        q.say(SORRY + "给您添麻烦了。请先联系卖家协商换货或退货，" + OPTIONS + "拍下商品问题的照片，并保存好协商的聊天记录。",
              "quality_negotiate_first", "refund_options", "keep_negotiation_records")
        q.say("商品瑕疵、保质期、颜色、数量、发票等和卖家描述或约定不一致的，都属于描述不符。",
              "not_as_described_definition")
        q.say("协商不成可以申请退款，卖家拒绝后及时点“要求客服介入”，上传实物对比图片、质量检测凭证等，等客服核实；"
              "也可以联系平台客服投诉和申诉。", "intervention_upload_evidence", "quality_problem_goods")
        q.say("质量问题、描述不符的退货运费由卖家承担。", "postage_fault_pays")
        return
    o, tl = q.o, q.tl
    sorry = f"{SORRY}{order_ref(o)}出现问题给您添麻烦了"
    if tl.stage in REFUND_STAGES or tl.stage == Stage.SUCCESS_AFTER_SALES_OVER:
        intro_then_describe(q, sorry + "。")
    elif o.status == "shipped":
        q.say(sorry + "，请先拍照联系卖家协商换货或退货，" + OPTIONS.rstrip("，") + "。",
              "quality_negotiate_first", "refund_options")
        q.say("协商不成可以点“申请售后”申请退款，卖家拒绝后及时点“要求客服介入”，并上传实物对比图片、质量检测凭证等。",
              "shipped_apply_after_sales", "intervention_upload_evidence")
        q.say("质量问题的退货运费由卖家承担。", "postage_fault_pays")
    elif tl.stage == Stage.SUCCESS_AFTER_SALES_OPEN and tl.deadline is not None:
        q.say(sorry + "，请先拍照联系卖家协商换货或退货。", "quality_problem_goods")
        q.say(f"卖家不同意的，请在{fmt_time(tl.deadline.at, q.now)}前点“申请售后”，上传实物对比图片、聊天记录截图、"
              "质量检测凭证等，等客服介入核实。", tl.deadline.rule_id, "intervention_upload_evidence")
        q.say("质量问题的退货运费由卖家承担。", "postage_fault_pays")
    else:
        intro_then_describe(q, status_intro(o))


def intervention(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + "买卖双方协商不成时，可以请平台客服介入调解。", "platform_mediation")
        q.say(f"交易进行中的，先申请退款，卖家拒绝后在退款详情里点“要求客服介入”；交易成功的，在{q.days('after_sales_15d')}天内"
              "进入“已买到的宝贝”点“申请售后”。", "quality_negotiate_first", "after_sales_15d")
        q.say("请上传实物对比图片、聊天记录截图、退货物流底单、质量检测凭证等，订单号、支付记录等购物凭证也请保留好，"
              "客服会根据双方的凭证给出处理方案；售后维权机会只有一次哦。",
              "intervention_upload_evidence", "keep_purchase_proof", "weiquan_once")
        return
    o, tl = q.o, q.tl
    st = tl.stage
    if st in (Stage.SELLER_REFUSED, Stage.INTERVENING, Stage.AFTER_SALES_WAITING_SELLER):
        intro_then_describe(q, f"{HELLO}我帮您查了一下，{order_ref(o)}的退款情况如下。")
    elif st in NORMAL_FLOW_STAGES:
        intro_then_describe(q, f"{HELLO}{order_ref(o)}的退款还在正常流程中。")
        if not (tl.deadline and tl.deadline.passed) and st != Stage.WAITING_BUYER_RETURN:
            q.say("卖家如果拒绝，您就可以申请客服介入。", "quality_negotiate_first")
    elif st in (Stage.REFUND_PAID_WAITING_SELLER, Stage.PAID_NOT_SHIPPED):
        intro_then_describe(q, f"{HELLO}{order_ref(o)}还没有发货，待发货订单的退款不需要客服介入。")
    elif st == Stage.SUCCESS_AFTER_SALES_OPEN and tl.deadline is not None:
        q.say(f"{HELLO}{order_ref(o)}已交易成功，如果和卖家协商不成，请在{fmt_time(tl.deadline.at, q.now)}前点“申请售后”，"
              "并上传聊天记录截图、实物对比图片等凭证，等客服介入处理。", tl.deadline.rule_id, "intervention_upload_evidence")
        q.say("售后维权机会只有一次，建议等卖家处理好后再撤销维权。", "weiquan_once")
    elif st == Stage.SHIPPED:
        q.say(f"{HELLO}{order_ref(o)}目前还没有退款申请，需要先申请退款，卖家拒绝后才能申请客服介入。", "quality_negotiate_first")
        q.say(AFTER_SHIPPING_HOWTO, "shipped_apply_after_sales")
    else:
        intro_then_describe(q, status_intro(o))


def auto_confirm(q: Context) -> None:
    d10, d30 = q.days("auto_confirm_10d"), q.days("auto_confirm_post_30d")
    if q.order is None:
        q.say(HELLO + f"快递、邮政特快专递或无需物流的订单，从卖家发货起{d10}天后系统会自动确认收货；平邮的是{d30}天。",
              "auto_confirm_10d", "auto_confirm_post_30d")
        q.say("确认收货后，支付宝里的货款就会打给卖家，所以还没收到货或商品有问题的话，请在自动确认前联系卖家处理。",
              "purchase_escrow_flow")
        return
    o, tl, now = q.o, q.tl, q.now
    way = labels.LOGISTICS.get(o.logistics, "快递")
    ac = auto_confirm_deadline(o, now, q.k) if tl.stage == Stage.SHIPPED else None
    if ac is not None:
        shipped = f"{HELLO}{order_ref(o)}于{fmt_time(o.shipped_at, now)}发货（{way}），"
        if ac.passed and auto_step_overdue(ac, now):
            q.say(shipped + f"按规则在{fmt_time(ac.at, now)}就该自动确认收货了，现在已经超过一天，订单还显示“卖家已发货”，"
                  f"看起来自动确认收货没有按时完成，非常抱歉。{ESCALATE}。", ac.rule_id, ESCALATE_RULE)
            q.say("确认收货后货款会打给卖家，商品有问题的话请先联系卖家协商。", "purchase_escrow_flow")
        elif ac.passed:
            q.say(shipped + f"按规则已在{fmt_time(ac.at, now)}到了自动确认收货的时间，订单状态稍后会更新为交易成功。",
                  ac.rule_id)
            q.say("确认收货后货款会打给卖家，商品有问题的话请联系卖家协商。", "purchase_escrow_flow")
        else:
            q.say(shipped + f"系统会在{fmt_time(ac.at, now)}自动确认收货，到时货款会打给卖家。",
                  ac.rule_id, "purchase_escrow_flow")
            q.say("如果还没收到货或商品有问题，请在这之前联系卖家处理。")
    elif o.status == "paid" and tl.stage == Stage.PAID_NOT_SHIPPED:
        rid = auto_confirm_rule(o.logistics, q.k)
        q.say(f"{HELLO}{order_ref(o)}还没有发货，发货后{q.days(rid)}天（{way}）系统才会自动确认收货。", rid)
        q.say("确认收货后货款才会打给卖家，您放心。", "purchase_escrow_flow")
    elif o.status == "success":
        q.say(f"{HELLO}{order_ref(o)}已于{fmt_time(o.success_at, now)}交易成功，已经确认收货，货款已打给卖家。",
              "purchase_escrow_flow")
        _after_success_note(q)
    else:
        intro_then_describe(q, status_intro(o))


def _after_success_note(q: Context) -> None:
    tl, now = q.tl, q.now
    if tl.stage in REFUND_STAGES:
        refund_desc(q, tl)
    elif tl.stage == Stage.SUCCESS_AFTER_SALES_OPEN and tl.deadline is not None:
        q.say(f"商品有问题的话，请先联系卖家协商，协商不成可在{fmt_time(tl.deadline.at, now)}前点“申请售后”。",
              tl.deadline.rule_id)
    elif tl.deadline is not None:
        q.say(f"售后维权期已在{fmt_time(tl.deadline.at, now)}结束，商品有问题的话建议直接联系卖家协商。",
              tl.deadline.rule_id, "success_no_refund_entry")
    else:
        q.say("商品有问题的话，建议直接联系卖家协商。", "success_no_refund_entry")


def trade_closed(q: Context) -> None:
    if q.order is None:
        q.say(HELLO + "交易关闭一般有两种情况：一是拍下后没有付款，由卖家或系统关闭了交易，不会扣款；"
              "二是退款成功后交易关闭，可以在订单里查看退款明细和退回去向。", "closed_unpaid", "closed_refunded")
        # "back already" holds for a balance refund only: a card refund still takes working days
        q.say("用支付宝余额付款的，钱退回的是支付宝余额，不是银行卡。", "refund_back_to_alipay")
        q.say(card_refund_days_text(q), "frozen_credit_card_refund")
        return
    o, tl = q.o, q.tl
    if o.status != "closed" and tl.refund is not None and tl.refund.status == "closed":  # 退款为啥关了
        closed_refund_answer(q, f"{HELLO}{order_ref(o)}的交易并没有关闭，关闭的是您的退款申请。")
        return
    if o.status != "closed":
        intro_then_describe(q, status_intro(o, "并没有交易关闭哦"))
        return
    r = succeeded_refund(o)
    if r is not None:
        q.say(f"{HELLO}{order_ref(o)}是因为退款成功而交易关闭的，可以在订单里查看退款明细。", "closed_refunded")
        succeeded_money_desc(q, o, r)
    else:
        q.say(f"{HELLO}{order_ref(o)}已交易关闭。")
        order_desc(q, tl)


# 001's shop phrasing: "一般", not a platform promise, so no date is computed from it.
DELIVERY_TIMES = "发货后一般江浙沪1–2天、江浙沪以外3–5天、偏远地区5–7天送达，遇到雨雪天气可能会慢一些。"
CLAIM = ("如果包裹丢失、损坏或严重延误，可以联系{carrier}索赔，也可以和卖家商量重新配送或补偿，"
         "还可以联系平台客服协助处理。")


def logistics(q: Context) -> None:
    if q.order is None:
        q.say(SORRY + "让您着急了。" + DELIVERY_TIMES, "delivery_times", "weather_delay")
        q.say("物流一直不动的，可以先联系快递公司了解包裹情况。", "logistics_ask_first")
        q.say(CLAIM.format(carrier="快递公司"), "logistics_claim", "logistics_remedies")
        return
    o, tl, now = q.o, q.tl, q.now
    if o.status == "shipped" and tl.stage not in REFUND_STAGES:
        carrier = "邮局" if o.logistics == "post" else "快递公司"
        if o.signed_at:
            q.say(f"{SORRY}给您添麻烦了，{order_ref(o)}{shipped_via(o, now)}，物流显示已于"
                  f"{fmt_time(o.signed_at, now)}签收；如果您实际没有收到，请先联系{carrier}核实。", "logistics_ask_first")
        else:
            q.say(f"{SORRY}让您久等了，{order_ref(o)}{shipped_via(o, now)}，可以先联系{carrier}了解包裹情况。",
                  "logistics_ask_first")
            q.say(DELIVERY_TIMES, "delivery_times", "weather_delay")
            q.say("一直收不到想退款的，可以和卖家协商后点“申请售后”，在“收/未收到货”一步选择“未收到货”。",
                  "shipped_refund_steps")
        q.say(CLAIM.format(carrier=carrier), "logistics_claim", "logistics_remedies")
        ac = tl.find("auto_confirm")
        if ac and not ac.passed:
            q.say(f"系统会在{fmt_time(ac.at, now)}自动确认收货，有问题请在这之前联系卖家处理。", ac.rule_id)
    elif o.status == "paid" and tl.stage == Stage.PAID_NOT_SHIPPED:
        intro_then_describe(q, f"{HELLO}{order_ref(o)}还没有发货哦，可以联系卖家确认发货时间；发货后"
                            + DELIVERY_TIMES.removeprefix("发货后"), "delivery_times", "weather_delay")
    elif o.status == "success" and tl.stage not in REFUND_STAGES:
        if o.signed_at:
            q.say(f"{HELLO}{order_ref(o)}已于{fmt_time(o.signed_at, now)}签收并交易成功了。")
            q.say("如果收到时包裹有破损，可以联系快递公司索赔，也可以联系平台客服协助处理。", "logistics_claim")
        else:
            # a trade can succeed by auto-confirm with the parcel never delivered
            q.say(f"{HELLO}{order_ref(o)}已于{fmt_time(o.success_at, now)}交易成功，但我这边没有查到签收记录。")
            q.say("如果您没有收到包裹或包裹有破损，可以联系快递公司索赔，也可以联系平台客服协助处理。", "logistics_claim")
        order_desc(q, tl)
    else:
        intro_then_describe(q, status_intro(o))
