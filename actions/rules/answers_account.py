"""Answers about the buyer's account, not one order: frozen balance,
withdrawal, real-name verification. One handler per intent."""
from __future__ import annotations

from decimal import Decimal

from . import labels
from .banks import readable_bank
from .context import Context
from .knowledge import Knowledge
from .timeline import FrozenTimeline, buyer_frozen, card_refund_working_days
from .wording import ESCALATE, ESCALATE_RULE, HELLO, arrival_text, earliest_gone, fmt_amount, fmt_time, span, window_end_text

# Where verification is done, and what never to type into a chat.
REAL_NAME_WHERE = "实名认证请打开支付宝，由您本人在支付宝里操作，步骤如下：\n"
NEVER_IN_CHAT = ("\n身份证号、银行卡号只在支付宝的认证页面里填写，请不要在聊天里发给任何人（包括客服），"
                 "也不要把银行打款的金额或验证码告诉别人。")
SHORT_HELP = "仍未到账可以联系平台客服核实，或回复“转人工”"


def _late(ft: FrozenTimeline, now) -> bool:
    """Is this frozen amount's release already later than its rule allows?"""
    d = ft.deadline
    return d is not None and (d.passed or (d.at is None and earliest_gone(d, now)))


def _frozen_line(ft: FrozenTimeline, q: Context) -> str:
    f, now = ft.fund, q.now
    head = f"{fmt_amount(f.amount)}（{fmt_time(f.frozen_at, now)}冻结）"
    rel, d = ft.release, ft.deadline
    if rel == "real_name_verification":
        limit = q.k.param("frozen_unverified_receipt", "threshold_yuan")
        if ft.actor == "buyer":
            return f"{head}是账户未实名认证时收到的{limit}元以上款项，完成实名认证后会自动解冻"
        return (f"{head}是未实名认证时收到的{limit}元以上款项，按规则通过实名认证后就会自动解冻；"
                "您已通过实名认证，如果还没有解冻，可以联系平台客服核实，或回复“转人工”")
    if rel == "card_arrival" and d is not None:
        bank = readable_bank(f.card_bank)
        card = f"{bank}信用卡" if bank else "信用卡"
        if d.passed:
            return (f"{head}是{card}付款的退款，预计到账时间（{window_end_text(d, now)}）已过，看起来晚了，非常抱歉，"
                    f"请先查看信用卡账单，{SHORT_HELP}")
        if d.at is None and earliest_gone(d, now):
            return (f"{head}是{card}付款的退款暂时冻结（退回信用卡），{arrival_text(d, now, earliest_too=bool(bank))}，"
                    f"请先查看信用卡账单，{SHORT_HELP}")
        return f"{head}是{card}付款的退款暂时冻结，{arrival_text(d, now, earliest_too=bool(bank))}（退回信用卡）"
    if rel == "see_release_terms":
        return (f"{head}是{labels.FROZEN_REASON[f.reason]}，要按这项保证金的规则解冻，我这边查不到具体的解冻条件，"
                "需要的话可以联系平台客服查询")
    if rel == "expiry_unused":
        return f"{head}是您创建的红包，红包过了有效期对方还没使用的话会自动解冻"
    if rel == "withdrawal_arrival" and d is not None:
        if d.passed:
            return (f"{head}是提现处理中，预计到账时间（{window_end_text(d, now)}）已过，看起来晚了，非常抱歉，"
                    f"请先查看银行卡入账，{SHORT_HELP}")
        if d.at is None and earliest_gone(d, now):
            return f"{head}是提现处理中，{arrival_text(d, now)}，请先查看银行卡入账，{SHORT_HELP}"
        return f"{head}是提现处理中，到达银行卡后就不再冻结，{arrival_text(d, now)}"
    return f"{head}暂时冻结，请联系平台客服帮您核实原因"


def _frozen_general_text(k: Knowledge) -> str:
    limit = k.param("frozen_unverified_receipt", "threshold_yuan")
    boc = card_refund_working_days("中国银行", k)
    other = card_refund_working_days(None, k)
    return ("支付宝余额显示冻结、不可用，常见原因有：\n"
            f"1. 账户未实名认证时收到{limit}元以上的即时到账款，通过实名认证后自动解冻；\n"
            f"2. 信用卡付款的退款暂时冻结，中国银行信用卡{span(boc)}个工作日、其他银行{span(other)}个工作日退回信用卡；\n"
            "3. 拍卖保证金、消费者保障服务保证金冻结，要按保证金的规则解冻，具体条件可以联系平台客服查询；\n"
            "4. 创建的红包过了有效期对方没使用，会自动解冻；\n"
            "5. 提现处理期间暂时冻结，到达银行卡后就好了。")


