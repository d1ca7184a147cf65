"""What a person taking over a conversation needs to know, in Chinese.

Pure: built from the tracker's events (plain dicts, as rasa-sdk hands them
over) and the buyer's own facts. Goes out as `custom.handoff.summary` on
every channel, so staff see the buyer, the orders under discussion, what was
asked and answered (intents and rule ids), the complaints and the buyer's
last five messages without reading the transcript.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence

from actions.dialogue.choice import find_own_order
from actions.dialogue.text import INTENT_TOPICS
from actions.rules import labels
from actions.rules.facts import BuyerFacts, OrderFacts
from actions.rules.wording import fmt_amount
from shared.contract import HANDOFF_REASONS

LAST_MESSAGES = 5
QUOTED_CHARS = 60  # of one buyer message in the paragraph; the structured fields keep it whole


def quoted(text: object) -> str:
    """Buyer text as data inside the paragraph staff read: one line, 「…」 that it cannot close.

    Newlines and every other line or paragraph break (\\r, \\u2028, \\x85 ...) become
    a space, so no line of the buyer's can look like one of ours (``买家：…``,
    ``客服操作建议：…``, issue #23); the quote marks themselves are swapped for 『』.
    """
    flat = " ".join(str(text or "").split())
    flat = "".join(c for c in flat if c.isprintable())
    flat = flat.replace("「", "『").replace("」", "』")
    if len(flat) > QUOTED_CHARS:
        flat = flat[:QUOTED_CHARS] + "…"
    return f"「{flat}」"


def _order_line(o: OrderFacts) -> Dict[str, str]:
    r = o.latest_refund
    return {
        "order_id": o.order_id,
        "item": o.item,
        "status": labels.ORDER_STATUS.get(o.status, "未知"),
        "refund_status": labels.REFUND_STATUS.get(r.status, "未知") if r else "无退款",
        "amount": fmt_amount(o.amount),
    }


def _questions(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Each buyer message, with the intent read and the rules the bot's answer used."""
    asked: List[Dict[str, Any]] = []
    for event in events:
        if event.get("event") == "user":
            parse = event.get("parse_data") or {}
            asked.append({"text": event.get("text") or "", "intent": (parse.get("intent") or {}).get("name"),
                          "rule_ids": []})
        elif event.get("event") == "bot" and asked:
            custom = ((event.get("data") or {}).get("custom") or {})
            for rule_id in custom.get("rule_ids") or []:
                if rule_id not in asked[-1]["rule_ids"]:
                    asked[-1]["rule_ids"].append(rule_id)
    return asked


def handoff_summary(buyer_id: Optional[str], buyer: Optional[BuyerFacts], events: Sequence[Dict[str, Any]],
                    reason: Optional[str], complaints: int, order_ids: Sequence[str]) -> Dict[str, Any]:
    """The agent's summary: structured fields plus one Chinese paragraph (`text`)."""
    orders = [o for o in (find_own_order(buyer, i) for i in dict.fromkeys(order_ids)) if o is not None]
    asked = _questions(events)
    questions = [q for q in asked if q["intent"] and q["intent"].startswith("ask_")]
    why = HANDOFF_REASONS.get(reason or "", "买家需要人工处理")
    lines = [f"转人工原因：{why}。", f"买家：{quoted(buyer_id) if buyer_id else '未登录访客'}。"]
    if orders:
        lines.append("相关订单：" + "；".join(
            f"{o['item']}（订单号{o['order_id']}，{o['status']}，{o['refund_status']}，{o['amount']}）"
            for o in map(_order_line, orders)) + "。")
    if questions:
        lines.append("买家问过：" + "；".join(
            f"{quoted(q['text'])}（{INTENT_TOPICS.get(q['intent'], q['intent'])}）" for q in questions[-5:]) + "。")
    rule_ids = list(dict.fromkeys(r for q in asked for r in q["rule_ids"]))
    if rule_ids:
        # ids, not prose: staff look them up in actions/rules/knowledge.yml
        lines.append("已答复所依据的规则：" + "、".join(rule_ids) + "。")
    lines.append(f"投诉次数：{complaints}。")
    if asked:
        lines.append("最近的消息：" + " ".join(quoted(q["text"]) for q in asked[-LAST_MESSAGES:]))
    return {
        "buyer_id": buyer_id,
        "reason": reason,
        "reason_text": why,
        "orders": [_order_line(o) for o in orders],
        "questions": questions,
        "answered_rule_ids": rule_ids,
        "complaints": complaints,
        "last_messages": [q["text"] for q in asked[-LAST_MESSAGES:]],
        "text": "\n".join(lines),
    }
