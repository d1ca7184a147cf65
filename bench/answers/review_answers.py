"""Review the bot's answers the way issue #20's review did, by machine.

Every refund intent x every order shape and age (bench/answers/scenarios.py)
x the review clocks (BOT_NOW 2026-12-20, 2026-12-30, 2027-01-15, 2027-02-10,
15:00 China time), answered by the rules engine. Each reply is checked:

* every date it names is an event of the order, a calendar-day deadline the
  seeds give (2/5/7/10/15/30 days), or a working-day window end recomputed
  here straight from `chinese_calendar` (2026 schedule; 2027 is not known, so
  no working-day date in 2027 may appear);
* arrival ranges ("预计在 A 至 B 到账", "最晚 B 到账", "最早 A") match that
  recomputation, for the card's bank (no bank / a placeholder: the slowest);
* a deadline stated as ahead ("请在 X 前", "系统会在 X 自动…") is not past;
* an automatic refund more than a day overdue is not told "请稍后刷新";
* a partial refund mentions the order's own story; phrases the issue named
  as wrong do not come back; no Latin letters or placeholders.

    PYTHONPATH=. .venv/bin/python bench/answers/review_answers.py [--sample 40]

Writes bench/answers/RESULTS.md (counts per check, every finding, and a
random sample of replies to read by hand) and exits 1 on any finding.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterator, List, Optional, Set, Tuple
from zoneinfo import ZoneInfo

import chinese_calendar

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import buyers_at, orders_at  # noqa: E402

from actions.rules.answers import answer_for  # noqa: E402
from actions.rules.facts import BuyerFacts, OrderFacts  # noqa: E402
from actions.rules.intents import BUYER_LEVEL_INTENTS, REFUND_INTENTS  # noqa: E402

CN = ZoneInfo("Asia/Shanghai")
CLOCKS = [datetime(2026, 12, 20, 15, 0, tzinfo=CN), datetime(2026, 12, 30, 15, 0, tzinfo=CN),
          datetime(2027, 1, 15, 15, 0, tzinfo=CN), datetime(2027, 2, 10, 15, 0, tzinfo=CN)]
DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?: (\d{2}):(\d{2}))?")
PLACEHOLDER_BANKS = ("未知", "-", "其他", "不详")
# Phrases issue #20 found wrong; none may come back.
WRONG = ("这家银行", "前到账", "起的第", "以免影响退款", "也就是退回支付宝", "（按工作日计算", "冻结记录的说明",
         "没有同意的话", "用-信用卡", "用未知信用卡", "用其他信用卡", "用不详信用卡", "无条件退换")
LATE = ("已超过", "已过", "晚了", "没有按时完成")


def workday(d: date) -> Optional[bool]:
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


def plus_workdays(start: datetime, n: int) -> Optional[date]:
    """n-th working day after start's date (start day not counted), None past the known calendar."""
    d = start.astimezone(CN).date()
    counted = 0
    while counted < n:
        d += timedelta(days=1)
        w = workday(d)
        if w is None:
            return None
        counted += w
    return d


def day(m: Optional[re.Match], now: datetime) -> date:
    assert m is not None
    return date(int(m.group(1) or now.year), int(m.group(2)), int(m.group(3)))


def events(o: Optional[OrderFacts], b: Optional[BuyerFacts]) -> List[datetime]:
    out = []
    if o is not None:
        out += [t for t in (o.paid_at, o.shipped_at, o.signed_at, o.success_at, o.closed_at) if t]
        for r in o.refunds:
            out += [t for t in (r.requested_at, r.seller_agreed_at, r.return_shipped_at, r.succeeded_at, r.closed_at)
                    if t]
    if b is not None:
        out += [f.frozen_at for f in b.frozen_funds]
    return out


def windows(o: Optional[OrderFacts], b: Optional[BuyerFacts]) -> List[Tuple[datetime, int, int, bool]]:
    """(start, lo, hi, bank_known) of every working-day window in play, recomputed from the seeds' numbers."""
    from actions.rules.banks import canonical_bank, readable_bank

    def span(bank):
        if canonical_bank(bank) == "中国银行":
            return 5, 10
        return (2, 3) if readable_bank(bank) else (2, 10)

    out = []
    if o is not None:
        for r in o.refunds:
            if r.status == "succeeded" and r.destination == "credit_card":
                lo, hi = span(o.card_bank)
                out.append((r.succeeded_at or r.requested_at, lo, hi, bool(readable_bank(o.card_bank))))
    if b is not None:
        for f in b.frozen_funds:
            if f.reason == "credit_card_refund":
                lo, hi = span(f.card_bank)
                out.append((f.frozen_at, lo, hi, bool(readable_bank(f.card_bank))))
            if f.reason == "withdrawal_processing":
                out.append((f.frozen_at, 2, 3, True))
    return out


