"""The review page a shop owner reads: reports/review.html (Jinja2 template, charts inline)."""
from __future__ import annotations

from pathlib import Path
from typing import Dict

from jinja2 import Environment, FileSystemLoader, select_autoescape

from actions.dialogue.text import INTENT_TOPICS
from shared.contract import HANDOFF_REASONS
from staff.review import charts

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Intents the dialogue answers without a topic button (INTENT_TOPICS has the rest).
OTHER_INTENTS = {
    "greet": "打招呼", "goodbye": "再见", "thank": "道谢", "affirm": "肯定", "deny": "否定",
    "complain": "投诉/不满", "bot_challenge": "问是不是机器人", "out_of_scope": "与售后无关",
    "inform_order_id": "发订单号", "nlu_fallback": "没听懂", "unknown": "未注明",
}
REASON_LABELS = {**HANDOFF_REASONS, "unknown": "未注明原因"}
WHY = {"fallback": "没听懂", "down": "点了没解决", "handoff": "转了人工", "out_of_scope": "超出服务范围"}


def intent_label(name: str) -> str:
    label = INTENT_TOPICS.get(name) or OTHER_INTENTS.get(name)
    return f"{label}（{name}）" if label else name


def short_intent_label(name: str) -> str:
    """Chart axis: the Chinese topic only (the table beside it has the intent id)."""
    return INTENT_TOPICS.get(name) or OTHER_INTENTS.get(name) or name


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason) or intent_label(reason)


def _charts(review: Dict) -> Dict[str, str]:
    days = review["per_day"]
    handoffs = review["handoffs"]
    by_intent = review["feedback"]["by_intent"]
    by_rule = review["feedback"]["by_rule"]
    return {
        "per_day": charts.conversations_per_day(
            [d["day"] for d in days], [d["conversations"] for d in days], [d["resolved"] for d in days]),
        "handoffs": charts.horizontal_counts(
            [reason_label(r) for r in handoffs], list(handoffs.values()), "这段时间没有转人工"),
        "feedback_by_intent": charts.up_down(
            [short_intent_label(i) for i in by_intent], list(by_intent.values()), "这段时间还没有买家评价"),
        "feedback_by_rule": charts.up_down(
            list(by_rule), list(by_rule.values()), "这段时间还没有买家评价"),
    }


def render(review: Dict) -> str:
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                              autoescape=select_autoescape(["html"]))
    environment.filters.update(intent=intent_label, reason=reason_label,
                               why=lambda key: WHY.get(key, key))
    return environment.get_template("review.html").render(review=review, charts=_charts(review))