_FROZEN_GENERAL_RULES = ("frozen_unverified_receipt", "frozen_credit_card_refund", "frozen_auction_deposit",
                         "frozen_consumer_protection_deposit", "frozen_red_packet", "frozen_withdrawal_processing")


def frozen_balance(q: Context) -> None:
    fts = buyer_frozen(q.buyer, q.now, q.k) if q.buyer is not None else ()
    if q.frozen:
        fts = tuple(ft for ft in fts if ft.fund in q.frozen)
    if not fts:
        none_found = "我这边没有查到您账户上有冻结的款项。" if q.buyer is not None else ""
        q.say(HELLO + none_found + _frozen_general_text(q.k), *_FROZEN_GENERAL_RULES)
        return
    if len(fts) == 1:
        q.say(f"{HELLO}您账户上有一笔冻结款项：{_frozen_line(fts[0], q)}。", *fts[0].rule_ids)
    else:
        lines = "；\n".join(f"{i}. {_frozen_line(ft, q)}" for i, ft in enumerate(fts, 1))
        q.say(f"{HELLO}您账户上有{len(fts)}笔冻结款项：\n{lines}。")
        for ft in fts:
            q.use(*ft.rule_ids)
    if any(_late(ft, q.now) for ft in fts):
        q.use(ESCALATE_RULE)
        q.say("\n给您添麻烦了，非常抱歉。")
    else:
        q.say("\n感谢您的耐心等待。")


def withdraw(q: Context) -> None:
    now = q.now
    wd = span(q.k.param("withdraw_own_id_bank", "working_days"))
    q.say(HELLO + f"提现直接在支付宝里点“提现”即可，只能提到您本人注册身份证名下的银行卡，提交后{wd}个工作日到账。",
          "withdraw_own_id_bank")
    frozen = buyer_frozen(q.buyer, now, q.k) if q.buyer is not None else ()
    pending = [ft for ft in frozen if ft.release == "withdrawal_arrival"]
    if not pending:
        q.say("处理期间这笔钱会暂时显示冻结，到达银行卡后就好了。", "frozen_withdrawal_processing")
    for ft in pending[:2]:
        d, f = ft.deadline, ft.fund
        assert d is not None
        if d.passed:
            q.say(f"您在{fmt_time(f.frozen_at, now)}申请的{fmt_amount(f.amount)}提现，"
                  f"预计到账时间（{window_end_text(d, now)}）已过，"
                  "非常抱歉让您久等了，请先查看银行卡入账，仍未到账可以联系平台客服核实。",
                  "frozen_withdrawal_processing")
        else:
            q.say(f"您在{fmt_time(f.frozen_at, now)}申请的{fmt_amount(f.amount)}提现正在处理中，"
                  f"{arrival_text(d, now)}，期间这笔钱暂时冻结。",
                  "frozen_withdrawal_processing")
            if d.at is None and earliest_gone(d, now):
                q.say(f"请先查看银行卡入账，如果还没看到，{ESCALATE}。", ESCALATE_RULE)
    if q.buyer is not None and not q.buyer.real_name_verified:
        q.say("您的账户还没有完成实名认证，建议先完成认证再提现。", "real_name_steps")


def real_name(q: Context) -> None:
    limit = q.k.param("frozen_unverified_receipt", "threshold_yuan")
    held = [f for f in (q.buyer.frozen_funds if q.buyer else ()) if f.reason == "unverified_receipt"]
    total = sum((f.amount for f in held), Decimal("0"))
    if q.buyer is not None and q.buyer.real_name_verified:
        q.say(HELLO + "您的账户已经完成实名认证了，不需要再认证哦。", "real_name_steps")
        if held:
            q.say(f"账户上因未实名收款冻结的{fmt_amount(total)}按规则会自动解冻；如果还没有解冻，{ESCALATE}。",
                  "frozen_unverified_receipt", ESCALATE_RULE)
        return
    steps = "\n".join(f"{i}. {s}" for i, s in enumerate(q.k.param("real_name_steps", "steps"), 1))
    q.say(HELLO + REAL_NAME_WHERE + steps + "。", "real_name_steps")
    q.say(NEVER_IN_CHAT)
    if held:
        q.say(f"\n认证通过后，您账户上因未实名收款冻结的{fmt_amount(total)}会自动解冻。", "frozen_unverified_receipt")
    else:
        q.say(f"\n认证通过后，未实名时收到的{limit}元以上冻结款会自动解冻。", "frozen_unverified_receipt")
