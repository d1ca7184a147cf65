"""What one answer is built from: the question's facts, the clock and the rules.

Handlers and descriptions take one `Context` instead of six positional
arguments; the builder it carries collects the sentences and rule ids.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional, Tuple

from .facts import BuyerFacts, FrozenFundFacts, OrderFacts
from .knowledge import Knowledge
from .timeline import OrderTimeline
from .wording import Builder


@dataclass
class Context:
    buyer: Optional[BuyerFacts]        # None: anonymous visitor (general rules only)
    order: Optional[OrderFacts]        # None: no specific order (general rule)
    timeline: Optional[OrderTimeline]  # set exactly when order is
    now: datetime
    k: Knowledge
    frozen: Tuple[FrozenFundFacts, ...] = ()  # the frozen items the buyer singled out (红包那笔)
    b: Builder = field(default_factory=Builder)

    def say(self, text: str, *rule_ids: str) -> "Context":
        self.b.say(text, *rule_ids)
        return self

    def use(self, *rule_ids: str) -> "Context":
        self.b.use(*rule_ids)
        return self

    def days(self, rule_id: str) -> int:
        """The `days` parameter of a rule in knowledge.yml."""
        return int(self.k.param(rule_id, "days"))

    @property
    def o(self) -> OrderFacts:
        """The order, for code paths that have checked there is one."""
        assert self.order is not None
        return self.order

    @property
    def tl(self) -> OrderTimeline:
        assert self.timeline is not None
        return self.timeline
