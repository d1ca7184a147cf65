"""The review as data: totals + unanswered groups -> the dict written to reports/review.json."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Dict, List, Optional

from staff.review.clusters import cluster
from staff.review.conversations import Unanswered
from staff.review.intent_guess import Guess, group_guess
from staff.review.summary import Totals, mask_buyer, shop_time, up_down

EXAMPLES_PER_GROUP = 5
GUESSES_PER_GROUP = 10  # enough to vote; parsing every message of a big group is slow
# Groups that get the model's guess, largest first (a parse is ~10 ms; the long tail
# of one-message groups can run into thousands).
GUESSED_GROUPS = 300
BUYERS_LISTED = 10  # masked ids shown per group; buyer_count says how many asked


def unanswered_groups(unanswered: List[Unanswered], guess: Optional[Callable[[str], Guess]],
                      progress: Callable = lambda items, **_: items) -> List[Dict]:
    """Clustered unanswered messages, largest group first, with the model's guess."""
    groups = cluster([u.message.text for u in unanswered])
    result = []
    for number, group in enumerate(progress(groups, desc="猜测意图", unit="组")):
        members = [unanswered[i] for i in group.members]
        examples: List[str] = []
        for member in members:
            if member.message.text not in examples:
                examples.append(member.message.text)
        suggestion = None
        if guess is not None and number < GUESSED_GROUPS:
            suggestion = group_guess([guess(text) for text in examples[:GUESSES_PER_GROUP]])
        buyers = sorted({mask_buyer(m.sender_id) for m in members})
        why: Dict[str, int] = {}
        for member in members:
            for reason in member.why:
                why[reason] = why.get(reason, 0) + 1
        result.append({
            "size": group.size,
            "examples": examples[:EXAMPLES_PER_GROUP],
            "all_texts": examples,
            "suggested_intent": suggestion.intent if suggestion else None,
            "suggested_confidence": suggestion.confidence if suggestion else None,
            "model_fell_back": suggestion.fell_back if suggestion else None,
            "why": why,
            "buyers": buyers[:BUYERS_LISTED],
            "buyer_count": len(buyers),
            "last_seen": shop_time(max(m.message.timestamp for m in members)),
        })
    return result


def review_document(totals: Totals, groups: List[Dict], since: datetime, store: str,
                    model: Optional[str]) -> Dict:
    days = sorted(totals.per_day)
    return {
        "since": since.isoformat(timespec="seconds"),
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "store": store,
        "model": model,
        "conversations": totals.conversations,
        "resolved_conversations": totals.resolved,
        "messages": totals.messages,
        "resolution_rate": totals.resolution_rate,
        "fallbacks": totals.fallbacks,
        "out_of_scope": totals.out_of_scope,
        "handoffs": dict(totals.handoffs.most_common()),
        "feedback": {
            **up_down(totals.feedback),
            "by_intent": {k: up_down(v) for k, v in sorted(totals.feedback_by_intent.items())},
            "by_rule": {k: up_down(v) for k, v in sorted(totals.feedback_by_rule.items())},
        },
        "answers_by_intent": dict(totals.answers_by_intent.most_common()),
        "per_day": [
            {"day": day, "conversations": totals.per_day[day].conversations,
             "messages": totals.per_day[day].messages, "resolved": totals.per_day[day].resolved}
            for day in days
        ],
        "handed_off": sorted(totals.handed_off, key=lambda h: h["time"], reverse=True),
        "unanswered": groups,
        "privacy": "买家账号已打码；消息原文保留",
    }