def findings(intent: str, text: str, o: Optional[OrderFacts], b: Optional[BuyerFacts], now: datetime) -> Iterator[str]:
    if not text.startswith("亲") or re.search(r"[A-Za-z_{}]|None", text):
        yield "language"
    for phrase in WRONG:
        if phrase in text:
            yield f"wrong phrase {phrase}"
    if any(w in text for w in LATE):
        if "感谢您的耐心等待" in text:
            yield "thanks for patience after something late"
        if "通常会更快" in text:
            yield "fast refund promised after something late"
    ev = events(o, b)
    allowed: Set[date] = {t.astimezone(CN).date() for t in ev}
    allowed |= {(t + timedelta(days=n)).astimezone(CN).date() for t in ev for n in (2, 5, 7, 10, 15, 30)}
    wins = windows(o, b)
    for start, lo, hi, _ in wins:
        allowed |= {d for d in (plus_workdays(start, lo), plus_workdays(start, hi)) if d}
    for m in DATE.finditer(text):
        if day(m, now) not in allowed:
            yield "date not backed"
    # arrival ranges against the recomputation
    ends = {(plus_workdays(s, lo), plus_workdays(s, hi)) for s, lo, hi, _ in wins}
    for m in re.finditer(rf"预计在 ({DATE.pattern}) 至 ({DATE.pattern}) 到账", text):
        a, z = DATE.match(m.group(1)), DATE.match(m.group(7))
        if (day(a, now), day(z, now)) not in ends:
            yield "arrival range wrong"
        if day(z, now) < now.date():
            yield "arrival promised in the past"
    for m in re.finditer(rf"最晚 ({DATE.pattern}) 到账", text):
        if day(DATE.match(m.group(1)), now) not in {z for _, z in ends}:
            yield "latest arrival wrong"
        if day(DATE.match(m.group(1)), now) < now.date():
            yield "arrival promised in the past"
    for m in re.finditer(rf"已超过预计到账时间（({DATE.pattern})）", text):
        if day(DATE.match(m.group(1)), now) >= now.date():
            yield "called late before its last day ended"
    for m in re.finditer(rf"预计最早 ({DATE.pattern}) 到账", text):
        if day(DATE.match(m.group(1)), now) < now.date():
            yield "earliest arrival already past"
    # a deadline said as ahead must be ahead
    for m in re.finditer(rf"(?:请在|可在|需在|卖家在|系统会在|前，在|请于) ({DATE.pattern})(?: 前| 自动)", text):
        g = DATE.match(m.group(1))
        assert g is not None
        when = datetime(int(g.group(1) or now.year), int(g.group(2)), int(g.group(3)),
                        int(g.group(4) or 23), int(g.group(5) or 59), tzinfo=CN)
        if when < now:
            yield "deadline in the past said as ahead"
    if o is not None and o.refunds and intent not in BUYER_LEVEL_INTENTS:
        r = o.refunds[-1]
        due = None
        if r.status == "waiting_seller" and o.status == "paid":
            due = r.requested_at + timedelta(days=2)
        elif r.status == "waiting_seller" and o.status == "shipped" and r.kind == "refund_only":
            due = r.requested_at + timedelta(days=5)
        elif r.status == "waiting_seller_receipt" and o.status == "shipped" and r.return_shipped_at:
            due = r.return_shipped_at + timedelta(days=10)
        if due is not None and now >= due + timedelta(days=1) and "请稍后刷新" in text:
            yield "overdue automatic refund told to refresh"
        if (r.status == "succeeded" and r.amount < o.amount and o.status == "success"
                and intent in ("ask_quality_issue", "ask_refund_after_success", "ask_refund_progress")
                and "部分退款" not in text):
            yield "partial refund hides the order"
    if (o is not None and o.status == "shipped" and o.shipped_at and "稍后会更新" in text
            and now >= o.shipped_at + timedelta(days=31 if o.logistics == "post" else 11)):
        yield "overdue automatic receipt told it will update"
    if any(f"{p}信用卡" in text for p in PLACEHOLDER_BANKS if p != "其他"):
        yield "placeholder bank named"


def review(sample: int, seed: int = 20) -> Tuple[int, Counter, List[str], List[str]]:
    count, kinds, found, replies = 0, Counter[str](), [], []
    for now in CLOCKS:
        cases = [(n, o, None) for n, o in orders_at(now)] + [(n, None, b) for n, b in buyers_at(now)] \
            + [("anonymous", None, None)]
        for name, o, b in cases:
            for intent in REFUND_INTENTS:
                if o is None and b is not None and intent not in BUYER_LEVEL_INTENTS:
                    continue
                buyer = b or (BuyerFacts("tb_review", False, (o,), ()) if o is not None else None)
                text = answer_for(intent, buyer, o, now).text
                count += 1
                replies.append(f"{now:%Y-%m-%d} | {name} | {intent} | {text}")
                for kind in findings(intent, text, o, b, now):
                    kinds[kind] += 1
                    found.append(f"{kind} | {now:%Y-%m-%d} | {name} | {intent} | {text}")
    random.seed(seed)
    return count, kinds, found, random.sample(replies, min(sample, len(replies)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    args = parser.parse_args()
    count, kinds, found, sample = review(args.sample)
    lines = ["# Answer review (issue #20 style)", "",
             "`PYTHONPATH=. .venv/bin/python bench/answers/review_answers.py` — every refund intent x every order",
             "shape and event age x BOT_NOW " + ", ".join(f"{c:%Y-%m-%d %H:%M}" for c in CLOCKS) + " (China time).",
             "", f"Replies checked: {count}. Findings: {sum(kinds.values())}.", ""]
    lines += [f"- {k}: {v}" for k, v in sorted(kinds.items())] or ["- none"]
    lines += ["", "## Findings", ""] + [f"- {f}" for f in found[:200]] + ["", "## Random sample to read by hand", ""]
    lines += [f"- {s}" for s in sample]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{count} replies, {sum(kinds.values())} findings: {dict(kinds)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
